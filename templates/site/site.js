// hrcities web site: progressive enhancement only. Every page works without this script;
// with it, tables of governments can be sorted by a click and filtered by typing, and the
// search page filters its index. Nothing is fetched.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var words = {
    en: { filter: "Filter the table", sort: "Sort by", shown: "{n} of {all} shown", none: "Nothing matches." },
    es: { filter: "Filtrar la tabla", sort: "Ordenar por", shown: "{n} de {all} visibles", none: "Nada coincide." },
    fr: { filter: "Filtrer le tableau", sort: "Trier par", shown: "{n} sur {all} affichés", none: "Aucun résultat." }
  }[lang] || null;
  if (!words) { return; }
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    return cell.getAttribute("data-sort") !== null ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.setAttribute("aria-label", words.sort + " " + th.textContent);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          var nx = parseFloat(x), ny = parseFloat(y);
          var bothNumbers = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) && a.cells[i].hasAttribute("data-sort");
          var c;
          if (bothNumbers) { c = nx - ny; }
          else if (x === "" || y === "") { c = (x === "") - (y === ""); return c; }
          else { c = x.localeCompare(y, lang); }
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  var filterId = 0;
  function filterable(table) {
    filterId += 1;
    var box = document.createElement("div");
    box.className = "filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("span");
    input.type = "search";
    input.id = "filter-" + filterId;
    label.htmlFor = input.id;
    label.textContent = words.filter;
    status.setAttribute("aria-live", "polite");
    status.className = "note";
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(status);
    var anchor = table.parentNode.classList.contains("scroll") ? table.parentNode : table;
    anchor.parentNode.insertBefore(box, anchor);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    input.addEventListener("input", function () {
      var q = fold(input.value.trim());
      var n = 0;
      rows.forEach(function (r) {
        var show = q === "" || fold(r.textContent).indexOf(q) >= 0;
        r.hidden = !show;
        if (show) { n += 1; }
      });
      status.textContent = q === "" ? "" : words.shown.replace("{n}", n).replace("{all}", rows.length);
    });
  }
  function search() {
    var list = document.getElementById("search-list");
    var input = document.getElementById("q");
    var status = document.getElementById("search-status");
    if (!list || !input) { return; }
    var items = Array.prototype.slice.call(list.children);
    function run() {
      var q = fold(input.value.trim());
      var n = 0;
      items.forEach(function (li) {
        var show = q === "" || fold(li.textContent).indexOf(q) >= 0;
        li.hidden = !show;
        if (show) { n += 1; }
      });
      status.textContent = q === "" ? "" : (n === 0 ? words.none : words.shown.replace("{n}", n).replace("{all}", items.length));
    }
    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) { input.value = params.get("q"); }
    input.addEventListener("input", run);
    run();
  }
  // A table's box is a stop for the keyboard only when it has something to scroll.
  function scrollStops() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    });
  }
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("table.filterable").forEach(filterable);
  search();
  scrollStops();
  window.addEventListener("resize", scrollStops);
}());
