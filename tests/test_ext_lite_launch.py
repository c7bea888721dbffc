"""The launch room of the book's extension (ext/book_web/lite_launch.py):
"Run in the browser" after Colab in a chapter's launch menu."""

from __future__ import annotations

from book_web import lite_launch
from book_web.patches import Page, Problems

PAGE = Page(name="book/01_forward_pass.html", theme=True, fresh=True, search=False)
COLAB = (
    '<li><a href="https://colab.research.google.com/github/OWNER/REPO/blob/main/'
    'book/01_forward_pass.ipynb" target="_blank"\n   class="btn btn-sm dropdown-item"\n'
    '   title="Launch on Colab"\n>\n<span class="btn__text-container">Colab</span>\n</a>\n</li>'
)
MENU = f'<div class="dropdown dropdown-launch-buttons"><ul class="dropdown-menu">{COLAB}\n</ul>'


def test_the_chapter_opens_in_the_books_own_jupyterlite() -> None:
    problems = Problems()
    text = lite_launch.launch_in_browser(MENU, PAGE, problems)
    assert text.index(COLAB) < text.index("Run in the browser")
    assert 'href="../lite/lab/index.html?path=01_forward_pass.ipynb"' in text
    assert 'src="../_static/lite-logo.svg"' in text
    assert "<script" not in text  # nothing loads until pressed
    assert problems.found == [] and "lite_launch.COLAB_ITEM" in problems.seen


def test_a_page_without_launch_menu_is_left_alone() -> None:
    problems = Problems()
    page = Page(name="book/errata.html", theme=True, fresh=True, search=False)
    assert lite_launch.launch_in_browser("<ul></ul>", page, problems) == "<ul></ul>"
    assert problems.found == []
