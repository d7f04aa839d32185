// Coding by selection in the reading view (issue #5), and error messages from htmx requests.
// Plain script (no build step). Offsets are Unicode code points into the document's text, the way
// Python indexes it: each .page holds exactly its page's text and says where that starts (data-start),
// so an offset is data-start plus the code points before it on the page. Highlights (<mark>) hold the
// same text, so counting over the page's text nodes (Range.toString) is unaffected by them.
(function () {
  "use strict";

  function pageOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".page") : null;
  }

  function offsetIn(page, node, offset) {
    var before = document.createRange();
    before.setStart(page, 0);
    before.setEnd(node, offset);
    return Number(page.dataset.start) + Array.from(before.toString()).length;
  }

  // The selected text as the document stores it: pages are separated by a form feed there.
  function selectedText(range, first, last) {
    if (first === last) { return range.toString(); }
    var pages = Array.from(document.querySelectorAll(".page"));
    var parts = [];
    for (var i = pages.indexOf(first); i <= pages.indexOf(last); i += 1) {
      var part = document.createRange();
      part.selectNodeContents(pages[i]);
      if (pages[i] === first) { part.setStart(range.startContainer, range.startOffset); }
      if (pages[i] === last) { part.setEnd(range.endContainer, range.endOffset); }
      parts.push(part.toString());
    }
    return parts.join("\f");
  }

  function hide(panel) { if (panel) { panel.hidden = true; } }

  function show(panel, range, start, end, text) {
    panel.elements.start.value = String(start);
    panel.elements.end.value = String(end);
    panel.elements.text.value = text;
    var quote = panel.querySelector(".code-panel-quote");
    if (quote) { quote.textContent = text.length > 120 ? text.slice(0, 119) + "\u2026" : text; }
    var box = range.getBoundingClientRect();
    panel.hidden = false;
    panel.style.top = String(window.scrollY + box.bottom + 6) + "px";
    panel.style.left = String(Math.max(8, window.scrollX + box.left)) + "px";
  }

  document.addEventListener("mouseup", function (event) {
    var panel = document.getElementById("code-panel");
    if (!panel || panel.contains(event.target)) { return; }
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { hide(panel); return; }
    var range = selection.getRangeAt(0);
    var first = pageOf(range.startContainer);
    var last = pageOf(range.endContainer);
    if (!first || !last) { hide(panel); return; }
    var start = offsetIn(first, range.startContainer, range.startOffset);
    var end = offsetIn(last, range.endContainer, range.endOffset);
    if (end <= start) { hide(panel); return; }
    show(panel, range, start, end, selectedText(range, first, last));
  });

  // A run several codes cover shows each code's colour as a diagonal stripe (issue #14); set through
  // the CSSOM, which the Content-Security-Policy allows (no style="" attributes).
  function stripes(root) {
    var marks = Array.from(root.querySelectorAll ? root.querySelectorAll("mark[data-stripes]") : []);
    if (root.matches && root.matches("mark[data-stripes]")) { marks.push(root); }
    marks.forEach(function (mark) {
      var colors = mark.getAttribute("data-stripes").split(" ").filter(function (c) { return /^#[0-9A-Fa-f]{6}$/.test(c); });
      var stops = colors.map(function (c, i) { return c + "99 " + (i * 0.45) + "em " + ((i + 1) * 0.45) + "em"; });
      if (stops.length > 1) { mark.style.backgroundImage = "repeating-linear-gradient(135deg, " + stops.join(", ") + ")"; }
    });
  }
  stripes(document);
  document.addEventListener("htmx:load", function (event) { stripes(event.target); });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-close]")) {
      hide(document.getElementById("code-panel"));
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(document.getElementById("code-panel")); }
  });

  // The coded text was redrawn: the old selection points into nodes that are gone.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "doc-coding") {
      var selection = window.getSelection();
      if (selection) { selection.removeAllRanges(); }
    }
  });

  // htmx does not swap an error response: a partial marked data-errors (a form shown again with its
  // problems) is swapped anyway; any other error's text goes to the page's [data-flash] element.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400) {
      var flash = document.querySelector("[data-flash]");
      if (flash) { flash.textContent = ""; }
      return;
    }
    var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var root = answer.body.firstElementChild;
    if (root && root.hasAttribute("data-errors")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    var target = document.querySelector("[data-flash]");
    if (target) { target.textContent = answer.body.textContent.trim() || "The request failed (" + xhr.status + ")."; }
  });
})();
