"""The search: its scripts only on search.html, one search box on a desktop.

Changes:
- SEARCH_SCRIPTS: pydata-sphinx-theme writes Sphinx's search scripts and
  index into every page's head, for its search-as-you-type, which the book
  leaves off (DOCUMENTATION_OPTIONS.search_as_you_type is false): the search
  box opens search.html, which loads them itself. Other pages lose them.
- The desktop header: pydata-sphinx-theme's header (#pst-header), which
  sphinx-book-theme shows on wide screens only, holds nothing but a second
  search box above the sidebar's own, once the theme_a11y room has taken out
  its hidden sidebar toggles. static/book.css hides it from 992 px (the
  width from which the sidebar shows); on a phone it stays as it is.
  HEADER checks that it still holds nothing else, so that hiding it hides
  no other control.

Why: a search index (hundreds of kilobytes) on every page for a feature the
book does not use, and two search boxes, one above the other.

Depends on: pydata-sphinx-theme 0.17.1 (the script tags of its layout and
its header's markup and breakpoint, Bootstrap's lg: 992 px), with
sphinx-book-theme 1.3.0 and the theme_a11y room's HIDDEN_SIDEBAR_TOGGLES.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

from .patches import Page, Problems, TargetMissingError, page_patch, substitute

SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)">'
    r"</script>"
)
HEADER = re.compile(r'<header id="pst-header"[^>]*>(?P<inside>.*?)</header>', re.S)
SEARCH_BUTTON = re.compile(r'<button class="btn search-button-field[^"]*"[^>]*>.*?</button>', re.S)
# What a reader could use, were it left in the header book.css hides.
CONTROL = re.compile(r"<(?:a|button|input|select|textarea|form|nav|details)\b")


def search_scripts(text: str, page: Page, problems: Problems) -> str:
    if page.search:
        return text
    return substitute(
        text,
        page,
        problems,
        "search.SEARCH_SCRIPTS",
        SEARCH_SCRIPTS,
        "",
        "the theme's search script tags (SEARCH_SCRIPTS)",
        needed=True,
    )


def header_holds_only_search(text: str, page: Page, problems: Problems) -> str:
    """Check (and change nothing) that the header static/book.css hides on a
    desktop holds only search buttons."""
    if not page.theme:
        return text
    header = HEADER.search(text)
    if header is None:
        raise TargetMissingError(
            'no <header id="pst-header">: update HEADER in search.py and the rule in '
            "static/book.css that hides it on a desktop"
        )
    inside = SEARCH_BUTTON.sub("", header["inside"])
    others = CONTROL.findall(inside)
    if len(inside) == len(header["inside"]) or others:
        raise TargetMissingError(
            f"the header holds {others or 'no search button'}, not only search buttons, "
            "and static/book.css hides it on a desktop: update HEADER in search.py and "
            "that rule"
        )
    return text


def setup(app: Sphinx) -> None:
    page_patch(app, "search.SEARCH_SCRIPTS", search_scripts)
    page_patch(app, "search.HEADER", header_holds_only_search)
