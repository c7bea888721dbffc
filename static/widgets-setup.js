// Loaded on pages with saved widget state, after require.js and before the
// ipywidgets HTML manager (embed-amd.js); see nb_ipywidgets_js in _config.yml.
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

  // The theme's Font Awesome script swaps every <i class="fa ..."> for an
  // <svg>; the Play widget then finds no <i> to restyle, throws, and breaks
  // the links that step its slider and pictures. "nest" puts the <svg>
  // inside the <i> instead. (The theme loads that script with "defer", so
  // this setting, made while the page is parsed, comes first.)
  window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, {
    autoReplaceSvg: "nest",
  });

  // ipywidgets 8 typesets maths in widget labels with the MathJax 2 call
  // MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book loads
  // MathJax 3, which has no Hub. Forward that one call to typesetPromise,
  // first turning the labels' $...$ and $$...$$ into \(...\) and \[...\]
  // (the only delimiters the book's MathJax looks for).
  var DOLLARS = /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g;
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
  function addHub() {
    var mj = window.MathJax;
    if (!mj || !mj.version || mj.Hub) {
      return;
    }
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (job) {
          if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
            var element = job[2];
            mj.startup.promise
              .then(function () {
                delimit(element);
                return mj.typesetPromise([element]);
              })
              .catch(function (err) {
                console.error("MathJax could not typeset a widget label:", err);
              });
          }
        });
      },
    };
  }
  // MathJax is loaded with "defer", so it exists by DOMContentLoaded; the
  // widgets are rendered later, on "load".
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addHub);
  } else {
    addHub();
  }
})();
