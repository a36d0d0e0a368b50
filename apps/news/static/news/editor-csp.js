/* Loaded just before Trix. Trix adds its default rules for <trix-editor> and <trix-toolbar> as a
   <style> element, which the site's CSP (style-src 'self') refuses and reports; the same rules
   are in news/editor.css, so those two elements are kept out of the document. editor.js puts
   the ordinary insertBefore back once Trix has loaded. */
(function () {
  "use strict";
  var head = document.head;
  head.insertBefore = function (node, reference) {
    if (node && node.tagName === "STYLE" && /^trix-/.test(node.getAttribute("data-tag-name") || "")) {
      return node;
    }
    return Node.prototype.insertBefore.call(this, node, reference);
  };
})();
