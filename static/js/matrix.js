// Live row totals and column averages on the group-score matrix. Display only: the server
// recomputes and stores every total with inspections/scoring.py when the matrix is saved.
(function () {
  "use strict";
  var form = document.getElementById("matrix");
  if (!form) return;
  var passMark = cents(form.dataset.passMark);
  var bonusThreshold = cents(form.dataset.bonusThreshold);
  var dirty = false;

  function cents(text) {
    var value = String(text || "").trim().replace(/[．，,]/g, ".");
    if (value === "" || isNaN(Number(value))) return null;
    return Math.round(Number(value) * 100);
  }

  function cellValue(td) {
    var input = td.querySelector("input.cell");
    if (input) return cents(input.value);
    var fixed = td.querySelector(".cell-fixed");
    return fixed ? cents(fixed.dataset.value) : null;
  }

  function recompute() {
    var rows = form.querySelectorAll("tbody tr[data-row]");
    var columns = [], totals = [];
    rows.forEach(function (row) {
      var deduction = null, bonus = null;
      row.querySelectorAll("td[data-kind]").forEach(function (td, index) {
        var value = cellValue(td);
        columns[index] = columns[index] || [];
        if (value !== null) columns[index].push(value);
        if (value === null) return;
        if (td.dataset.kind === "bonus") bonus = (bonus || 0) + value;
        else deduction = (deduction || 0) + value;
      });
      var total = deduction === null ? null : deduction + (deduction > bonusThreshold ? bonus || 0 : 0);
      row.querySelector(".row-total").textContent = total === null ? "" : String(total / 100);
      if (!row.dataset.vetoed) {
        row.querySelector(".row-verdict").textContent = total === null ? "" : total < passMark ? "不合格" : "合格";
        if (total !== null) totals.push(total);
      }
    });
    form.querySelectorAll("tfoot .col-average").forEach(function (td, index) {
      var values = columns[index] || [];
      td.textContent = values.length ? average(values) : "";
    });
    form.querySelector("tfoot .total-average").textContent = totals.length ? average(totals) : "";
  }

  function average(values) {
    var sum = values.reduce(function (a, b) { return a + b; }, 0);
    return String(Math.round(sum / values.length) / 100);
  }

  form.addEventListener("input", function () { dirty = true; recompute(); });
  form.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      dirty = false;
      form.requestSubmit(form.querySelector('button[name="save"]'));
    } else if (event.key === "Enter" && event.target.classList.contains("cell")) {
      // Down to the same column of the next row.
      event.preventDefault();
      var cell = event.target.closest("td");
      var column = Array.prototype.indexOf.call(cell.parentNode.children, cell);
      var next = cell.parentNode.nextElementSibling;
      while (next) {
        var input = next.children[column] && next.children[column].querySelector("input.cell");
        if (input) { input.focus(); input.select(); return; }
        next = next.nextElementSibling;
      }
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  recompute();
})();
