"""The numbers behind a drawing of backprop.book.figure1 (picture_numbers):
each spot falls on what it names in the saved picture, and its values are
the network's, rounded to 4 decimals."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import PIL.Image  # noqa: E402
import pytest  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from backprop import Network  # noqa: E402
from backprop.book.figure1 import (  # noqa: E402
    PICTURE_KEY,
    backprop_steps,
    draw_network,
    picture_numbers,
)
from backprop.book.style import NEGATIVE, NODE_FILL, POSITIVE  # noqa: E402
from backprop.book.worked_example import deep_worked_example, worked_example  # noqa: E402


def _figure(ax: Axes) -> Figure:
    """The figure an axes is drawn in (a Figure, never a SubFigure here)."""
    fig = ax.figure
    assert isinstance(fig, Figure)
    return fig


def _picture(fig: plt.Figure, tight: bool) -> np.ndarray:
    """The figure as the inline backend (tight) or figure_to_png saves it."""
    if tight:
        png = print_figure(fig, "png", bbox_inches="tight")
    else:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", facecolor=fig.get_facecolor())
        png = buffer.getvalue()
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB")).astype(float)


def _share(pixels: np.ndarray, box: list[float], colour: str, tol: float = 12) -> float:
    """The share of the box's pixels within ``tol`` of ``colour``."""
    h, w = pixels.shape[:2]
    left, top, width, height = box
    x0, x1 = int(round(left * w)), int(round((left + width) * w))
    y0, y1 = int(round(top * h)), int(round((top + height) * h))
    inside = pixels[y0:y1, x0:x1]
    rgb = np.array(to_rgb(colour)) * 255
    return float(np.mean(np.all(np.abs(inside - rgb) <= tol, axis=-1)))


def _near(pixels: np.ndarray, box: list[float], colour: str) -> bool:
    """Some pixel of the box's middle third has (about) ``colour``."""
    left, top, width, height = box
    middle = [left + width / 3, top + height / 3, width / 3, height / 3]
    return _share(pixels, middle, colour, tol=40) > 0


@pytest.mark.parametrize("tight", [True, False])
def test_spots_fall_on_the_drawn_nodes_and_edges(tight: bool) -> None:
    net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    fig = _figure(draw_network(net, [1.0, 0.5], [1.0], show="all", title="test"))
    numbers = picture_numbers(fig, tight=tight)
    assert numbers is not None
    pixels = _picture(fig, tight)
    nodes = [s for s in numbers["spots"] if s["kind"] == "node"]
    edges = [s for s in numbers["spots"] if s["kind"] == "edge"]
    assert len(nodes) == 6 and len(edges) == 9
    for spot in nodes:
        # mostly the node's fill inside its box (the rest: its numbers)
        assert _share(pixels, spot["box"], NODE_FILL) > 0.5, spot["name"]
        # and no more: strips just left and right of the box are not the node
        left, top, width, height = spot["box"]
        for x in (left - 0.1 * width, left + 1.04 * width):
            strip = [x, top + height / 4, 0.06 * width, height / 2]
            assert _share(pixels, strip, NODE_FILL) < 0.1, spot["name"]
    weights = [W[i, j] for W in net.weights for i, j in np.ndindex(W.shape)]
    for spot, w in zip(edges, weights, strict=True):
        assert _near(pixels, spot["box"], POSITIVE if w >= 0 else NEGATIVE), spot["name"]
    plt.close(fig)


def test_values_are_the_network_numbers_at_4_decimals() -> None:
    net, x, t = worked_example()
    fig = _figure(draw_network(net, x, t, show="all"))
    numbers = picture_numbers(fig)
    assert numbers is not None
    cache = net.feedforward(x[None, :])
    dW, db = net.gradients(x[None, :], t[None, :])
    grads = net.backward(cache, t[None, :])
    spots = {s["name"]: dict(s["values"]) for s in numbers["spots"]}
    for j in range(2):
        hidden = spots[f"hidden node {j + 1}"]
        assert hidden["z"] == round(float(cache.z[0][0, j]), 4)
        assert hidden["a"] == round(float(cache.a[1][0, j]), 4)
        assert hidden["δ"] == round(float(grads.delta[0][0, j]), 4)
        assert hidden["b"] == round(float(net.biases[0][j]), 4)
        output = spots[f"output node {j + 1}"]
        assert output["a"] == round(float(cache.a[2][0, j]), 4)
        assert output["δ"] == round(float(db[1][j]), 4)
        assert output["t"] == round(float(t[j]), 4)
    for i, j in np.ndindex(net.weights[0].shape):
        edge = spots[f"weight from input node {i + 1} to hidden node {j + 1}"]
        assert edge["w"] == round(float(net.weights[0][i, j]), 4)
        assert edge["∂E/∂w"] == round(float(dW[0][i, j]), 4)
    assert spots["error"]["E"] == round(float(net.loss(x[None, :], t[None, :])), 4)
    plt.close(fig)


def test_displayed_figure_carries_its_numbers_in_metadata() -> None:
    """IPython puts them in the output's metadata (which nbval does not
    compare), not in its data."""
    net, x, t = worked_example()
    fig = _figure(draw_network(net, x, t, show="forward"))
    data, metadata = DisplayFormatter().format(fig)
    assert PICTURE_KEY not in data
    numbers = metadata[PICTURE_KEY]
    assert numbers == picture_numbers(fig, tight=True)
    symbols = {symbol for spot in numbers["spots"] for symbol, _ in spot["values"]}
    assert symbols == {"a", "b", "z", "w", "t", "E"}  # forward: no delta, no gradient
    plain = plt.figure()
    assert PICTURE_KEY not in DisplayFormatter().format(plain)[1]
    plt.close("all")


def test_structure_drawing_has_weights_and_biases_only() -> None:
    net = Network([2, 3, 1], seed=0)
    fig = _figure(draw_network(net))
    numbers = picture_numbers(fig)
    assert numbers is not None
    for spot in numbers["spots"]:
        assert {symbol for symbol, _ in spot["values"]} <= {"b", "w"}
    plt.close(fig)


def test_steps_reveal_only_what_they_have_computed() -> None:
    net, x, t = deep_worked_example()
    seen = []
    for _, kwargs in backprop_steps(net, x, t):
        fig = _figure(draw_network(**kwargs))
        numbers = picture_numbers(fig)
        assert numbers is not None
        seen.append({symbol for spot in numbers["spots"] for symbol, _ in spot["values"]})
        plt.close(fig)
    assert "z" not in seen[0] and "δ" not in seen[0]  # the input step
    assert "E" not in seen[1]
    first_backward = len(net.sizes) + 1  # after L + 1 forward steps and the loss
    assert "E" in seen[first_backward] and "δ" in seen[first_backward]
    assert "∂E/∂w" not in seen[first_backward]
    assert "∂E/∂w" in seen[first_backward + 1] and "∂E/∂w" in seen[-1]
