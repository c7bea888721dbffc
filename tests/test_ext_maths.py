"""The maths room of the book's extension (ext/book_web/maths.py): every
equation typeset at build time, without building the book."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "ext"))
from book_web import maths  # noqa: E402

MATH_SPAN = '<span class="math notranslate nohighlight">'
PAGE = (
    '<html><head><title>t</title>\n</head><body class="x"><p>Inline '
    + MATH_SPAN
    + "\\(a &lt; b_{k}\\)</span>.</p>\n"
    + """<div class="math notranslate nohighlight" id="eq-4">
\\[
\\delta_k = (a_k - t_k)\\, g'(z_k) \\tag{4}
\\]</div>
<div class="math notranslate nohighlight">
<span class="eqno">(2)<a class="headerlink" href="#eq2" title="Link">#</a></span>
\\[E = \\tfrac12 x^2\\]</div>
<div class="amsmath math notranslate nohighlight">
\\begin{align}
x &amp;= 1 \\\\ y &amp;= 2
\\end{align}</div>
<pre>print(r"\\(kept\\)")</pre>
</body></html>
"""
)


def test_equations_are_found_with_their_tex() -> None:
    found = maths.equations(PAGE)
    assert found == [
        {"tex": "a < b_{k}", "display": False},
        {"tex": "\\delta_k = (a_k - t_k)\\, g'(z_k) \\tag{4}", "display": True},
        {"tex": "E = \\tfrac12 x^2", "display": True},
        {"tex": "\\begin{align}\nx &= 1 \\\\ y &= 2\n\\end{align}", "display": True},
    ]


def test_equations_are_put_back_in_place() -> None:
    rendered = [f"<mjx-container>{n}</mjx-container>" for n in range(4)]
    page = maths.put_equations(PAGE, rendered, '<svg id="cache"></svg>', "mjx{x:1}")
    assert maths.equations(page) == []  # nothing left to typeset: idempotent
    assert '<body class="x"><svg id="cache"></svg><p>' in page
    assert "<style>mjx{x:1}</style>\n</head>" in page
    assert '<div class="math notranslate nohighlight" id="eq-4">\n<mjx-container>1' in page
    assert '(2)<a class="headerlink" href="#eq2" title="Link">#</a></span><mjx-container>2' in page
    assert '<pre>print(r"\\(kept\\)")</pre>' in page


def _typeset(tmp_path: Path, text: str) -> str:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "mathjax-full").is_dir():
        message = "needs Node.js and node_modules/mathjax-full (`make vendor`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    page = tmp_path / "book" / "page.html"
    page.parent.mkdir(exist_ok=True)
    page.write_text(text, encoding="utf-8")
    maths.typeset_equations([page], tmp_path, ROOT)
    return page.read_text(encoding="utf-8")


def test_typeset_equations_draw_svg_and_keep_mathml(tmp_path: Path) -> None:
    """Node and mathjax-full turn the TeX into SVG whose glyphs the page
    defines, with MathML for screen readers, and no TeX left to show."""
    page = _typeset(tmp_path, PAGE)
    assert maths.equations(page) == []
    assert page.count('<mjx-container class="MathJax" jax="SVG"') == 4
    assert page.count('display="true"') >= 3
    assert page.count("<mjx-assistive-mml") == 4
    assert "<mi>δ</mi>" in page and "<mtext>(4)</mtext>" in page  # MathML, with the tag
    used = set(re.findall(r'xlink:href="#([^"]+)"', page))
    defined = set(re.findall(r'<path id="([^"]+)"', page))
    assert used and used <= defined, f"glyphs used but not defined: {used - defined}"
    assert page.index('id="MJX-SVG-global-cache"') < page.index("<p>Inline")
    assert "mjx-assistive-mml" in page[: page.index("</head>")]  # its styles
    assert "\\(a" not in page and "\\[" not in page and "\\begin{align}" not in page
    assert '<pre>print(r"\\(kept\\)")</pre>' in page


def test_a_tex_error_fails_the_build_naming_the_page(tmp_path: Path) -> None:
    broken = f"<html><head></head><body>{MATH_SPAN}\\(\\frac{{a\\)</span></body></html>"
    with pytest.raises(ExtensionError, match=r"book/page\.html: .*\\frac\{a"):
        _typeset(tmp_path, broken)
    undefined = f"<html><head></head><body>{MATH_SPAN}\\(\\nosuchmacro x\\)</span></body></html>"
    with pytest.raises(ExtensionError, match=r"book/page\.html: Undefined control sequence"):
        _typeset(tmp_path, undefined)
