"""The book's Sphinx extension, in rooms: pages that show their text first.

Registered in _config.yml (``sphinx.local_extensions``: ``book_web: ext``).
At build time, with no notebook re-executed, each room changes one thing;
its module says what, why, and what it depends on in the pinned versions
(docs/upgrading.md lists them all and says how to check them after an
upgrade):

- widget_state: the widget state out of the page's head, into a side file
  the page loads when a reader nears a widget; its pictures as WebP;
- kernel_controls: the controls that need a kernel, disabled in the static page;
- maths: every equation typeset when the book is built, no MathJax in the pages;
- icon_fonts: no Font Awesome script; its fonts cut to the icons the book shows;
- theme_scripts: the theme's scripts deferred, and run on the reader's first move;
- theme_a11y: accessibility patches to the themes' HTML;
- purge_css: the theme's stylesheets cut to the rules the book can use;
- search: the search scripts only on search.html, one search box on a desktop;
- images: the figures as lossless WebP, lazily loaded and with their size;
- lite_launch: "Run in the browser" (the book's JupyterLite site) beside Binder
  and Colab;
- edition: the version the preface cites; the edition without solutions
  (BOOK_SOLUTIONS=0);
- picture_numbers: the numbers of each network picture, on hover, on focus
  and in a folded table;
- exercises: an answer box under each checked exercise, judged in the page;
- book_pdf: the whole book's PDF (``make pdf``) in every page's download menu.

Most page patches match the pinned themes' HTML. A patch whose target is
missing does not stop the build at once: patches.py collects every patch's
failure, on every page, and fails the build at its end with all of them,
each named by its patch and page.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import (
    book_pdf,
    edition,
    exercises,
    icon_fonts,
    images,
    lite_launch,
    maths,
    patches,
    picture_numbers,
    purge_css,
    search,
    theme_a11y,
    theme_scripts,
    widget_state,
)


def setup(app: Sphinx) -> dict[str, Any]:
    # In this order: the page patches run in the order the rooms register
    # them; the steps after the build by patches.TYPESET, PAGES,
    # THEME_FILES, PURGE, ICONS, then the report of every problem.
    widget_state.setup(app)
    maths.setup(app)
    icon_fonts.setup(app)
    theme_scripts.setup(app)
    theme_a11y.setup(app)
    purge_css.setup(app)
    search.setup(app)
    images.setup(app)
    lite_launch.setup(app)
    edition.setup(app)
    picture_numbers.setup(app)
    exercises.setup(app)
    book_pdf.setup(app)
    return patches.setup(app)
