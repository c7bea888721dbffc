// Loaded on pages with saved widget state, after require.js and before the
// ipywidgets HTML manager (embed-amd.js), by widgets-loader.js.
// Everything comes from this site: nothing is fetched from a CDN.
(function () {
  "use strict";
  // This file is served from <site>/_static/; the manager lives in _static/npm/.
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  var manager = here + "npm/html-manager";

  // embed-amd.js works out where its Font Awesome fonts are from the URL
  // RequireJS gives its module; without this path that URL would be relative
  // to the page, not to the script, and the icon fonts would 404.
  // The same goes for the widget modules it defines (base, controls, output),
  // whose CSS carries the icon fonts of the Play and Button widgets.
  window.requirejs.config({
    paths: {
      "@jupyter-widgets/html-manager/dist": manager,
      "@jupyter-widgets": manager,
    },
  });
  window.__jupyter_widgets_assets_path__ = manager + "/";

  // Accessible names. ipywidgets 8.1 draws each control's description as a
  // <label> next to it but does not tie the two together for sliders (a
  // role="slider" handle) or text fields, and shows an Image's alt text only
  // as its title (jupyter-widgets/ipywidgets#3860). So, for every widget as
  // it appears: the control is labelled by its visible label
  // (aria-labelledby, so the name is exactly the text a reader sees), and a
  // picture's text becomes its alt.
  var labels = 0;
  var CONTROLS = 'select, input, textarea, [role="slider"], [contenteditable="true"]';
  function label(root) {
    root.querySelectorAll(".widget-inline-hbox > label.widget-label").forEach(function (text) {
      if (!text.textContent.trim()) {
        return;
      }
      if (!text.id) {
        labels += 1;
        text.id = "widget-label-" + labels;
      }
      text.parentElement.querySelectorAll(CONTROLS).forEach(function (control) {
        if (control.getAttribute("aria-labelledby") !== text.id) {
          control.setAttribute("aria-labelledby", text.id);
        }
      });
    });
    root.querySelectorAll("img.widget-image[title]").forEach(function (img) {
      if (img.alt !== img.title) {
        img.alt = img.title;
      }
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        label(document.body);
      });
    }
  }).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["title"],
  });

  // ipywidgets 8 typesets maths in widget labels with the MathJax 2 call
  // MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]), if window.MathJax
  // exists. The book's own equations are typeset at build time
  // (ext/typeset_math.mjs), so pages do not load MathJax; this stands in for
  // it. The first time a label holds maths, it loads MathJax 3 (from this
  // site), turns the label's $...$ and $$...$$ into \(...\) and \[...\]
  // (the delimiters MathJax 3 looks for) and typesets it with typesetPromise.
  var DOLLARS = /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g;
  var TEX = /\$|\\\(|\\\[/;
  function delimit(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var texts = [];
    while (walker.nextNode()) {
      texts.push(walker.currentNode);
    }
    texts.forEach(function (node) {
      node.nodeValue = node.nodeValue.replace(DOLLARS, function (_, display, inline) {
        return display !== undefined ? "\\[" + display + "\\]" : "\\(" + inline + "\\)";
      });
    });
  }
  var hub = {};
  var mathjax = null;
  function loadMathJax() {
    if (mathjax === null) {
      mathjax = new Promise(function (resolve, reject) {
        window.MathJax = {
          Hub: hub, // for the labels that come while MathJax loads
          startup: {
            typeset: false,
            ready: function () {
              window.MathJax.startup.defaultReady();
              window.MathJax.Hub = hub; // MathJax replaced window.MathJax
              window.MathJax.startup.promise.then(resolve);
            },
          },
        };
        var element = document.createElement("script");
        element.src = here + "npm/mathjax/tex-chtml.js";
        element.onerror = function () {
          reject(new Error("could not load MathJax"));
        };
        document.head.appendChild(element);
      });
    }
    return mathjax;
  }
  hub.Queue = function () {
    Array.prototype.forEach.call(arguments, function (job) {
      var element = Array.isArray(job) && job[0] === "Typeset" ? job[2] : null;
      if (!element || !TEX.test(element.textContent)) {
        return;
      }
      loadMathJax()
        .then(function () {
          delimit(element);
          return window.MathJax.typesetPromise([element]);
        })
        .catch(function (err) {
          console.error("MathJax could not typeset a widget label:", err);
        });
    });
  };
  window.MathJax = { Hub: hub };
})();
