// The book's equations typeset once, at build time, so that no page needs
// MathJax's JavaScript to be read. Called by ext/book_web/maths.py after the Sphinx
// build; MathJax is mathjax-full, pinned in package-lock.json.
//
// Reads JSON from stdin: {"pages": [[{"tex": "...", "display": true}, ...], ...]}
// (one list of equations per page, TeX without delimiters), and writes
//   {"css": "<the styles the output needs>",
//    "pages": [{"math": ["<mjx-container ...>", ...], "cache": "<svg ...>"}, ...],
//    "errors": ["page 3: \\frac{a: Missing close brace", ...]}
// Each equation is SVG (glyphs drawn as paths, so no web font is needed and
// nothing moves when fonts arrive), followed by its MathML, hidden from the
// eye but read by screen readers (MathJax's assistive MathML). The glyphs a
// page uses are defined once, in its "cache" (a hidden <svg> to put at the
// start of the page's body), and referenced by each equation.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

// The TeX packages of MathJax's browser build, but an undefined macro or a
// TeX error is an error here (it fails the build) rather than red text.
const PACKAGES = AllPackages.filter((name) => !["noerrors", "noundefined"].includes(name));

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const svg = new SVG({ fontCache: "global" });
const document = mathjax.document("", {
  InputJax: new TeX({ packages: PACKAGES }),
  OutputJax: svg,
});

const input = JSON.parse(readFileSync(0, "utf-8"));
const errors = [];
const pages = input.pages.map((equations, index) => {
  svg.fontCache.clearCache();
  const math = equations.map(({ tex, display }) => {
    const node = document.convert(tex, { display });
    const html = adaptor.outerHTML(node);
    const error = /data-mjx-error="([^"]*)"/.exec(html);
    if (error) {
      errors.push(`page ${index}: ${error[1]} in ${JSON.stringify(tex.slice(0, 120))}`);
    }
    return html;
  });
  const cache =
    '<svg id="MJX-SVG-global-cache" style="display: none" aria-hidden="true" ' +
    'xmlns="http://www.w3.org/2000/svg">' +
    adaptor.outerHTML(svg.fontCache.getCache()) +
    "</svg>";
  return { math, cache: math.length ? cache : "" };
});
const css = adaptor.textContent(svg.styleSheet(document));
process.stdout.write(JSON.stringify({ css, pages, errors }));
