"""The book_pdf room of the book's extension (ext/book_web/book_pdf.py): the
whole book's PDF in every page's download menu."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from book_web import book_pdf
from book_web.patches import problems


def _context(buttons: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "header_buttons": buttons,
        "page_source_suffix": ".ipynb",
        "pathto": lambda name, resource: f"../{name}",
    }


def test_the_download_menu_offers_the_whole_book() -> None:
    app: Any = SimpleNamespace()
    group = {"type": "group", "label": book_pdf.DOWNLOAD_GROUP, "buttons": [{"text": ".pdf"}]}
    book_pdf.add_book_pdf(app, "book/01_forward_pass", "page.html", _context([group]), None)
    added = group["buttons"][-1]
    assert added["url"] == "../backprop.pdf" and added["type"] == "link"
    assert "book" in added["text"] and problems(app).found == []


def test_a_page_without_the_menu_is_reported() -> None:
    app: Any = SimpleNamespace()
    book_pdf.add_book_pdf(app, "book/errata", "page.html", _context([]), None)
    assert [found.patch for found in problems(app).found] == ["book_pdf.DOWNLOAD_GROUP"]


def test_a_page_without_a_source_has_no_menu() -> None:
    app: Any = SimpleNamespace()
    context = _context([])
    del context["page_source_suffix"]
    book_pdf.add_book_pdf(app, "search", "search.html", context, None)
    assert problems(app).found == []
