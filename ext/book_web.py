"""The book's Sphinx extension: pages that show their text first.

Registered in _config.yml (``sphinx.local_extensions``). At build time, with
no notebook re-executed, it

- takes each page's saved widget state and the ipywidgets scripts out of the
  page's head: the state goes to a side file ``_static/widget-state/<page>.js``
  and the page loads ``widgets-loader.js`` (deferred) instead, which brings the
  state and the widget manager when a reader comes near a widget
  (static/widgets-loader.js says how; it works from file:// too);
- re-encodes the widget pictures and the figures of notebook outputs as
  lossless WebP where that is smaller (the same pixels, fewer bytes), and
  gives the figures ``loading="lazy"`` and their size;
- disables, in the static page, the controls that need a kernel (widgets
  marked with backprop.book.widgets.needs_kernel) and shows their note;
- leaves out the theme's Font Awesome script (1.5 MB): the theme's CSS
  already draws its icons with the Font Awesome web fonts;
- typesets every equation at build time (ext/typeset_math.mjs, MathJax's
  SVG output with its assistive MathML, run by Node.js), so that no page
  loads MathJax to show its maths;
- keeps of the theme's stylesheets only the rules some page or script can
  use (ext/purge_css.mjs) and of its Font Awesome fonts only the icons those
  rules draw; links basic.css instead of theme.css (an @import chain);
- leaves out the theme's script preloads, its search scripts on pages other
  than search.html (the book has no search-as-you-type), its styling of the
  whole page twice (theme "auto" is resolved at once) and its load-time
  tab-stop pass, which static/tab-stops.js does on the first key press;
- loads the theme's scripts (Bootstrap, pydata-sphinx-theme.js and
  sphinx-book-theme.js) and the code cells' copy buttons on the reader's
  first move rather than when the page loads (static/theme-loader.js, which
  replays a click that came before them).
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import fontTools.subset
import PIL.Image
import pydata_sphinx_theme
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ExtensionError

STATE_TYPE = "application/vnd.jupyter.widget-state+json"
# What myst-nb adds to a page with widget state (nb_ipywidgets_js in _config.yml).
WIDGET_SCRIPTS = {
    "_static/npm/requirejs/require.js",
    "_static/widgets-setup.js",
    "_static/npm/html-manager/embed-amd.js",
}
STATE_FOLDER = "widget-state"
# Theme files that no page loads: the Font Awesome script and source maps.
# (theme.css only imports basic.css, which the pages link instead.)
UNUSED_THEME_FILES = (
    "scripts/fontawesome.js",
    "scripts/*.map",
    "styles/*.map",
    "styles/theme.css",
)


def smaller_webp(png: bytes) -> bytes | None:
    """The picture as lossless WebP if that is smaller than ``png``, else None.

    Lossless: every pixel is kept, so nothing a reader could see changes.
    """
    image = PIL.Image.open(io.BytesIO(png))
    alpha = "A" in image.getbands() or "transparency" in image.info
    image = image.convert("RGBA" if alpha else "RGB")
    out = io.BytesIO()
    image.save(out, format="webp", lossless=True, method=2)
    webp = out.getvalue()
    return webp if len(webp) < len(png) else None


def _webp_state(state: dict[str, Any]) -> None:
    """Re-encode the PNG buffers of Image widgets as WebP, in place."""
    for model in state.get("state", {}).values():
        if model.get("model_name") != "ImageModel" or model["state"].get("format") != "png":
            continue
        for buffer in model.get("buffers", []):
            if buffer.get("path") != ["value"] or buffer.get("encoding") != "base64":
                continue
            webp = smaller_webp(base64.b64decode(buffer["data"]))
            if webp is not None:
                buffer["data"] = base64.b64encode(webp).decode("ascii")
                model["state"]["format"] = "webp"


NEEDS_KERNEL = "bp-needs-kernel"  # backprop.book.widgets.NEEDS_KERNEL
KERNEL_NOTE = "bp-kernel-note"  # backprop.book.widgets.KERNEL_NOTE
NOTE = (
    "<em>These controls need a running Python kernel (Binder, Colab or "
    "<code>make lab</code>), so they are disabled in this page. The picture "
    "shows the settings above.</em>"
)


NOT_CONTROLS = {"VBoxModel", "HBoxModel", "BoxModel", "HTMLModel", "ImageModel", "OutputModel"}


def _disable_live_controls(state: dict[str, Any]) -> None:
    """In the static page, controls that need a kernel would do nothing: every
    control inside a widget marked ``needs_kernel`` is disabled, and its note
    says why. In place."""
    models = state.get("state", {})

    def walk(model_id: str) -> None:
        model = models.get(model_id.removeprefix("IPY_MODEL_"))
        if model is None:
            return
        widget = model["state"]
        if model["model_name"] not in NOT_CONTROLS:
            widget["disabled"] = True
        if KERNEL_NOTE in widget.get("_dom_classes", []):
            widget["value"] = NOTE
        for child in widget.get("children", []):
            walk(child)

    for model_id, model in models.items():
        if NEEDS_KERNEL in model["state"].get("_dom_classes", []):
            walk(model_id)


def _state_script(state_json: str) -> str:
    """A script that puts the state where the widget manager looks for it.

    The JSON goes in as a JavaScript string (a JSON string is one), so the
    browser parses it only once, when the manager reads it.
    """
    return (
        "(function () {\n"
        '  var s = document.createElement("script");\n'
        f'  s.type = "{STATE_TYPE}";\n'
        f"  s.textContent = {json.dumps(state_json)};\n"
        "  document.head.appendChild(s);\n"
        "})();\n"
    )


def no_mathjax(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Take MathJax and its configuration out of the page: its equations are
    typeset when the build finishes (:func:`typeset_equations`)."""
    scripts = context.get("script_files")
    if scripts:
        scripts[:] = [
            js
            for js in scripts
            if not str(js.filename).endswith(app.config.mathjax_path)
            and not js.attributes.get("body", "").startswith("window.MathJax")
        ]


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


def lazy_widgets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Swap a page's inline widget state and widget scripts for the loader."""
    scripts = context.get("script_files")
    if not scripts:
        return
    state = [js for js in scripts if js.attributes.get("type") == STATE_TYPE]
    if not state:
        return
    body = json.loads(state[0].attributes["body"].replace("<\\/", "</"))
    _webp_state(body)
    _disable_live_controls(body)
    target = Path(app.outdir, "_static", STATE_FOLDER, f"{pagename}.js")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_state_script(json.dumps(body, separators=(",", ":"))), encoding="utf-8")
    scripts[:] = [
        js for js in scripts if js not in state and str(js.filename) not in WIDGET_SCRIPTS
    ]
    app.add_js_file(
        "widgets-loader.js",
        defer="defer",
        **{"data-state": f"{STATE_FOLDER}/{pagename}.js"},
    )


def _run_node(script: Path, payload: dict[str, Any], root: Path) -> dict[str, Any]:
    """Run one of the book's Node.js scripts (next to this file) with its
    packages from ``root``/node_modules: ``payload`` as JSON in, JSON out."""
    node = shutil.which("node")
    if node is None or not (root / "node_modules" / ".package-lock.json").is_file():
        raise ExtensionError(
            f"{script.name} needs Node.js and the packages of package-lock.json in "
            "node_modules: run `make vendor` (or build with `make book`)"
        )
    run = subprocess.run(
        [node, str(script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    if run.returncode != 0:
        raise ExtensionError(f"{script.name} failed:\n{run.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(run.stdout)
    return result


# ------------------------------------------------------------------ maths

TYPESET_SCRIPT = Path(__file__).with_name("typeset_math.mjs")
# Sphinx writes inline maths as \(...\) in a span.math and each display
# equation in its own div.math (div.amsmath.math for an environment such as
# equation* or align): \[...\], or a bare environment, after the equation
# number's span.eqno if it has one.
MATH = re.compile(
    r'(?P<open><span class="math notranslate nohighlight">)\\\((?P<inline>.*?)\\\)</span>'
    r'|(?P<div><div class="(?:amsmath )?math notranslate nohighlight"[^>]*>)'
    r'(?P<eqno>\s*(?:<span class="eqno">.*?</span>)?)(?P<display>.*?)</div>',
    re.S,
)
BRACKETS = re.compile(r"\s*\\\[(.*)\\\]\s*", re.S)


def _equations(text: str) -> list[dict[str, Any]]:
    """The page's equations not typeset yet, in order: TeX and display or not."""
    found = []
    for match in MATH.finditer(text):
        if match["open"]:
            found.append({"tex": html_lib.unescape(match["inline"]), "display": False})
        elif "<mjx-container" not in match["display"]:
            bare = BRACKETS.fullmatch(match["display"])
            tex = bare.group(1) if bare else match["display"]
            found.append({"tex": html_lib.unescape(tex.strip()), "display": True})
    return found


def _put_equations(text: str, rendered: list[str], cache: str, css: str) -> str:
    """The page with each equation of :func:`_equations` swapped for its
    rendering, the glyphs' definitions at the start of the body and the
    styles in the head."""
    pending = iter(rendered)

    def swap(match: re.Match[str]) -> str:
        if match["open"]:
            return f"{match['open']}{next(pending)}</span>"
        if "<mjx-container" in match["display"]:
            return match.group(0)
        return f"{match['div']}{match['eqno']}{next(pending)}</div>"

    text = MATH.sub(swap, text)
    text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + cache, text, count=1)
    return text.replace("</head>", f"<style>{css}</style>\n</head>", 1)


def typeset_equations(pages: list[Path], out: Path, root: Path) -> None:
    """Every equation of the HTML ``pages`` (in the output folder ``out``)
    typeset as SVG with assistive MathML, in place, by one run of
    ext/typeset_math.mjs with Node.js and the mathjax-full of
    ``root``/node_modules. A TeX error fails the build, naming the page."""
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    todo = {page: found for page, text in texts.items() if (found := _equations(text))}
    if not todo:
        return
    result = _run_node(TYPESET_SCRIPT, {"pages": list(todo.values())}, root)
    names = [page.relative_to(out).as_posix() for page in todo]
    if result["errors"]:
        errors = [re.sub(r"^page (\d+)", lambda m: names[int(m[1])], e) for e in result["errors"]]
        raise ExtensionError("TeX errors in the equations:\n  " + "\n  ".join(errors))
    for page, typeset in zip(todo, result["pages"], strict=True):
        text = _put_equations(texts[page], typeset["math"], typeset["cache"], result["css"])
        page.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------- styles

PURGE_SCRIPT = Path(__file__).with_name("purge_css.mjs")
OWN_CSS = {"book.css"}  # the book's own styles, kept whole
# The theme's Font Awesome web fonts (1 MB with every icon) and the rule that
# loads each; the book shows a few dozen of their icons.
ICON_FONTS = "vendor/fontawesome/webfonts"
ICON_FONT_SOURCE = re.compile(
    r'src:url\((?P<folder>[^)]*/)(?P<font>fa-[a-z]+-\d+)\.woff2\) format\("woff2"\),'
    r'url\([^)]*\.ttf\) format\("truetype"\)'
)
# Icons are Private Use Area characters, in CSS as "\f0c9" or as themselves.
ICON_ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,5})")
PRIVATE_USE = range(0xE000, 0xF900)


def purge_styles(out: Path, root: Path) -> list[Path]:
    """Take out of the theme's stylesheets (all but the book's own and the
    vendored widget manager's) every rule that no page and no script of the
    built book can use (ext/purge_css.mjs). Returns the stylesheets."""
    static = out / "_static"
    css = [
        path
        for path in sorted(static.rglob("*.css"))
        if "npm" not in path.relative_to(static).parts and path.name not in OWN_CSS
    ]
    scripts = [
        path
        for path in sorted(static.rglob("*.js"))
        if not {"npm", STATE_FOLDER} & set(path.relative_to(static).parts)
    ]
    pages = sorted(out.rglob("*.html"))
    _run_node(
        PURGE_SCRIPT,
        {"css": [str(p) for p in css], "content": [str(p) for p in pages + scripts]},
        root,
    )
    return css


def subset_icon_fonts(static: Path, stylesheets: list[Path]) -> None:
    """The Font Awesome fonts cut down to the icons the stylesheets still
    draw, as WOFF, and the stylesheets pointed at them."""
    styles = "".join(path.read_text(encoding="utf-8") for path in stylesheets)
    icons = {int(code, 16) for code in ICON_ESCAPE.findall(styles)}
    icons |= {ord(char) for char in styles if ord(char) in PRIVATE_USE}
    icons &= set(PRIVATE_USE)
    fonts = static / ICON_FONTS
    for ttf in sorted(fonts.glob("*.ttf")):
        options = fontTools.subset.Options(flavor="woff")
        font = fontTools.subset.load_font(str(ttf), options)
        subsetter = fontTools.subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(icons & set(font.getBestCmap())))
        subsetter.subset(font)
        fontTools.subset.save_font(font, str(ttf.with_suffix(".woff")), options)
        ttf.unlink()
        ttf.with_suffix(".woff2").unlink(missing_ok=True)
    for path in stylesheets:
        text = path.read_text(encoding="utf-8")
        new = ICON_FONT_SOURCE.sub(r'src:url(\g<folder>\g<font>.woff) format("woff")', text)
        if new != text:
            path.write_text(new, encoding="utf-8")


FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
# The theme's search button reads "Search Ctrl+K" but is named "Search":
# without the aria-label its name is what it shows.
SEARCH_LABEL = 'title="Search" aria-label="Search"'
# myst-nb's fold of a hidden output (tag hide-output) reads "Show code cell
# output" but is named "Toggle hidden content": the same cure.
TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'

# In the site navigation, a page with pages under it (the API reference) gets
# a fold whose only content is a chevron the theme marks decorative, so the
# fold has no name; it is named after the page it belongs to.
NAV_TOGGLE = re.compile(
    r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">([^<]+)</a><details[^>]*>)'
    r'<summary>(?=<span class="toctree-toggle")'
)
NUMBER = re.compile(r"^[0-9.]+\s+")


def _name_nav_toggles(text: str) -> str:
    """Name each fold of the site navigation "Pages of <its page's title>"."""

    def named(match: re.Match[str]) -> str:
        title = html_lib.escape(html_lib.unescape(NUMBER.sub("", match.group(2))))
        return f'{match.group(1)}<summary aria-label="Pages of {title}">'

    return NAV_TOGGLE.sub(named, text)


# pydata-sphinx-theme's navbar (hidden by sphinx-book-theme at every width)
# holds its own sidebar toggles ahead of the article header's visible ones.
# Both themes' scripts attach their click handlers to the first
# .primary-toggle and .secondary-toggle of the page, the hidden ones, so the
# visible toggles did nothing. Without the hidden ones, the visible ones are
# first.
HIDDEN_SIDEBAR_TOGGLES = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"'
    r' aria-label="[^"]*">\s*<span class="fa-solid fa-[a-z-]+"></span>\s*</button>'
)

# The theme writes Sphinx's search scripts and index into every page's head,
# for its search-as-you-type, which the book leaves off
# (DOCUMENTATION_OPTIONS.search_as_you_type is false): the search box opens
# search.html, which loads them itself. Other pages do without them.
SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)">'
    r"</script>"
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
# The theme preloads its two scripts, at high priority, so they compete with
# the stylesheets for the first paint; they run deferred after the page is
# parsed, and the browser finds them early enough at the end of the body.
THEME_PRELOADS = re.compile(
    r'\s*<link rel="preload" as="script" href="[^"]*_static/scripts/[^"]*\.js[^"]*" />'
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


def drop_theme_tab_stops(script: Path) -> None:
    """Empty the theme's tab-stop function (see THEME_TAB_STOPS), in place."""
    text = script.read_text(encoding="utf-8")
    if TAB_STOPS_MOVED in text:
        return
    new, found = THEME_TAB_STOPS.subn(
        lambda m: f"function {m['name']}(){{{TAB_STOPS_MOVED}}}", text
    )
    if found != 1:
        raise ExtensionError(
            f"{script.name}: the theme's tab-stop function was not found; "
            "update THEME_TAB_STOPS in ext/book_web.py for this version of the theme"
        )
    script.write_text(new, encoding="utf-8")


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
THEME_LOADER = Path(__file__).parents[1] / "static" / "theme-loader.js"


def check_theme_scripts(scripts: Path) -> None:
    """Fail unless the theme's scripts in ``scripts`` (as the theme ships
    them) are the ones static/theme-loader.js was written for."""
    for name, digest in THEME_SCRIPTS_SHA256.items():
        if hashlib.sha256((scripts / name).read_bytes()).hexdigest() != digest:
            raise ExtensionError(
                f"the theme's {name} is not the one static/theme-loader.js was written for: "
                "check what it does when the page loads (the loader must do at once what "
                "a reader could see before moving), then update THEME_SCRIPTS_SHA256 "
                "in ext/book_web.py"
            )


def _theme_on_demand(text: str, loader_version: str) -> str:
    """The page with the theme's script tags, and LATER_SCRIPT_TAGS, swapped
    for the loader's."""
    later = {src.split("?")[0].rsplit("/", 1)[-1]: src for src in LATER_SCRIPT_TAGS.findall(text)}
    if sorted(later) != sorted(LATER_SCRIPTS):
        raise ExtensionError(
            f"found the scripts {sorted(later)}, not {sorted(LATER_SCRIPTS)}: update "
            "LATER_SCRIPT_TAGS in ext/book_web.py"
        )
    text = LATER_SCRIPT_TAGS.sub("", text)

    def swap(match: re.Match[str]) -> str:
        sources = re.findall(r'src="([^"]+)"', match.group(0))
        sources += [later[name] for name in LATER_SCRIPTS]  # in this order
        return (
            f'<script defer src="{match["static"]}theme-loader.js?v={loader_version}"'
            f' data-scripts="{" ".join(sources)}"></script>'
        )

    return THEME_SCRIPT_TAGS.sub(swap, text, count=1)


# theme.css holds nothing but @import "../basic.css", one more round trip
# before the first paint: the pages link basic.css itself.
THEME_CSS = re.compile(r'href="([^"]*_static/)styles/theme\.css\?[^"]*"')
IMG = re.compile(r'<img ([^>]*?)src="([^"]*_images/[^"]+\.png)"([^>]*)>')


def _rewrite(
    html: Path,
    images: Path,
    done: dict[str, tuple[str, int, int]],
    search_page: bool,
    loader_version: str,
) -> None:
    """Drop the Font Awesome script, the theme's script preloads and (but on
    the search page) the search scripts, load the theme's scripts on the
    reader's first move, name the search button and the folds of hidden
    outputs by their text and the navigation's folds by their page, and
    point the page's PNG figures at WebP twins (where smaller), lazily
    loaded and with their size."""
    text = FONTAWESOME_JS.sub("", html.read_text(encoding="utf-8"))
    text = text.replace(SEARCH_LABEL, 'title="Search"')
    text = text.replace(TOGGLE_LABEL, "<summary>")
    text = THEME_PRELOADS.sub("", text).replace(THEME_AUTO, THEME_RESOLVED)
    if "styles/pydata-sphinx-theme.css" in text:  # a page of the theme
        if "theme-loader.js" not in text:  # else done by an earlier, incremental build
            text = _theme_on_demand(text, loader_version)
        text = HIDDEN_SIDEBAR_TOGGLES.sub("", text)
        text = _name_nav_toggles(text)
        if THEME_RESOLVED not in text or "theme-loader.js" not in text:
            raise ExtensionError(
                f"{html.name}: the theme's colour-mode script or its script tags were not "
                "found; update THEME_AUTO and THEME_SCRIPT_TAGS in ext/book_web.py for this "
                "version of the theme"
            )
        if '<summary><span class="toctree-toggle"' in text:
            raise ExtensionError(
                f"{html.name}: a fold of the site navigation was left without a name; "
                "update NAV_TOGGLE in ext/book_web.py for this version of the theme"
            )
    text = THEME_CSS.sub(r'href="\1basic.css"', text)
    if not search_page:
        text = SEARCH_SCRIPTS.sub("", text)

    def swap(match: re.Match[str]) -> str:
        before, src, after = match.groups()
        name = src.rsplit("/", 1)[-1]
        png = images / name
        twin = png.with_suffix(".webp")
        if name not in done and not png.is_file() and twin.is_file():  # an earlier build's
            done[name] = (twin.name, *PIL.Image.open(twin).size)
        if name not in done:
            webp = smaller_webp(png.read_bytes())
            width, height = PIL.Image.open(png).size
            if webp is not None:
                twin.write_bytes(webp)
                png.unlink()
                done[name] = (twin.name, width, height)
            else:
                done[name] = (name, width, height)
        new_name, width, height = done[name]
        attrs = before + after
        size = "" if "width=" in attrs else f' width="{width}" height="{height}"'
        lazy = "" if "loading=" in attrs else ' loading="lazy" decoding="async"'
        return f'<img {before}src="{src[: -len(name)]}{new_name}"{after}{size}{lazy}>'.replace(
            " >", ">"
        )

    html.write_text(IMG.sub(swap, text), encoding="utf-8")


def finish(app: Sphinx, exception: Exception | None) -> None:
    """After the build: equations typeset, WebP figures, no unused theme
    files, and of the theme's styles and icons only what the book uses."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    pages = [html for html in sorted(out.rglob("*.html")) if "_static" not in html.parts]
    typeset_equations(pages, out, Path(app.srcdir))
    done: dict[str, tuple[str, int, int]] = {}
    check_theme_scripts(THEME_SCRIPTS)
    loader_version = hashlib.sha256(THEME_LOADER.read_bytes()).hexdigest()[:8]
    for html in pages:
        _rewrite(
            html, out / "_images", done, html == out / "search.html", loader_version=loader_version
        )
    for pattern in UNUSED_THEME_FILES:
        for path in (out / "_static").glob(pattern):
            path.unlink()
    drop_theme_tab_stops(out / "_static" / "scripts" / "pydata-sphinx-theme.js")
    stylesheets = purge_styles(out, Path(app.srcdir))
    subset_icon_fonts(out / "_static", stylesheets)


def setup(app: Sphinx) -> dict[str, Any]:
    # After myst-nb has added the page's widget state (priority 500).
    app.connect("html-page-context", lazy_widgets, priority=900)
    # After sphinx.ext.mathjax has added MathJax (priority 500).
    app.connect("html-page-context", no_mathjax, priority=900)
    app.connect("html-page-context", defer_scripts, priority=950)
    app.connect("build-finished", finish)
    app.add_js_file("tab-stops.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": False}
