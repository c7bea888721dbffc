"""Accessibility patches to the themes' HTML (one room: they match markup
that the pinned themes write, and no hook of Sphinx reaches it).

Changes, on every page of the theme:
- SEARCH_LABEL: the search button reads "Search Ctrl+K" but is named
  "Search"; without the aria-label its name is what it shows (axe
  label-content-name-mismatch);
- TOGGLE_LABEL: myst-nb's fold of a hidden output (tag hide-output) reads
  "Show code cell output" but is named "Toggle hidden content": the same cure;
- HIDDEN_SIDEBAR_TOGGLES: pydata-sphinx-theme's navbar holds sidebar toggles
  that sphinx-book-theme hides at every width, ahead of the article header's
  visible ones; both themes' scripts bind the first .primary-toggle and
  .secondary-toggle of the page, so the visible toggles did nothing. They go;
- NAV_TOGGLE: the site navigation's fold of a page with pages under it (the
  API reference) holds only a chevron the theme marks decorative, so it has
  no name; it is named "Pages of <that page's title>" (axe summary-name).

Depends on: pydata-sphinx-theme 0.17.1 (search button, navbar toggles,
navigation folds), sphinx-book-theme 1.3.0 (hides the navbar toggles),
myst-nb 1.4.0 (hidden output folds). Each pattern reports the page where a
page of the theme lacks it; TOGGLE_LABEL and NAV_TOGGLE, which only some
pages have, report a full build where no page has them.
"""

from __future__ import annotations

import html as html_lib
import re

from sphinx.application import Sphinx

from .patches import Page, Problems, TargetMissingError, page_patch, problems, substitute

SEARCH_LABEL = 'title="Search" aria-label="Search"'
TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'
HIDDEN_SIDEBAR_TOGGLES = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"'
    r' aria-label="[^"]*">\s*<span class="fa-solid fa-[a-z-]+"></span>\s*</button>'
)
NAV_TOGGLE = re.compile(
    r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">([^<]+)</a><details[^>]*>)'
    r'<summary>(?=<span class="toctree-toggle")'
)
UNNAMED_NAV_TOGGLE = '<summary><span class="toctree-toggle"'
NUMBER = re.compile(r"^[0-9.]+\s+")


def name_nav_toggles(text: str) -> tuple[str, int]:
    """Name each fold of the site navigation "Pages of <its page's title>";
    returns the page and how many folds were named."""

    def named(match: re.Match[str]) -> str:
        title = html_lib.escape(html_lib.unescape(NUMBER.sub("", match.group(2))))
        return f'{match.group(1)}<summary aria-label="Pages of {title}">'

    return NAV_TOGGLE.subn(named, text)


def search_label(text: str, page: Page, problems: Problems) -> str:
    return substitute(
        text,
        page,
        problems,
        "theme_a11y.SEARCH_LABEL",
        SEARCH_LABEL,
        'title="Search"',
        f"the search button's {SEARCH_LABEL}",
        needed=True,
    )


def toggle_label(text: str, page: Page, problems: Problems) -> str:
    return substitute(
        text,
        page,
        problems,
        "theme_a11y.TOGGLE_LABEL",
        TOGGLE_LABEL,
        "<summary>",
        TOGGLE_LABEL,
        needed=False,
    )


def sidebar_toggles(text: str, page: Page, problems: Problems) -> str:
    return substitute(
        text,
        page,
        problems,
        "theme_a11y.HIDDEN_SIDEBAR_TOGGLES",
        HIDDEN_SIDEBAR_TOGGLES,
        "",
        "the navbar's hidden sidebar toggle (HIDDEN_SIDEBAR_TOGGLES)",
        needed=True,
    )


def nav_toggles(text: str, page: Page, problems: Problems) -> str:
    if not page.theme:
        return text
    text, named = name_nav_toggles(text)
    if named or 'summary aria-label="Pages of ' in text:
        problems.saw("theme_a11y.NAV_TOGGLE")
    if UNNAMED_NAV_TOGGLE in text:
        raise TargetMissingError(
            "a fold of the site navigation was left without a name; update NAV_TOGGLE "
            "in theme_a11y.py for this version of the theme"
        )
    return text


def setup(app: Sphinx) -> None:
    page_patch(app, "theme_a11y.SEARCH_LABEL", search_label)
    page_patch(app, "theme_a11y.TOGGLE_LABEL", toggle_label)
    page_patch(app, "theme_a11y.HIDDEN_SIDEBAR_TOGGLES", sidebar_toggles)
    page_patch(app, "theme_a11y.NAV_TOGGLE", nav_toggles)
    found = problems(app)
    found.expect_somewhere(
        "theme_a11y.TOGGLE_LABEL",
        f"no hidden output's fold has {TOGGLE_LABEL}: update TOGGLE_LABEL in theme_a11y.py "
        "(or drop it if the book no longer hides outputs)",
    )
    found.expect_somewhere(
        "theme_a11y.NAV_TOGGLE",
        "no fold of the site navigation was found: update NAV_TOGGLE in theme_a11y.py "
        "(or drop it if no page of the book has pages under it)",
    )
