"""The book's Sphinx extension (ext/book_web.py), without building the book."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from pathlib import Path

import fontTools.ttLib
import ipywidgets as w
import numpy as np
import PIL.Image
import pydata_sphinx_theme
import pytest
from sphinx.errors import ExtensionError

from backprop.book.widgets import kernel_note, needs_kernel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "ext"))
import book_web  # noqa: E402


def test_static_page_disables_live_controls_and_says_why() -> None:
    slider = w.FloatSlider(description="noise")
    button = w.Button(description="Preset")
    outside = w.Dropdown(options=["a", "b"], description="elsewhere")
    panel = needs_kernel(w.VBox([kernel_note(), w.HBox([slider, button])]))
    state = {"state": w.Widget.get_manager_state(drop_defaults=True)["state"]}
    try:
        book_web._disable_live_controls(state)
        models = state["state"]
        assert models[slider.model_id]["state"]["disabled"] is True
        assert models[button.model_id]["state"]["disabled"] is True
        assert "disabled" not in models[outside.model_id]["state"]  # not live-only: untouched
        note = models[panel.children[0].model_id]["state"]["value"]
        assert "need a running Python kernel" in note
    finally:
        w.Widget.close_all()


def test_webp_keeps_every_pixel() -> None:
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 4, size=(40, 60, 3), dtype=np.uint8) * 60  # a few flat colours
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels).save(buffer, format="png")
    webp = book_web.smaller_webp(buffer.getvalue())
    assert webp is not None and len(webp) < len(buffer.getvalue())
    back = np.asarray(PIL.Image.open(io.BytesIO(webp)).convert("RGB"))
    np.testing.assert_array_equal(back, pixels)


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
    found = book_web._equations(PAGE)
    assert found == [
        {"tex": "a < b_{k}", "display": False},
        {"tex": "\\delta_k = (a_k - t_k)\\, g'(z_k) \\tag{4}", "display": True},
        {"tex": "E = \\tfrac12 x^2", "display": True},
        {"tex": "\\begin{align}\nx &= 1 \\\\ y &= 2\n\\end{align}", "display": True},
    ]


def test_equations_are_put_back_in_place() -> None:
    rendered = [f"<mjx-container>{n}</mjx-container>" for n in range(4)]
    page = book_web._put_equations(PAGE, rendered, '<svg id="cache"></svg>', "mjx{x:1}")
    assert book_web._equations(page) == []  # nothing left to typeset: idempotent
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
    book_web.typeset_equations([page], tmp_path, ROOT)
    return page.read_text(encoding="utf-8")


def test_typeset_equations_draw_svg_and_keep_mathml(tmp_path: Path) -> None:
    """Node and mathjax-full turn the TeX into SVG whose glyphs the page
    defines, with MathML for screen readers, and no TeX left to show."""
    page = _typeset(tmp_path, PAGE)
    assert book_web._equations(page) == []
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


THEME_STATIC = (
    Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
)


def test_the_theme_tab_stop_pass_is_taken_out_once(tmp_path: Path) -> None:
    """The pinned theme's script has the load-time tab-stop function that
    static/tab-stops.js replaces; it is emptied, once, and a script without
    it fails the build instead of being left as it is."""
    script = tmp_path / "pydata-sphinx-theme.js"
    shutil.copy(THEME_STATIC / "scripts" / "pydata-sphinx-theme.js", script)
    original = script.read_text(encoding="utf-8")
    assert "scrollWidth>" in original
    book_web.drop_theme_tab_stops(script)
    dropped = script.read_text(encoding="utf-8")
    assert "scrollWidth>" not in dropped and book_web.TAB_STOPS_MOVED in dropped
    assert len(original) - len(dropped) < 600  # that function and nothing else
    book_web.drop_theme_tab_stops(script)  # a second build: nothing to do
    assert script.read_text(encoding="utf-8") == dropped
    script.write_text("function I(){}", encoding="utf-8")
    with pytest.raises(ExtensionError, match="tab-stop function was not found"):
        book_web.drop_theme_tab_stops(script)


def test_icon_fonts_keep_only_the_icons_the_styles_draw(tmp_path: Path) -> None:
    fonts = tmp_path / book_web.ICON_FONTS
    shutil.copytree(THEME_STATIC / "vendor" / "fontawesome" / "webfonts", fonts)
    css = tmp_path / "styles" / "theme.css"
    css.parent.mkdir()
    face = (
        "@font-face{font-family:x;src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) "
        'format("woff2"),url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}'
    )
    css.write_text(face + '.fa-bars:before{content:"\\f0c9"}:root{--icon:"\uf002"}', "utf-8")
    book_web.subset_icon_fonts(tmp_path, [css])
    assert sorted(p.name for p in fonts.iterdir()) == [
        "fa-brands-400.woff",
        "fa-regular-400.woff",
        "fa-solid-900.woff",
    ]
    solid = fontTools.ttLib.TTFont(fonts / "fa-solid-900.woff")
    assert set(solid.getBestCmap()) == {0xF0C9, 0xF002}  # bars, magnifying glass
    assert solid.flavor == "woff"
    assert 'src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff) format("woff")}' in (
        css.read_text(encoding="utf-8")
    )


def test_the_theme_scripts_wait_for_the_reader(tmp_path: Path) -> None:
    """The theme's two script tags, and those of sphinx-book-theme.js and the
    copy buttons from the head, become the loader's, which names them in the
    order they must run; without one of the later three the build fails; the
    pinned theme's scripts pass the check, and a changed one fails the build."""
    head = (
        '<head>\n<script defer="defer" src="../_static/clipboard.min.js?v=a7894cd8"></script>\n'
        '<script defer="defer" src="../_static/copybutton.js?v=f281be69"></script>\n'
        '<script defer="defer" src="../_static/scripts/sphinx-book-theme.js?v=fab101a9">'
        "</script>\n</head>"
    )
    tags = (
        '<script defer src="../_static/scripts/bootstrap.js?digest=55c26ed4"></script>\n'
        '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=55c26ed4"></script>'
    )
    page = book_web._theme_on_demand(f"{head}<body><p>text</p>\n{tags}\n</body>", "1a2b3c4d")
    assert page == (
        "<head>\n</head><body><p>text</p>\n"
        '<script defer src="../_static/theme-loader.js?v=1a2b3c4d"'
        ' data-scripts="../_static/scripts/bootstrap.js?digest=55c26ed4'
        " ../_static/scripts/pydata-sphinx-theme.js?digest=55c26ed4"
        " ../_static/scripts/sphinx-book-theme.js?v=fab101a9"
        " ../_static/clipboard.min.js?v=a7894cd8"
        ' ../_static/copybutton.js?v=f281be69"></script>\n</body>'
    )
    with pytest.raises(ExtensionError, match="update LATER_SCRIPT_TAGS"):
        book_web._theme_on_demand(f"<body><p>text</p>\n{tags}\n</body>", "1a2b3c4d")
    book_web.check_theme_scripts(THEME_STATIC / "scripts")
    scripts = tmp_path / "scripts"
    shutil.copytree(THEME_STATIC / "scripts", scripts)
    with (scripts / "pydata-sphinx-theme.js").open("a", encoding="utf-8") as script:
        script.write("\nwindow.addEventListener('load', () => {});\n")
    with pytest.raises(ExtensionError, match="pydata-sphinx-theme.js is not the one"):
        book_web.check_theme_scripts(scripts)


def test_navigation_folds_are_named_after_their_page() -> None:
    """The site navigation's fold of a page with pages under it, which holds
    only a decorative chevron, is named after that page (its number left
    out, its quotes escaped), on the page itself and on the others."""
    chevron = '<span class="toctree-toggle" role="presentation"><i></i></span></summary>'
    nav = (
        '<li><a class="reference internal" href="api.html">15. API reference</a>'
        f"<details><summary>{chevron}<ul></ul></details></li>\n"
        '<li><a class="current reference internal" href="#">15. API reference</a>'
        f'<details open="open"><summary>{chevron}<ul></ul></details></li>'
    )
    named = book_web._name_nav_toggles(nav)
    assert named.count('<summary aria-label="Pages of API reference">') == 2, named
    assert "<summary><span" not in named
    quoted = book_web._name_nav_toggles(nav.replace("API reference", '"Odds" &amp; ends'))
    assert '<summary aria-label="Pages of &quot;Odds&quot; &amp; ends">' in quoted, quoted


def test_a_page_left_from_an_earlier_build_is_rewritten_alike(tmp_path: Path) -> None:
    """An incremental build writes only the pages that changed; the pages of
    the earlier build, already rewritten, go through the rewrite again and
    come out unchanged (rather than fail the build)."""
    page = tmp_path / "page.html"
    page.write_text(
        '<head><link href="_static/styles/pydata-sphinx-theme.css?digest=1" rel="stylesheet">\n'
        f"<script>{book_web.THEME_AUTO}</script>\n"
        '<script defer="defer" src="_static/clipboard.min.js?v=a7894cd8"></script>\n'
        '<script defer="defer" src="_static/copybutton.js?v=f281be69"></script>\n'
        '<script defer="defer" src="_static/scripts/sphinx-book-theme.js?v=fab101a9"></script>'
        '</head><body><li><a class="reference internal" href="api.html">15. API reference</a>'
        '<details><summary><span class="toctree-toggle" role="presentation"></span></summary>'
        "</details></li>\n"
        '<script defer src="_static/scripts/bootstrap.js?digest=55c26ed4"></script>\n'
        '<script defer src="_static/scripts/pydata-sphinx-theme.js?digest=55c26ed4"></script>'
        "</body>",
        encoding="utf-8",
    )
    book_web._rewrite(page, tmp_path, {}, search_page=False, loader_version="1a2b3c4d")
    once = page.read_text(encoding="utf-8")
    assert "theme-loader.js" in once and "Pages of API reference" in once
    book_web._rewrite(page, tmp_path, {}, search_page=False, loader_version="1a2b3c4d")
    assert page.read_text(encoding="utf-8") == once
