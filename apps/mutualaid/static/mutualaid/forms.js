// A claim form is sent once: a second tap while the receipts upload does nothing (the server
// also recognises the form's token and leads a repeat to the claim already created).
(function () {
  document.querySelectorAll("form.mutualaid-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.querySelectorAll("[data-submit-once]").forEach(function (button) {
        button.classList.add("disabled");
        button.setAttribute("aria-disabled", "true");
      });
    });
  });
})();
