"""The picture_numbers room of the book's extension (ext/book_web/picture_numbers.py),
without building the book: the hotspots and the table it writes for a
picture drawn by backprop.book.figure1.draw_network."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from book_web import picture_numbers as room
from docutils import nodes  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from backprop.book.figure1 import PICTURE_KEY, draw_network, picture_numbers  # noqa: E402
from backprop.book.worked_example import worked_example  # noqa: E402


def _figure(ax: Axes) -> Figure:
    """The figure an axes is drawn in (a Figure, never a SubFigure here)."""
    fig = ax.figure
    assert isinstance(fig, Figure)
    return fig


def _numbers() -> dict:
    net, x, t = worked_example()
    fig = _figure(draw_network(net, x, t, show="all"))
    numbers = picture_numbers(fig, tight=True)
    plt.close(fig)
    assert numbers is not None
    return numbers


def test_key_is_the_one_figure1_writes() -> None:
    assert room.PICTURE_KEY == PICTURE_KEY


def test_number_is_quoted_with_4_decimals_without_negative_zero() -> None:
    assert room.number(-0.01332) == "-0.0133"
    assert room.number(-0.0) == "0.0000"
    assert room.number(-0.00004) == "0.0000"
    assert room.number(1) == "1.0000"


def test_each_spot_is_a_labelled_focusable_part_placed_over_its_box() -> None:
    numbers = _numbers()
    for spot in numbers["spots"]:
        button = room.spot_button(spot)
        left, top, width, height = spot["box"]
        assert f"left:{100 * left:.2f}%;top:{100 * top:.2f}%" in button
        assert f"width:{100 * width:.2f}%;height:{100 * height:.2f}%" in button
        found = re.search(r'aria-label="([^"]*)"', button)
        assert found is not None
        label = html.unescape(found.group(1))
        assert label.startswith(spot["name"])
        for symbol, value in spot["values"]:
            assert f"{symbol} = {room.number(value)}" in label
        assert button.startswith('<span class="bp-spot') and 'role="img" tabindex="0"' in button
        assert 'aria-hidden="true"' in button  # the tooltip is not read twice


def test_table_holds_every_value() -> None:
    numbers = _numbers()
    table = html.unescape(room.numbers_table(numbers))
    assert table.startswith('<details class="bp-numbers"><summary>')
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table)
    names = {name for name, _ in rows}
    for spot in numbers["spots"]:
        if spot["kind"] == "error":
            assert f"error: E = {room.number(spot['values'][0][1])}" in table
            continue
        assert spot["name"] in names
        cells = dict(rows)[spot["name"]]
        for _, value in spot["values"]:
            assert f"<td>{room.number(value)}</td>" in cells


def test_render_image_wraps_only_pictures_with_numbers() -> None:
    numbers = _numbers()
    image = [nodes.image(uri="x.png")]
    render = room._with_numbers(lambda self, data: list(image))
    plain = render(None, SimpleNamespace(output_metadata={}))
    assert plain == image
    wrapped = render(None, SimpleNamespace(output_metadata={PICTURE_KEY: numbers}))
    assert wrapped[1] is image[0]
    assert wrapped[0].astext() == '<div class="bp-pic">'
    assert wrapped[2].astext().count('tabindex="0"') == len(numbers["spots"])
    assert "</div><details" in wrapped[2].astext()


def test_widget_pictures_leave_the_state_as_classes_and_html() -> None:
    import ipywidgets as w

    from backprop.book.figure1 import backprop_steps
    from backprop.book.widgets import stepper

    net, x, t = worked_example()
    steps = backprop_steps(net, x, t)
    box = stepper([_figure(draw_network(**kw)) for _, kw in steps], alt=[a for a, _ in steps])
    try:
        state = {"state": w.Widget.get_manager_state(drop_defaults=True)["state"]}
        images = [
            m["state"]
            for m in state["state"].values()
            if m["model_name"] == "ImageModel" and m["state"].get("numbers")
        ]
        assert len(images) == len(steps)
        found = room.widget_pictures(state)
        assert len(found) == len(steps)
        for image in images:
            assert "numbers" not in image
            classes = image["_dom_classes"]
            assert classes[-2] == room.WIDGET_CLASS and classes[-1] in found
        first = found[images[0]["_dom_classes"][-1]]
        assert 'role="img" tabindex="0"' in first["spots"]
        assert first["table"].startswith('<details class="bp-numbers">')
        assert room.widget_pictures(state) == {}  # taken out: a second pass finds none
    finally:
        box.close_all()
