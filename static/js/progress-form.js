// The task page's progress form: the confirmation and reason of a lower percent are shown only while
// the percent typed is below the one recorded (without this script they are always shown, and the
// form says when they are needed). Works again after htmx swaps the form in.
(function () {
  "use strict";

  function update(form) {
    const input = form.querySelector("input[data-current-percent]");
    const block = form.querySelector("[data-decrease-block]");
    if (!input || !block) {
      return;
    }
    const current = Number(input.dataset.currentPercent);
    const typed = input.value === "" ? NaN : Number(input.value);
    const lowering = !Number.isNaN(typed) && typed < current;
    const refused = block.querySelector(".is-invalid") !== null;
    block.hidden = !(lowering || refused);
  }

  function updateAll() {
    document.querySelectorAll("form").forEach(update);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("input[data-current-percent]")) {
      update(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", updateAll);
  document.addEventListener("htmx:afterSwap", updateAll);
})();
