// A form with an error list focuses it; a formset's "添加一行" button (hidden without JavaScript)
// appends a row from <template id="empty-row">. The button names the formset prefix, the tbody
// to fill and the field to focus: data-prefix, data-rows, data-focus.
(function () {
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
  var button = document.getElementById("add-row");
  if (!button) { return; }
  var template = document.getElementById("empty-row");
  var total = document.getElementById("id_" + button.dataset.prefix + "-TOTAL_FORMS");
  var body = document.querySelector(button.dataset.rows);
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    body.insertAdjacentHTML("beforeend", template.innerHTML
      .replace(/__prefix__/g, index).replace(/__number__/g, index + 1));
    total.value = index + 1;
    body.lastElementChild.querySelector("input[name$='-" + button.dataset.focus + "']").focus();
  });
})();
