// Choosing a year or a town/street applies the filter at once (the search button still works).
document.querySelectorAll("form.honour-filter select").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
  });
});
