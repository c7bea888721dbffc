"""Tests of backprop.book.widgets: precomputed images in jslinked Stacks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import PIL.Image
import pytest
from matplotlib.figure import Figure

from backprop.book.widgets import (
    KERNEL_NOTE,
    NEEDS_KERNEL,
    explorer,
    figure_to_png,
    format_value,
    stepper,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ACTIVATIONS = ["sigmoid", "tanh", "relu"]
RATES = [0.001, 0.01, 0.1, 1.0]


@pytest.fixture(autouse=True)
def _close_everything() -> Iterator[None]:
    yield
    plt.close("all")
    w.Widget.close_all()


def tiny(*values: object) -> Figure:
    """A small pyplot figure whose pixels depend on ``values``."""
    fig, ax = plt.subplots(figsize=(1.0, 0.6), facecolor="white")
    ax.set_axis_off()
    ax.text(0.0, 0.3, " ".join(map(str, values)), fontsize=7)
    return fig


def links_into(widget: w.Widget, trait: str) -> list[tuple[str, str]]:
    """(source model id, source trait) of every jslink whose target is
    (widget, trait), read from the widget state a notebook would store."""
    found = []
    for model in w.Widget.get_manager_state(drop_defaults=False)["state"].values():
        if model["model_name"] != "LinkModel":
            continue
        (source, source_trait), (target, target_trait) = (
            model["state"]["source"],
            model["state"]["target"],
        )
        if target == f"IPY_MODEL_{widget.model_id}" and target_trait == trait:
            found.append((source.removeprefix("IPY_MODEL_"), source_trait))
    return found


def images_in(widget: w.Widget) -> list[w.Image]:
    if isinstance(widget, w.Image):
        return [widget]
    return [image for child in getattr(widget, "children", ()) for image in images_in(child)]


def test_figure_to_png_is_deterministic_and_closes_the_figure() -> None:
    open_before = set(plt.get_fignums())  # other tests may leave figures open
    first = figure_to_png(tiny("a"), dpi=50)
    assert first.startswith(PNG_SIGNATURE)
    assert set(plt.get_fignums()) == open_before
    assert figure_to_png(tiny("a"), dpi=50) == first
    assert figure_to_png(tiny("b"), dpi=50) != first
    full = figure_to_png(tiny("a"), dpi=50, colors=None)
    assert (
        PIL.Image.open(io.BytesIO(full)).size
        == PIL.Image.open(io.BytesIO(first)).size
        == (
            50,
            30,
        )
    )


def test_figure_to_png_flattens_a_transparent_figure_onto_white() -> None:
    fig = Figure(figsize=(0.5, 0.5), facecolor="none")
    image = PIL.Image.open(io.BytesIO(figure_to_png(fig, dpi=20))).convert("RGB")
    assert image.getpixel((0, 0)) == (255, 255, 255)


def test_format_value_labels() -> None:
    assert [format_value(v) for v in [0.001, 0.01, 0.1, 1.0, 10.0]] == [
        "0.001",
        "0.01",
        "0.1",
        "1",
        "10",
    ]
    assert format_value(0.0031622776) == "0.00316"
    assert format_value(3) == "3" and format_value("tanh") == "tanh"


def test_explorer_stack_of_stacks_follows_dropdown_and_slider() -> None:
    calls: list[tuple[str, float]] = []

    def render(activation: str, learning_rate: float) -> Figure:
        calls.append((activation, learning_rate))
        return tiny(activation, learning_rate)

    box = explorer(
        render,
        {"activation": ACTIVATIONS, "learning_rate": RATES},
        description="<b>try it</b>",
        value={"activation": "tanh", "learning_rate": 0.1},
        dpi=40,
    )
    assert sorted(calls) == sorted((a, r) for a in ACTIVATIONS for r in RATES)  # once each
    assert plt.get_fignums() == []
    caption, controls, outer = box.children
    assert isinstance(caption, w.HTML) and caption.value == "<b>try it</b>"
    dropdown, slider = controls.children
    assert isinstance(dropdown, w.Dropdown) and isinstance(slider, w.SelectionSlider)
    assert dropdown.description == "activation" and slider.description == "learning rate"
    assert [label for label, _ in slider.options] == ["0.001", "0.01", "0.1", "1"]

    assert isinstance(outer, w.Stack) and len(outer.children) == len(ACTIVATIONS)
    assert all(isinstance(inner, w.Stack) for inner in outer.children)
    assert [len(inner.children) for inner in outer.children] == [len(RATES)] * 3
    images = images_in(outer)
    assert len(images) == len(ACTIVATIONS) * len(RATES)
    assert len({image.value for image in images}) == len(images)  # every combination differs

    assert links_into(outer, "selected_index") == [(dropdown.model_id, "index")]
    for inner in outer.children:
        assert links_into(inner, "selected_index") == [(slider.model_id, "index")]

    assert dropdown.index == outer.selected_index == 1
    assert slider.index == 2 and all(inner.selected_index == 2 for inner in outer.children)
    shown = outer.children[1].children[2]
    assert shown.value == figure_to_png(tiny("tanh", 0.1), dpi=40)


def test_explorer_one_and_three_controls() -> None:
    box = explorer(lambda n: tiny(n), {"n": [1, 2, 3]}, dpi=20)
    (slider,), stack = box.children[0].children, box.children[1]
    assert isinstance(slider, w.SelectionSlider) and slider.index == stack.selected_index == 0
    assert len(images_in(stack)) == 3
    assert links_into(stack, "selected_index") == [(slider.model_id, "index")]

    grid: dict[str, list[Any]] = {"a": ["x", "y"], "b": [1, 2], "c": ["p", "q"]}
    box = explorer(lambda a, b, c: tiny(a, b, c), grid, value={"c": "q"}, dpi=20)
    stack = box.children[1]
    assert len(images_in(stack)) == 8
    third = box.children[0].children[2]
    innermost = [leaf for middle in stack.children for leaf in middle.children]
    assert len(innermost) == 4
    for leaf in innermost:
        assert links_into(leaf, "selected_index") == [(third.model_id, "index")]
        assert leaf.selected_index == 1


def test_explorer_rejects_bad_controls() -> None:
    with pytest.raises(ValueError, match="1 to 3 controls"):
        explorer(tiny, {})
    with pytest.raises(ValueError, match="has no values"):
        explorer(tiny, {"a": []})
    with pytest.raises(ValueError, match="must be one of its values"):
        explorer(tiny, {"a": [1, 2]}, value={"a": 3})
    with pytest.raises(ValueError, match="not controls"):
        explorer(tiny, {"a": [1, 2]}, value={"b": 1})


def test_stepper_links_slider_and_stack() -> None:
    frames: list[Figure | bytes] = [tiny("one"), tiny("two"), figure_to_png(tiny("three"), dpi=20)]
    box = stepper(frames, description="step", dpi=20)
    slider, stack = box.children
    assert isinstance(slider, w.SelectionSlider) and slider.description == "step"
    assert [label for label, _ in slider.options] == ["1", "2", "3"]
    assert len(images_in(stack)) == 3 and stack.selected_index == slider.index == 0
    assert stack.children[2].value == frames[2]
    assert len({image.value for image in images_in(stack)}) == 3
    assert links_into(stack, "selected_index") == [(slider.model_id, "index")]
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="at least one frame"):
        stepper([])


def test_every_picture_has_alt_text_from_its_control_values() -> None:
    box = explorer(
        lambda activation, learning_rate: tiny(activation, learning_rate),
        {"activation": ["tanh", "relu"], "learning_rate": [0.1, 1.0]},
        alt="loss for {activation} at rate {learning_rate}",
        dpi=20,
    )
    stack = box.children[1]
    alts = [[image.tooltip for image in inner.children] for inner in stack.children]
    assert alts == [
        ["loss for tanh at rate 0.1", "loss for tanh at rate 1"],
        ["loss for relu at rate 0.1", "loss for relu at rate 1"],
    ]
    default = explorer(lambda n, window_size: tiny(n), {"n": [3], "window_size": ["a"]}, dpi=20)
    assert images_in(default)[0].tooltip == "n 3, window size a"
    with pytest.raises(ValueError, match=r"format string over the control names \['n'\]"):
        explorer(lambda n: tiny(n), {"n": [1]}, alt="{activation}")


def test_stepper_alt_text_one_per_frame() -> None:
    frames = [tiny("one"), tiny("two")]
    box = stepper(frames, alt=["the input", "the output"], dpi=20)
    assert [image.tooltip for image in images_in(box)] == ["the input", "the output"]
    plain = stepper([tiny("one"), tiny("two")], description="move", dpi=20)
    assert [image.tooltip for image in images_in(plain)] == ["move 1 of 2", "move 2 of 2"]
    with pytest.raises(ValueError, match=r"one text per frame \(2\); got 1 texts"):
        stepper([tiny("a"), tiny("b")], alt=["only one"])
    with pytest.raises(ValueError, match="got a string"):
        stepper([tiny("a"), tiny("b")], alt="ab")


def test_live_box_retrains_with_a_value_off_the_grid() -> None:
    """With a kernel, the live box takes any learning rate in the grid's
    range and redraws with exactly that value on demand."""
    calls: list[tuple[str, float]] = []

    def render(activation: str, learning_rate: float) -> Figure:
        calls.append((activation, learning_rate))
        return tiny(activation, learning_rate)

    box = explorer(
        render,
        {"activation": ACTIVATIONS, "learning_rate": RATES},
        value={"activation": "tanh", "learning_rate": 0.1},
        alt="{activation} at {learning_rate}",
        live=True,
    )
    live = box.children[-1]
    assert NEEDS_KERNEL in live._dom_classes
    note, controls, shown = live.children
    assert KERNEL_NOTE in note._dom_classes and note.value == ""
    (field,) = [c for c in controls.children if isinstance(c, w.BoundedFloatText)]
    (button,) = [c for c in controls.children if isinstance(c, w.Button)]
    assert (field.min, field.max, field.value) == (0.001, 1.0, 0.1)
    assert shown.layout.display == "none"
    grid_calls = len(calls)

    field.value = 0.05  # not one of RATES
    button.click()
    assert calls[grid_calls:] == [("tanh", 0.05)]
    assert bytes(shown.value).startswith(PNG_SIGNATURE) and shown.layout.display is None
    assert shown.tooltip == "tanh at 0.05"
    first = shown.value

    field.value = 0.37
    button.click()
    assert calls[-1] == ("tanh", 0.37)
    assert shown.value != first, "a new learning rate should give a new picture"


def test_explorer_without_live_has_no_live_box() -> None:
    box = explorer(lambda activation: tiny(activation), {"activation": ACTIVATIONS})
    assert not any(NEEDS_KERNEL in child._dom_classes for child in box.children)


def test_live_box_gives_a_point_control_one_field_per_coordinate() -> None:
    """A control whose values are points (tuples of numbers) is a Dropdown
    of "(x, y)" labels; the live box gives each coordinate its own field,
    over that coordinate's range in the grid, and passes the point on."""
    calls: list[tuple[tuple[float, float], float]] = []

    def render(point: tuple[float, float], scale: float) -> Figure:
        calls.append((point, scale))
        return tiny(point, scale)

    points = [(1.0, 0.5), (-1.0, 2.0), (0.0, -0.5)]
    box = explorer(
        render, {"point": points, "scale": [1.0, 4.0]}, value={"point": (-1.0, 2.0)}, live=True
    )
    dropdown = box.children[0].children[0]
    assert isinstance(dropdown, w.Dropdown)
    assert [label for label, _ in dropdown.options] == ["(1, 0.5)", "(-1, 2)", "(0, -0.5)"]
    assert format_value((0.25, -3)) == "(0.25, -3)"
    live = box.children[-1]
    fields = [c for c in live.children[1].children if isinstance(c, w.BoundedFloatText)]
    (button,) = [c for c in live.children[1].children if isinstance(c, w.Button)]
    assert [(f.description, f.min, f.max, f.value) for f in fields] == [
        ("point 1, any value", -1.0, 1.0, -1.0),
        ("point 2, any value", -0.5, 2.0, 2.0),
        ("scale, any value", 1.0, 4.0, 1.0),
    ]
    for field, value in zip(fields, [0.3, 1.2, 2.5], strict=True):
        field.value = value
    button.click()
    assert calls[-1] == ((0.3, 1.2), 2.5)
    assert live.children[2].tooltip == "point (0.3, 1.2), scale 2.5"
