"""The theme's scripts: deferred, and run on the reader's first move.

Changes:
- every script file of a page's head is deferred (:func:`defer_scripts`);
- the theme's two script preloads are dropped (THEME_PRELOADS);
- the theme's colour-mode line resolves "auto" at once (THEME_AUTO becomes
  THEME_RESOLVED), so the page is styled once, not twice;
- the theme's script tags (THEME_SCRIPT_TAGS: Bootstrap and
  pydata-sphinx-theme.js) and three later ones from the head
  (LATER_SCRIPT_TAGS: sphinx-book-theme.js and the copy buttons) become one
  tag of static/theme-loader.js, which adds them on the reader's first move,
  touch, key or scroll and replays a click that came before them;
- the theme's load-time tab-stop pass is emptied in pydata-sphinx-theme.js
  (THEME_TAB_STOPS); static/tab-stops.js, added to every page, does that work
  on the first key press; the theme's source maps are not copied out.

Why: none of this is needed before the reader moves, and it held back the
first paint (Lighthouse mobile on every page, tests/test_lighthouse.py).

Depends on: pydata-sphinx-theme 0.17.1 (its page template's script tags and
preloads, the colour-mode line, and its minified scripts, checked by hash:
THEME_SCRIPTS_SHA256; static/theme-loader.js was written for these),
sphinx-book-theme 1.3.0 and sphinx-copybutton 0.5.2 (their script tags).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pydata_sphinx_theme
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

from .patches import (
    REWRITTEN,
    THEME_FILES,
    Page,
    Problems,
    TargetMissingError,
    after_build,
    page_patch,
    problems,
)
from .patches import substitute as _substitute

KEEP_BLOCKING = {"_static/documentation_options.js"}  # inline scripts after it use it


def defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Every script file of the page's head deferred: they still run in order,
    after the page is parsed, and no longer hold back its first paint."""
    scripts = context.get("script_files")
    if not scripts:
        return
    scripts[:] = [
        js
        if not js.filename or str(js.filename) in KEEP_BLOCKING or "async" in js.attributes
        else _JavaScript(js.filename, priority=js.priority, **{**js.attributes, "defer": "defer"})
        for js in scripts
    ]


# The theme preloads its two scripts, at high priority, so they compete with
# the stylesheets for the first paint; they run deferred after the page is
# parsed, and the browser finds them early enough at the end of the body.
THEME_PRELOADS = re.compile(
    r'\s*<link rel="preload" as="script" href="[^"]*_static/scripts/[^"]*\.js[^"]*" />'
)
# The theme's first script marks the page's theme "auto" until its own
# script, deferred, resolves that to "light" or "dark", which restyles the
# whole page once more. Resolved at once, the page is styled once.
THEME_AUTO = 'document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";'
# As the theme's script resolves it when it runs (setTheme): the mode "light"
# or "dark" as it is, anything else ("auto") from the reader's preference. (A
# theme saved by an earlier visit in mode "auto" may be out of date.)
THEME_RESOLVED = (
    "document.documentElement.dataset.theme ="
    ' ["light", "dark"].includes(document.documentElement.dataset.mode) ?'
    " document.documentElement.dataset.mode :"
    ' (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");'
)
# The theme's function that gives scrolling blocks a tab stop when the page
# loads, laying out every section at once; static/tab-stops.js does that
# work when the reader first uses the keyboard. (The theme's script is
# minified: if a new version of the theme no longer matches, the build
# fails here rather than keep both.)
THEME_TAB_STOPS = re.compile(
    r"function (?P<name>\w+)\(\)\{const (?P<update>\w)=\(\)=>\{document\.querySelectorAll\("
    r'\["pre",.*?\}\)\},(?P<debounced>\w)=\w+\((?P=update),300\);'
    r'window\.addEventListener\("resize",(?P=debounced)\),new MutationObserver\((?P=debounced)\)'
    r'\.observe\(document\.getElementById\("main-content"\),\{subtree:!0,childList:!0\}\),'
    r"(?P=update)\(\)\}"
)
TAB_STOPS_MOVED = "/* tab stops: static/tab-stops.js */"

# The theme's two scripts, at the end of every page's body: they run when
# the page loads, but nothing they do is needed before the reader moves, so
# static/theme-loader.js stands in their place and adds them then. The
# loader knows what these versions do at load (what a reader could see
# before moving is done at once, by the loader and THEME_RESOLVED): another
# version of the theme fails the build until the loader is checked against it.
THEME_SCRIPT_TAGS = re.compile(
    r'<script defer src="(?P<static>[^"]*_static/)scripts/bootstrap\.js\?digest=\w+"></script>'
    r'\s*<script defer src="(?P=static)scripts/pydata-sphinx-theme\.js\?digest=\w+"></script>'
)
# Three more scripts wait for the reader's first move as well, after the
# theme's two: sphinx-book-theme.js (the article header's behaviour on a
# desktop, hiding the secondary sidebar beside margin notes, and marking the
# header for print: book.css does that at once) and the copy buttons of the
# code cells (clipboard.min.js, then copybutton.js, which puts a button, shown
# on hover, in every code block when it runs).
LATER_SCRIPT_TAGS = re.compile(
    r'\s*<script defer="defer" src="(?P<src>[^"]*_static/'
    r'(?:scripts/sphinx-book-theme|clipboard\.min|copybutton)\.js\?v=\w+)"></script>'
)
LATER_SCRIPTS = ("sphinx-book-theme.js", "clipboard.min.js", "copybutton.js")
THEME_SCRIPTS_SHA256 = {  # pydata-sphinx-theme 0.17.1
    "bootstrap.js": "9686192d6cc14a6292a5417a346398ecbac10be8e637fc39bf318d6af91653d2",
    "pydata-sphinx-theme.js": "601846831b994311a05a363765340e13a9467c514f86c3f006222a2f1a77c9d4",
}
THEME_SCRIPTS = (
    Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/scripts"
)
THEME_LOADER = Path(__file__).resolve().parents[2] / "static" / "theme-loader.js"
SOURCE_MAPS = ("scripts/*.map", "styles/*.map")


def check_theme_scripts(scripts: Path) -> list[str]:
    """What is wrong with the theme's scripts in ``scripts`` (as the theme
    ships them) for static/theme-loader.js: each one that is not the one
    the loader was written for, with its new hash. Empty if none."""
    wrong = []
    for name, digest in THEME_SCRIPTS_SHA256.items():
        path = scripts / name
        if not path.is_file():
            wrong.append(f"the theme has no {name}: static/theme-loader.js loads it")
            continue
        new = hashlib.sha256(path.read_bytes()).hexdigest()
        if new != digest:
            wrong.append(
                f"the theme's {name} is not the one static/theme-loader.js was written for "
                f"(sha256 {new}, not {digest}): check what it does when the page loads (the "
                "loader must do at once what a reader could see before moving), then put the "
                "new hash in THEME_SCRIPTS_SHA256 in theme_scripts.py"
            )
    return wrong


def drop_theme_tab_stops(script: Path) -> None:
    """Empty the theme's tab-stop function (see THEME_TAB_STOPS), in place."""
    text = script.read_text(encoding="utf-8")
    if TAB_STOPS_MOVED in text:
        return
    new, found = THEME_TAB_STOPS.subn(
        lambda m: f"function {m['name']}(){{{TAB_STOPS_MOVED}}}", text
    )
    if found != 1:
        raise TargetMissingError(
            "the theme's tab-stop function was not found; update THEME_TAB_STOPS in "
            "theme_scripts.py for this version of the theme"
        )
    script.write_text(new, encoding="utf-8")


def theme_on_demand(text: str, loader_version: str) -> str:
    """The page with the theme's script tags, and LATER_SCRIPT_TAGS, swapped
    for the loader's."""
    later = {src.split("?")[0].rsplit("/", 1)[-1]: src for src in LATER_SCRIPT_TAGS.findall(text)}
    if sorted(later) != sorted(LATER_SCRIPTS):
        raise TargetMissingError(
            f"found the scripts {sorted(later)}, not {sorted(LATER_SCRIPTS)}: update "
            "LATER_SCRIPT_TAGS in theme_scripts.py"
        )
    text = LATER_SCRIPT_TAGS.sub("", text)

    def swap(match: re.Match[str]) -> str:
        sources = re.findall(r'src="([^"]+)"', match.group(0))
        sources += [later[name] for name in LATER_SCRIPTS]  # in this order
        return (
            f'<script defer src="{match["static"]}theme-loader.js?v={loader_version}"'
            f' data-scripts="{" ".join(sources)}"></script>'
        )

    new, found = THEME_SCRIPT_TAGS.subn(swap, text, count=1)
    if not found:
        raise TargetMissingError(
            "the theme's script tags were not found; update THEME_SCRIPT_TAGS in "
            "theme_scripts.py for this version of the theme"
        )
    return new


def preloads(text: str, page: Page, problems: Problems) -> str:
    return _substitute(
        text,
        page,
        problems,
        "theme_scripts.THEME_PRELOADS",
        THEME_PRELOADS,
        "",
        "the theme's script preloads (THEME_PRELOADS)",
        needed=True,
    )


def colour_mode(text: str, page: Page, problems: Problems) -> str:
    text = text.replace(THEME_AUTO, THEME_RESOLVED)
    if page.theme and THEME_RESOLVED not in text:
        raise TargetMissingError(
            "the theme's colour-mode script was not found; update THEME_AUTO in "
            "theme_scripts.py for this version of the theme"
        )
    return text


def on_demand(loader_version: str) -> Any:
    def patch(text: str, page: Page, problems: Problems) -> str:
        if not page.theme or REWRITTEN in text:  # else done by an earlier, incremental build
            return text
        return theme_on_demand(text, loader_version)

    return patch


def finish(app: Sphinx, out: Path) -> None:
    """The theme's scripts as the loader expects them, its tab-stop pass
    emptied, its source maps gone."""
    found = problems(app)
    for message in check_theme_scripts(THEME_SCRIPTS):
        found.add("theme_scripts.THEME_SCRIPTS_SHA256", "(the theme's scripts)", message)
    for pattern in SOURCE_MAPS:
        for path in (out / "_static").glob(pattern):
            path.unlink()
    script = out / "_static" / "scripts" / "pydata-sphinx-theme.js"
    try:
        drop_theme_tab_stops(script)
    except TargetMissingError as missing:
        found.add(
            "theme_scripts.THEME_TAB_STOPS", "_static/scripts/pydata-sphinx-theme.js", str(missing)
        )


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", defer_scripts, priority=950)
    app.add_js_file("tab-stops.js", defer="defer")
    loader_version = hashlib.sha256(THEME_LOADER.read_bytes()).hexdigest()[:8]
    page_patch(app, "theme_scripts.THEME_PRELOADS", preloads)
    page_patch(app, "theme_scripts.THEME_AUTO", colour_mode)
    page_patch(app, "theme_scripts.THEME_SCRIPT_TAGS", on_demand(loader_version))
    after_build(app, THEME_FILES, finish)
