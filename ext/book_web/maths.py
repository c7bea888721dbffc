"""Equations typeset when the book is built, and no MathJax in the pages.

Changes: takes MathJax and its configuration out of every page's scripts
(:func:`no_mathjax`), and after the build typesets every equation of every
page as SVG with MathJax's assistive MathML for screen readers, in place
(:func:`typeset_equations`, one run of ext/typeset_math.mjs with Node.js):
the glyphs a page uses are defined once at the start of its body, the
styles they need go in its head.

Why: a page needs no MathJax (about 1 MB of JavaScript) to show its maths,
and nothing moves when it is drawn.

Depends on: how Sphinx 7.4 writes maths (MATH: inline ``\\(...\\)`` in a
span.math, display equations in a div.math or div.amsmath.math, after the
number's span.eqno); sphinx.ext.mathjax adding ``mathjax_path`` and an
inline ``window.MathJax`` configuration at priority 500; mathjax-full 3.2.2
(package-lock.json). A TeX error fails the build, naming the page.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from ._node import EXT, run_node
from .patches import TYPESET, after_build, pages_of

TYPESET_SCRIPT = EXT / "typeset_math.mjs"
# Sphinx writes inline maths as \(...\) in a span.math and each display
# equation in its own div.math (div.amsmath.math for an environment such as
# equation* or align): \[...\], or a bare environment, after the equation
# number's span.eqno if it has one.
MATH = re.compile(
    r'(?P<open><span class="math notranslate nohighlight">)\\\((?P<inline>.*?)\\\)</span>'
    r'|(?P<div><div class="(?:amsmath )?math notranslate nohighlight"[^>]*>)'
    r'(?P<eqno>\s*(?:<span class="eqno">.*?</span>)?)(?P<display>.*?)</div>',
    re.S,
)
BRACKETS = re.compile(r"\s*\\\[(.*)\\\]\s*", re.S)


def no_mathjax(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Take MathJax and its configuration out of the page: its equations are
    typeset when the build finishes (:func:`typeset_equations`)."""
    scripts = context.get("script_files")
    if scripts:
        scripts[:] = [
            js
            for js in scripts
            if not str(js.filename).endswith(app.config.mathjax_path)
            and not js.attributes.get("body", "").startswith("window.MathJax")
        ]


def equations(text: str) -> list[dict[str, Any]]:
    """The page's equations not typeset yet, in order: TeX and display or not."""
    found = []
    for match in MATH.finditer(text):
        if match["open"]:
            found.append({"tex": html_lib.unescape(match["inline"]), "display": False})
        elif "<mjx-container" not in match["display"]:
            bare = BRACKETS.fullmatch(match["display"])
            tex = bare.group(1) if bare else match["display"]
            found.append({"tex": html_lib.unescape(tex.strip()), "display": True})
    return found


def put_equations(text: str, rendered: list[str], cache: str, css: str) -> str:
    """The page with each equation of :func:`equations` swapped for its
    rendering, the glyphs' definitions at the start of the body and the
    styles in the head."""
    pending = iter(rendered)

    def swap(match: re.Match[str]) -> str:
        if match["open"]:
            return f"{match['open']}{next(pending)}</span>"
        if "<mjx-container" in match["display"]:
            return match.group(0)
        return f"{match['div']}{match['eqno']}{next(pending)}</div>"

    text = MATH.sub(swap, text)
    text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + cache, text, count=1)
    return text.replace("</head>", f"<style>{css}</style>\n</head>", 1)


def typeset_equations(pages: list[Path], out: Path, root: Path) -> None:
    """Every equation of the HTML ``pages`` (in the output folder ``out``)
    typeset as SVG with assistive MathML, in place, by one run of
    ext/typeset_math.mjs with Node.js and the mathjax-full of
    ``root``/node_modules. A TeX error fails the build, naming the page."""
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    todo = {page: found for page, text in texts.items() if (found := equations(text))}
    if not todo:
        return
    result = run_node(TYPESET_SCRIPT, {"pages": list(todo.values())}, root)
    names = [page.relative_to(out).as_posix() for page in todo]
    if result["errors"]:
        errors = [re.sub(r"^page (\d+)", lambda m: names[int(m[1])], e) for e in result["errors"]]
        raise ExtensionError("TeX errors in the equations:\n  " + "\n  ".join(errors))
    for page, typeset in zip(todo, result["pages"], strict=True):
        text = put_equations(texts[page], typeset["math"], typeset["cache"], result["css"])
        page.write_text(text, encoding="utf-8")


def typeset_book(app: Sphinx, out: Path) -> None:
    typeset_equations(pages_of(out), out, Path(app.srcdir))


def setup(app: Sphinx) -> None:
    # After sphinx.ext.mathjax has added MathJax (priority 500).
    app.connect("html-page-context", no_mathjax, priority=900)
    after_build(app, TYPESET, typeset_book)
