/* Sites built with Zensical only (coursesmith build --engine zensical). Zensical's search dialog
   lives in a shadow root, out of reach of our stylesheets; where it falls short of WCAG 2.2 AA
   (axe-core: colour contrast of result paths and highlights, a scrolling result list keyboard
   focus cannot reach), these rules are added inside it. The class names are those of Zensical
   0.0.73, the version pyproject.toml pins. */
(function () {
  "use strict";
  var RULES =
    ".n{color:rgb(var(--color-foreground)/.7)}" + // result path: 3.4:1 -> 6.6:1
    ".o mark{color:#303fa1}"; // highlighted words: 4.3:1 -> 9:1 on white

  function mend(root) {
    if (!root.querySelector("style[data-coursesmith]")) {
      var style = document.createElement("style");
      style.setAttribute("data-coursesmith", "");
      style.textContent = RULES;
      root.appendChild(style);
    }
    var lists = root.querySelectorAll(".k[tabindex='-1']");
    for (var i = 0; i < lists.length; i++) lists[i].setAttribute("tabindex", "0");
  }

  function scan() {
    var hosts = document.body ? document.body.children : [];
    for (var i = 0; i < hosts.length; i++) {
      var root = hosts[i].shadowRoot;
      if (root) {
        mend(root);
        if (!root.__coursesmith) {
          root.__coursesmith = true;
          new MutationObserver(function (records) {
            mend(records[0].target.getRootNode());
          }).observe(root, { childList: true, subtree: true });
        }
      }
    }
  }

  // The dialog's host is added, and its shadow root filled, when search first opens.
  function later() {
    setTimeout(scan, 0);
  }
  new MutationObserver(later).observe(document.documentElement, { childList: true, subtree: true });
  ["keydown", "click", "focusin"].forEach(function (type) {
    document.addEventListener(type, later, true);
  });
  document.addEventListener("DOMContentLoaded", scan);
})();
