// Dynamic styles under the Content-Security-Policy (issue #11): style-src 'self' blocks style=""
// attributes, so templates put a code's colour, a tree depth or a progress figure in data-color,
// data-indent and data-percent, and this applies them through the CSSOM, which the policy allows.
// Runs on the page and on every fragment htmx swaps in (htmx:load).
(function () {
  "use strict";
  function each(root, selector, apply) {
    if (root.matches && root.matches(selector)) { apply(root); }
    if (root.querySelectorAll) { root.querySelectorAll(selector).forEach(apply); }
  }
  function style(root) {
    each(root, "[data-color]", function (el) { el.style.backgroundColor = el.getAttribute("data-color"); });
    each(root, "[data-indent]", function (el) { el.style.paddingLeft = Number(el.getAttribute("data-indent")) + "rem"; });
    each(root, "[data-percent]", function (el) { el.style.width = Number(el.getAttribute("data-percent")) + "%"; });
  }
  style(document);
  document.addEventListener("htmx:load", function (event) { style(event.target); });
})();
