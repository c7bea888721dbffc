"""The search room of the book's extension (ext/book_web/search.py): the
search scripts only on search.html, and a header that holds only a search."""

from __future__ import annotations

import pytest
from book_web import search
from book_web.patches import Page, Problems, TargetMissingError

PAGE = Page(name="book/ch.html", theme=True, fresh=True, search=False)
SCRIPTS = (
    '\n<script src="../_static/searchtools.js"></script>'
    '\n<script src="../_static/language_data.js"></script>'
    '\n<script src="../searchindex.js"></script>'
)
BUTTON = (
    '<button class="btn search-button-field search-button__button pst-js-only" title="Search">'
    '\n <i class="fa-solid fa-magnifying-glass"></i>\n</button>'
)
HEADER = (
    '<header id="pst-header" class="bd-header navbar">\n<div class="bd-header__inner">'
    f'<div class="navbar-item">{BUTTON}</div><div class="navbar-persistent--mobile">{BUTTON}'
    "</div></div>\n</header>"
)


def test_search_scripts_stay_only_on_the_search_page() -> None:
    problems = Problems()
    assert search.search_scripts(f"<head>{SCRIPTS}</head>", PAGE, problems) == "<head></head>"
    on_search = Page(name="search.html", theme=True, fresh=True, search=True)
    assert search.search_scripts(f"<head>{SCRIPTS}</head>", on_search, problems) == (
        f"<head>{SCRIPTS}</head>"
    )
    assert problems.found == []
    search.search_scripts("<head></head>", PAGE, problems)
    assert [(p.patch, p.page) for p in problems.found] == [
        ("search.SEARCH_SCRIPTS", "book/ch.html")
    ]


def test_the_header_hidden_on_a_desktop_holds_only_the_search() -> None:
    """book.css hides the theme's header on a desktop: that is checked to
    hide nothing but its search box."""
    problems = Problems()
    assert search.header_holds_only_search(HEADER, PAGE, problems) == HEADER
    with_link = HEADER.replace("</header>", '<a href="x.html">More</a></header>')
    with pytest.raises(TargetMissingError, match=r"holds \['<a'\], not only search buttons"):
        search.header_holds_only_search(with_link, PAGE, problems)
    with pytest.raises(TargetMissingError, match="no search button"):
        search.header_holds_only_search('<header id="pst-header"></header>', PAGE, problems)
    with pytest.raises(TargetMissingError, match='no <header id="pst-header">'):
        search.header_holds_only_search("<body></body>", PAGE, problems)
