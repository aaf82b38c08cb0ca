// mapi-generator doc site: search over the generated index (search-index.js), no server needed.
(function () {
  "use strict";
  var data = window.MAPI_SEARCH_INDEX;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!data || !form || !input || !list) {
    return;
  }
  var SAFE_HREF = /^[A-Za-z0-9_.-]+\.html(#[A-Za-z0-9_-]+)?$/;
  var LIMIT = 30;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var entries = data.entries.map(function (e) {
    var key = fold(e[0]);
    var member = key.indexOf("::") >= 0 ? key.slice(key.indexOf("::") + 2) : key;
    return {
      name: e[0],
      kind: e[1],
      href: e[2],
      summary: e[3],
      key: key,
      member: member,
      words: fold(e[0].replace(/::/g, " ") + " " + e[3]).split(/[^a-z0-9_]+/).filter(Boolean)
    };
  });

  function score(entry, query, terms) {
    if (entry.member === query || entry.key === query) {
      return 0;
    }
    if (entry.member.indexOf(query) === 0 || entry.key.indexOf(query) === 0) {
      return 1;
    }
    if (entry.key.indexOf(query) >= 0) {
      return 2;
    }
    var all = terms.every(function (term) {
      return entry.words.some(function (word) {
        return word.indexOf(term) === 0;
      });
    });
    return all ? 3 : -1;
  }

  function search(raw) {
    var query = fold(raw.trim());
    if (!query) {
      return [];
    }
    var terms = query.split(/[^a-z0-9_]+/).filter(Boolean);
    var found = [];
    entries.forEach(function (entry) {
      var s = score(entry, query.replace(/\s+/g, ""), terms);
      if (s >= 0 && SAFE_HREF.test(entry.href)) {
        found.push({ entry: entry, score: s });
      }
    });
    found.sort(function (a, b) {
      return a.score - b.score || a.entry.name.length - b.entry.name.length ||
        (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0);
    });
    return found.slice(0, LIMIT).map(function (f) { return f.entry; });
  }

  function show(results, raw) {
    list.textContent = "";
    if (!raw.trim()) {
      list.hidden = true;
      return;
    }
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = input.getAttribute("data-empty") || "";
      list.appendChild(empty);
    }
    results.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.href;
      var name = document.createElement("code");
      name.textContent = entry.name;
      link.appendChild(name);
      item.appendChild(link);
      if (entry.summary) {
        var summary = document.createElement("span");
        summary.className = "result-summary";
        summary.textContent = entry.summary;
        item.appendChild(summary);
      }
      item.className = "result " + (entry.kind === "method" ? "method" : "interface");
      list.appendChild(item);
    });
    list.hidden = false;
  }

  form.hidden = false;
  input.addEventListener("input", function () {
    show(search(input.value), input.value);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      input.value = "";
      show([], "");
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) {
      window.location.href = first.href;
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) {
      list.hidden = true;
    }
  });
  input.addEventListener("focus", function () {
    if (input.value.trim()) {
      show(search(input.value), input.value);
    }
  });
})();
