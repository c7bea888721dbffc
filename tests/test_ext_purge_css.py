"""The purge_css room of the book's extension (ext/book_web/purge_css.py and
ext/purge_css.mjs): unused theme rules go, and a safelist entry that no
longer matches any selector is reported."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "ext"))
from book_web import patches, purge_css  # noqa: E402
from book_web.patches import Page, Problems  # noqa: E402

# A name for every entry of the safelist in ext/purge_css.mjs.
SAFE = (
    ".bs-x,.tooltip,.popover,.dropdown,.show,.collapse,.modal,.offcanvas,.fade,.active,"
    ".disabled,.jp-x,.lm-x,.p-x,.widget,.jupyter,button,input,select,optgroup,textarea,"
    "label,fieldset,legend,progress,img,svg,video,table,thead,tbody,tr,th,td,caption,code,"
    "pre,kbd{color:red}"
)


def _needs_node() -> None:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "purgecss").is_dir():
        message = "needs Node.js and node_modules/purgecss (`make vendor`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _book(tmp_path: Path, css: str) -> Path:
    out = tmp_path / "html"
    (out / "_static" / "styles").mkdir(parents=True)
    (out / "_static" / "styles" / "theme-x.css").write_text(css, encoding="utf-8")
    (out / "_static" / "book.css").write_text(".mine{color:red}", encoding="utf-8")
    (out / "page.html").write_text('<p class="used">text</p>', encoding="utf-8")
    return out


def test_unused_rules_go_and_the_book_css_stays(tmp_path: Path) -> None:
    _needs_node()
    out = _book(tmp_path, SAFE + ".used{color:blue}.unused{color:green}")
    assert purge_css.purge_styles(out, ROOT) == []
    purged = (out / "_static" / "styles" / "theme-x.css").read_text(encoding="utf-8")
    assert ".used" in purged and ".unused" not in purged and ".offcanvas" in purged
    assert (out / "_static" / "book.css").read_text(encoding="utf-8") == ".mine{color:red}"


def test_a_safelist_entry_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    """After an upgrade, a class the safelist kept may have been renamed: the
    entry then matches no selector, and the build says which."""
    _needs_node()
    out = _book(tmp_path, SAFE.replace(".offcanvas,", ".drawer,").replace(",kbd", ""))
    assert purge_css.purge_styles(out, ROOT) == ["/offcanvas/", "kbd"]
    app = SimpleNamespace(srcdir=str(ROOT))
    purge_css.purge(app, _book(tmp_path / "again", ".drawer{}"))
    found = patches.problems(app).found
    assert {p.patch for p in found} == {"purge_css.SAFELIST"}
    assert any("/offcanvas/ matches no selector" in p.message for p in found)


def test_a_page_without_the_theme_css_link_is_reported() -> None:
    problems = Problems()
    page = Page(name="book/ch.html", theme=True, fresh=True, search=False)
    link = '<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />'
    assert purge_css.basic_css(link, page, problems) == (
        '<link href="../_static/basic.css" rel="stylesheet" />'
    )
    purge_css.basic_css("<head></head>", page, problems)
    assert [(p.patch, p.page) for p in problems.found] == [("purge_css.THEME_CSS", "book/ch.html")]
