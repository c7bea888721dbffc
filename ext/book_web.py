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
  already draws its icons with the Font Awesome web fonts.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import PIL.Image
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

STATE_TYPE = "application/vnd.jupyter.widget-state+json"
# What myst-nb adds to a page with widget state (nb_ipywidgets_js in _config.yml).
WIDGET_SCRIPTS = {
    "_static/npm/requirejs/require.js",
    "_static/widgets-setup.js",
    "_static/npm/html-manager/embed-amd.js",
}
STATE_FOLDER = "widget-state"
# Theme files that no page loads: the Font Awesome script and source maps.
UNUSED_THEME_FILES = ("scripts/fontawesome.js", "scripts/*.map", "styles/*.map")


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


FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
# The theme's search button reads "Search Ctrl+K" but is named "Search":
# without the aria-label its name is what it shows.
SEARCH_LABEL = 'title="Search" aria-label="Search"'
# myst-nb's fold of a hidden output (tag hide-output) reads "Show code cell
# output" but is named "Toggle hidden content": the same cure.
TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'

# The theme writes these into every page's head, undeferred; search needs them
# only once the reader searches, and deferred they still run in this order.
SEARCH_SCRIPTS = re.compile(
    r'<script src="([^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js))">'
)
IMG = re.compile(r'<img ([^>]*?)src="([^"]*_images/[^"]+\.png)"([^>]*)>')


def _rewrite(html: Path, images: Path, done: dict[str, tuple[str, int, int]]) -> None:
    """Drop the Font Awesome script, name the search button and the folds of
    hidden outputs by their text, and point the page's PNG figures at WebP
    twins (where smaller), lazily loaded and with their size."""
    text = FONTAWESOME_JS.sub("", html.read_text(encoding="utf-8"))
    text = text.replace(SEARCH_LABEL, 'title="Search"')
    text = text.replace(TOGGLE_LABEL, "<summary>")
    text = SEARCH_SCRIPTS.sub(r'<script defer src="\1">', text)

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
    """After the build: WebP figures, and no unused theme files."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    done: dict[str, tuple[str, int, int]] = {}
    for html in sorted(out.rglob("*.html")):
        if "_static" not in html.parts:
            _rewrite(html, out / "_images", done)
    for pattern in UNUSED_THEME_FILES:
        for path in (out / "_static").glob(pattern):
            path.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    # After myst-nb has added the page's widget state (priority 500).
    app.connect("html-page-context", lazy_widgets, priority=900)
    app.connect("html-page-context", defer_scripts, priority=950)
    app.connect("build-finished", finish)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
