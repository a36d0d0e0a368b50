/* Employer search for the join and transfer forms: typing two characters or more lists
   known employers (JSON from /join/employers/); picking one fills the hidden id and the
   town/street. Without JavaScript the typed name is matched on the server. Also keeps a
   form from being sent twice by a double tap. */
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  function setup(input) {
    var form = input.form;
    var box = form.querySelector("[data-employer-results]");
    var hidden = document.getElementById(input.dataset.employerId);
    var town = document.getElementById(input.dataset.employerTown);
    var url = input.dataset.employerSearch;
    var latest = 0;

    function clear() {
      box.replaceChildren();
      box.hidden = true;
    }

    function pick(item) {
      input.value = item.name;
      if (hidden) { hidden.value = item.id; }
      if (town) { town.value = String(item.town_street); }
      clear();
    }

    function show(results) {
      box.replaceChildren();
      results.forEach(function (item) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action";
        var name = document.createElement("div");
        name.textContent = item.name;
        var where = document.createElement("div");
        where.className = "small text-secondary";
        where.textContent = item.town_street_name;
        button.append(name, where);
        button.addEventListener("click", function () { pick(item); });
        box.append(button);
      });
      box.hidden = results.length === 0;
    }

    var search = debounce(function (query) {
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) { show(data.results || []); } })
        .catch(clear);
    }, 250);

    input.addEventListener("input", function () {
      if (hidden) { hidden.value = ""; }
      var query = input.value.trim();
      if (query.length < 2) { clear(); return; }
      search(query);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { clear(); }
    });
  }

  document.querySelectorAll("input[data-employer-search]").forEach(setup);

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "send_code") { return; }
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });
})();
