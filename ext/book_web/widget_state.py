"""Widget state out of the page's head, loaded when a reader nears a widget.

Changes: on a page with saved widget state, the state (its Image widgets'
PNGs as lossless WebP where smaller, its kernel-only controls disabled by
the kernel_controls room) goes to a side file
``_static/widget-state/<page>.js``, and the page's head loses the inline
state and the three ipywidgets scripts; it loads ``widgets-loader.js``
(deferred) instead, which brings the state and the widget manager when a
reader comes near a widget (static/widgets-loader.js says how; it works
from file:// too).

Why: a chapter's state is hundreds of kilobytes that a reader at its top
does not need yet.

Depends on: myst-nb 1.4 adding the state as a script of type STATE_TYPE
and the scripts of ``nb_ipywidgets_js`` (_config.yml: WIDGET_SCRIPTS) in
``html-page-context`` at priority 500; the ipywidgets 8.1 state layout.
Reported: a page with state but without each of WIDGET_SCRIPTS
(widget_state.WIDGET_SCRIPTS), and a full build with no page of state
(widget_state.STATE_TYPE).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .images import smaller_webp
from .kernel_controls import disable_live_controls
from .patches import problems

STATE_TYPE = "application/vnd.jupyter.widget-state+json"
# What myst-nb adds to a page with widget state (nb_ipywidgets_js in _config.yml).
WIDGET_SCRIPTS = {
    "_static/npm/requirejs/require.js",
    "_static/widgets-setup.js",
    "_static/npm/html-manager/embed-amd.js",
}
STATE_FOLDER = "widget-state"


def webp_state(state: dict[str, Any]) -> None:
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


def state_script(state_json: str) -> str:
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
    found = problems(app)
    found.saw("widget_state.STATE_TYPE")
    missing = WIDGET_SCRIPTS - {str(js.filename) for js in scripts}
    if missing:
        found.add(
            "widget_state.WIDGET_SCRIPTS",
            f"{pagename}.html",
            f"the page has widget state but not the scripts {sorted(missing)}: update "
            "WIDGET_SCRIPTS in widget_state.py (and nb_ipywidgets_js in _config.yml)",
        )
    body = json.loads(state[0].attributes["body"].replace("<\\/", "</"))
    webp_state(body)
    disable_live_controls(body)
    target = Path(app.outdir, "_static", STATE_FOLDER, f"{pagename}.js")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(state_script(json.dumps(body, separators=(",", ":"))), encoding="utf-8")
    scripts[:] = [
        js for js in scripts if js not in state and str(js.filename) not in WIDGET_SCRIPTS
    ]
    app.add_js_file(
        "widgets-loader.js",
        defer="defer",
        **{"data-state": f"{STATE_FOLDER}/{pagename}.js"},
    )


def setup(app: Sphinx) -> None:
    # After myst-nb has added the page's widget state (priority 500).
    app.connect("html-page-context", lazy_widgets, priority=900)
    # Only pages written by this build reach html-page-context: in an
    # incremental build that writes no widget page this would be a false alarm,
    # so it is judged, like the page patches' own, only in a full build.
    problems(app).expect_somewhere(
        "widget_state.STATE_TYPE",
        f"no page has a script of type {STATE_TYPE}: update STATE_TYPE in widget_state.py "
        "for how myst-nb now saves widget state",
    )
