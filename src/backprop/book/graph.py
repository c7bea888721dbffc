"""Figures for the chapters "From deltas to autograd" and "Why backprop is fast".

* :func:`draw_graph` draws the computational graph that
  :func:`backprop.autograd.forward_graph` builds: one box per node with its
  value and, once the backward sweep has reached it, its adjoint; edges
  labelled with their local derivatives.
* :func:`backward_frames` draws the backward sweep node by node, for
  :func:`~backprop.book.widgets.stepper`.
* :func:`local_derivatives` gives the local derivatives of a node of a scalar
  graph as numbers (the chapter's warm-up, one node per layer), which
  :func:`draw_graph` can write on the edges instead of their formulas.
* :func:`plot_error_pattern` draws the relative errors of a gradient check,
  one bar per parameter block, and :func:`bug_view` puts one such picture per
  planted bug (:mod:`backprop.bugs`) behind a menu that works without a kernel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch
from numpy.typing import ArrayLike

from backprop.autograd import Node, backward, forward_graph
from backprop.book.style import (
    HIGHLIGHT_FILL,
    INK,
    NEGATIVE,
    NODE_FILL,
    POSITIVE,
    new_axes,
)
from backprop.book.widgets import explorer
from backprop.network import Network

BOOK_NAMES = {
    "a0": "x = a_i",
    "W0": "W^{(1)}",
    "b0": "b_j",
    "a0W0": r"\Sigma_i\, a_i w_{ij}",
    "z0": "z_j",
    "a1": "a_j",
    "W1": "W^{(2)}",
    "b1": "b_k",
    "a1W1": r"\Sigma_j\, a_j w_{jk}",
    "z1": "z_k",
    "a2": "a_k",
    "E": "E",
}
"""The book's symbols for the nodes of a network with one hidden layer: a
weight matrix carries its layer mark, a vector the letter of its nodes."""

SCALAR_NAMES = {
    "a0": "x",
    "W0": "w^{(1)}",
    "b0": "b^{(1)}",
    "a0W0": "x\\, w^{(1)}",
    "z0": "z^{(1)}",
    "a1": "a^{(1)}",
    "W1": "w^{(2)}",
    "b1": "b^{(2)}",
    "a1W1": "a^{(1)} w^{(2)}",
    "z1": "z^{(2)}",
    "a2": "a^{(2)}",
    "E": "E",
}
"""The book's symbols for the nodes of a network with one node per layer,
``Network([1, 1, 1])``: every node holds a single number."""

_DX, _PARAM_Y, _BOX_W = 2.3, 1.9, 1.55  # column spacing, parameter row, box width
_LINE = 0.22  # height of one text line in a box
_INCH = 0.62  # inches per unit


def _position(name: str, n_layers: int) -> tuple[float, float]:
    """Where a node sits: the chain a0 -> aW -> z -> a ... -> E along y = 0,
    each W above its product and each b above its z."""
    if name == "E":
        return _DX * (3 * n_layers + 1), 0.0
    kind, l = name[0], int(name[1:].split("W")[0])  # noqa: E741 (the text's layer index)
    if kind == "a" and "W" not in name:
        return _DX * 3 * l, 0.0
    column = {"W": 1, "b": 2, "z": 2}.get(kind, 1)  # "aW" products sit in column 1
    return _DX * (3 * l + column), _PARAM_Y if kind in "Wb" else 0.0


def _rows(value: np.ndarray) -> list[str]:
    """An array as text rows, three decimals: a vector on one row, a matrix
    (or a batch of vectors) one row per line."""
    value = np.atleast_2d(value)
    if value.shape[0] == 1 or value.ndim != 2:
        value = value.reshape(1, -1)
    return [
        "(" + ", ".join(f"{v:.3f}".replace("-0.000", "0.000") for v in row) + ")" for row in value
    ]


def _symbol(node: Node, names: Mapping[str, str]) -> str:
    return "$" + names.get(node.name, node.name) + "$"


def plain_text(text: str) -> str:
    """Mathtext spelled out for screen readers and tooltips:
    ``"$\\Sigma_j\\, a_j w_{jk}$"`` becomes ``"sum_j a_j w_jk"``."""
    for tex, plain in [("$", ""), (r"\Sigma", "sum"), (r"\,", ""), ("{", ""), ("}", "")]:
        text = text.replace(tex, plain)
    return text


def local_derivatives(node: Node) -> list[float]:
    """The local derivative d(node)/d(parent) of each parent of ``node``, as numbers.

    Runs the node's own backward rule once with adjoint 1 and reads what it
    adds to each parent's adjoint, so the numbers are the engine's, not a
    second implementation; every adjoint is restored afterwards. The node and
    its parents must each hold a single number (a graph of 1 x 1 arrays, such
    as ``Network([1, 1, 1])`` on one sample); for a loss node the rule's
    factor 1/N is then 1. A leaf has no parents and gives ``[]``.
    """
    arrays = [node.value, *(parent.value for parent in node.parents)]
    if any(np.size(value) != 1 for value in arrays):
        raise ValueError(
            f"local_derivatives needs single numbers; node {node.name!r} and its parents "
            f"hold arrays of shapes {[np.shape(value) for value in arrays]}"
        )
    saved = [(n, n.grad.copy()) for n in (node, *node.parents)]
    for parent in node.parents:
        parent.grad = np.zeros_like(parent.value)
    node.grad = np.ones_like(node.value)
    node.rule()
    values = [float(np.ravel(parent.grad)[0]) for parent in node.parents]
    for n, grad in saved:
        n.grad = grad
    return values


def draw_graph(
    order: list[Node],
    revealed: int | None = None,
    ax: Axes | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    local_values: bool = False,
) -> Axes:
    """Draw a computational graph from its nodes in forward order (what
    :func:`backprop.autograd.backward` returns).

    Each box shows the node's symbol, its value (blue) and its adjoint
    dE/d(node) (vermillion). ``revealed`` = r shows the adjoints of the last r
    nodes of ``order`` (those the backward sweep has finished) and highlights
    the r-th from the end; None shows every adjoint. Edges carry the local
    derivative d(child)/d(parent) of :attr:`Node.local`, or, with
    ``local_values`` (a graph of single numbers), its value from
    :func:`local_derivatives` to three decimals.
    """
    names = BOOK_NAMES if names is None else names
    n_layers = sum(node.name.startswith("z") for node in order)
    done = len(order) if revealed is None else revealed
    finished = {id(node) for node in order[len(order) - done :]}
    current = order[len(order) - done] if revealed else None
    where = {id(node): _position(node.name, n_layers) for node in order}
    # room for the value and the adjoint, so a box keeps its size in every frame
    half = {id(node): (_LINE * (1 + 2 * len(_rows(node.value))) + 0.18) / 2 for node in order}
    low = -max(half.values()) - 0.05
    high = max(where[i][1] + h for i, h in half.items()) + 0.05
    width = _DX * (3 * n_layers + 1) + _BOX_W + 0.2
    ax = new_axes(ax, (width * _INCH, (high - low) * _INCH + 0.35))
    for node in order:
        x, y = where[id(node)]
        labels = (
            [f"{v:.3f}" for v in local_derivatives(node)]
            if local_values
            else [f"${local}$" for local in node.local]
        )
        for parent, label in zip(node.parents, labels, strict=True):
            px, py = where[id(parent)]
            if py == y:  # along the chain, left to right; label above the edge
                start, end = (px + _BOX_W / 2, py), (x - _BOX_W / 2, y)
                label_at = ((start[0] + end[0]) / 2, y + 0.17)
            else:  # down from a parameter; label beside the edge
                start, end = (px, py - half[id(parent)]), (x, y + half[id(node)])
                label_at = (x + 0.12, (start[1] + end[1]) / 2)
            ax.annotate(
                "",
                end,
                start,
                zorder=1,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": INK,
                    "lw": 1.0,
                    "shrinkA": 1,
                    "shrinkB": 1,
                },
            )
            ax.text(
                *label_at,
                label,
                ha="center" if py == y else "left",
                va="center",
                fontsize=8.5,
                color=INK,
                zorder=2,
            )
    for node in order:
        x, y = where[id(node)]
        lines = [(_symbol(node, names), INK)] + [(r, POSITIVE) for r in _rows(node.value)]
        if id(node) in finished:
            lines += [(r, NEGATIVE) for r in _rows(node.grad)]
        height = 2 * half[id(node)]
        ax.add_patch(
            FancyBboxPatch(
                (x - _BOX_W / 2, y - height / 2),
                _BOX_W,
                height,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                zorder=3,
                facecolor=HIGHLIGHT_FILL if node is current else NODE_FILL,
                edgecolor=INK,
                linewidth=2.0 if node is current else 0.8,
            )
        )
        top = y + height / 2 - 0.09 - _LINE / 2
        for i, (text, color) in enumerate(lines):
            ax.text(
                x,
                top - i * _LINE,
                text,
                ha="center",
                va="center",
                fontsize=8.5,
                color=color,
                zorder=4,
            )
    ax.set_xlim(-_BOX_W / 2 - 0.1, _DX * (3 * n_layers + 1) + _BOX_W / 2 + 0.1)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def backward_frames(
    net: Network, X: ArrayLike, T: ArrayLike, names: Mapping[str, str] | None = None
) -> list[tuple[str, Any]]:
    """The backward sweep, one frame per node: ``(title, Figure)`` pairs.

    Frame 0 shows the forward values only; frame r has finished the r nodes
    nearest E (the order in which :func:`backprop.autograd.backward` runs
    their rules).
    """
    names = BOOK_NAMES if names is None else names
    order = backward(forward_graph(net, X, T)[0])
    frames = []
    for revealed in range(len(order) + 1):
        if revealed == 0:
            title = "Forward pass: every node's value (blue); no adjoint yet"
        else:
            node = order[len(order) - revealed]
            symbol = _symbol(node, names)
            title = (
                f"Backward step {revealed} of {len(order)}: the adjoint of {symbol} (vermillion)"
            )
        frames.append((title, draw_graph(order, revealed, names=names, title=title).figure))
    return frames


CORRECT_BELOW = 1e-7
"""A correct backward pass in float64 gives block errors below this."""


def plot_error_pattern(
    errors: Mapping[str, float], ax: Axes | None = None, title: str = ""
) -> Axes:
    """One bar per parameter block (W0, b0, W1, ...) of a gradient check's
    relative errors, on a log scale, with the line a correct pass stays under."""
    ax = new_axes(ax, (6.0, 3.0))
    names = list(errors)
    values = np.maximum([errors[n] for n in names], 1e-16)
    colors = [NEGATIVE if v > CORRECT_BELOW else POSITIVE for v in values]
    ax.bar(names, values, color=colors)
    ax.axhline(CORRECT_BELOW, color=INK, lw=1.0, ls="--")
    ax.text(
        len(names) - 0.5,
        CORRECT_BELOW * 3,
        "a correct pass stays below",
        ha="right",
        va="bottom",
        fontsize=8,
        color=INK,
    )
    ax.set_yscale("log")
    ax.set_ylim(1e-13, 10.0)
    ax.set_ylabel("relative error")
    ax.set_xlabel("parameter block")
    for i, v in enumerate(values):
        ax.text(i, v * 1.5, f"{v:.1g}", ha="center", va="bottom", fontsize=8, color=INK)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def bug_view(patterns: Mapping[str, Mapping[str, float]], value: str | None = None) -> w.VBox:
    """A menu over precomputed error patterns, ``{bug name: gradient_check
    result}``; it switches pictures in the browser, with or without a kernel."""

    def render(bug: str) -> Any:
        return plot_error_pattern(patterns[bug], title=f"gradient check with: {bug}").figure

    return explorer(
        render,
        {"bug": list(patterns)},
        value=None if value is None else {"bug": value},
        alt="Relative error of each parameter block (W0, b0, W1, ...) for the backward pass "
        "with {bug}, on a log scale",
    )
