// The online rights form: choose a known employer by typing part of its name (a typed-in name
// still works without this script), and send the form once only.
(function () {
  "use strict";
  var script = document.currentScript;
  var searchUrl = script.dataset.searchUrl;
  var noneText = script.dataset.noneText;
  var input = document.querySelector("input[data-employer-search]");
  var hidden = document.querySelector("input[name='employer']");
  var list = document.getElementById("employer-suggestions");
  var townField = document.getElementById("div_id_town_street");
  var timer = null;
  var lastQuery = "";

  function setChosen(id) {
    hidden.value = id || "";
    if (townField) townField.classList.toggle("d-none", Boolean(id));
  }

  function clearList() {
    while (list.firstChild) list.removeChild(list.firstChild);
  }

  function render(results) {
    clearList();
    results.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.setAttribute("role", "option");
      button.dataset.id = item.id;
      button.textContent = item.name;
      if (item.town) {
        var town = document.createElement("small");
        town.className = "text-secondary ms-2";
        town.textContent = item.town;
        button.appendChild(town);
      }
      button.addEventListener("click", function () {
        input.value = item.name;
        setChosen(item.id);
        clearList();
      });
      list.appendChild(button);
    });
    if (!results.length) {
      var none = document.createElement("div");
      none.className = "list-group-item small text-secondary";
      none.textContent = noneText;
      list.appendChild(none);
    }
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < 2) { clearList(); return; }
    fetch(searchUrl + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === query) render(data.results); })
      .catch(function () { clearList(); });
  }

  if (input && hidden && list) {
    setChosen(hidden.value);
    input.addEventListener("input", function () {
      setChosen("");
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
  }

  var form = document.querySelector("form.rights-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-submit-once")) return;
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      button.classList.add("disabled");
      button.setAttribute("aria-disabled", "true");
    });
  }
})();
