"""Figure 1 drawn from a live network, and the steps of one backward pass.

:func:`draw_network` draws the text's Figure 1 for any :class:`Network`,
optionally with the numbers of a forward and backward pass written in;
:func:`backprop_steps` lists the frames a stepper widget walks through;
:func:`picture_numbers` says where each drawn node and edge is in the
picture and what its numbers are (the HTML book shows them when a reader
points at a node or an edge, and as a table).
Every function draws into the Axes it is given, or into a new figure when
``ax`` is None, and returns the Axes.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch
from numpy.typing import ArrayLike

from ..network import Network
from .style import (
    HIGHLIGHT_FILL,
    INK,
    MUTED_ALPHA,
    NEGATIVE,
    NODE_FILL,
    POSITIVE,
    format_number,
    new_axes,
)

SHOW_MODES = ("structure", "forward", "backward", "all")
"""What :func:`draw_network` writes in the nodes."""
STEP_KINDS = ("forward", "loss", "backward", "gradient")
"""The first entry of a ``highlight`` tuple."""
PICTURE_KEY = "application/vnd.backprop.picture-numbers+json"
"""Key, in a displayed figure's output metadata, of its :func:`picture_numbers`
(metadata: nbval does not compare it, and JupyterLab and Colab do not show it;
the book's build, ext/book_web/picture_numbers.py, turns it into hotspots and
a table)."""
DECIMALS = 4
"""The numbers of a picture are rounded as the prose quotes them."""


# Layout of draw_network, in data units (one unit = INCH_PER_UNIT inches).
_COLUMN = 2.5  # between layer columns
_NODE_W, _NODE_H = 1.5, 0.84  # a node's box
_TARGET_GAP, _ERROR_GAP = 1.9, 1.5  # output -> t_k column -> E box
_INCH_PER_UNIT = 0.6


@dataclass(frozen=True)
class _Notation:
    """Mathtext symbols (without $) for a network of ``n_layers`` layers.

    With one hidden layer (or none) these are the text's names: a_i; z_j,
    g_j, a_j; z_k, g_k, a_k; w_ij, w_jk. Deeper networks number their layers,
    z^{(l)}_j, and use i, j, k for nodes of layers l - 1, l, l + 1: the
    general recursion of the text's closing section.
    """

    n_layers: int

    @property
    def deep(self) -> bool:
        """More than one hidden layer."""
        return self.n_layers > 3

    def letter(self, l: int, role: str = "this") -> str:  # noqa: E741
        """Node index of layer l; ``role`` is prev, this or next (deep nets)."""
        if self.deep:
            return {"prev": "i", "this": "j", "next": "k"}[role]
        return "ik"[min(l, 1)] if self.n_layers == 2 else "ijk"[l]

    def node(self, name: str, l: int, role: str = "this") -> str:  # noqa: E741
        """A node signal: ``node("z", 1)`` is z_j (z^{(1)}_j when deep)."""
        sup = f"^{{({l})}}" if self.deep else ""
        return f"{name}{sup}_{self.letter(l, role)}"

    def g_prime(self, l: int) -> str:  # noqa: E741
        """g'_j(z_j) of layer l."""
        if self.deep:
            return f"g^{{({l})\\prime}}_j(z^{{({l})}}_j)"
        j = self.letter(l)
        return f"g'_{j}(z_{j})"

    def weight(self, l: int, roles: tuple[str, str] = ("prev", "this")) -> str:  # noqa: E741
        """A weight into layer l (an entry of ``weights[l - 1]``): w_ij."""
        i, j = self.letter(l - 1, roles[0]), self.letter(l, roles[1])
        sup = f"^{{({l})}}" if self.deep else ""
        return f"w{sup}_{{{i}{j}}}"

    def header(self, l: int) -> str:  # noqa: E741
        """Column title of layer l."""
        if l == 0:
            return f"input\n${self.node('a', 0, 'prev')}$"
        kind = "output" if l == self.n_layers - 1 else "hidden"
        if self.deep:
            return f"{kind} {l}\n${self.node('z', l)} \\to {self.node('a', l)}$"
        return f"{kind}\n${self.node('z', l)} \\to {self.node('g', l)} \\to {self.node('a', l)}$"


@dataclass
class _Values:
    """Numbers of one sample, per layer l = 0..L (0 the input, whose z and
    delta are NaN): z, a, delta; dW per weight layer; the target t, error E."""

    z: list[np.ndarray]
    a: list[np.ndarray]
    t: np.ndarray | None
    E: float | None
    delta: list[np.ndarray] | None
    dW: list[np.ndarray] | None


def _sample(name: str, value: ArrayLike, width: int) -> np.ndarray:
    """One observation as a row of shape (width,)."""
    row = np.asarray(value, dtype=float)
    if row.ndim == 2 and row.shape[0] == 1:
        row = row[0]
    if row.shape != (width,):
        raise ValueError(
            f"{name} must be one observation of shape ({width},) or (1, {width}); "
            f"got shape {row.shape}"
        )
    return row


def _values(net: Network, x: ArrayLike, t: ArrayLike | None) -> _Values:
    """Run the forward (and, given t, backward) pass on one observation."""
    x_row = _sample("x", x, net.n_in)
    cache = net.feedforward(x_row[None, :])
    z = [np.full(net.n_in, np.nan)] + [zl[0] for zl in cache.z]
    a = [al[0] for al in cache.a]
    if t is None:
        return _Values(z, a, None, None, None, None)
    t_row = _sample("t", t, net.n_out)
    T = t_row[None, :]
    grads = net.backward(cache, T)
    E = float(net.loss_function.value(cache.z[-1], cache.output, net.check_targets(T, 1))[0])
    delta = [np.full(net.n_in, np.nan)] + [d[0] for d in grads.delta]
    return _Values(z, a, t_row, E, delta, grads.dW)


@dataclass(kw_only=True)
class _Reveal:
    """What a (step of a) drawing shows and emphasises; built by keyword only."""

    forward_to: int  # layers 0..forward_to show z and a
    loss: bool  # t_k and E show numbers
    backward_from: int  # layers backward_from..L show delta
    nodes: set[int] = field(default_factory=set)  # emphasised node layers
    edges: set[int] = field(
        default_factory=set
    )  # emphasised weight layers (index into net.weights)
    error_box: bool = False  # emphasise t_k and E
    labelled: set[int] = field(default_factory=set)  # weight layers whose edges carry numbers
    gradients_from: int = -1  # weights into layers gradients_from..L have dE/dw (-1: none)


def _reveal(
    show: str, highlight: tuple[Any, ...] | None, n_layers: int, has_t: bool, edge_labels: bool
) -> _Reveal:
    """Translate ``show`` and ``highlight`` into what to draw (see draw_network)."""
    L = n_layers - 1
    forward = show in ("forward", "all")
    backward = show in ("backward", "all") and has_t
    if highlight is None:
        return _Reveal(
            forward_to=L if (forward or backward) else -1,
            loss=(forward or backward) and has_t,
            backward_from=1 if backward else L + 1,
            labelled=set(range(L)) if edge_labels else set(),
            gradients_from=1 if backward else -1,
        )
    kind, layer = (highlight[0], highlight[1] if len(highlight) > 1 else None)
    if kind not in STEP_KINDS:
        raise ValueError(f"highlight must start with one of {STEP_KINDS}; got {highlight!r}")
    if kind == "loss":
        return _Reveal(forward_to=L, loss=has_t, backward_from=L + 1, nodes={L}, error_box=True)
    low = 0 if kind == "forward" else 1
    if not isinstance(layer, (int, np.integer)) or not low <= layer <= L:
        raise ValueError(f"highlight {highlight!r}: the layer must be an int from {low} to {L}")
    layer = int(layer)
    if kind == "forward":
        edges = {layer - 1} if layer >= 1 else set()
        return _Reveal(
            forward_to=layer,
            loss=False,
            backward_from=L + 1,
            nodes={layer},
            edges=edges,
            labelled=edges,
        )
    if not has_t:
        raise ValueError("a backward highlight needs the target t")
    if kind == "backward":
        edges = {layer} if layer < L else set()
        return _Reveal(
            forward_to=L,
            loss=True,
            backward_from=layer,
            nodes={layer} | ({layer + 1} if edges else set()),
            edges=edges,
            error_box=layer == L,
            labelled=edges,
            gradients_from=layer + 1 if layer < L else -1,
        )
    edges = {layer - 1}
    return _Reveal(
        forward_to=L,
        loss=True,
        backward_from=layer,
        nodes={layer - 1, layer},
        edges=edges,
        labelled=edges,
        gradients_from=layer,
    )


def _node_lines(
    l: int,  # noqa: E741
    r: int,
    show: str,
    reveal: _Reveal,
    values: _Values | None,
) -> list[str]:
    """The text lines inside node r of layer l (empty: draw the Σ|g glyph)."""
    lines: list[str] = []
    if values is not None and show != "structure":
        if l <= reveal.forward_to and show in ("forward", "all"):
            if l > 0:
                lines.append(f"$z$ = {format_number(values.z[l][r])}")
            lines.append(f"$a$ = {format_number(values.a[l][r])}")
        delta = values.delta if show in ("backward", "all") else None
        if delta is not None and l >= max(reveal.backward_from, 1):
            lines.append(f"$\\delta$ = {format_number(delta[l][r])}")
    if not lines and l == 0:
        lines.append(f"$a_{{{r + 1}}}$")
    return lines


def _box(
    ax: Axes, x: float, y: float, width: float, height: float, *, emphasis: bool, round_: bool
) -> None:
    """A node's (rounded) box, highlighted when ``emphasis``."""
    style = "round,pad=0.02,rounding_size=0.3" if round_ else "square,pad=0.02"
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle=style,
            facecolor=HIGHLIGHT_FILL if emphasis else NODE_FILL,
            edgecolor=INK,
            linewidth=2.2 if emphasis else 1.0,
            zorder=3,
        )
    )


def _draw_node(ax: Axes, x: float, y: float, lines: list[str], emphasis: bool) -> None:
    """One neuron: numbers, an input label, or the Σ|g glyph of Figure 1."""
    _box(ax, x, y, _NODE_W, _NODE_H, emphasis=emphasis, round_=True)
    if lines:
        size = 8.0 if len(lines) < 3 else 7.0
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=size, zorder=4)
        return
    ax.plot([x, x], [y - _NODE_H / 2, y + _NODE_H / 2], color=INK, lw=0.8, zorder=4)
    ax.text(x - _NODE_W / 4, y, r"$\Sigma$", ha="center", va="center", fontsize=11, zorder=4)
    ax.text(x + _NODE_W / 4, y, r"$g$", ha="center", va="center", fontsize=11, zorder=4)


def _draw_edges(
    ax: Axes,
    W: np.ndarray,
    xs: tuple[float, float],
    ys: tuple[np.ndarray, np.ndarray],
    scale: float,
    alpha: float,
    numbers: np.ndarray | None,
) -> None:
    """Weights as lines: width proportional to |w|, blue if w > 0 else
    vermillion; ``numbers`` (same shape as W) are written along the lines."""
    (x0, x1), (y0, y1) = xs, ys
    start, end = x0 + _NODE_W / 2, x1 - _NODE_W / 2
    i, j = np.indices(W.shape).reshape(2, -1)
    segments = np.stack(
        [
            np.column_stack([np.full(i.size, start), y0[i]]),
            np.column_stack([np.full(i.size, end), y1[j]]),
        ],
        axis=1,
    )  # (n_edges, 2 ends, 2 coordinates)
    w = W[i, j]
    widths = 0.4 + (4.0 * np.abs(w) / scale if scale > 0 else 0.0)
    colors = np.where(w >= 0, POSITIVE, NEGATIVE)
    ax.add_collection(
        LineCollection(list(segments), linewidths=widths, colors=colors, alpha=alpha, zorder=1)
    )
    if numbers is None:
        return
    n_out = W.shape[1]
    for i, j in np.ndindex(W.shape):
        s = 0.22 + 0.56 * (j / (n_out - 1) if n_out > 1 else 0.5)  # stagger along the line
        ax.text(
            start + s * (end - start),
            y0[i] + s * (y1[j] - y0[i]),
            format_number(float(numbers[i, j])),
            ha="center",
            va="center",
            fontsize=6.5,
            color=INK,
            zorder=2,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )


def _column_y(n: int) -> np.ndarray:
    """Vertical positions of n nodes, centred on 0, first node on top."""
    return (n - 1) / 2 - np.arange(n, dtype=float)


def draw_network(
    net: Network,
    x: ArrayLike | None = None,
    t: ArrayLike | None = None,
    *,
    show: str = "structure",
    highlight: tuple[Any, ...] | None = None,
    ax: Axes | None = None,
    edge_labels: str | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the network as the text's Figure 1, from its live weights.

    Layers are columns, input on the left: the inputs a_i, each hidden and
    output node as a Σ|g box (the weighted sum z = b + Σ a w, then the
    activation a = g(z)), then a target box t_k per output and the error E
    (eq. (1) for SSE). Edge ``weights[l][i, j]`` is a line from node i to
    node j whose width is proportional to |w| and whose colour is blue for
    w >= 0 and vermillion for w < 0. As in the text's figure, **bias units are
    not drawn**; the biases enter the numbers (z = b + Σ a w).

    Args:
        net: any :class:`~backprop.Network`; readable up to ~8 nodes per layer.
        x: one input, shape (n_in,) or (1, n_in); needed unless
            ``show="structure"``.
        t: its target, shape (n_out,) or (1, n_out); needed for E and deltas.
        show: ``"structure"`` (symbolic labels like Figure 1), ``"forward"``
            (each node's z and a for input x, 3 decimals), ``"backward"``
            (each node's delta: eq. (5) at the output, eq. (14) in hidden
            layers), or ``"all"``.
        highlight: one step of the algorithm to emphasise, for step-by-step
            views (see :func:`backprop_steps`); the drawing then shows only
            what has been computed up to that step:

            * ``("forward", l)``: z and a of layers 0..l; layer l and the
              weights into it emphasised (l = 0 is the input);
            * ``("loss",)``: the whole forward pass and E, eq. (1);
            * ``("backward", l)``: deltas of layers l..L (L the output
              layer), eq. (5) for l = L, eq. (14) below, with the weights
              they flow back through;
            * ``("gradient", l)``: the weights into layer l, labelled with
              dE/dw = delta a, eqs. (6), (15), unless ``edge_labels`` says
              otherwise.
        ax: where to draw; a new figure sized to the network when None.
        edge_labels: ``"w"`` writes each weight on its line, ``"dW"`` each
            weight's gradient dE/dw (eqs. (6), (15)); with a highlight only
            the emphasised weights are labelled. None: no labels, except
            that a ``("gradient", l)`` highlight labels its weights with dW.
        title: written above the drawing.

    Returns:
        The Axes (its texts hold every label, which the tests read).
    """
    if show not in SHOW_MODES:
        raise ValueError(f"show must be one of {SHOW_MODES}; got {show!r}")
    if edge_labels not in (None, "w", "dW"):
        raise ValueError(f"edge_labels must be None, 'w' or 'dW'; got {edge_labels!r}")
    needs_x = show != "structure" or highlight is not None or edge_labels is not None
    if x is None and needs_x:
        raise ValueError(f"show={show!r} needs an input x of shape ({net.n_in},)")
    if show == "backward" and t is None:
        raise ValueError(f"show='backward' needs a target t of shape ({net.n_out},)")
    if edge_labels == "dW" and t is None:
        raise ValueError("edge_labels='dW' needs a target t to compute the gradients")
    values = _values(net, x, t) if x is not None else None
    sizes = net.sizes
    L = len(sizes) - 1
    reveal = _reveal(show, highlight, len(sizes), t is not None, edge_labels is not None)
    notation = _Notation(len(sizes))

    x_target = L * _COLUMN + _TARGET_GAP
    x_error = x_target + _ERROR_GAP
    y_top = max(sizes) / 2  # top of the tallest column
    x_lim = (-0.75 * _NODE_W, x_error + 0.75 * _NODE_W)
    y_lim = (-max(sizes) / 2 - 0.55, y_top + 1.3 + (0.3 if notation.deep else 0.0))
    figsize = ((x_lim[1] - x_lim[0]) * _INCH_PER_UNIT, (y_lim[1] - y_lim[0] + 0.3) * _INCH_PER_UNIT)
    ax = new_axes(ax, figsize)
    ax.set_xlim(*x_lim)
    ax.set_ylim(*y_lim)
    ax.set_axis_off()

    xs = [l * _COLUMN for l in range(L + 1)]  # noqa: E741
    ys = [_column_y(n) for n in sizes]
    scale = max(float(np.abs(W).max()) for W in net.weights)
    gradient_step = highlight is not None and highlight[0] == "gradient"
    use_dW = edge_labels == "dW" or (edge_labels is None and gradient_step)

    for l, W in enumerate(net.weights):  # noqa: E741
        numbers = None
        if l in reveal.labelled and values is not None:
            numbers = values.dW[l] if use_dW and values.dW is not None else W
        alpha = 1.0 if highlight is None or l in reveal.edges else MUTED_ALPHA
        _draw_edges(ax, W, (xs[l], xs[l + 1]), (ys[l], ys[l + 1]), scale, alpha, numbers)
        label = f"${notation.weight(l + 1)}$"
        ax.text((xs[l] + xs[l + 1]) / 2, y_top + 0.05, label, ha="center", fontsize=10.5)

    for l in range(L + 1):  # noqa: E741
        header = notation.header(l)
        ax.text(xs[l], y_top + 0.45, header, ha="center", va="bottom", fontsize=9.5)
        for r, y in enumerate(ys[l]):
            lines = _node_lines(l, r, show, reveal, values)
            _draw_node(ax, xs[l], y, lines, l in reveal.nodes)

    _draw_error(ax, net, values, reveal, (x_target, x_error), ys[-1], y_top + 0.45)
    _edge_legend(ax)
    if title:
        ax.set_title(title, fontsize=10.5, loc="left")
    spots = _spots(net, values, reveal, show, use_dW, (xs, ys), (x_target, x_error))
    _attach_numbers(ax, title, spots)
    return ax


def _draw_error(
    ax: Axes,
    net: Network,
    values: _Values | None,
    reveal: _Reveal,
    xs: tuple[float, float],
    ys: np.ndarray,
    y_top: float,
) -> None:
    """The target boxes t_k and the error box E to the right of the outputs."""
    x_target, x_error = xs
    x_out = (len(net.sizes) - 1) * _COLUMN
    box_w = 0.95
    t = values.t if reveal.loss and values is not None else None
    E = values.E if reveal.loss and values is not None else None
    ax.text(x_target, y_top, "target\n$t_k$", ha="center", va="bottom", fontsize=9.5)
    ax.text(x_error, y_top, "error\n$E$", ha="center", va="bottom", fontsize=9.5)
    for r, y in enumerate(ys):
        ax.plot([x_out + _NODE_W / 2, x_target - box_w / 2], [y, y], color=INK, lw=0.8, zorder=1)
        ax.plot([x_target + box_w / 2, x_error - box_w / 2], [y, 0.0], color=INK, lw=0.8, zorder=1)
        _box(ax, x_target, y, box_w, 0.6, emphasis=reveal.error_box, round_=False)
        label = f"$t_{{{r + 1}}}$" if t is None else format_number(t[r])
        ax.text(x_target, y, label, ha="center", va="center", zorder=4)
    _box(ax, x_error, 0.0, box_w, 0.6, emphasis=reveal.error_box, round_=False)
    label = "$E$" if E is None else format_number(E)
    ax.text(x_error, 0.0, label, ha="center", va="center", fontsize=9, zorder=4)


def _edge_legend(ax: Axes) -> None:
    """Key to the edge colours, below the drawing."""
    handles = [
        Line2D([], [], color=POSITIVE, lw=2.5, label="$w > 0$"),
        Line2D([], [], color=NEGATIVE, lw=2.5, label="$w < 0$"),
        Line2D([], [], color="none", label="width $\\propto |w|$; bias units not drawn"),
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        ncol=3,
        frameon=False,
        fontsize=8,
        borderaxespad=0.0,
        handlelength=1.5,
    )


@dataclass(frozen=True)
class _Spot:
    """A drawn node, edge or error box, in data units, and its numbers."""

    kind: str  # "node", "edge" or "error"
    name: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    values: tuple[tuple[str, float], ...]


def _layer_name(l: int, n_layers: int) -> str:  # noqa: E741
    """input, hidden (hidden layer l when deep) or output."""
    if l == 0:
        return "input"
    if l == n_layers - 1:
        return "output"
    return f"hidden layer {l}" if n_layers > 3 else "hidden"


def _spots(
    net: Network,
    values: _Values | None,
    reveal: _Reveal,
    show: str,
    use_dW: bool,
    grid: tuple[list[float], list[np.ndarray]],
    error_xs: tuple[float, float],
) -> list[_Spot]:
    """Every node and edge of a drawing with the numbers it has computed so
    far: a node's b, z, a, delta (and t at the output), an edge's w and
    dE/dw, the error E; what a step of :func:`backprop_steps` has not
    reached yet is left out, as in its drawing."""
    xs, ys = grid
    n_layers = len(net.sizes)
    spots: list[_Spot] = []
    for l, (x, column) in enumerate(zip(xs, ys, strict=True)):  # noqa: E741
        for r, y in enumerate(column):
            numbers: list[tuple[str, float]] = []
            if l > 0:
                numbers.append(("b", float(net.biases[l - 1][r])))
            if values is not None and l <= reveal.forward_to:
                if l > 0:
                    numbers.append(("z", float(values.z[l][r])))
                numbers.append(("a", float(values.a[l][r])))
            delta = values.delta if values is not None else None
            shown = show in ("backward", "all") and l >= max(reveal.backward_from, 1)
            if delta is not None and shown:
                numbers.append(("δ", float(delta[l][r])))
            if l == n_layers - 1 and reveal.loss and values is not None and values.t is not None:
                numbers.append(("t", float(values.t[r])))
            box = (x - _NODE_W / 2, y - _NODE_H / 2, x + _NODE_W / 2, y + _NODE_H / 2)
            name = f"{_layer_name(l, n_layers)} node {r + 1}"
            spots.append(_Spot("node", name, box, tuple(numbers)))
    for m, W in enumerate(net.weights):
        start, end = xs[m] + _NODE_W / 2, xs[m + 1] - _NODE_W / 2
        n_out = W.shape[1]
        has_dW = values is not None and values.dW is not None
        gradient = has_dW and (
            0 < reveal.gradients_from <= m + 1 or (use_dW and m in reveal.labelled)
        )
        for i, j in np.ndindex(W.shape):
            s = 0.22 + 0.56 * (j / (n_out - 1) if n_out > 1 else 0.5)  # as _draw_edges
            cx, cy = start + s * (end - start), ys[m][i] + s * (ys[m + 1][j] - ys[m][i])
            numbers = [("w", float(W[i, j]))]
            if gradient and values is not None and values.dW is not None:
                numbers.append(("∂E/∂w", float(values.dW[m][i, j])))
            name = (
                f"weight from {_layer_name(m, n_layers)} node {i + 1} "
                f"to {_layer_name(m + 1, n_layers)} node {j + 1}"
            )
            box = (cx - 0.3, cy - 0.17, cx + 0.3, cy + 0.17)
            spots.append(_Spot("edge", name, box, tuple(numbers)))
    if reveal.loss and values is not None and values.E is not None:
        x_error = error_xs[1]
        box = (x_error - 0.95 / 2, -0.3, x_error + 0.95 / 2, 0.3)
        spots.append(_Spot("error", "error", box, (("E", float(values.E)),)))
    return spots


def _attach_numbers(ax: Axes, title: str | None, spots: list[_Spot]) -> None:
    """Remember a drawing's spots on its figure; when IPython displays the
    figure, its :func:`picture_numbers` go in the output's metadata
    (:data:`PICTURE_KEY`)."""
    try:
        fig = ax.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10 (JupyterLite's Pyodide 0.27 has 3.8)
        fig = ax.figure.figure
    if not isinstance(fig, Figure):
        return
    records = fig.__dict__.setdefault("_backprop_numbers", [])
    records.append((ax, title, spots))

    def _repr_mimebundle_(
        self: Figure, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        numbers = picture_numbers(self, tight=True)
        return None if numbers is None else ({}, {PICTURE_KEY: numbers})

    fig._repr_mimebundle_ = types.MethodType(_repr_mimebundle_, fig)  # type: ignore[attr-defined]


def _rounded(value: float) -> float:
    """``value`` at :data:`DECIMALS` places, without a negative zero."""
    return round(float(value), DECIMALS) + 0.0


def picture_numbers(fig: Figure, *, tight: bool = False) -> dict[str, Any] | None:
    """Where each node and edge that :func:`draw_network` drew into ``fig``
    is in its picture, and its numbers; None for a figure it did not draw.

    Args:
        fig: the figure.
        tight: the picture is saved with ``bbox_inches="tight"`` (as
            Jupyter's inline backend shows figures); otherwise whole.

    Returns:
        ``{"title": str, "spots": [...]}``, one spot per node, edge and the
        error box, in drawing order: ``{"kind": "node" | "edge" | "error",
        "name": "hidden node 2", "box": [left, top, width, height],
        "values": [["z", 0.1234], ...]}``. The box is in fractions of the
        picture's width and height from its top left corner, from the
        figure's transforms after a draw; the values are rounded to
        :data:`DECIMALS` places (b, z, a, δ, t of a node; w, ∂E/∂w of an
        edge; E), only those the drawing has computed.
    """
    records = fig.__dict__.get("_backprop_numbers")
    if not records:
        return None
    fig.draw_without_rendering()  # the layout (constrained) as it is saved
    dpi = fig.dpi
    area = fig.bbox_inches
    if tight:
        pad = mpl.rcParams["savefig.pad_inches"]
        pad = pad if isinstance(pad, (int, float)) else 0.1
        # the canvas's renderer, or one for the figure (Figure._get_renderer)
        area = fig.get_tightbbox(fig._get_renderer()).padded(pad)  # type: ignore[attr-defined]
    titles, spots = [], []
    for ax, title, drawn in records:
        if title:
            titles.append(title)
        for spot in drawn:
            x0, y0, x1, y1 = spot.box
            (px0, py0), (px1, py1) = ax.transData.transform([(x0, y0), (x1, y1)]) / dpi
            left = (min(px0, px1) - area.x0) / area.width
            top = (area.y1 - max(py0, py1)) / area.height
            box = [left, top, abs(px1 - px0) / area.width, abs(py1 - py0) / area.height]
            spots.append(
                {
                    "kind": spot.kind,
                    "name": spot.name,
                    "box": [_rounded(v) for v in box],
                    "values": [[symbol, _rounded(v)] for symbol, v in spot.values],
                }
            )
    return {"title": "; ".join(titles), "spots": spots}


def backprop_steps(net: Network, x: ArrayLike, t: ArrayLike) -> list[tuple[str, dict[str, Any]]]:
    """The algorithm on one observation, one drawing per step.

    With L weight layers the steps are, in order:

    * L + 1 forward steps: the input a_i = x, then z = b + Σ a w and
      a = g(z) for layers 1..L (the feedforward computations);
    * 1 loss step: E (eq. (1) for SSE; the loss's ``caption``);
    * 2 L backward steps, from the output down: the layer's delta (eq. (5)
      at the output, eq. (14) for hidden layers), then the gradients of the
      weights and biases into it (eqs. (6), (8) at the output; eqs. (15),
      (18) for hidden layers).

    That is 3 L + 2 steps in all (8 for one hidden layer).

    Returns:
        A list of (title, kwargs): ``draw_network(**kwargs)`` draws the step
        with the title on top. For a widget, e.g.
        ``stepper([draw_network(**kw).figure for _, kw in steps])``.
    """
    L = len(net.sizes) - 1
    n = _Notation(len(net.sizes))
    sse = net.loss_function.name == "sse"
    common: dict[str, Any] = {"net": net, "x": x, "t": t, "show": "all"}
    steps: list[tuple[str, dict[str, Any]]] = []

    def add(text: str, highlight: tuple[Any, ...], edge_labels: str | None = None) -> None:
        title = f"Step {len(steps) + 1}. {text}"
        kwargs = dict(common, highlight=highlight, edge_labels=edge_labels, title=title)
        steps.append((title, kwargs))

    add(f"Input: ${n.node('a', 0, 'prev')} = x_{n.letter(0, 'prev')}$", ("forward", 0))
    for l in range(1, L + 1):  # noqa: E741
        z, a, b, g = (n.node(s, l) for s in "zabg")
        a_in, i = n.node("a", l - 1, "prev"), n.letter(l - 1, "prev")
        kind = "output layer" if l == L else f"hidden layer {l}"
        add(
            f"Forward, {kind}: ${z} = {b} + \\sum_{i} {a_in} {n.weight(l)}$, "
            f"${a} = {g}({z})$ (feedforward)",
            ("forward", l),
            "w",
        )
    add(f"Error: {net.loss_function.caption}", ("loss",))
    for l in range(L, 0, -1):  # noqa: E741
        delta, a_in = n.node("\\delta", l), n.node("a", l - 1, "prev")
        if l == L:
            a, g = n.node("a", L), f"\\, {n.g_prime(L)}" if sse else ""
            t = f"t_{n.letter(L)}"
            add(f"Backward, output layer: ${delta} = ({a} - {t}){g}$, eq. (5)", ("backward", l))
            numbers = ("(6)", "(8)")
        else:
            delta_next = n.node("\\delta", l + 1, "next")
            w_next = n.weight(l + 1, ("this", "next"))
            add(
                f"Backward, hidden layer {l}: ${delta} = {n.g_prime(l)} "
                f"\\sum_{n.letter(l + 1, 'next')} {delta_next} {w_next}$, eq. (14)",
                ("backward", l),
                "w",
            )
            numbers = ("(15)", "(18)")
        add(
            f"Gradients: $\\partial E / \\partial {n.weight(l)} = {delta} {a_in}$, "
            f"eq. {numbers[0]}; "
            f"$\\partial E / \\partial {n.node('b', l)} = {delta}$, eq. {numbers[1]}",
            ("gradient", l),
        )
    return steps
