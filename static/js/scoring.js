// Live totals for the score-entry page. The server computes the stored result with the
// same rules (inspections/scoring.py); this only shows it while typing. Amounts are kept
// in hundredths so that 26.5 + 17.9 adds up exactly as it does on the server.
(function () {
  "use strict";
  var form = document.getElementById("entry");
  if (!form) return;
  var passMark = cents(form.dataset.passMark);
  var bonusThreshold = cents(form.dataset.bonusThreshold);
  var fullPoints = cents(form.dataset.full);
  var dirty = false;

  function cents(text) {
    if (text === undefined || text === null) return null;
    var value = String(text).trim().replace(/[０-９]/g, function (d) {
      return String.fromCharCode(d.charCodeAt(0) - 0xfee0);
    }).replace(/[．，,]/g, ".");
    if (value === "" || isNaN(Number(value))) return null;
    return Math.round(Number(value) * 100);
  }

  function show(c) {
    if (c === null) return "—";
    return String(c / 100);
  }

  function inputFor(id) {
    return form.querySelector('.points-input[data-indicator="' + id + '"]');
  }

  // A group's score: its own points, or the sum of its children's (null when none typed).
  function score(id) {
    var own = inputFor(id);
    if (own && cents(own.value) !== null) return cents(own.value);
    var children = form.querySelectorAll('.points-input[data-parent="' + id + '"]');
    var sum = null;
    children.forEach(function (child) {
      var value = score(child.dataset.indicator);
      if (value !== null) sum = (sum || 0) + value;
    });
    return sum;
  }

  function recompute() {
    var deduction = null, applicable = 0, bonus = null, skipped = false;
    form.querySelectorAll("fieldset.group").forEach(function (group) {
      var id = group.dataset.group;
      var na = group.querySelector(".na-box");
      var value = na && na.checked ? null : score(id);
      group.querySelector(".group-total").textContent = value === null ? "" : "　得分 " + show(value);
      group.classList.toggle("is-na", Boolean(na && na.checked));
      if (group.dataset.kind === "deduction") {
        if (na && na.checked) { skipped = true; return; }
        applicable += cents(group.dataset.max) || 0;
        if (value !== null) deduction = (deduction || 0) + value;
      } else if (group.dataset.kind === "bonus" && value !== null) {
        bonus = (bonus || 0) + value;
      }
    });
    if (deduction !== null && skipped && applicable) {
      deduction = Math.round(deduction * fullPoints / applicable);
    }
    var counted = deduction !== null && deduction > bonusThreshold ? bonus : null;
    var total = deduction === null ? null : deduction + (counted || 0);
    var vetoed = form.querySelectorAll(".veto-box:checked").length > 0;
    var conclusion = vetoed ? "不合格（单项否决）" : total !== null && total < passMark ? "不合格" : "合格";
    document.getElementById("sum-deduction").textContent = show(deduction);
    document.getElementById("sum-bonus").textContent = show(counted);
    document.getElementById("sum-total").textContent = show(total);
    var verdict = document.getElementById("sum-conclusion");
    verdict.textContent = conclusion;
    verdict.className = conclusion === "合格" ? "pass" : "fail";
  }

  form.addEventListener("input", function () { dirty = true; recompute(); });
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("veto-box")) {
      var box = event.target.closest(".veto").querySelector(".veto-finding");
      box.hidden = !event.target.checked;
      if (event.target.checked) box.querySelector("textarea").focus();
    }
    dirty = true;
    recompute();
  });

  // The keys, as the page lists them: Enter in a group's points box moves on to the next
  // group's box (a group total needs no items); in an item's box, to the next item, then the
  // next group; after the last box, to 保存. ↓ and ↑ step through every points box, items
  // included. Groups marked 不适用 are skipped. Ctrl+S saves; Ctrl+Enter saves and opens the
  // next target.
  function liveBoxes() {
    return Array.prototype.filter.call(form.querySelectorAll(".points-input:not([disabled])"),
      function (box) {
        var na = box.closest("fieldset.group").querySelector(".na-box");
        return !(na && na.checked);
      });
  }

  function following(box) {
    var boxes = liveBoxes();
    var rest = boxes.slice(boxes.indexOf(box) + 1);
    if (box.classList.contains("child-input")) return rest[0];
    var group = box.closest("fieldset.group");
    return rest.filter(function (other) { return other.closest("fieldset.group") !== group; })[0];
  }

  function step(box, offset) {
    var boxes = liveBoxes();
    return boxes[boxes.indexOf(box) + offset];
  }

  function moveTo(target) {
    if (!target) return;
    target.focus();
    if (target.select) target.select();
  }

  form.addEventListener("keydown", function (event) {
    var ctrl = event.ctrlKey || event.metaKey;
    var box = event.target.classList.contains("points-input") ? event.target : null;
    if (ctrl && event.key === "Enter") {
      event.preventDefault();
      submit("next");
    } else if (ctrl && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      submit("save");
    } else if (box && event.key === "Enter") {
      event.preventDefault();
      moveTo(following(box) || form.querySelector('button[name="save"]'));
    } else if (box && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      moveTo(step(box, event.key === "ArrowDown" ? 1 : -1));
    }
  });

  function submit(name) {
    var button = form.querySelector('button[name="' + name + '"]');
    if (!button) return;
    dirty = false;
    form.requestSubmit(button);
  }

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  recompute();
})();
