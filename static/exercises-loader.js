// The exercises' answer boxes, and their judge loaded when a reader nears one.
//
// ext/book_web/exercises.py puts a box (form.bp-exercise, hidden) under each
// exercise cell that the page can check, and loads this script (deferred) on
// those pages. It shows the boxes and adds the judge, exercises.js, with a
// <script> element (which also loads from file://) when a box comes within
// a screen of the viewport, when the keyboard moves into one, or when Check
// is pressed first (that check runs as soon as the judge has come).
(function () {
  "use strict";
  var me = document.currentScript;
  var here = me.src.replace(/[^/]*$/, "");
  var boxes = document.querySelectorAll("form.bp-exercise");
  var loading = false;
  if (boxes.length === 0) {
    return;
  }
  function load() {
    if (loading) {
      return;
    }
    loading = true;
    var element = document.createElement("script");
    element.src = here + "exercises.js";
    document.head.appendChild(element);
  }
  // For the browser tests and for anyone who wants the judge at once.
  window.bookLoadExercises = load;
  Array.prototype.forEach.call(boxes, function (box) {
    box.hidden = false;
    box.addEventListener("focusin", load);
  });
  document.addEventListener("submit", function (event) {
    var box = event.target;
    if (box.classList.contains("bp-exercise") && !box.dataset.ready) {
      event.preventDefault();
      box.dataset.pending = "1";
      load();
    }
  }, true);
  if (!("IntersectionObserver" in window)) {
    load();
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "100% 0px 100% 0px" });
  Array.prototype.forEach.call(boxes, observer.observe.bind(observer));
})();
