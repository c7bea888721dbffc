"""How the book's extension reports patches whose target is missing
(ext/book_web/patches.py): every failure of a build, on every page, named
by patch and page, together at the end; and a page of an earlier build
goes through the patches again unchanged."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "ext"))
import book_web  # noqa: E402
from book_web import patches, theme_scripts  # noqa: E402

THEME_CSS = '<link href="{s}styles/pydata-sphinx-theme.css?digest=1" rel="stylesheet" />'
# A page of the pinned themes, cut down to every patch's target.
FULL_PAGE = (
    "<html><head>\n"
    '<link href="{s}styles/theme.css?digest=1" rel="stylesheet" />\n' + THEME_CSS + "\n"
    '<link rel="preload" as="script" href="{s}scripts/bootstrap.js?digest=1" />\n'
    '<link rel="preload" as="script" href="{s}scripts/pydata-sphinx-theme.js?digest=1" />\n'
    '<script defer src="{s}scripts/fontawesome.js?digest=1"></script>\n'
    f"<script>{theme_scripts.THEME_AUTO}</script>\n"
    '<script src="{s}searchtools.js"></script>\n'
    '<script src="{s}language_data.js"></script>\n'
    '<script defer="defer" src="{s}clipboard.min.js?v=a7894cd8"></script>\n'
    '<script defer="defer" src="{s}copybutton.js?v=f281be69"></script>\n'
    '<script defer="defer" src="{s}scripts/sphinx-book-theme.js?v=fab101a9"></script>\n'
    '<script src="../searchindex.js"></script>\n'
    '</head><body><header id="pst-header" class="bd-header">\n'
    '  <button class="pst-navbar-icon sidebar-toggle primary-toggle" aria-label="Site navigation">'
    '\n    <span class="fa-solid fa-bars"></span>\n  </button>\n'
    '<button class="btn search-button-field search-button__button" title="Search"'
    ' aria-label="Search">Search</button>\n'
    '    <button class="pst-navbar-icon sidebar-toggle secondary-toggle" aria-label="On this page">'
    '\n      <span class="fa-solid fa-outdent"></span>\n    </button>\n</header>\n'
    '<li><a class="reference internal" href="api.html">15. API reference</a>'
    '<details><summary><span class="toctree-toggle" role="presentation"></span></summary>'
    "</details></li>\n"
    '<details><summary aria-label="Toggle hidden content">Show code cell output</summary>'
    "</details>\n"
    '<script defer src="{s}scripts/bootstrap.js?digest=1"></script>\n'
    '<script defer src="{s}scripts/pydata-sphinx-theme.js?digest=1"></script>\n'
    "</body></html>"
).replace("{s}", "../_static/")


class FakeApp(SimpleNamespace):
    """As much of a Sphinx application as the rooms' setup uses."""

    def __init__(self, out: Path) -> None:
        super().__init__(outdir=str(out), srcdir=str(ROOT), handlers=[])

    def connect(self, event: str, handler: Any, priority: int = 500) -> None:
        self.handlers.append((event, handler, priority))

    def add_js_file(self, *args: Any, **kwargs: Any) -> None:
        pass

    def add_config_value(self, *args: Any, **kwargs: Any) -> None:
        pass


def _book(tmp_path: Path, pages: dict[str, str]) -> FakeApp:
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    app = FakeApp(tmp_path)
    book_web.setup(app)
    return app


def test_a_page_of_the_pinned_themes_meets_every_patch(tmp_path: Path) -> None:
    app = _book(tmp_path, {"book/ch.html": FULL_PAGE})
    patches.rewrite_pages(app, tmp_path)
    found = patches.problems(app).found
    # The only ones: this page has no figure, no widget and no launch menu.
    assert [p.patch for p in found] == [
        "widget_state.STATE_TYPE",
        "images.IMG",
        "lite_launch.COLAB_ITEM",
    ], found
    page = (tmp_path / "book" / "ch.html").read_text(encoding="utf-8")
    assert "theme-loader.js" in page and "fontawesome.js" not in page
    assert "searchtools.js" not in page and 'aria-label="Search"' not in page


def test_every_missing_target_is_reported_by_patch_and_page_at_the_end(tmp_path: Path) -> None:
    """Two pages of a theme whose markup moved: the build goes on through
    every page and every patch, and fails at its end with all of them,
    each named by its patch and its pages."""
    bare = "<html><head>" + THEME_CSS.replace("{s}", "../_static/") + "</head><body></body></html>"
    app = _book(tmp_path, {"book/a.html": bare, "book/b.html": bare})
    patches.rewrite_pages(app, tmp_path)
    found = patches.problems(app).found
    per_page = {
        "icon_fonts.FONTAWESOME_JS",
        "theme_scripts.THEME_PRELOADS",
        "theme_scripts.THEME_AUTO",
        "theme_scripts.THEME_SCRIPT_TAGS",
        "theme_a11y.SEARCH_LABEL",
        "theme_a11y.HIDDEN_SIDEBAR_TOGGLES",
        "purge_css.THEME_CSS",
        "search.SEARCH_SCRIPTS",
        "search.HEADER",
    }
    for name in ("book/a.html", "book/b.html"):
        assert {p.patch for p in found if p.page == name} == per_page
    somewhere = {p.patch for p in found if p.page == "(every page)"}
    assert somewhere == {
        "theme_a11y.TOGGLE_LABEL",
        "theme_a11y.NAV_TOGGLE",
        "images.IMG",
        "widget_state.STATE_TYPE",
        "lite_launch.COLAB_ITEM",
    }
    fail = [h for event, h, _ in app.handlers if h is patches.fail_on_problems]
    with pytest.raises(ExtensionError) as error:
        fail[0](app, None)
    report = str(error.value)
    for patch in per_page | somewhere:
        assert f"  {patch} on " in report, report
    assert "search.SEARCH_SCRIPTS on book/a.html, book/b.html: " in report
    assert report.startswith("14 patch failure(s) of ext/book_web (docs/upgrading.md):")


def test_a_page_left_from_an_earlier_build_is_rewritten_alike(tmp_path: Path) -> None:
    """An incremental build writes only the pages that changed; the pages of
    the earlier build, already rewritten, go through the patches again and
    come out unchanged, with no problem reported for the targets they lost."""
    app = _book(tmp_path, {"book/ch.html": FULL_PAGE})
    patches.rewrite_pages(app, tmp_path)
    once = (tmp_path / "book" / "ch.html").read_text(encoding="utf-8")
    again = _book(tmp_path, {})
    patches.rewrite_pages(again, tmp_path)
    assert (tmp_path / "book" / "ch.html").read_text(encoding="utf-8") == once
    assert patches.problems(again).found == []


def test_the_steps_after_the_build_run_in_order(tmp_path: Path) -> None:
    app = _book(tmp_path, {})
    steps = [order for order, _ in sorted(patches.build(app).steps, key=lambda s: s[0])]
    assert steps == sorted(steps) and steps[0] == patches.TYPESET and steps[-1] == patches.ICONS
    handlers = [(event, priority) for event, _, priority in app.handlers]
    assert ("build-finished", 500) in handlers and ("build-finished", 999) in handlers
