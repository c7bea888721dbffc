"""Widgets that keep working in the static HTML book, where there is no kernel.

A live kernel could redraw a figure on every change; the published book has
no kernel. So the builders here precompute: every combination of control
values is rendered once into a PNG held by an ``ipywidgets.Image``; the images
sit in ``ipywidgets.Stack`` containers; and each control's ``index`` is tied
to a stack's ``selected_index`` by ``jslink``, a link that lives in the
browser. Executed with widget state stored (nbclient's
``store_widget_state=True``, as ``make notebooks`` does), a notebook carries
that state in ``metadata.widgets``; myst-nb embeds it in the HTML page, and
the controls keep switching images offline. In Jupyter or on Binder the same
widgets work the same way.

Two controls make a Stack of Stacks: the outer one follows the first control,
each inner one the second (one jslink per inner stack, all from the same
control). Three controls nest once more.

Size: every image is embedded in the page, base64-encoded. Measured with
:func:`figure_to_png`'s 256-colour PNGs: a 5 x 3.5 inch figure at the default
100 dpi (500 x 350 px) holding a decision-boundary heatmap and a loss curve
costs ~29 kB, so a 5 x 7 grid of them is ~1.0 MB; a loss curve alone ~13 kB.
Keep each page's widgets under ~3 MB in all.
"""

from __future__ import annotations

import io
import json
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from matplotlib.figure import Figure
from traitlets import Unicode

DEFAULT_DPI = 100
"""Resolution of the precomputed images: a 5 x 3.5 inch figure becomes
500 x 350 pixels."""


def figure_to_png(fig: Figure, dpi: float = DEFAULT_DPI, colors: int | None = 256) -> bytes:
    """Render a figure to PNG bytes and close it.

    The figure is flattened onto white (a transparent background would turn
    black on the book's dark theme) and, with ``colors``, reduced to a
    palette of that many colours without dithering: for plots this looks the
    same and makes the PNG about 3 times smaller, which is what lets a page
    embed dozens of images. ``colors=None`` keeps full RGB. The PNG carries
    no version or date metadata, so a figure always gives the same bytes.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=dpi, facecolor=fig.get_facecolor(), metadata={"Software": None}
    )
    plt.close(fig)
    if colors is None:
        return buffer.getvalue()
    rgba = PIL.Image.open(buffer).convert("RGBA")
    white = PIL.Image.new("RGBA", rgba.size, "white")
    flat = PIL.Image.alpha_composite(white, rgba).convert("RGB")
    palette = flat.quantize(
        colors, method=PIL.Image.Quantize.MEDIANCUT, dither=PIL.Image.Dither.NONE
    )
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue()


def format_value(value: Any) -> str:
    """A control label: numbers in plain positional notation with at most 3
    significant digits (0.001, 0.0316, 1, 10, 100), a point (a tuple of
    numbers) as "(1, -0.5)", anything else as str."""
    if _is_number(value):
        if isinstance(value, numbers.Integral):
            return str(int(value))
        return np.format_float_positional(float(value), precision=3, fractional=False, trim="-")
    if _is_point(value):
        return "(" + ", ".join(format_value(v) for v in value) + ")"
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_point(value: Any) -> bool:
    """A tuple of numbers, such as an input point (1.0, 0.5)."""
    return isinstance(value, tuple) and bool(value) and all(_is_number(v) for v in value)


class _Picture(w.Image):
    """An Image whose tooltip, its alt text, reaches the page.

    ipywidgets' JavaScript (8.1) reads a widget's ``description`` before it
    writes the tooltip into the element's ``title``, and fails for widgets
    that have none, such as Image (jupyter-widgets/ipywidgets#3860): the
    picture is then not shown at all. This empty description lets it through.
    """

    description = Unicode("").tag(sync=True)
    # backprop.book.figure1.picture_numbers of a drawn network, as JSON ("" for
    # other pictures); the book's build turns it into hotspots and a table
    # (ext/book_web/picture_numbers.py)
    numbers = Unicode("").tag(sync=True)


NEEDS_KERNEL = "bp-needs-kernel"
"""CSS class of a widget whose controls need a running kernel. The book's
build (ext/book_web/kernel_controls.py) disables every control inside it in the static
page and fills in its :func:`kernel_note`."""

KERNEL_NOTE = "bp-kernel-note"
"""CSS class of the note that says why such controls are disabled."""


def needs_kernel(box: w.Box) -> w.Box:
    """Mark ``box`` as live-only (see :data:`NEEDS_KERNEL`) and return it."""
    box.add_class(NEEDS_KERNEL)
    return box


def kernel_note() -> w.HTML:
    """Empty with a kernel; in the static book the build writes there why the
    controls next to it are disabled."""
    note = w.HTML("")
    note.add_class(KERNEL_NOTE)
    return note


def picture(png: bytes, alt: str) -> w.Image:
    """An Image widget for a PNG, with ``alt`` as its alt text (shown as its
    tooltip in Jupyter; the book makes it the ``alt`` of the ``<img>``)."""
    layout = w.Layout(max_width="100%", height="auto")
    return _Picture(value=png, format="png", layout=layout, tooltip=alt)


def _image(frame: Figure | bytes, dpi: float, alt: str) -> w.Image:
    """One precomputed picture; a Figure is rendered (and closed) first.

    ``alt`` becomes the image's tooltip, which the page writes as the
    ``title`` of the ``<img>``: its accessible name, read by screen readers.
    """
    if isinstance(frame, bytes):
        return picture(frame, alt)
    from .figure1 import picture_numbers  # a drawn network's numbers, before it is closed

    numbers = picture_numbers(frame)
    image = picture(figure_to_png(frame, dpi), alt)
    if numbers is not None:
        image.numbers = json.dumps(numbers, ensure_ascii=False, separators=(",", ":"))
    return image


def _alt_text(alt: str | None, values: Mapping[str, Any]) -> str:
    """``alt`` filled in with the control values (formatted as the controls
    show them), or by default the values themselves: "activation tanh,
    learning rate 0.1"."""
    shown = {name: format_value(v) for name, v in values.items()}
    if alt is None:
        return ", ".join(f"{name.replace('_', ' ')} {v}" for name, v in shown.items())
    try:
        return alt.format(**shown)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(
            f"alt must be a format string over the control names {list(shown)}, "
            f"e.g. '{{{next(iter(shown))}}}'; formatting {alt!r} failed: {error!r}"
        ) from None


def _linked_stack(control: w.Widget, children: Sequence[w.Widget], index: int) -> w.Stack:
    """A Stack showing child ``index``, whose selection follows the control's
    ``index`` in the browser (jslink), with or without a kernel."""
    stack = w.Stack(list(children), selected_index=index)
    w.jslink((control, "index"), (stack, "selected_index"))
    return stack


def _control(name: str, values: Sequence[Any], index: int) -> w.Widget:
    """A SelectionSlider for numbers, a Dropdown for anything else.

    Options are (label, position) pairs, so equal labels cannot clash; the
    synced ``index`` is what the stacks follow.
    """
    options = [(format_value(v), i) for i, v in enumerate(values)]
    common: dict[str, Any] = {
        "options": options,
        "index": index,
        "description": name.replace("_", " "),
        "style": {"description_width": "initial"},
    }
    if all(_is_number(v) for v in values):
        return w.SelectionSlider(continuous_update=True, layout=w.Layout(width="400px"), **common)
    return w.Dropdown(**common)


def _start_index(name: str, values: Sequence[Any], wanted: Any) -> int:
    """Position of ``wanted`` in ``values`` (numbers compared with isclose)."""
    for i, v in enumerate(values):
        same = _is_number(v) and _is_number(wanted) and bool(np.isclose(v, wanted))
        if same or v == wanted:
            return i
    choices = ", ".join(format_value(v) for v in values)
    raise ValueError(f"value for {name!r} must be one of its values ({choices}); got {wanted!r}")


def explorer(
    render: Callable[..., Figure],
    controls: Mapping[str, Sequence[Any]],
    *,
    description: str | None = None,
    value: Mapping[str, Any] | None = None,
    alt: str | None = None,
    dpi: float = DEFAULT_DPI,
    live: bool = False,
) -> w.VBox:
    """Controls over a grid of precomputed figures, interactive without a kernel.

    Args:
        render: ``render(**kwargs)`` returns the matplotlib Figure for one
            combination of control values, e.g. ``render(activation="tanh",
            learning_rate=0.1)``. It is called once per combination, in
            order, and each figure is closed after rendering.
        controls: parameter name -> its values, in display order; numbers
            get a SelectionSlider (use log-spaced learning rates, e.g.
            ``[0.001, 0.01, 0.1, 1, 10]``), anything else a Dropdown. The
            first control is the outermost Stack.
        description: optional text (HTML) shown above the controls.
        value: parameter name -> the value selected at first (what the
            untouched static page shows); by default each first value.
        alt: what each picture shows, for screen readers (and as its
            tooltip): a format string over the control names, e.g. ``"loss
            curve for {activation} at learning rate {learning_rate}"``. By
            default the control values, e.g. "activation tanh, learning
            rate 0.1".
        dpi: resolution of the images.
        live: also add, for a running kernel, a box where each numeric
            control (and each coordinate of a control whose values are
            points, tuples of numbers) takes any value in its range, not
            only the grid's, and
            a button that calls ``render`` with those values and shows the
            new picture (see :func:`_live_box`). ``render`` must then
            compute, not look up, its figure. The static book shows the
            box disabled, with a note that says why.

    Returns:
        ``VBox([HTML (if description), HBox(controls), Stack])``, plus the
        live box last with ``live``; the number of precomputed images is the
        product of the lengths of the value lists.
    """
    if not 1 <= len(controls) <= 3:
        raise ValueError(f"explorer takes 1 to 3 controls; got {len(controls)}")
    names = list(controls)
    grids = [list(controls[name]) for name in names]
    for name, grid in zip(names, grids, strict=True):
        if not grid:
            raise ValueError(f"control {name!r} has no values")
    value = dict(value or {})
    _alt_text(alt, {name: grid[0] for name, grid in zip(names, grids, strict=True)})  # fail early
    unknown = set(value) - set(names)
    if unknown:
        raise ValueError(f"value names {sorted(unknown)} are not controls ({names})")
    start = [
        _start_index(name, grid, value[name]) if name in value else 0
        for name, grid in zip(names, grids, strict=True)
    ]
    widgets = [_control(n, g, i) for n, g, i in zip(names, grids, start, strict=True)]

    def nest(prefix: tuple[int, ...]) -> w.Stack:
        depth = len(prefix)
        children: list[w.Widget] = []
        for i in range(len(grids[depth])):
            combo = (*prefix, i)
            if depth == len(grids) - 1:
                kwargs = {n: grids[d][c] for d, (n, c) in enumerate(zip(names, combo, strict=True))}
                children.append(_image(render(**kwargs), dpi, _alt_text(alt, kwargs)))
            else:
                children.append(nest(combo))
        return _linked_stack(widgets[depth], children, start[depth])

    rows: list[w.Widget] = [w.HTML(description)] if description else []
    rows += [w.HBox(widgets, layout=w.Layout(flex_flow="row wrap")), nest(())]
    if live:
        rows.append(_live_box(render, dict(zip(names, grids, strict=True)), widgets, alt, dpi))
    return w.VBox(rows)


def _blank_png() -> bytes:
    """A 1 x 1 white PNG: the live picture before its first retraining (a
    valid image, so the book's build can re-encode it like every other)."""
    out = io.BytesIO()
    PIL.Image.new("RGB", (1, 1), "white").save(out, format="png")
    return out.getvalue()


def _live_box(
    render: Callable[..., Figure | bytes],
    grids: Mapping[str, Sequence[Any]],
    selectors: Sequence[w.Widget],
    alt: str | None,
    dpi: float,
) -> w.Box:
    """Retrain on demand with a kernel: a number field per numeric control
    (any value from the grid's smallest to its largest, starting at the
    selected one) and per coordinate of a control whose values are points
    (tuples of numbers, each coordinate over its own range), the other
    controls as selected above, a button, and the picture it makes. Marked
    :func:`needs_kernel`."""
    fields: dict[str, list[w.BoundedFloatText]] = {}
    for (name, grid), selector in zip(grids.items(), selectors, strict=True):
        label = name.replace("_", " ")
        if all(_is_number(v) for v in grid):
            columns = [[float(v) for v in grid]]
            labels = [f"{label}, any value"]
            start = [float(grid[selector.index])]
        elif all(_is_point(v) for v in grid) and len({len(v) for v in grid}) == 1:
            columns = [[float(v) for v in column] for column in zip(*grid, strict=True)]
            labels = [f"{label} {m + 1}, any value" for m in range(len(columns))]
            start = [float(v) for v in grid[selector.index]]
        else:
            continue
        fields[name] = [
            w.BoundedFloatText(
                value=first,
                min=min(column),
                max=max(column),
                step=None,
                description=text,
                style={"description_width": "initial"},
            )
            for column, text, first in zip(columns, labels, start, strict=True)
        ]
    button = w.Button(description="Retrain with these values", layout=w.Layout(width="auto"))
    shown = picture(_blank_png(), "No retrained picture yet")  # hidden until the first one
    shown.layout.display = "none"

    def value_of(name: str, grid: Sequence[Any], selector: w.Widget) -> Any:
        if name not in fields:
            return grid[selector.index]
        if _is_number(grid[0]):
            return fields[name][0].value
        return tuple(field.value for field in fields[name])

    def retrain(_: Any = None) -> None:
        values = {
            name: value_of(name, grid, selector)
            for (name, grid), selector in zip(grids.items(), selectors, strict=True)
        }
        figure = render(**values)
        shown.value = figure if isinstance(figure, bytes) else figure_to_png(figure, dpi)
        shown.tooltip = _alt_text(alt, values)
        shown.layout.display = None

    button.on_click(retrain)
    every_field = [field for group in fields.values() for field in group]
    controls = w.HBox([*every_field, button], layout=w.Layout(flex_flow="row wrap"))
    return needs_kernel(w.VBox([kernel_note(), controls, shown]))


def stepper(
    frames: Sequence[Figure | bytes],
    *,
    description: str = "step",
    alt: Sequence[str] | None = None,
    dpi: float = DEFAULT_DPI,
) -> w.VBox:
    """Step through precomputed frames with a slider (drag it, or focus it
    and use the arrow keys).

    There is deliberately no ``Play`` button: in the built book the theme's
    Font Awesome script replaces the button's icon, the Play view then fails
    on every change, and that error stops the jslink to the images.

    Args:
        frames: Figures (rendered and closed here) or PNG bytes, in order;
            e.g. the steps of :func:`backprop.book.figure1.backprop_steps`.
        description: the slider's label.
        alt: what each frame shows, for screen readers (and as its tooltip),
            one text per frame, e.g. the titles from ``backprop_steps``; by
            default "step 1 of 8" and so on.
        dpi: resolution for Figures.

    Returns:
        ``VBox([SelectionSlider, Stack])``, the slider reading 1..n and its
        index jslinked to the Stack's selected_index.
    """
    if not frames:
        raise ValueError("stepper needs at least one frame")
    n = len(frames)
    if alt is None:
        alt = [f"{description} {i} of {n}" for i in range(1, n + 1)]
    elif isinstance(alt, str) or len(alt) != n:
        got = "a string" if isinstance(alt, str) else f"{len(alt)} texts"
        raise ValueError(f"alt must hold one text per frame ({n}); got {got}")
    images = [_image(frame, dpi, text) for frame, text in zip(frames, alt, strict=True)]
    slider = _control(description, list(range(1, len(images) + 1)), 0)
    return w.VBox([slider, _linked_stack(slider, images, 0)])
