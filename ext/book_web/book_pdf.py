"""The whole book as one PDF, offered in every page's download menu.

Changes: the theme's download menu (the header button group
``download-buttons``, which holds a page's .ipynb, its source and "print to
PDF") gets one more entry, ``book .pdf``: the whole book, PDF_NAME at the
site's root. The HTML build does not make that file: ``make pdf``
(tools/make_pdf.py) prints it from the built site into _build/pdf/, and the
publish workflow (.github/workflows/publish.yml) copies it into the site it
deploys, beside index.html.

Why: readers ask for one file to read offline, print and cite; the menu's
own ".pdf" prints one page at a time.

Depends on: sphinx-book-theme 1.3.0 adding its header buttons to the page
context (``header_buttons``, in ``html-page-context`` at priority 501), the
download menu as a group labelled DOWNLOAD_GROUP. Reported: a page with a
source file whose header has no such group (book_pdf.DOWNLOAD_GROUP).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .patches import problems

PDF_NAME = "backprop.pdf"
DOWNLOAD_GROUP = "download-buttons"


def add_book_pdf(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Append the whole book's PDF to the page's download menu."""
    buttons = context.get("header_buttons")
    if not context.get("page_source_suffix") or buttons is None:
        return  # no download menu on this page (search, the index)
    group = next((b for b in buttons if b.get("label") == DOWNLOAD_GROUP), None)
    if group is None:
        problems(app).add(
            "book_pdf.DOWNLOAD_GROUP",
            f"{pagename}.html",
            f"the page's header buttons have no group {DOWNLOAD_GROUP!r}: update "
            "DOWNLOAD_GROUP in book_pdf.py",
        )
        return
    group["buttons"].append(
        {
            "type": "link",
            "url": context["pathto"](PDF_NAME, 1),
            "text": "book .pdf",
            "tooltip": "The whole book as one PDF",
            "icon": "fas fa-file-pdf",
            "label": "download-book-pdf-button",
        }
    )


def setup(app: Sphinx) -> None:
    # After sphinx-book-theme's add_header_buttons (priority 501).
    app.connect("html-page-context", add_book_pdf, priority=502)
