"""The pictures of the derivation chapters' explorers (chapters 1-6).

Each function here draws the figure of one chapter's
:func:`~backprop.book.widgets.explorer` for one combination of its control
values, and it computes that figure from scratch: it builds the network,
trains it where the picture needs training, and draws. Nothing is looked up
in a table of precomputed runs, so the same function serves the static book
(called once per grid value when the page is built) and a live kernel, where
``explorer(..., live=True)`` calls it with any value in a control's range.
A learning rate that makes training diverge draws a message, not an error.

The control values come first, as the explorer passes them by name; the data
and the fixed settings of the chapter's experiment follow as keywords (a
chapter binds them with :func:`functools.partial`). Every function returns
a matplotlib Figure, which :func:`~backprop.book.widgets.figure_to_png`
renders and closes.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..diagnostics import output_weight_curvature
from ..history import History, ended_higher
from ..network import Network
from .figure1 import draw_network
from .hidden_layer import annotate_verdict, plot_delta_sizes, train_recording_deltas
from .output_layer import descend_one, loss_along, train_output_layer
from .plots import plot_activation, plot_decision_boundary, plot_loss_curves
from .style import FACECOLOR, HIGHLIGHT_FILL, INK, NEGATIVE, POSITIVE, message


def running_network(hidden: str = "tanh", output: str = "sigmoid") -> Network:
    """The book's running network of chapter 1, 2-3-1 with seed 0, with the
    given hidden and output activations (the weights do not depend on them)."""
    return Network([2, 3, 1], activations=[hidden, output], seed=0)


def forward_view(
    activation: str, scale: float, input_point: ArrayLike, *, target: ArrayLike = (1.0,)
) -> Figure:
    """Chapter 1: one input travelling through the running network.

    The running network gets ``activation`` in its three hidden nodes (the
    output keeps the sigmoid) and its input weights w_ij multiplied by
    ``scale``; ``input_point`` (a_1, a_2), shape (2,), runs through it.
    Left: Figure 1 with each node's z and a. Right: the hidden activation g
    and its slope g' with each hidden node marked at its z_j, on g (filled)
    and on g' (open).
    """
    probe = running_network(hidden=activation)
    act = probe.activations[0]
    if act.g_prime is None:
        raise ValueError(
            f"activation must be elementwise, a hidden one such as 'tanh'; got {activation!r}"
        )
    probe.weights[0] = scale * probe.weights[0]
    x = np.asarray(input_point, dtype=float)
    with np.errstate(all="ignore"):
        z_j = probe.feedforward(x[None, :]).z[0][0]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10.5, 3.4), gridspec_kw={"width_ratios": [2.3, 1]}, facecolor=FACECOLOR
    )
    shown = ", ".join(f"{v:g}" for v in x)
    draw_network(
        probe,
        x,
        target,
        show="forward",
        ax=left,
        title=f"input ({shown}), hidden {activation}, weights $w_{{ij}}$ x {scale:g}",
    )
    plot_activation(activation, ax=right, z_range=max(4.0, 1.15 * float(np.abs(z_j).max())))
    right.plot(z_j, act.g(z_j), "o", color="black", ms=6, zorder=5)
    g_prime = act.g_prime
    right.plot(z_j, g_prime(z_j), "s", color="black", mfc="white", ms=6, zorder=5)
    for j, z in enumerate(z_j):
        right.annotate(
            f"$z_{j + 1}$", (z, act.g(z)), textcoords="offset points", xytext=(4, 6), fontsize=8
        )
    right.legend(loc="upper left", fontsize=7)
    fig.subplots_adjust(left=0.012, right=0.98, bottom=0.14, top=0.9, wspace=0.12)
    return fig


def diverges(history: History) -> bool:
    """True when training blew up (:func:`~backprop.history.blew_up`) or
    ended with a larger error than it began (:func:`~backprop.history.ended_higher`)."""
    return history.diverged or ended_higher(history)


def _rate_axis(ax: Axes, learning_rate: float, rates: Sequence[float], limit: float) -> None:
    """A learning-rate axis (log scale): the grid's rates as ticks, 2/c as a
    line with the rates above it shaded, and the chosen rate as a marker."""
    low, high = min(min(rates), learning_rate) / 2, max(max(rates), learning_rate, limit) * 2
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.axvspan(limit, high, color=HIGHLIGHT_FILL)
    ax.axvline(limit, color=NEGATIVE, lw=2)
    right_half = np.log(limit / low) > np.log(high / limit)
    ax.text(
        limit,
        0.72,
        f" 2/c = {limit:.3g} " if not right_half else f"2/c = {limit:.3g}  ",
        color=INK,
        fontsize=9,
        va="center",
        ha="right" if right_half else "left",
    )
    ax.plot(rates, [0.12] * len(rates), "|", color="0.45", ms=8)
    ax.plot([learning_rate], [0.4], "v", color=POSITIVE, ms=11, mec=INK)
    ax.set_xticks(list(rates), [f"{r:g}" for r in rates], fontsize=8)
    ax.minorticks_off()
    ax.set_xlabel(
        r"learning rate $\eta$ (log scale); $\blacktriangledown$ this run; shaded: above 2/c",
        fontsize=9,
    )


def output_weight_training(
    learning_rate: float,
    activation: str,
    *,
    X: ArrayLike,
    T: ArrayLike,
    rates: Sequence[float],
    steps: int = 60,
) -> Figure:
    """Chapter 2: eq. (7) on the output weights alone, and the limit 2/c.

    The running network with output ``activation`` trains its output weights
    w_jk for ``steps`` full-batch steps on X (N, 2), T (N, 1), hidden layer
    frozen (:func:`~backprop.book.output_layer.train_output_layer`). Top:
    the error per step at ``learning_rate``, over grey curves at the other
    ``rates``. Bottom: the learning-rate axis with 2/c, where c is
    :func:`~backprop.diagnostics.output_weight_curvature` at the
    starting weights (for a linear output the same everywhere). The title
    says whether the rate is above or below 2/c, and "diverges" when the
    run blows up or ends with a larger error than it began.
    """

    def run(rate: float) -> History:
        model = running_network(output=activation)
        return train_output_layer(model, X, T, learning_rate=rate, steps=steps, train="weights")

    limit = 2.0 / output_weight_curvature(running_network(output=activation), X, T)
    fig, (ax, strip) = plt.subplots(
        2, 1, figsize=(7.5, 4.4), height_ratios=[4, 1], facecolor=FACECOLOR
    )
    for rate in rates:
        other = run(rate) if rate != learning_rate else History()
        if other.loss:
            ax.plot(np.arange(1, len(other.loss) + 1), other.loss, color="0.8", lw=1)
    history = run(learning_rate)
    plot_loss_curves(history, ax=ax)
    blows = diverges(history)
    if blows and not history.diverged:
        message(
            ax,
            "Diverges: the error grows at every step, each one overshoots further. "
            "A smaller learning rate converges.",
            width=52,
        )
    ax.set_xlabel("epoch = one full-batch step on the output weights")
    ax.set_ylim(0.03, 2.0)
    ax.set_xlim(0, steps + 1)
    side = ">" if learning_rate > limit else "<"
    where = "" if activation == "linear" else " (c at the start)"
    ax.set_title(
        rf"output {activation}: $\eta$ = {learning_rate:g} {side} 2/c = {limit:.3g}{where}"
        + (": diverges" if blows else ""),
        loc="left",
        fontsize=10,
    )
    _rate_axis(strip, learning_rate, rates, limit)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.12, top=0.93, hspace=0.55)
    return fig


BIAS_GRID = np.linspace(-5.0, 5.0, 201)
"""Output-bias values at which chapter 3 draws the error curve."""

ERROR_TOP = {"sigmoid": 0.3, "relu": 1.5, "leaky_relu": 1.5, "linear": 5.0}
"""Top of chapter 3's error axis for each output activation (others: 1.5)."""


def bias_training(
    learning_rate: float,
    activation: str,
    *,
    X: ArrayLike,
    T: ArrayLike,
    steps: int = 40,
    start: float = -2.0,
) -> Figure:
    """Chapter 3: gradient descent on the output bias b_k alone.

    Every weight of the running network (output ``activation``) is frozen.
    The grey curve is the mean error over X (N, 2), T (N, 1) as a function
    of b_k; the dots are ``steps`` steps of eq. (7) on b_k from ``start``
    at ``learning_rate`` (:func:`~backprop.book.output_layer.descend_one`).
    A message says when the descent diverges, overshoots or does not move.
    """
    model = running_network(output=activation)
    b_out = ("b", 1, (0,))
    curve = loss_along(model, X, T, b_out, BIAS_GRID)
    path = descend_one(model, X, T, b_out, learning_rate, steps, start=start)
    fig, ax = plt.subplots(facecolor=FACECOLOR, figsize=(7.5, 3.6))
    ax.plot(BIAS_GRID, curve, color="0.55", lw=1.5, label="error along $b_k$")
    ax.plot(
        path.values,
        path.losses,
        "o-",
        color=POSITIVE,
        ms=3.5,
        lw=0.8,
        label=f"{len(path.values) - 1} steps of gradient descent",
    )
    ax.plot(
        path.values[0], path.losses[0], "s", color="black", ms=6, label=f"start, $b_k = {start:g}$"
    )
    ax.set_xlim(BIAS_GRID[0], BIAS_GRID[-1])
    ax.set_ylim(0, ERROR_TOP.get(activation, 1.5))
    ax.set_xlabel("output bias $b_k$ (every weight frozen)")
    ax.set_ylabel("mean error $\\bar E$")
    ax.set_title(
        f"output activation {activation}, learning rate {learning_rate:g}", loc="left", fontsize=10
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    if path.diverged:
        message(ax, path.message)
    elif path.losses[-1] > path.losses[0]:
        message(ax, "The error grows: each step overshoots further. Try a smaller learning rate.")
    elif abs(path.values[-1] - start) < 1e-3:
        message(ax, "The bias does not move: every error signal is (almost) zero.")
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.9)
    return fig


def hidden_training(
    activation: str,
    learning_rate: float,
    *,
    X: ArrayLike,
    T: ArrayLike,
    sizes: Sequence[int] = (2, 4, 1),
    seed: int = 1,
    epochs: int = 300,
    record_every: int = 10,
) -> Figure:
    """Chapter 4: the loss and the sizes of the error signals while training.

    A network of ``sizes`` (``activation`` in the hidden layers, sigmoid
    out, ``seed``) trains on X (N, 2), T (N, 1) by full-batch gradient
    descent for ``epochs`` epochs
    (:func:`~backprop.book.hidden_layer.train_recording_deltas`). Left: the
    loss. Right: mean |delta_j| and |delta_k| every ``record_every`` epochs.
    """
    record = train_recording_deltas(
        Network(list(sizes), activations=activation, seed=seed),
        X,
        T,
        learning_rate=learning_rate,
        epochs=epochs,
        record_every=record_every,
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.3), facecolor=FACECOLOR)
    plot_loss_curves(record.history, ax=left)
    left.set_title(f"loss, {activation}, $\\eta$ = {learning_rate:g}", fontsize=10)
    plot_delta_sizes(record, ax=right)
    right.set_title("size of the error signals", fontsize=10)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.15, top=0.9, wspace=0.38)
    return fig


def xor_training(
    activation: str,
    learning_rate: float,
    *,
    X: ArrayLike,
    T: ArrayLike,
    epochs: int = 500,
) -> Figure:
    """Chapter 5: the running network learning XOR.

    The running network with ``activation`` hidden nodes (sigmoid out)
    trains on X (4, 2), T (4, 1) with :meth:`~backprop.Network.fit` for
    ``epochs`` full-batch epochs. Left: the loss, with a verdict when the
    rate was too large. Right: the trained network's output over the plane.
    """
    model = running_network(hidden=activation)
    history = model.fit(X, T, learning_rate=learning_rate, epochs=epochs)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.3), facecolor=FACECOLOR)
    plot_loss_curves(history, ax=left)
    if not history.diverged:  # plot_loss_curves reports divergence
        annotate_verdict(left, history)
    left.set_title(f"loss, hidden {activation}, $\\eta$ = {learning_rate:g}", fontsize=10)
    plot_decision_boundary(model, X, T, ax=right, history=history, resolution=50)
    right.set_title("trained network's output", fontsize=10)
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
    return fig


def deep_training(
    activation: str,
    learning_rate: float,
    *,
    X: ArrayLike,
    T: ArrayLike,
    activations: Sequence[str],
    sizes: Sequence[int] = (2, 8, 8, 8, 8, 8, 1),
    seed: int = 1,
    epochs: int = 200,
) -> Figure:
    """Chapter 6: a deep, narrow network learning at one learning rate.

    A network of ``sizes`` (``activation`` in every hidden layer, linear
    out, ``seed``) trains on X (N, 2), T (N, 1) by full-batch gradient
    descent for ``epochs`` epochs; grey curves show the other hidden
    ``activations`` at the same rate. The title gives the final loss and
    accuracy, or says that training diverged.
    """

    def run(name: str) -> History:
        net = Network(list(sizes), activations=name, output_activation="linear", seed=seed)
        return net.fit(X, T, learning_rate=learning_rate, epochs=epochs)

    fig, ax = plt.subplots(facecolor=FACECOLOR, figsize=(5.6, 3.6))
    label: str | None = "other activations"
    for other in activations:
        if other == activation:
            continue
        h = run(other)
        if h.loss:
            ax.plot(np.arange(1, len(h.loss) + 1), h.loss, color="#bbbbbb", lw=1, label=label)
            label = None
    history = run(activation)
    plot_loss_curves(history, ax=ax)
    ax.set_yscale("linear")  # the interesting range is 0 to 0.3
    ax.set_ylim(0.0, 0.3)
    ax.set_xlim(0, epochs)
    title = f"{activation}, learning rate {learning_rate:g}: "
    if history.diverged:
        title += "diverged"
    else:
        title += f"final loss {history.loss[-1]:.3f}, accuracy {history.accuracy[-1]:.0%}"
    ax.set_title(title, loc="left", fontsize=9)
    fig.subplots_adjust(left=0.14, right=0.97, top=0.91, bottom=0.14)
    return fig
