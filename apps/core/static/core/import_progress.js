// Polls a background import's status and fills the progress bar, then the report.
(function () {
  "use strict";
  function start() {
    var root = document.querySelector(".import-job[data-status-url]");
    if (!root) { return; }
    var bar = document.getElementById("import-progress");
    var percent = document.getElementById("import-percent");
    var label = document.getElementById("import-status-label");
    var result = document.getElementById("import-result");
    function item(text) {
      var li = document.createElement("li");
      li.textContent = text;
      return li;
    }
    function show(data) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
      percent.textContent = data.percent + "%";
      label.textContent = data.status_label;
      if (!data.finished) { return false; }
      var running = document.getElementById("import-running");
      if (running) { running.hidden = true; }
      var report = data.report || {};
      result.textContent = "";
      var p = document.createElement("p");
      var text = root.dataset["text" + data.status.charAt(0).toUpperCase() + data.status.slice(1)] || root.dataset.textFailed;
      p.textContent = text.replace(/\{(\w+)\}/g, function (all, key) { return report[key]; });
      p.className = (data.status === "done" || data.status === "checked") ? "import-ok" : "errornote";
      result.appendChild(p);
      var problems = report.problems || [];
      if (problems.length) {
        var ul = document.createElement("ul");
        ul.className = "errorlist import-problem-list";
        problems.forEach(function (text) { ul.appendChild(item(text)); });
        result.appendChild(ul);
      }
      return true;
    }
    function poll() {
      fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (!show(data)) { window.setTimeout(poll, 1000); } })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    if (!bar || bar.value < 100) { poll(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
