// The theme's scripts, loaded when the reader first does something.
//
// pydata-sphinx-theme's bootstrap.js (Bootstrap and Popper, 80 kB) and
// pydata-sphinx-theme.js set up the header's dropdowns and tooltips, the
// colour-mode switch, the search button and Ctrl+K, the sidebar toggles, the
// back-to-top button and the table of contents that follows the scrolling;
// sphinx-book-theme.js, the sidebar toggle on a desktop; clipboard.min.js and
// copybutton.js, the copy button (shown on hover) of every code block.
// Run when the page loads, they hold a phone's main thread for a few hundred
// milliseconds, yet none of it is needed before the reader moves. So the
// book's Sphinx extension (ext/book_web/theme_scripts.py) swaps their script tags for this
// script, which names them in data-scripts and adds them, in that order (as
// <script> elements, which load from file:// too), on the reader's first
// pointer move, touch, key, focus, scroll or wheel.
//
// A click on one of those controls (CONTROLS) that comes before the scripts
// have run is held and replayed once they have, and so is Ctrl+K (⌘K on a
// Mac), which opens the search.
//
// What the theme's scripts do at load and a reader could see before moving
// is done at once instead: the colour theme is resolved in the page's first
// script (ext/book_web/theme_scripts.py, THEME_RESOLVED), this script follows a change of
// the reader's light/dark preference while the mode is "auto", and shows ⌘
// in the search shortcut on a Mac. The build fails if the theme's scripts are
// not the ones this was written for (THEME_SCRIPTS_SHA256 in ext/book_web/theme_scripts.py).
(function () {
  "use strict";
  var sources = document.currentScript.dataset.scripts.split(" ");
  var SIGNALS = ["pointerdown", "pointermove", "touchstart", "keydown", "focusin", "scroll", "wheel"];
  // The controls whose clicks only the theme's scripts handle.
  var CONTROLS = [
    '[data-bs-toggle="dropdown"]',
    ".theme-switch-button",
    ".search-button__button",
    ".primary-toggle",
    ".secondary-toggle",
    "#pst-back-to-top",
  ].join(", ");
  var MAC = navigator.platform.indexOf("Mac") === 0 || navigator.platform === "iPhone";
  var root = document.documentElement;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var state = "waiting"; // then "loading", then "ready"
  var held = null; // the control to click once the scripts have run

  function load() {
    if (state !== "waiting") {
      return;
    }
    state = "loading";
    SIGNALS.forEach(function (name) {
      window.removeEventListener(name, load, true);
    });
    sources.forEach(function (src, i) {
      var element = document.createElement("script");
      element.src = src;
      element.async = false; // in order: the theme's script uses Bootstrap
      if (i === sources.length - 1) {
        element.onload = ready;
      }
      element.onerror = function () {
        console.error("The theme's script could not be loaded: " + src);
      };
      document.body.appendChild(element);
    });
  }

  function ready() {
    state = "ready";
    window.removeEventListener("click", holdClick, true);
    window.removeEventListener("keydown", holdSearchKey, true);
    dark.removeEventListener("change", follow);
    if (held !== null) {
      var control = held;
      held = null;
      control.click();
    }
  }

  function holdClick(event) {
    var control = event.target.closest ? event.target.closest(CONTROLS) : null;
    if (control === null) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    held = control;
    load();
  }

  // The theme's own test for its search shortcut.
  function holdSearchKey(event) {
    var modifier = MAC ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
    if (modifier && !event.shiftKey && !event.altKey && /^k$/i.test(event.key)) {
      var button = document.querySelector(".search-button__button");
      if (button !== null) {
        event.preventDefault();
        held = button;
      }
    }
  }

  function follow() {
    if (root.dataset.mode === "auto") {
      root.dataset.theme = dark.matches ? "dark" : "light";
    }
  }

  SIGNALS.forEach(function (name) {
    window.addEventListener(name, load, { capture: true, passive: true });
  });
  window.addEventListener("click", holdClick, true);
  window.addEventListener("keydown", holdSearchKey, true);
  dark.addEventListener("change", follow);
  if (MAC) {
    document.querySelectorAll(".search-button__kbd-shortcut kbd.kbd-shortcut__modifier")
      .forEach(function (kbd) {
        if (kbd.textContent === "Ctrl") {
          kbd.textContent = "⌘";
        }
      });
  }
})();
