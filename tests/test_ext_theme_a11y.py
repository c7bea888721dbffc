"""The theme_a11y room of the book's extension (ext/book_web/theme_a11y.py):
accessibility patches to the themes' HTML, each reported by name when its
target is missing."""

from __future__ import annotations

import pytest
from book_web import theme_a11y
from book_web.patches import Page, Problems, TargetMissingError

PAGE = Page(name="book/ch.html", theme=True, fresh=True, search=False)
CHEVRON = '<span class="toctree-toggle" role="presentation"><i></i></span></summary>'
NAV = (
    '<li><a class="reference internal" href="api.html">15. API reference</a>'
    f"<details><summary>{CHEVRON}<ul></ul></details></li>\n"
    '<li><a class="current reference internal" href="#">15. API reference</a>'
    f'<details open="open"><summary>{CHEVRON}<ul></ul></details></li>'
)
TOGGLES = (
    '\n  <button class="pst-navbar-icon sidebar-toggle primary-toggle"'
    ' aria-label="Site navigation">'
    '\n    <span class="fa-solid fa-bars"></span>\n  </button>'
)


def test_navigation_folds_are_named_after_their_page() -> None:
    """The site navigation's fold of a page with pages under it, which holds
    only a decorative chevron, is named after that page (its number left
    out, its quotes escaped), on the page itself and on the others."""
    named, count = theme_a11y.name_nav_toggles(NAV)
    assert count == 2
    assert named.count('<summary aria-label="Pages of API reference">') == 2, named
    assert "<summary><span" not in named
    quoted, _ = theme_a11y.name_nav_toggles(NAV.replace("API reference", '"Odds" &amp; ends'))
    assert '<summary aria-label="Pages of &quot;Odds&quot; &amp; ends">' in quoted, quoted


def test_a_fold_left_without_a_name_is_reported() -> None:
    problems = Problems()
    moved = NAV.replace('class="reference internal"', 'class="internal"')
    with pytest.raises(TargetMissingError, match="update NAV_TOGGLE"):
        theme_a11y.nav_toggles(moved, PAGE, problems)


def test_the_patches_apply_and_report_their_missing_targets_by_name() -> None:
    problems = Problems()
    button = f'<button class="btn" {theme_a11y.SEARCH_LABEL}>Search</button>'
    assert 'aria-label="Search"' not in theme_a11y.search_label(button, PAGE, problems)
    assert theme_a11y.sidebar_toggles(f"<header>{TOGGLES}</header>", PAGE, problems) == (
        "<header></header>"
    )
    folded = theme_a11y.toggle_label(theme_a11y.TOGGLE_LABEL, PAGE, problems)
    assert folded == "<summary>"
    assert problems.found == []
    for patch in (theme_a11y.search_label, theme_a11y.sidebar_toggles):
        patch("<body></body>", PAGE, problems)
    theme_a11y.toggle_label("<body></body>", PAGE, problems)  # only some pages have one
    assert [p.patch for p in problems.found] == [
        "theme_a11y.SEARCH_LABEL",
        "theme_a11y.HIDDEN_SIDEBAR_TOGGLES",
    ]
    assert all(p.page == "book/ch.html" for p in problems.found)
