// Keyboard-first screening: i/e/m decide, u undo, j/k next/previous, t tags, Esc leaves a field, ? help.
// Plain script (no build step); htmx does the requests, this only maps keys to the page's controls,
// keeps the address on the record shown (?record=ID, so a reload returns to it) and never traps the
// keyboard: Esc, or choosing an exclusion reason, hands the keys back to the record (issue #14).
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
  // Back to the record, where the single-letter keys act (focus without scrolling the page away).
  function toRecord(from) {
    if (from && from.blur) { from.blur(); }
    var record = document.querySelector("#record-panel article.record");
    if (record) { record.focus({ preventScroll: true }); }
  }
  // The address names the record shown; a confirmation (said=) is not repeated by a reload.
  function followRecord() {
    var panel = document.getElementById("record-panel");
    if (!panel || !window.history || !window.history.replaceState) { return; }
    var record = panel.querySelector("article.record");
    var url = new URL(window.location.href);
    if (record) { url.searchParams.set("record", record.getAttribute("data-record")); }
    else { url.searchParams.delete("record"); }
    url.searchParams.delete("said");
    if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
  }
  followRecord();
  // An exclusion at full text without a reason is stopped here, with the hint beside the button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-needs-reason]");
    if (button && !reasonGiven(button.form)) { event.preventDefault(); showHint(button.form); }
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    // A reason chosen: the keys go back to the record, so "e" excludes at once.
    if (target.matches && target.matches('#record-panel select[name="reasons"]')) { toRecord(target); return; }
    // A filter drop-down applies as soon as it is chosen.
    var form = target.form;
    if (form && form.hasAttribute("data-autosubmit") && target.tagName === "SELECT") {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
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
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "record-panel") { followRecord(); }
  });
  var NOT_TYPING = ["checkbox", "radio", "button", "submit", "reset", "file", "color", "range"];
  // Whether keys go to a field (text, a list): checkboxes and buttons leave the letters to the page.
  function typing(target) {
    if (!target) { return false; }
    if (target.tagName === "INPUT") { return NOT_TYPING.indexOf(target.type) === -1; }
    return target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key;
    if (key === "Escape" && document.getElementById("record-panel")) {
      var active = document.activeElement;
      if (active && active !== document.body && active.closest && active.closest("form, fieldset")) {
        event.preventDefault();
        toRecord(active);
      }
      return;
    }
    if (typing(event.target)) { return; }
    if (key === "?") {
      var help = document.getElementById("help");
      if (help) { help.hidden = !help.hidden; }
      event.preventDefault();
      return;
    }
    if (key === "t") {
      var tags = document.querySelector('#record-panel .tags input[type="checkbox"]');
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
