/* The work report's print button (no inline script: the site's CSP). */
(function () {
  "use strict";
  var button = document.getElementById("print-report");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
