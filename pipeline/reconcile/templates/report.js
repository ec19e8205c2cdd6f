// Sorting and filtering for the tables, with no network and no library. Without
// JavaScript the page is the same tables, unsorted and unfiltered.
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-sort");
    return v !== null ? v : cell.textContent.trim();
  }

  function compare(type, x, y) {
    if (type === "number") {
      var a = parseFloat(x), b = parseFloat(y);
      if (isNaN(a) || isNaN(b)) { return isNaN(a) - isNaN(b); }  // empty cells last
      return a - b;
    }
    return x.localeCompare(y, "en", {numeric: true, sensitivity: "base"});
  }

  function makeSortable(table) {
    var heads = table.tHead.rows[0].cells;
    each(heads, function (th, index) {
      var type = th.getAttribute("data-type");
      if (!type) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var x = sortValue(r1, index), y = sortValue(r2, index);
          var empty = (x === "") - (y === "");
          if (empty) { return empty; }
          var c = compare(type, x, y);
          return ascending ? c : -c;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(r); });
        body.appendChild(fragment);
      });
    });
  }

  function setUpFilters(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    var count = document.getElementById(form.getAttribute("data-count"));
    var controls = form.querySelectorAll("select, input");
    function apply() {
      var rows = table.tBodies[0].rows, shown = 0;
      each(rows, function (row) {
        var keep = true;
        each(controls, function (c) {
          var v = c.value.trim();
          if (!v || !keep) { return; }
          if (c.type === "search") {
            keep = row.textContent.toLowerCase().indexOf(v.toLowerCase()) >= 0;
          } else {
            keep = row.getAttribute("data-" + c.name) === v;
          }
        });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " divergences.";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    count.hidden = false;
    apply();
  }

  // a link to a report opens its collapsed section
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  each(document.querySelectorAll("table.sortable"), makeSortable);
  each(document.querySelectorAll("form.filters"), setUpFilters);
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // when the page finished setting itself up, in ms from the start of navigation
  document.documentElement.setAttribute("data-ready-ms", performance.now().toFixed(1));
})();
