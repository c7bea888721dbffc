// The widget machinery, loaded when a reader gets near a widget.
//
// On pages with widgets, the book's Sphinx extension (ext/book_web/widget_state.py) takes
// the saved widget state and the ipywidgets scripts out of the page's head,
// so the text and equations paint first. It writes the state to a side file,
// _static/widget-state/<page>.js, and loads this script instead (deferred),
// naming that file in data-state. When a widget's place comes within a
// screen of the viewport (or the reader presses a key or prints), this
// script adds, one after the other: the state (as the
// <script type="application/vnd.jupyter.widget-state+json"> the manager
// reads), RequireJS, the set-up (widgets-setup.js) and the manager
// (embed-amd.js), which renders every widget of the page. All are <script>
// elements, which also load from file:// (where fetch() of a side file is
// refused), so the book still works offline.
(function () {
  "use strict";
  var me = document.currentScript;
  var here = me.src.replace(/[^/]*$/, "");
  var stateFile = me.dataset.state;
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  var loading = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.async = false;
      element.onload = resolve;
      element.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(element);
    });
  }

  function load() {
    if (loading === null) {
      loading = script(here + stateFile)
        .then(function () {
          return script(here + "npm/requirejs/require.js");
        })
        .then(function () {
          return script(here + "widgets-setup.js");
        })
        .then(function () {
          return script(here + "npm/html-manager/embed-amd.js");
        });
      loading.catch(function (err) {
        console.error("The widgets could not be loaded:", err);
      });
    }
    return loading;
  }
  // For the browser tests and for anyone who wants the widgets at once.
  window.bookLoadWidgets = load;

  var places = Array.prototype.map.call(document.querySelectorAll(VIEW), function (view) {
    return view.parentElement;
  });
  if (places.length === 0) {
    return;
  }
  if (!("IntersectionObserver" in window)) {
    load();
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        load();
      }
    },
    { rootMargin: "100% 0px 100% 0px" }
  );
  places.forEach(function (place) {
    observer.observe(place);
  });
  // Keyboard readers may tab towards a widget faster than they scroll, and
  // a printed page should show the widgets too.
  window.addEventListener("beforeprint", load, { once: true });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Tab") {
      load();
    }
  }, { once: false, passive: true });
})();
