// Blocks that scroll sideways (code, outputs, tables, wide equations) get a
// tab stop, so a keyboard reader can scroll them; the others get none (tabindex -1).
//
// The theme (pydata-sphinx-theme) does this itself when the page loads, by
// reading the size of every block: that lays out the whole page at once,
// sections off screen included (static/book.css leaves those for later), in
// one long task before the reader can do anything. The book's Sphinx
// extension (ext/book_web/theme_scripts.py) takes that function out of the theme's script
// and this does the same work when the reader first presses a key (before
// that key moves the focus), then again when the window is resized or
// something (a widget) changes the page.
(function () {
  "use strict";
  var BLOCKS = [
    "pre",
    ".nboutput > .output_area",
    ".cell_output > .output",
    ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
    // A display equation wider than the page scrolls too.
    'mjx-container[display="true"]',
  ].join(", ");
  var keyboard = false;
  var timer = null;

  function update() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll(BLOCKS));
    // All sizes first, then all tab stops: one layout, not one per block.
    var scrolls = blocks.map(function (block) {
      return block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight;
    });
    blocks.forEach(function (block, i) {
      block.tabIndex = scrolls[i] ? 0 : -1;
    });
  }

  function later() {
    if (keyboard) {
      clearTimeout(timer);
      timer = setTimeout(update, 300);
    }
  }

  document.addEventListener(
    "keydown",
    function () {
      keyboard = true;
      update();
    },
    { capture: true, once: true }
  );
  window.addEventListener("resize", later);
  var main = document.getElementById("main-content");
  if (main) {
    new MutationObserver(later).observe(main, { subtree: true, childList: true });
  }
})();
