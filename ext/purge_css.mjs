// The theme's stylesheets without the rules that no page of the book uses.
// Called by ext/book_web.py after the Sphinx build; PurgeCSS is pinned in
// package-lock.json.
//
// Reads JSON from stdin: {"css": [paths], "content": [paths]} and rewrites
// each stylesheet in place, keeping a rule when a class, id or tag of its
// selectors occurs in the content: every page of the built book and every
// script the pages run (the theme's, Bootstrap's, Sphinx's), so classes
// that scripts add (a dropdown's "show", a toggled "active") are kept.
// Prints {"kept": {path: [bytes before, bytes after]}}.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const { css, content } = JSON.parse(readFileSync(0, "utf-8"));
const result = await new PurgeCSS().purge({
  content,
  css,
  // Web fonts, animations and custom properties are kept whole.
  fontFace: false,
  keyframes: false,
  variables: false,
  safelist: {
    standard: [
      // Bootstrap's components build some class names at run time.
      /^bs-/,
      /tooltip/,
      /popover/,
      /dropdown/,
      /^show/,
      /collaps/,
      /modal/,
      /offcanvas/,
      /^fade/,
      /active/,
      /disabled/,
      // The widgets are drawn by the widget manager, not by the page.
      /^jp-/,
      /^lm-/,
      /^p-/,
      /widget/,
      /jupyter/,
      // Elements the widgets and MathJax add, for the theme's styles of them.
      ...["button", "input", "select", "option", "optgroup", "textarea", "label"],
      ...["fieldset", "legend", "progress", "img", "svg", "canvas", "audio", "video"],
      ...["table", "thead", "tbody", "tr", "th", "td", "caption", "code", "pre", "kbd"],
    ],
  },
});
const kept = {};
for (const { file, css: purged } of result) {
  const before = statSync(file).size;
  writeFileSync(file, purged);
  kept[file] = [before, Buffer.byteLength(purged)];
}
process.stdout.write(JSON.stringify({ kept }));
