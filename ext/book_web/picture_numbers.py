"""The numbers behind the network pictures, in the static page.

Changes: a figure that ``backprop.book.figure1.draw_network`` drew carries,
in its output's metadata (``PICTURE_KEY``), where each node, edge and the
error box is in the picture and its numbers (``picture_numbers``). Its
``<img>`` is written inside a ``div.bp-pic`` with one focusable spot per
node and edge that has numbers over it, whose name (``aria-label``) and tooltip, shown on
hover and on keyboard focus, say that spot's numbers (node: b, z, a, δ, t;
edge: w, ∂E/∂w; E) with 4 decimals, as the prose quotes them; under it a
folded table (``details.bp-numbers``) holds the same numbers, for screen
readers and for copying. The styles are ``static/picture-numbers.css``,
linked only from pages with such a picture. No script: the page works
from file:// and loads nothing more. The HTML is made when a notebook is
read, so it is kept in Sphinx's cached doctrees: after changing this room,
build into an empty folder (or delete ``.doctrees``).

The pictures inside widgets (the stepper's frames) carry the same numbers
in their Image widget's ``numbers`` (``backprop.book.widgets``); here that
leaves the widget state, the Image gets the classes ``bp-wpic bp-wpic-<n>``,
and the page gets the spots' and table's HTML of each
(``script#bp-widget-numbers``) and ``static/picture-numbers.js`` (deferred),
which lays them over and under the frame the widget shows.

Why: the pictures show their numbers only as small labels, or not at all.

Depends on: myst-nb 1.4 rendering an image output with
``NbElementRenderer.render_image(data)``, whose ``data.output_metadata``
holds the output's metadata (RENDER_IMAGE, reported when it is missing);
the metadata layout of ``backprop.book.figure1.picture_numbers``; for the
widgets, myst-nb's state script (``widget_state.STATE_TYPE``) in
``html-page-context`` before priority 900, and the ipywidgets 8.1 state
layout (``model_name``, ``state._dom_classes``), whose ``_dom_classes``
the widget manager writes as the ``<img>``'s classes.
"""

from __future__ import annotations

import functools
import html
import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .patches import problems

PICTURE_KEY = "application/vnd.backprop.picture-numbers+json"  # backprop.book.figure1
CSS_FILE = "picture-numbers.css"
JS_FILE = "picture-numbers.js"
STATE_TYPE = "application/vnd.jupyter.widget-state+json"  # widget_state.STATE_TYPE
WIDGET_CLASS = "bp-wpic"
PICTURE_CLASS = "bp-pic"
NODE_COLUMNS = ("b", "z", "a", "δ", "t")
EDGE_COLUMNS = ("w", "∂E/∂w")


def number(value: float) -> str:
    """A value as the prose quotes it: 4 decimals, no negative zero."""
    text = f"{float(value):.4f}"
    return text.lstrip("-") if float(text) == 0 else text


def spot_text(spot: dict[str, Any]) -> str:
    """``hidden node 1: z = 0.1260, a = 0.1253``, or the name alone."""
    values = ", ".join(f"{symbol} = {number(v)}" for symbol, v in spot["values"])
    return f"{spot['name']}: {values}" if values else spot["name"]


def _pct(value: float) -> str:
    return f"{100 * float(value):.2f}%"


def spot_button(spot: dict[str, Any]) -> str:
    """A transparent spot over a node or an edge: a part of the picture
    (``role="img"``) named by its numbers, in the tab order; its tooltip
    shows on hover and on focus, placed so that it stays inside the picture.

    Not a button: it does nothing when pressed, and the pointer targets of
    a picture's edges are smaller than 24 px on a phone, which WCAG 2.5.8
    allows only because the same numbers are in the table below it (the
    "equivalent" exception); axe's target-size rule checks widgets only."""
    left, top, width, height = spot["box"]
    centre = left + width / 2
    side = "start" if centre < 0.3 else "end" if centre > 0.7 else "mid"
    where = "below" if top < 0.4 else "above"
    lines = [html.escape(spot["name"])] + [
        f"{html.escape(symbol)} = {number(v)}" for symbol, v in spot["values"]
    ]
    style = f"left:{_pct(left)};top:{_pct(top)};width:{_pct(width)};height:{_pct(height)}"
    return (
        f'<span class="bp-spot bp-{spot["kind"]} bp-tip-{side} bp-tip-{where}" role="img" '
        f'tabindex="0" style="{style}" aria-label="{html.escape(spot_text(spot))}">'
        f'<span class="bp-tip" aria-hidden="true">{"<br>".join(lines)}</span></span>'
    )


def _table(caption: str, head: str, spots: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    used = [c for c in columns if any(symbol == c for s in spots for symbol, _ in s["values"])]
    if not spots:
        return ""
    cells = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in used)
    rows = []
    for spot in spots:
        values = dict((symbol, v) for symbol, v in spot["values"])
        row = "".join(f"<td>{number(values[c])}</td>" if c in values else "<td></td>" for c in used)
        rows.append(f'<tr><th scope="row">{html.escape(spot["name"])}</th>{row}</tr>')
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f'<thead><tr><th scope="col">{head}</th>{cells}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def numbers_table(numbers: dict[str, Any]) -> str:
    """The folded table of a picture's numbers: its nodes, its weights, E."""
    spots = [s for s in numbers["spots"] if s["values"]]
    node_spots = [s for s in spots if s["kind"] == "node"]
    edge_spots = [s for s in spots if s["kind"] == "edge"]
    errors = [s for s in spots if s["kind"] == "error"]
    parts = [
        _table("Nodes: bias b, z, a, δ (and target t)", "node", node_spots, NODE_COLUMNS),
        _table("Weights: w and ∂E/∂w", "weight", edge_spots, EDGE_COLUMNS),
    ]
    parts += [f"<p>{html.escape(spot_text(s))}</p>" for s in errors]
    title = numbers.get("title") or "the network"
    return (
        '<details class="bp-numbers"><summary>Numbers in this picture</summary>'
        f'<div class="bp-numbers-body" aria-label="{html.escape("Numbers of " + title)}" '
        f'role="group">{"".join(parts)}</div></details>'
    )


def picture_nodes(numbers: dict[str, Any], image: list[nodes.Element]) -> list[nodes.Element]:
    """The image's nodes inside the picture's div, the spots over it and
    the table under it."""
    before = f'<div class="{PICTURE_CLASS}">'
    spots = "".join(spot_button(s) for s in numbers["spots"] if s["values"])
    after = spots + "</div>" + numbers_table(numbers)
    return [
        nodes.raw("", before, format="html"),
        *image,
        nodes.raw("", after, format="html"),
    ]


def _with_numbers(render_image: Any) -> Any:
    @functools.wraps(render_image)
    def render(self: Any, data: Any) -> list[nodes.Element]:
        image = render_image(self, data)
        numbers = (getattr(data, "output_metadata", None) or {}).get(PICTURE_KEY)
        if not numbers or not any(spot["values"] for spot in numbers.get("spots", [])):
            return image
        return picture_nodes(numbers, image)

    render.bp_picture_numbers = True  # type: ignore[attr-defined]
    return render


def widget_pictures(state: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Take the numbers out of a page's widget state, in place: each Image
    widget with ``numbers`` (backprop.book.widgets) gets the classes
    ``bp-wpic`` and ``bp-wpic-<n>``; returns, by that class, the HTML of its
    spots and of its table, for static/picture-numbers.js."""
    found: dict[str, dict[str, str]] = {}
    for model in state.get("state", {}).values():
        if model.get("model_name") != "ImageModel":
            continue
        raw = model.get("state", {}).pop("numbers", None)
        if not raw:
            continue
        numbers = json.loads(raw)
        if not any(spot["values"] for spot in numbers.get("spots", [])):
            continue
        name = f"{WIDGET_CLASS}-{len(found)}"
        classes = model["state"].get("_dom_classes", [])
        model["state"]["_dom_classes"] = [*classes, WIDGET_CLASS, name]
        spots = "".join(spot_button(s) for s in numbers["spots"] if s["values"])
        found[name] = {"spots": spots, "table": numbers_table(numbers)}
    return found


def page_numbers(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Link the styles from a page with such a picture; for the pictures of
    its widgets, write their spots and tables in the page and load
    static/picture-numbers.js (deferred), before widget_state moves the
    state out of the page."""
    pictures: dict[str, dict[str, str]] = {}
    for js in context.get("script_files") or []:
        if js.attributes.get("type") != STATE_TYPE:
            continue
        state = json.loads(js.attributes["body"].replace("<\\/", "</"))
        pictures = widget_pictures(state)
        if pictures:
            js.attributes["body"] = json.dumps(state).replace("</", "<\\/")
    if pictures:
        data = json.dumps(pictures, ensure_ascii=False).replace("</", "<\\/")
        context["body"] = (
            context.get("body", "")
            + f'<script type="application/json" id="bp-widget-numbers">{data}</script>'
        )
        app.add_js_file(JS_FILE, defer="defer")
    if pictures or f'class="{PICTURE_CLASS}"' in context.get("body", ""):
        app.add_css_file(CSS_FILE)


def setup(app: Sphinx) -> None:
    try:
        from myst_nb.core.render import NbElementRenderer

        render_image = NbElementRenderer.render_image
    except (ImportError, AttributeError) as error:
        problems(app).add(
            "picture_numbers.RENDER_IMAGE",
            "(myst-nb)",
            f"myst-nb's NbElementRenderer.render_image not found ({error}): update "
            "picture_numbers.py for how myst-nb now renders image outputs",
        )
    else:
        if not getattr(render_image, "bp_picture_numbers", False):
            NbElementRenderer.render_image = _with_numbers(render_image)  # type: ignore[method-assign]
    # Before widget_state (900) takes the widget state out of the page.
    app.connect("html-page-context", page_numbers, priority=800)
