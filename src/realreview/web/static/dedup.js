// Keyboard-first pair review: m/a merge, r/n not duplicates, s skip, u undo (reopen), ? help.
// Plain script (no build step); htmx does the requests, this only maps keys to the page's controls.
(function () {
  "use strict";
  var KEYS = { m: "m", a: "m", r: "r", n: "r", s: "s", u: "u" };
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  }
  // htmx does not swap an error response: a pair panel marked data-errors (a refused decision, with
  // the reason) is swapped anyway.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || !event.detail.target || event.detail.target.id !== "pair-panel") { return; }
    if (xhr.responseText.indexOf("data-errors") !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("pair-panel")) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "?") {
      var help = document.getElementById("dedup-help");
      if (help) { help.hidden = !help.hidden; }
      event.preventDefault();
      return;
    }
    var key = KEYS[event.key];
    var control = key && document.querySelector('#pair-panel [data-key="' + key + '"]');
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
})();
