// The dashboard's only script: tree buttons, sortable tables, and opening the rule a link
// points to. It loads nothing and needs no library.
(function () {
  "use strict";

  // A link to #doc-PY001 opens that rule's documentation.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // "Open all" / "Close all" over the folder tree (the root stays open).
  document.querySelectorAll("[data-toggle-tree]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-toggle-tree") === "open";
      document.querySelectorAll("#tree details.folder").forEach(function (folder, i) {
        folder.open = open || i === 0;
      });
    });
  });

  // Clicking a column header sorts the table by it (numbers by value).
  function cellValue(row, column) {
    var cell = row.children[column];
    var text = cell ? cell.textContent.trim() : "";
    var number = Number(text.replace(/,/g, "").replace(/%$/, ""));
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (header, column) {
      header.addEventListener("click", function () {
        var ascending = header.getAttribute("data-sorted") === "desc";
        headers.forEach(function (h) { h.removeAttribute("data-sorted"); });
        header.setAttribute("data-sorted", ascending ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, column), y = cellValue(b, column);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
