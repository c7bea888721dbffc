"""The derivation chapters' explorers retrain live, at values off the grid.

Each chapter of 1-6 hands ``backprop.book.widgets.explorer(..., live=True)``
a picture function from ``backprop.book.explorers``. In a kernel, the live
box calls it with any value in a control's range; these tests set such a
value, press the button, and check that the picture shows a new
computation, not the nearest precomputed one. The chapters' own settings
(data, sizes, seeds, epochs) are used; only the grids are cut to two values
per control, to keep the tests fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop import HIDDEN_ACTIVATIONS, Network
from backprop.book import explorers
from backprop.book.explorers import (
    bias_training,
    deep_training,
    diverges,
    forward_view,
    hidden_training,
    output_weight_training,
    running_network,
    xor_training,
)
from backprop.book.output_layer import train_output_layer
from backprop.book.widgets import NEEDS_KERNEL, explorer
from backprop.datasets import two_moons, xor
from backprop.diagnostics import output_weight_curvature

MOONS_40 = two_moons(n_samples=40, noise=0.1, seed=0)  # chapters 2 and 3
MOONS_4 = two_moons(100, noise=0.15, seed=0)  # chapter 4
MOONS_6 = two_moons(100, noise=0.1, seed=0)  # chapter 6
RATES_2 = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]  # chapter 2's grid


@pytest.fixture(autouse=True)
def _close_everything() -> Iterator[None]:
    yield
    plt.close("all")
    w.Widget.close_all()


@dataclass
class Chapter:
    """One chapter's explorer: its picture function with the chapter's
    settings bound, a two-value grid per control, and a value of each
    numeric control off that grid (a point for a point control)."""

    render: Callable[..., Figure]
    grid: dict[str, list[Any]]
    off_grid: dict[str, Any]
    computed: Callable[[Figure], np.ndarray]


def training_curve(fig: Figure) -> np.ndarray:
    """The loss per epoch of the run the picture is about (the blue
    "training" line of plot_loss_curves; empty after a divergence in the
    first epoch)."""
    lines = [line for ax in fig.axes for line in ax.lines if line.get_label() == "training"]
    assert len(lines) <= 1
    return np.asarray(lines[0].get_ydata(), dtype=float) if lines else np.empty(0)


def descent_path(fig: Figure) -> np.ndarray:
    """Chapter 3: the bias values visited by gradient descent."""
    (line,) = [
        line for line in fig.axes[0].lines if "steps of gradient descent" in str(line.get_label())
    ]
    return np.asarray(line.get_xdata(), dtype=float)


def marked_z(fig: Figure) -> np.ndarray:
    """Chapter 1: the hidden nodes' z_j marked on the activation curve."""
    return np.asarray(fig.axes[-1].lines[-2].get_xdata(), dtype=float)


CHAPTERS = {
    "ch1": Chapter(
        forward_view,
        {
            "input_point": [(1.0, 0.5), (-0.5, 1.0)],
            "activation": ["tanh", "relu"],
            "scale": [2.0, 4.0],
        },
        {"input_point": (0.25, 0.8), "scale": 2.5},
        marked_z,
    ),
    "ch2": Chapter(
        partial(output_weight_training, X=MOONS_40[0], T=MOONS_40[1], rates=RATES_2, steps=60),
        {"learning_rate": [1.0, 3.0], "activation": ["tanh", "linear"]},
        {"learning_rate": 1.7},
        training_curve,
    ),
    "ch3": Chapter(
        partial(bias_training, X=MOONS_40[0], T=MOONS_40[1], steps=40, start=-2.0),
        {"learning_rate": [1.0, 3.0], "activation": ["sigmoid", "linear"]},
        {"learning_rate": 1.7},
        descent_path,
    ),
    "ch4": Chapter(
        partial(hidden_training, X=MOONS_4[0], T=MOONS_4[1], sizes=[2, 4, 1], seed=1, epochs=300),
        {"activation": ["sigmoid", "tanh"], "learning_rate": [1.0, 3.0]},
        {"learning_rate": 1.7},
        training_curve,
    ),
    "ch5": Chapter(
        partial(xor_training, X=xor()[0], T=xor()[1], epochs=500),
        {"activation": ["tanh", "relu"], "learning_rate": [1.0, 3.0]},
        {"learning_rate": 1.7},
        training_curve,
    ),
    "ch6": Chapter(
        partial(
            deep_training,
            X=MOONS_6[0],
            T=MOONS_6[1],
            activations=HIDDEN_ACTIVATIONS,
            sizes=[2, 8, 8, 8, 8, 8, 1],
            seed=1,
            epochs=200,
        ),
        {"activation": ["sigmoid", "tanh"], "learning_rate": [0.1, 0.3]},
        {"learning_rate": 0.17},
        training_curve,
    ),
}


def _images(widget: w.Widget) -> list[w.Image]:
    if isinstance(widget, w.Image):
        return [widget]
    return [image for child in getattr(widget, "children", ()) for image in _images(child)]


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_live_box_retrains_off_the_grid(name: str) -> None:
    """Through the widget: set every field of the live box off the grid,
    press the button, and the new picture is none of the precomputed ones."""
    chapter = CHAPTERS[name]
    box = explorer(chapter.render, chapter.grid, live=True)
    *_, stack, live = box.children
    assert NEEDS_KERNEL in live._dom_classes
    precomputed = {bytes(image.value) for image in _images(stack)}
    fields = [c for c in live.children[1].children if isinstance(c, w.BoundedFloatText)]
    (button,) = [c for c in live.children[1].children if isinstance(c, w.Button)]
    wanted = [
        coordinate
        for value in chapter.off_grid.values()
        for coordinate in (value if isinstance(value, tuple) else (value,))
    ]
    assert len(fields) == len(wanted), "one field per numeric control (per coordinate of a point)"
    for field, value in zip(fields, wanted, strict=True):
        field.value = value
        assert field.value == value, f"{value} should lie within the field's range"
    button.click()
    shown = bytes(live.children[2].value)
    assert shown and shown not in precomputed


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_off_grid_value_is_computed_not_looked_up(name: str) -> None:
    """What the picture draws at an off-grid value (the loss curve, the
    descent path, the marked z_j) differs from what it draws at each grid
    value around it, one control at a time: the function computes at the
    value it is given, it does not fall back on a neighbour. (The two-value grids are neighbours
    in the chapter's own grid, with the off-grid value between them.)"""
    chapter = CHAPTERS[name]
    first = {control: values[0] for control, values in chapter.grid.items()}
    off = chapter.computed(chapter.render(**(first | chapter.off_grid)))
    assert off.size
    for control, value in chapter.off_grid.items():  # one control at a time
        for neighbour in chapter.grid[control]:
            near = chapter.computed(
                chapter.render(**(first | chapter.off_grid | {control: neighbour}))
            )
            same = off.shape == near.shape and np.allclose(off, near, rtol=1e-6, atol=0)
            assert not same, f"{name}: {control} = {value} draws the picture of {neighbour}"


def _words(fig: Figure) -> str:
    """Every text drawn in the figure: messages and titles."""
    parts = []
    for ax in fig.axes:
        parts += [text.get_text() for text in ax.texts]
        parts += [ax.get_title(loc) for loc in ("left", "center", "right")]
    return " ".join(parts)


@pytest.mark.parametrize(
    ("name", "values", "said"),
    [
        ("ch2", {"learning_rate": 50.0, "activation": "linear"}, "Diverged"),  # off the grid
        ("ch2", {"learning_rate": 10.0, "activation": "linear"}, "diverges"),  # grows slowly
        ("ch3", {"learning_rate": 7.0, "activation": "linear"}, "Diverged"),
        ("ch5", {"learning_rate": 300.0, "activation": "tanh"}, "too large"),
        ("ch6", {"learning_rate": 2.5, "activation": "relu"}, "Diverged"),
    ],
)
def test_a_diverging_rate_draws_a_message(name: str, values: dict[str, Any], said: str) -> None:
    """A learning rate that blows training up gives a picture that says so,
    not an exception."""
    fig = CHAPTERS[name].render(**values)
    assert said in _words(fig)


def test_chapter_two_marks_the_limit_two_over_c() -> None:
    """The learning-rate axis has a line at 2/c, with c from the data, and
    the title puts the rate on the right side of it."""
    X, T = MOONS_40
    A_j = running_network(output="linear").feedforward(X).a[1]
    limit = 2 / np.linalg.eigvalsh(A_j.T @ A_j / len(X)).max()
    for rate, side in [(3.0, "<"), (10.0, ">")]:
        fig = CHAPTERS["ch2"].render(learning_rate=rate, activation="linear")
        strip = fig.axes[-1]
        lines = [line.get_xdata() for line in strip.lines]
        assert any(np.allclose(x, [limit, limit], rtol=1e-6) for x in lines)
        assert f"{side} 2/c = {limit:.3g}" in _words(fig)
        assert ("diverges" in _words(fig)) == (side == ">")


def test_output_weight_curvature() -> None:
    """Linear output: the largest eigenvalue of A_j^T A_j / N. Sigmoid
    output: the largest eigenvalue of the Hessian written out,
    (1/N) sum_n a_j a_j^T (g'(z)^2 + (a - t) g''(z)) with g'' = g'(1 - 2a).
    The network is left as it was."""
    X, T = MOONS_40
    net = running_network(output="linear")
    A_j = net.feedforward(X).a[1]
    before = [W.copy() for W in net.weights]
    c = output_weight_curvature(net, X, T)
    assert c == pytest.approx(np.linalg.eigvalsh(A_j.T @ A_j / len(X)).max(), rel=1e-7)
    assert all(np.array_equal(W, saved) for W, saved in zip(net.weights, before, strict=True))

    net = running_network(output="sigmoid")
    a = net.forward(X)[:, 0]
    g1 = a * (1 - a)
    g2 = g1 * (1 - 2 * a)
    weight = g1**2 + (a - T[:, 0]) * g2
    hessian = (A_j * weight[:, None]).T @ A_j / len(X)
    expected = np.linalg.eigvalsh(hessian).max()
    assert output_weight_curvature(net, X, T) == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match="eps"):
        output_weight_curvature(net, X, T, eps=0.0)


def test_gradient_descent_on_a_quadratic_obeys_two_over_c() -> None:
    """The limit the chapter's widget draws is the true one: just below 2/c
    the linear output's error falls, just above it grows."""
    X, T = MOONS_40
    limit = 2 / output_weight_curvature(running_network(output="linear"), X, T)
    below = train_output_layer(
        running_network(output="linear"), X, T, learning_rate=0.97 * limit, steps=300
    )
    above = train_output_layer(
        running_network(output="linear"), X, T, learning_rate=1.03 * limit, steps=300
    )
    assert not diverges(below) and diverges(above)


def test_forward_view_runs_the_input_it_is_given() -> None:
    """Chapter 1: the marked z_j are those of the chosen input through the
    running network with the input weights scaled."""
    fig = forward_view("tanh", 2.0, (0.25, -0.4))
    net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    expected = np.array([0.25, -0.4]) @ (2.0 * net.weights[0]) + net.biases[0]
    np.testing.assert_allclose(marked_z(fig), expected, rtol=1e-12)
    assert "input (0.25, -0.4)" in _words(fig)


def test_every_picture_function_is_tested() -> None:
    """Every picture function is listed here, so a new chapter's gets a test."""
    tested = {chapter.render for chapter in CHAPTERS.values()}
    functions = {getattr(r, "func", r) for r in tested}
    public = {
        getattr(explorers, name)
        for name in dir(explorers)
        if name.endswith(("_view", "_training")) and callable(getattr(explorers, name))
    }
    assert public == functions
