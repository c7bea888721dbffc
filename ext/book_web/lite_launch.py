"""Launch: "Run in the browser" beside Binder and Colab on every chapter page.

Changes: in the theme's launch menu of a notebook page (the rocket icon), after
the Colab item, an item that opens the chapter in the book's own JupyterLite
site (``lite/lab/index.html?path=<notebook>``, built by ``make lite`` with
tools/build_lite.py into the book's output folder, lite/). It is a plain
link: nothing of JupyterLite loads until the reader presses it.

Why: Binder waits for a server, Colab installs the package; the JupyterLite
site runs every cell in the reader's browser (Pyodide) with nothing to install
and no server (README, "Run in the browser").

Depends on: sphinx-book-theme 1.3.0's launch menu markup (its Colab item,
``<li><a href="https://colab.research.google.com/github/.../<notebook>.ipynb"``
... ``</li>``, from ``launch_buttons.colab_url`` in _config.yml) and on the
JupyterLite 0.5 URL of a notebook (``lab/index.html?path=``).
"""

from __future__ import annotations

import html
import re

from sphinx.application import Sphinx

from .patches import Page, Problems, page_patch, problems, substitute

COLAB_ITEM = re.compile(
    r'(?P<item><li><a href="https://colab\.research\.google\.com/github/[^"]*?/'
    r'(?P<notebook>[^"/]+\.ipynb)"[^>]*>.*?</a>\s*</li>)',
    re.S,
)
LITE = "lite/lab/index.html?path="
ITEM = (
    '\n      <li><a href="{href}" target="_blank"\n'
    '   class="btn btn-sm dropdown-item bp-lite-launch"\n'
    '   title="Run in the browser (JupyterLite: no install, no server)"\n'
    '   data-bs-placement="left" data-bs-toggle="tooltip"\n>\n'
    '<span class="btn__icon-container">\n'
    '    <img alt="" src="{prefix}_static/lite-logo.svg" width="16" height="16">\n'
    "  </span>\n"
    '<span class="btn__text-container">Run in the browser</span>\n</a>\n</li>'
)


def lite_item(match: re.Match[str], page: Page) -> str:
    prefix = "../" * page.name.count("/")
    href = html.escape(f"{prefix}{LITE}{match.group('notebook')}")
    return match.group("item") + ITEM.format(href=href, prefix=prefix)


def launch_in_browser(text: str, page: Page, problems: Problems) -> str:
    if not page.theme:
        return text
    return substitute(
        text,
        page,
        problems,
        "lite_launch.COLAB_ITEM",
        COLAB_ITEM,
        lambda match: lite_item(match, page),
        "the Colab item of the launch menu (COLAB_ITEM)",
        needed=False,
    )


def setup(app: Sphinx) -> None:
    problems(app).expect_somewhere(
        "lite_launch.COLAB_ITEM",
        "no page has the Colab item of the launch menu (COLAB_ITEM): "
        "no chapter offers 'Run in the browser'",
    )
    page_patch(app, "lite_launch.launch_in_browser", launch_in_browser)
