"""Charts for the chapters: activations, loss curves, decision boundaries,
gradient sizes.

Every function draws into the Axes it is given, or into a new figure when
``ax`` is None, and returns the Axes. Figure 1 lives in
:mod:`backprop.book.figure1`, colours and message boxes in
:mod:`backprop.book.style`.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from ..activations import get_activation
from ..history import History
from ..network import Network
from .style import DIVERGING, INK, NEGATIVE, POSITIVE, message, new_axes


def plot_activation(name: str, ax: Axes | None = None, z_range: float = 4.0) -> Axes:
    """Plot an activation g(z) and its derivative g'(z) on one axes.

    g' is what multiplies the error signal in eqs. (5) and (14). ``name`` is a
    hidden-layer activation (softmax couples its nodes, so it has no
    single-variable curve).
    """
    act = get_activation(name)
    if act.g_prime is None:
        raise ValueError(
            f"{name!r} couples the nodes of a layer and has no curve g(z); "
            "plot an elementwise activation such as 'sigmoid'"
        )
    ax = new_axes(ax, (5.0, 3.5))
    z = np.linspace(-z_range, z_range, 401)
    ax.axhline(0.0, color="#999999", lw=0.8)
    ax.axvline(0.0, color="#999999", lw=0.8)
    ax.plot(z, act.g(z), color=POSITIVE, lw=2.2, label=f"$g(z) = {act.g_tex}$")
    ax.plot(
        z, act.g_prime(z), color=NEGATIVE, lw=2.2, ls="--", label=f"$g'(z) = {act.g_prime_tex}$"
    )
    ax.set_xlabel("$z$")
    ax.set_title(name, loc="left")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9, framealpha=0.9)
    return ax


def plot_loss_curves(history: History, ax: Axes | None = None) -> Axes:
    """Training (and validation) loss per epoch, on a log scale.

    The loss is the mean over samples of the per-sample error (eq. (1) for
    SSE). If training diverged, the epochs before it are drawn and
    ``history.message`` is written across the axes.
    """
    ax = new_axes(ax, (5.0, 3.5))
    epochs = np.arange(1, len(history.loss) + 1)
    drawn = False
    for series, label, color, style in [
        (history.loss, "training", POSITIVE, "-"),
        (history.val_loss, "validation", NEGATIVE, "--"),
    ]:
        values = np.asarray(series, dtype=float)
        if values.size and np.all(np.isfinite(values)) and np.all(values > 0):
            marker = "o" if values.size < 30 else None  # a lone epoch is still visible
            ax.plot(
                epochs[: values.size],
                values,
                color=color,
                ls=style,
                lw=2,
                marker=marker,
                label=label,
            )
            drawn = True
    if drawn:
        ax.set_yscale("log")
        ax.legend(loc="upper right", fontsize=9)
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"loss $\bar E$ (mean over samples)")
    ax.grid(alpha=0.3, which="both")
    if history.diverged or not drawn:
        message(ax, history.message)
    return ax


def plot_decision_boundary(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    ax: Axes | None = None,
    X_test: ArrayLike | None = None,
    T_test: ArrayLike | None = None,
    *,
    history: History | None = None,
    resolution: int = 120,
) -> Axes:
    """What the network computes over its input space.

    * 2 inputs: a heatmap of the output a_k over the plane (for one output
      the probability of class 1, for two softmax outputs a_2, for more the
      predicted class), the 0.5 contour, and the points X (shape (n, 2))
      coloured by T (shape (n, 1) of 0/1, or one-hot (n, K)); test points
      are hollow.
    * 1 input: the fitted curve a(x) with the points (regression).

    If ``history`` says training diverged, or the outputs are not finite,
    the axes carry a message instead of a picture.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    ax = new_axes(ax, (5.0, 4.0) if net.n_in == 2 else (5.0, 3.5))
    if net.n_in not in (1, 2):
        raise ValueError(f"plot_decision_boundary needs 1 or 2 inputs; the network has {net.n_in}")
    if history is not None and history.diverged:
        message(ax, history.message, blank=True)
        return ax
    tests = None
    if X_test is not None and T_test is not None:
        X_te = net.check_inputs(X_test)
        tests = (X_te, net.check_targets(T_test, X_te.shape[0]))
    everything = X if tests is None else np.vstack([X, tests[0]])
    low, high = everything.min(axis=0), everything.max(axis=0)
    margin = 0.1 * np.maximum(high - low, 1e-9)
    low, high = low - margin, high + margin
    if net.n_in == 1:
        return _fit_curve(net, X, T, tests, ax, (float(low[0]), float(high[0])))

    u = np.linspace(low[0], high[0], resolution)
    v = np.linspace(low[1], high[1], resolution)
    U, V = np.meshgrid(u, v)
    with np.errstate(all="ignore"):
        a = net.forward(np.column_stack([U.ravel(), V.ravel()]))
    if not np.all(np.isfinite(a)):
        message(ax, "The network's outputs are not finite; nothing to draw.", blank=True)
        return ax
    extent = (low[0], high[0], low[1], high[1])
    if net.n_out <= 2:
        P = a[:, -1].reshape(U.shape)
        ax.imshow(P, origin="lower", extent=extent, aspect="auto", cmap=DIVERGING, vmin=0, vmax=1)
        ax.contour(U, V, P, levels=[0.5], colors=INK, linewidths=1.2)
    else:
        ax.imshow(
            a.argmax(axis=1).reshape(U.shape),
            origin="lower",
            extent=extent,
            aspect="auto",
            cmap="tab10",
            vmin=0,
            vmax=9,
            alpha=0.45,
        )
    _scatter_classes(ax, X, T, hollow=False)
    if tests is not None:
        _scatter_classes(ax, *tests, hollow=True)
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_xlabel("$a_1$ (input 1)")
    ax.set_ylabel("$a_2$ (input 2)")
    return ax


def _labels(T: np.ndarray) -> np.ndarray:
    """Class labels (n,) from 0/1 targets (n, 1) or one-hot rows (n, K)."""
    return (T[:, 0] > 0.5).astype(int) if T.shape[1] == 1 else T.argmax(axis=1)


def _scatter_classes(ax: Axes, X: np.ndarray, T: np.ndarray, hollow: bool) -> None:
    """Points by class: colour and marker both differ, for colour-blind readers."""
    labels = _labels(T)
    colors = (
        [NEGATIVE, POSITIVE] if T.shape[1] <= 2 else [plt.get_cmap("tab10")(c) for c in range(10)]
    )
    markers = "os^Dv<>ph*"
    for c in np.unique(labels):
        rows = labels == c
        color = colors[int(c) % len(colors)]
        ax.scatter(
            X[rows, 0],
            X[rows, 1],
            s=22,
            marker=markers[int(c) % len(markers)],
            facecolors="none" if hollow else color,
            edgecolors=color if hollow else INK,
            linewidths=1.2 if hollow else 0.4,
            label=f"class {c}" + (" (test)" if hollow else ""),
            zorder=3,
        )


def _fit_curve(
    net: Network,
    X: np.ndarray,
    T: np.ndarray,
    tests: tuple[np.ndarray, np.ndarray] | None,
    ax: Axes,
    span: tuple[float, float],
) -> Axes:
    """1-D regression: the network's outputs a(x) over ``span`` with the data."""
    grid = np.linspace(*span, 300)
    with np.errstate(all="ignore"):
        a = net.forward(grid[:, None])
    if not np.all(np.isfinite(a)):
        message(ax, "The network's outputs are not finite; nothing to draw.", blank=True)
        return ax
    ax.scatter(X[:, 0], T[:, 0], s=14, color=NEGATIVE, alpha=0.7, label="training data")
    if tests is not None:
        ax.scatter(
            tests[0][:, 0],
            tests[1][:, 0],
            s=16,
            facecolors="none",
            edgecolors=NEGATIVE,
            label="test data",
        )
    for k in range(net.n_out):
        label = "network output $a_k$" if net.n_out == 1 else f"output $a_{k + 1}$"
        ax.plot(grid, a[:, k], color=POSITIVE, lw=2.2, label=label)
    ax.set_xlabel("input $x$")
    ax.set_ylabel("target $t$, output $a$")
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    return ax


def plot_gradient_norms(
    norms: ArrayLike | Mapping[str, ArrayLike],
    ax: Axes | None = None,
    ylabel: str | None = None,
    scale: str = "log",
) -> Axes:
    """Gradient size per layer: e.g. from
    :func:`backprop.diagnostics.layer_gradient_norms`.

    Args:
        norms: one number per weight layer, shape (n_layers,), drawn as bars;
            or a mapping label -> such an array (e.g. one per activation),
            drawn as one line each. Entry l is layer l + 1 (input = layer 0).
        ylabel: the y-axis label; by default ||dE-bar/dW^(l)||, the norm of the
            batch-mean gradient of layer l's weights (the book's notation).
        scale: ``"log"`` for sizes that differ by orders of magnitude (the
            vanishing gradient of a deep sigmoid network); ``"linear"`` draws
            the y-axis from 0, so that bar heights compare as the sizes do (on
            a log axis with automatic limits a factor of 1.4 can look like ten).
    """
    if scale not in ("log", "linear"):
        raise ValueError(f"scale must be 'log' or 'linear'; got {scale!r}")
    ax = new_axes(ax, (5.0, 3.5))
    series = dict(norms) if isinstance(norms, Mapping) else {"": norms}
    palette = [POSITIVE, NEGATIVE, "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    n_layers = 0
    for s, (label, values) in enumerate(series.items()):
        v = np.asarray(values, dtype=float).ravel()
        n_layers = max(n_layers, v.size)
        layers = np.arange(1, v.size + 1)
        if scale == "log":
            v = np.where(v > 0, v, np.nan)  # log scale: zero means "no gradient at all"
        if label == "" and len(series) == 1:
            ax.bar(layers, v, color=POSITIVE, width=0.6)
        else:
            marker = "os^Dv<>"[s % 7]
            ax.plot(layers, v, marker=marker, lw=2, color=palette[s % len(palette)], label=label)
    if scale == "log":
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0.0)
    ax.set_xticks(np.arange(1, n_layers + 1))
    ax.set_xlabel("layer $l$ (1 = first hidden layer, input is 0)")
    ax.set_ylabel(ylabel or r"$\|\partial \bar E / \partial W^{(l)}\|$")
    ax.grid(alpha=0.3, which="both", axis="y")
    if len(series) > 1 or "" not in series:
        ax.legend(fontsize=9)
    return ax
