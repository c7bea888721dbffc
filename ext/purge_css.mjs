// The theme's stylesheets without the rules that no page of the book uses.
// Called by ext/book_web/purge_css.py after the Sphinx build; PurgeCSS is pinned in
// package-lock.json.
//
// Reads JSON from stdin: {"css": [paths], "content": [paths]} and rewrites
// each stylesheet in place, keeping a rule when a class, id or tag of its
// selectors occurs in the content: every page of the built book and every
// script the pages run (the theme's, Bootstrap's, Sphinx's), so classes
// that scripts add (a dropdown's "show", a toggled "active") are kept.
// Prints {"kept": {path: [bytes before, bytes after]},
//         "unused_safelist": [entries that match no selector of the css]}:
// an entry that no longer matches anything guards nothing, which after an
// upgrade means a class it kept has been renamed (ext/book_web/purge_css.py
// fails the build with it).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const { css, content } = JSON.parse(readFileSync(0, "utf-8"));
const SAFELIST = [
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
  // Elements the widgets and MathJax add, for the theme's styles of them
  // (only those some rule of the pinned themes styles: every entry must match).
  ...["button", "input", "select", "optgroup", "textarea", "label"],
  ...["fieldset", "legend", "progress", "img", "svg", "video"],
  ...["table", "thead", "tbody", "tr", "th", "td", "caption", "code", "pre", "kbd"],
];

// The names (classes, ids, elements, attributes) in the selectors of the
// stylesheets, before they are purged, as PurgeCSS matches a safelist
// entry against them: a regular expression anywhere in a name, a string
// the whole name.
const names = new Set();
for (const file of css) {
  const text = readFileSync(file, "utf-8").replace(/\/\*[\s\S]*?\*\//g, "");
  for (const [, selector] of text.matchAll(/([^{};]+)\{/g)) {
    if (selector.trim().startsWith("@")) continue;
    for (const [name] of selector.matchAll(/[A-Za-z_][\w-]*/g)) names.add(name);
  }
}
const unused = SAFELIST.filter((entry) =>
  entry instanceof RegExp ? ![...names].some((name) => entry.test(name)) : !names.has(entry),
).map(String);

const result = await new PurgeCSS().purge({
  content,
  css,
  // Web fonts, animations and custom properties are kept whole.
  fontFace: false,
  keyframes: false,
  variables: false,
  safelist: { standard: SAFELIST },
});
const kept = {};
for (const { file, css: purged } of result) {
  const before = statSync(file).size;
  writeFileSync(file, purged);
  kept[file] = [before, Buffer.byteLength(purged)];
}
process.stdout.write(JSON.stringify({ kept, unused_safelist: unused }));
