"""Watching the hidden layer learn: error-signal sizes during training.

Defined for chapters 4 and 5 (hidden weights, hidden biases), which derive
the hidden error signal of eq. (14), delta_j = g_j'(z_j) sum_k delta_k w_jk,
and the gradients built from it, eqs. (15) and (18). These helpers train a
network by the package's own gradient descent (:meth:`Network.fit`) and
record along the way how large the error signals of each layer are, so that a
chapter can show delta_j shrinking (or not) through g' next to the loss curve.

* :func:`train_recording_deltas` trains and records the mean |delta| per layer;
* :func:`training_verdict` turns a training run into a sentence for the reader
  when the learning rate was too large (the loss diverged, or ended higher
  than it started);
* :func:`plot_delta_sizes` draws the recorded sizes and
  :func:`annotate_verdict` writes the verdict into a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .. import _checks
from ..diagnostics import layer_gradient_norms
from ..history import History, blew_up, ended_higher
from ..network import Network
from .style import NEGATIVE, POSITIVE, message, new_axes


@dataclass
class DeltaRecord:
    """What :func:`train_recording_deltas` saw.

    Attributes:
        history: the training history, as :meth:`Network.fit` returns it
            (one loss per epoch), merged over the chunks of training.
        epochs: the epochs after which the sizes were measured, shape
            (n_records,); 0 is before the first update.
        sizes: mean |delta_l| over samples and nodes, shape
            (n_records, n_layers); column l belongs to ``net.weights[l]``,
            so for one hidden layer column 0 is delta_j and column 1 is
            delta_k.
    """

    history: History
    epochs: np.ndarray
    sizes: np.ndarray


def train_recording_deltas(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    *,
    learning_rate: float,
    epochs: int,
    record_every: int = 10,
) -> DeltaRecord:
    """Full-batch gradient descent on ``net`` (in place), measuring the error
    signals every ``record_every`` epochs.

    The training itself is :meth:`Network.fit`, run in chunks of
    ``record_every`` epochs; between chunks
    :func:`~backprop.diagnostics.layer_gradient_norms` with
    ``measure="delta"`` measures the mean |delta| of every layer (eqs. (5)
    and (14)). Training stops early when a chunk diverges, or when the loss
    blows up against its first value (:func:`~backprop.history.blew_up`, the
    rule of :func:`~backprop.training.fit`, applied across chunks).

    Defined in chapter 4 (hidden weights).
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    epochs = _checks.positive_int("epochs", epochs, allow_zero=True)
    record_every = _checks.positive_int("record_every", record_every)

    history = History()
    recorded_epochs = [0]
    with np.errstate(all="ignore"):
        sizes = [layer_gradient_norms(net, X, T, measure="delta")]
    done = 0
    while done < epochs:
        chunk = min(record_every, epochs - done)
        part = net.fit(X, T, learning_rate=learning_rate, epochs=chunk)
        history.loss.extend(part.loss)
        history.accuracy.extend(part.accuracy)
        blown = any(blew_up(loss, history.loss[0]) for loss in part.loss)
        if part.diverged or blown:
            history.diverged = True
            stopped = part.diverged_at if part.diverged_at is not None else len(part.loss)
            history.diverged_at = done + stopped
            break
        done += chunk
        recorded_epochs.append(done)
        with np.errstate(all="ignore"):
            sizes.append(layer_gradient_norms(net, X, T, measure="delta"))
    return DeltaRecord(history, np.array(recorded_epochs), np.array(sizes))


def training_verdict(history: History) -> str | None:
    """A sentence for the reader when training went wrong, else None.

    * diverged (the loss blew up): ``history.message``;
    * the loss ended higher than it started
      (:func:`~backprop.history.ended_higher`): the steps overshot. With a
      bounded loss such as SSE on sigmoid outputs this is how too large a
      learning rate usually shows: the steps throw the units onto the flat
      parts of their activations (or switch ReLUs off), g' is ~0 there, and
      learning stalls.

    Defined in chapter 5 (hidden biases).
    """
    if history.diverged:
        return history.message
    if ended_higher(history):
        return (
            f"The learning rate is too large: the loss ended higher than it started "
            f"({history.loss[-1]:.3g} vs {history.loss[0]:.3g}). The steps overshoot the "
            "minimum and can throw the units onto flat parts of their activations "
            "(g' near 0), where learning stalls."
        )
    return None


def annotate_verdict(ax: Axes, history: History, width: int = 44) -> bool:
    """Write :func:`training_verdict` across ``ax`` if it has something to
    say, in lines of at most ``width`` characters; return whether it did.

    Defined in chapter 5 (hidden biases)."""
    verdict = training_verdict(history)
    if verdict:
        message(ax, verdict, width=width)
    return verdict is not None


def plot_delta_sizes(record: DeltaRecord, ax: Axes | None = None) -> Axes:
    """Mean |delta| per layer against the epoch, log scale.

    For one hidden layer this draws delta_j (eq. (14)) and delta_k (eq. (5)).
    If :func:`training_verdict` has something to say, it is written across
    the axes.

    Defined in chapter 4 (hidden weights).
    """
    ax = new_axes(ax, (5.0, 3.5))
    n_layers = record.sizes.shape[1]
    names = [f"hidden layer {l + 1}" for l in range(n_layers - 1)] + ["output layer"]  # noqa: E741
    if n_layers == 2:
        names = [r"hidden $|\delta_j|$, eq. (14)", r"output $|\delta_k|$, eq. (5)"]
    colors = [NEGATIVE] * (n_layers - 1) + [POSITIVE]
    styles = ["-", "--", "-.", ":"]
    for l in range(n_layers):  # noqa: E741
        values = np.where(record.sizes[:, l] > 0, record.sizes[:, l], np.nan)
        ax.plot(
            record.epochs,
            values,
            color=colors[l],
            ls=styles[l % len(styles)] if l < n_layers - 1 else "-",
            lw=2,
            label=names[l],
        )
    if np.any(record.sizes > 0):
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"mean $|\delta|$ (samples, nodes)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="best", fontsize=8.5)
    annotate_verdict(ax, record.history)
    return ax
