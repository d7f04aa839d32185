// The owner's setup pages (issue #14); no inline script is allowed (Content-Security-Policy).
// - a "Copy" button copies the invitation link shown once on the members page;
// - the form editor's up/down buttons move a row and renumber every row's position, so the order
//   the owner sees is the order saved (without JavaScript the position numbers do the same).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var field = document.querySelector(copy.getAttribute("data-copy"));
      if (!field) { return; }
      field.select();
      var done = function () { copy.textContent = "Copied"; copy.classList.add("copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
      return;
    }
    var move = event.target.closest(".move-up, .move-down");
    if (!move) { return; }
    var row = move.closest("tr");
    if (move.classList.contains("move-up")) {
      var before = row.previousElementSibling;
      if (before) { row.parentNode.insertBefore(row, before); }
    } else {
      var after = row.nextElementSibling;
      if (after && !after.classList.contains("new-row")) { row.parentNode.insertBefore(after, row); }
    }
    // The posted lists follow the rows' order, and a checkbox names its row by number: renumber both.
    row.closest("tbody").querySelectorAll("tr").forEach(function (tr, index) {
      tr.querySelectorAll("input.position").forEach(function (input) { input.value = index + 1; });
      tr.querySelectorAll("input[name=required], input[name=remove]").forEach(function (box) { box.value = index; });
    });
  });
})();
