"""Gradient descent on a few parameters at a time, the rest frozen.

Defined for chapters 2 and 3 (output weights, output biases), which derive
the gradients of the output layer alone, before the
hidden layer enters the story. These helpers let them run the update rule of
eq. (7) on exactly what has been derived so far:

* :func:`train_output_layer` takes full-batch steps on the output weights
  ``w_jk`` and/or the output biases ``b_k`` while the hidden layer stays
  frozen;
* :func:`loss_along` and :func:`descend_one` look at a single parameter: the
  loss as a function of it (every other parameter fixed) and the path that
  gradient descent takes along that curve.

The largest curvature c of the error over the output weights, which sets the
limit 2/c on the learning rate, is
:func:`backprop.diagnostics.output_weight_curvature`.

A parameter is named ``("W", l, (i, j))`` for ``net.weights[l][i, j]`` or
``("b", l, (j,))`` for ``net.biases[l][j]``. Nothing here changes the network
it is given unless the docstring says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .. import _checks
from ..history import History, blew_up
from ..network import Network

Parameter = tuple[str, int, tuple[int, ...]]
"""``("W", l, (i, j))`` or ``("b", l, (j,))``."""

TRAINABLE = ("weights", "biases", "both")
"""What :func:`train_output_layer` may update."""


def _array(net: Network, param: Parameter) -> tuple[np.ndarray, tuple[int, ...]]:
    """The array holding ``param`` and the index of the entry inside it."""
    try:
        kind, layer, index = param
    except (TypeError, ValueError):
        raise ValueError(
            f"a parameter is named ('W', l, (i, j)) or ('b', l, (j,)); got {param!r}"
        ) from None
    if kind not in ("W", "b"):
        raise ValueError(f"parameter kind must be 'W' or 'b'; got {kind!r}")
    arrays = net.weights if kind == "W" else net.biases
    if not isinstance(layer, (int, np.integer)) or not -len(arrays) <= layer < len(arrays):
        raise ValueError(f"layer must be an integer in 0..{len(arrays) - 1}; got {layer!r}")
    array = arrays[layer]
    index = tuple(int(i) for i in np.atleast_1d(index))
    if len(index) != array.ndim or any(
        not 0 <= i < n for i, n in zip(index, array.shape, strict=True)
    ):
        raise ValueError(
            f"index {index} does not fit {kind}[{layer}], which has shape {array.shape}"
        )
    return array, index


def _gradient_of(net: Network, X: np.ndarray, T: np.ndarray, param: Parameter) -> float:
    kind, layer, _ = param
    dW, db = net.gradients(X, T)
    _, index = _array(net, param)
    return float((dW if kind == "W" else db)[layer][index])


def loss_along(
    net: Network, X: ArrayLike, T: ArrayLike, param: Parameter, values: ArrayLike
) -> np.ndarray:
    """Mean loss with ``param`` set to each of ``values``, everything else fixed.

    Returns an array shaped like ``values``. The network is left unchanged.

    Defined in chapter 2 (output weights); chapter 3 uses it on a bias.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    array, index = _array(net, param)
    values = np.asarray(values, dtype=float)
    saved = array[index]
    losses = np.empty(values.shape)
    try:
        with np.errstate(all="ignore"):
            for where, value in np.ndenumerate(values):
                array[index] = value
                losses[where] = net.loss(X, T)
    finally:
        array[index] = saved
    return losses


@dataclass
class Descent:
    """The path of gradient descent along one parameter.

    Attributes:
        values: the parameter before each step, then after the last one.
        losses: the mean loss at each entry of ``values``.
        diverged: True when the loss blew up and the descent stopped.
        diverged_at: the step at which it stopped, or None.
    """

    values: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: int | None = None

    @property
    def message(self) -> str:
        """A sentence for a reader: how the descent ended."""
        if self.diverged:
            return (
                f"Diverged at step {self.diverged_at}: each step overshoots "
                "further. Try a smaller learning rate."
            )
        return f"{len(self.values) - 1} steps; final loss {self.losses[-1]:.4g}."


def descend_one(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    param: Parameter,
    learning_rate: float,
    steps: int,
    start: float | None = None,
) -> Descent:
    """Gradient descent on one parameter, eq. (7): theta <- theta - eta dE/dtheta.

    Every other parameter stays fixed. ``start`` sets the parameter's initial
    value (default: its current value). The descent stops early, with
    ``diverged`` set, once the loss blows up against the starting loss
    (:func:`~backprop.history.blew_up`). The network is left unchanged.

    Defined in chapter 2 (output weights); chapter 3 uses it on a bias.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    steps = _checks.positive_int("steps", steps, allow_zero=True)
    work = net.copy()
    array, index = _array(work, param)
    if start is not None:
        array[index] = float(start)
    path = Descent()
    with np.errstate(all="ignore"):
        first_loss = loss = work.loss(X, T)
        path.values.append(float(array[index]))
        path.losses.append(loss)
        for step in range(steps):
            array[index] -= learning_rate * _gradient_of(work, X, T, param)
            loss = work.loss(X, T)
            if blew_up(loss, first_loss) or not np.isfinite(array[index]):
                path.diverged, path.diverged_at = True, step
                break
            path.values.append(float(array[index]))
            path.losses.append(loss)
    return path


def train_output_layer(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    *,
    learning_rate: float,
    steps: int,
    train: str = "weights",
) -> History:
    """Full-batch gradient descent on the output layer only, hidden layers frozen.

    Each step applies eq. (7) to the output weights ``w_jk`` (``train=
    "weights"``), the output biases ``b_k`` (``"biases"``) or both. The
    network is trained **in place**, like :meth:`Network.fit`; pass
    ``net.copy()`` to keep the original. ``history.loss[s]`` is the mean loss
    before step s. Training stops, with ``history.diverged`` set, when the
    loss blows up against the first loss (:func:`~backprop.history.blew_up`)
    or a gradient is not finite; the offending step is not applied.

    Defined in chapter 2 (output weights); chapter 3 trains the biases too.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    steps = _checks.positive_int("steps", steps, allow_zero=True)
    train = _checks.choice("train", train, list(TRAINABLE))
    history = History()
    first_loss: float | None = None
    with np.errstate(all="ignore"):
        for step in range(steps):
            cache = net.feedforward(X)
            loss = float(np.mean(net.loss_function.value(cache.z[-1], cache.output, T)))
            first_loss = loss if first_loss is None else first_loss
            grads = net.backward(cache, T)
            dW, db = grads.dW[-1], grads.db[-1]
            finite = np.isfinite(dW.sum()) and np.isfinite(db.sum())
            if blew_up(loss, first_loss) or not finite:
                history.diverged, history.diverged_at = True, step
                return history
            if train in ("weights", "both"):
                net.weights[-1] -= learning_rate * dW  # eq. (7)
            if train in ("biases", "both"):
                net.biases[-1] -= learning_rate * db
            history.loss.append(loss)
    return history
