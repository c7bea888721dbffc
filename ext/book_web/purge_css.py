"""The theme's stylesheets cut down to the rules the book can use.

Changes: after the build, every stylesheet in ``_static`` but the book's own
(static/book.css) and the vendored widget manager's loses the rules that no
page and no script of the built book can match (ext/purge_css.mjs, PurgeCSS).
The pages link basic.css instead of theme.css, which only @imports it (one
round trip less before the first paint), and theme.css is not copied out.

Why: the themes ship about 300 kB of CSS; a page uses a fraction of it.

Depends on: PurgeCSS 8.0.0 (package-lock.json) and its SAFELIST in
ext/purge_css.mjs, the class names that Bootstrap 5.3 (in
pydata-sphinx-theme 0.17.1), the widget manager and MathJax build at run
time; every safelist entry must still match a selector of the stylesheets,
or the build reports it (purge_css.SAFELIST). THEME_CSS: the link to
``styles/theme.css`` that pydata-sphinx-theme 0.17.1 writes in every page.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

from ._node import EXT, run_node
from .patches import (
    PURGE,
    THEME_FILES,
    Page,
    Problems,
    after_build,
    page_patch,
    problems,
    substitute,
)
from .widget_state import STATE_FOLDER

PURGE_SCRIPT = EXT / "purge_css.mjs"
OWN_CSS = {"book.css", "picture-numbers.css"}  # the book's own styles, kept whole
# theme.css holds nothing but @import "../basic.css", one more round trip
# before the first paint: the pages link basic.css itself.
THEME_CSS = re.compile(r'href="([^"]*_static/)styles/theme\.css\?[^"]*"')


def theme_stylesheets(static: Path) -> list[Path]:
    """The stylesheets to purge: all in ``static`` but the book's own and
    the vendored widget manager's (in npm/)."""
    return [
        path
        for path in sorted(static.rglob("*.css"))
        if "npm" not in path.relative_to(static).parts and path.name not in OWN_CSS
    ]


def purge_styles(out: Path, root: Path) -> list[str]:
    """Take out of the theme's stylesheets every rule that no page and no
    script of the built book can use (ext/purge_css.mjs). Returns the
    safelist entries that matched no selector of the stylesheets."""
    static = out / "_static"
    scripts = [
        path
        for path in sorted(static.rglob("*.js"))
        if not {"npm", STATE_FOLDER} & set(path.relative_to(static).parts)
    ]
    # every HTML file but the JupyterLite site's (patches.NOT_PAGES)
    pages = [p for p in sorted(out.rglob("*.html")) if "lite" not in p.relative_to(out).parts]
    result = run_node(
        PURGE_SCRIPT,
        {
            "css": [str(p) for p in theme_stylesheets(static)],
            "content": [str(p) for p in pages + scripts],
        },
        root,
    )
    unused: list[str] = result["unused_safelist"]
    return unused


def basic_css(text: str, page: Page, problems: Problems) -> str:
    return substitute(
        text,
        page,
        problems,
        "purge_css.THEME_CSS",
        THEME_CSS,
        r'href="\1basic.css"',
        "the link to styles/theme.css (THEME_CSS)",
        needed=True,
    )


def drop_theme_css(app: Sphinx, out: Path) -> None:
    (out / "_static" / "styles" / "theme.css").unlink(missing_ok=True)


def purge(app: Sphinx, out: Path) -> None:
    for entry in purge_styles(out, Path(app.srcdir)):
        problems(app).add(
            "purge_css.SAFELIST",
            "(the theme's stylesheets)",
            f"the safelist entry {entry} matches no selector: update SAFELIST in "
            "ext/purge_css.mjs for the class names the new versions build at run time",
        )


def setup(app: Sphinx) -> None:
    page_patch(app, "purge_css.THEME_CSS", basic_css)
    after_build(app, THEME_FILES, drop_theme_css)
    after_build(app, PURGE, purge)
