// Keyboard-first screening: i/e/m decide, u undo, j/k next/previous, t tags, ? help.
// Plain script (no build step); htmx does the requests, this only maps keys to the page's controls.
(function () {
  "use strict";
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
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
})();
