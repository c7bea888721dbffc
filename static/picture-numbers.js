// The numbers behind the network pictures inside widgets (the stepper's
// frames): ext/book_web/picture_numbers.py marks each such picture's Image
// widget with a class bp-wpic-<n> and writes, in the page, the HTML of its
// spots and of its table (script#bp-widget-numbers). When the widget
// manager shows a frame (static/widgets-loader.js loads it when a reader
// nears a widget), this script lays the frame's spots over it and its table
// under it; when the frame is taken away (the slider moved), they go too.
// Deferred, and it does nothing until a widget picture appears.
(function () {
  "use strict";
  var data = document.getElementById("bp-widget-numbers");
  if (!data || !window.MutationObserver) return;
  var pictures = JSON.parse(data.textContent);
  var parts = new WeakMap();
  var resize = window.ResizeObserver
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          fit(entry.target);
        })
      })
    : null;

  function key(img) {
    for (var i = 0; i < img.classList.length; i++) {
      if (img.classList[i].indexOf("bp-wpic-") === 0) return img.classList[i];
    }
    return null;
  }

  function fit(img) {
    var own = parts.get(img);
    if (!own) return;
    var style = own.layer.style;
    style.left = img.offsetLeft + "px";
    style.top = img.offsetTop + "px";
    style.width = img.offsetWidth + "px";
    style.height = img.offsetHeight + "px";
  }

  function show(img) {
    var entry = pictures[key(img)];
    if (!entry || parts.has(img) || !img.isConnected) return;
    var parent = img.parentNode;
    if (getComputedStyle(parent).position === "static") parent.style.position = "relative";
    var layer = document.createElement("div");
    layer.className = "bp-pic-layer";
    layer.innerHTML = entry.spots;
    var holder = document.createElement("div");
    holder.innerHTML = entry.table;
    var table = holder.firstElementChild;
    if (parent.dataset.bpNumbersOpen === "1") table.open = true;
    table.addEventListener("toggle", function () {
      parent.dataset.bpNumbersOpen = table.open ? "1" : "0";
    });
    img.after(layer, table);
    parts.set(img, { layer: layer, table: table });
    fit(img);
    if (resize) resize.observe(img);
    img.addEventListener("load", function () {
      fit(img);
    });
  }

  function hide(img) {
    var own = parts.get(img);
    if (!own) return;
    own.layer.remove();
    own.table.remove();
    parts.delete(img);
    if (resize) resize.unobserve(img);
  }

  function each(node, action) {
    if (node.nodeType !== 1) return;
    if (node.matches("img.bp-wpic")) action(node);
    node.querySelectorAll("img.bp-wpic").forEach(action);
  }

  // The manager may give an <img> its classes after it is in the page.
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") {
        each(record.target, show);
        return;
      }
      record.removedNodes.forEach(function (node) {
        each(node, hide);
      });
      record.addedNodes.forEach(function (node) {
        each(node, show);
      });
    });
  }).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["class"],
  });
  document.querySelectorAll("img.bp-wpic").forEach(show);
})();
