// Keyboard-first screening: i/e/m decide, u undo, j/k next/previous, t tags, ? help.
// Plain script (no build step); htmx does the requests, this only maps keys to the page's controls.
(function () {
  "use strict";
  function reasonGiven(form) {
    var field = form && form.querySelector('[name="reasons"]');
    return !field || field.value.trim() !== "";
  }
  function showHint(form) {
    var hint = form && form.querySelector("#reason-hint");
    if (hint) { hint.classList.add("error"); hint.setAttribute("role", "alert"); }
    var field = form && form.querySelector('[name="reasons"]');
    if (field) { field.focus(); }
  }
  // An exclusion at full text without a reason is stopped here, with the hint beside the button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-needs-reason]");
    if (button && !reasonGiven(button.form)) { event.preventDefault(); showHint(button.form); }
  }, true);
  // htmx does not swap an error response: a record panel marked data-errors (the record shown again
  // with the reason a decision was refused) is swapped anyway.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || !event.detail.target || event.detail.target.id !== "record-panel") { return; }
    if (xhr.responseText.indexOf("data-errors") !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "?") {
      var help = document.getElementById("help");
      if (help) { help.hidden = !help.hidden; }
      event.preventDefault();
      return;
    }
    if (key === "t") {
      var tags = document.querySelector(".tag-select");
      if (tags) { tags.focus(); event.preventDefault(); }
      return;
    }
    var control = document.querySelector('#record-panel [data-key="' + key + '"]');
    if (control && control.hasAttribute("data-needs-reason") && !reasonGiven(control.form)) {
      event.preventDefault();
      showHint(control.form);
      return;
    }
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
})();
