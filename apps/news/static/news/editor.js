/* The article body's editor (Trix) in admin: headings are <h2> and paragraphs <p>, as the
   sanitiser keeps them; pictures are uploaded to the article's checked upload address and
   inserted by the address it answers (/news/images/<pk>/); other files are refused here
   (attachments have their own list below the body). The server sanitises whatever is posted. */
(function () {
  "use strict";
  delete document.head.insertBefore; // editor-csp.js's guard is needed only while Trix loads

  var IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];
  Trix.config.blockAttributes.heading1.tagName = "h2";
  Trix.config.blockAttributes.default.tagName = "p";
  Trix.config.attachments.preview.caption = {name: false, size: false};
  // the toolbar's buttons (only what the sanitiser keeps) and labels come from the page's <template>
  var defaultToolbar = Trix.config.toolbar.getDefaultHTML;
  Trix.config.toolbar.getDefaultHTML = function () {
    var template = document.querySelector("template.news-editor-toolbar");
    return template ? template.innerHTML : defaultToolbar.call(this);
  };

  // Trix previews a chosen picture from a blob: address, which the CSP's img-src ('self' data:)
  // refuses; the same preview is made from a data: address instead
  Trix.Attachment.prototype.preloadFile = function () {
    var attachment = this;
    if (!attachment.file) {
      return;
    }
    var reader = new FileReader();
    reader.addEventListener("load", function () {
      attachment.preload(reader.result);
    });
    reader.readAsDataURL(attachment.file);
  };

  // Trix re-reads its own HTML, where some of its elements carry a style attribute (e.g. the
  // highlight of a selection while the link dialog is open); parsing that is refused by the CSP
  // (style-src 'self') and reported. The attribute means nothing to the stored body (the server
  // removes it), so it is taken out of the text before Trix parses it.
  var STYLE_ATTRIBUTE = /\s+style\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
  var START_TAG = /<[a-z][^>]*>/gi;
  var setHTML = Trix.HTMLSanitizer.setHTML;
  Trix.HTMLSanitizer.setHTML = function (element, html, options) {
    var text = String(html || "").replace(START_TAG, function (tag) {
      return tag.replace(STYLE_ATTRIBUTE, ""); // inside start tags only: the words are never touched
    });
    return setHTML.call(this, element, text, options);
  };

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function say(editor, key) {
    var status = document.getElementById(editor.dataset.status);
    if (status) {
      status.textContent = editor.dataset[key] || "";
      status.classList.toggle("news-editor-error", /^message(Unsaved|NotImage|Failed)$/.test(key));
    }
  }

  function upload(editor, attachment) {
    var form = new FormData();
    form.append("file", attachment.file);
    var request = new XMLHttpRequest();
    request.open("POST", editor.dataset.uploadUrl, true);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        attachment.setUploadProgress(event.loaded / event.total * 100);
      }
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (e) { answer = {}; }
      if (request.status === 200 && answer.url) {
        attachment.setAttributes({url: answer.url, contentType: "image/jpeg", width: answer.width, height: answer.height});
        say(editor, "messageUploaded");
      } else {
        attachment.remove();
        var status = document.getElementById(editor.dataset.status);
        say(editor, "messageFailed");
        if (answer.error && status) { status.textContent = answer.error; }
      }
    });
    request.addEventListener("error", function () {
      attachment.remove();
      say(editor, "messageFailed");
    });
    say(editor, "messageUploading");
    request.send(form);
  }

  document.addEventListener("trix-before-initialize", function (event) {
    var editor = event.target;
    Trix.config.lang.captionPlaceholder = editor.dataset.captionPlaceholder || Trix.config.lang.captionPlaceholder;
    Trix.config.lang.remove = editor.dataset.remove || Trix.config.lang.remove;
  });

  document.addEventListener("trix-file-accept", function (event) {
    var editor = event.target;
    if (!editor.dataset.uploadUrl) {
      event.preventDefault();
      say(editor, "messageUnsaved");
    } else if (IMAGE_TYPES.indexOf(event.file.type) === -1) {
      event.preventDefault();
      say(editor, "messageNotImage");
    }
  });

  document.addEventListener("trix-attachment-add", function (event) {
    if (event.attachment.file) {
      upload(event.target, event.attachment);
    }
  });
})();
