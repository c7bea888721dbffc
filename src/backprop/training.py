"""Minibatch gradient descent: the update rule of eq. (7), in one loop.

Every parameter takes the step theta <- theta - learning_rate * dE/dtheta,
where dE/dtheta is the gradient of the mean loss over one minibatch. The loss
and accuracy recorded for an epoch are the means over the minibatches as they
were seen during that epoch (before each one's update), so recording costs
no second pass over the data.

:func:`fit` below is the whole algorithm and its only loop: shuffle, and for
each minibatch a forward pass, a backward pass and the step of eq. (7), then
the epoch's record and the divergence rule. The work on one minibatch is done
by one of two objects with the same five methods (:class:`Steps`):

* :class:`PlainSteps`, below, writes it as the text does: ``net.feedforward``,
  ``net.backward`` and ``W -= learning_rate * dW`` on each layer;
* a plain :class:`~backprop.network.Network` gets ``backprop._fast.Workspace``
  instead, which does the same arithmetic in buffers allocated once (the same
  results up to rounding, about 1e-15 relative; ``tests/test_fast_path.py``
  checks it).

The override rule: the fast work serves only a network of class ``Network``
itself whose ``feedforward`` and ``backward`` are the ones ``network.py``
defines (replaced neither on the class nor on the instance). Any subclass, and
any network whose passes were replaced, trains through :class:`PlainSteps`,
which calls ``net.feedforward`` and ``net.backward`` and so honours the
override.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from . import _checks, _fast
from .history import (
    History,
    blew_up,
    count_correct,
    is_classification,
    record_epoch,
)
from .network import Network

__all__ = ["fit", "Steps", "PlainSteps"]  # History and the divergence rule live in backprop.history


def fit(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    *,
    learning_rate: float = 0.5,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int = 0,
    validation: tuple[ArrayLike, ArrayLike] | None = None,
) -> History:
    """Train ``net`` in place by minibatch gradient descent, eq. (7).

    Args:
        net: the network to train.
        X: inputs, shape (n_samples, n_in).
        T: targets, shape (n_samples, n_out).
        learning_rate: the step size eta (> 0).
        epochs: passes over the data (>= 0).
        batch_size: samples per step; ``None`` (or anything >= n_samples)
            means full-batch gradient descent. The fast path then works on
            one transposed copy of X (minibatches are gathered into a small
            buffer instead).
        seed: a non-negative integer; seeds the shuffling of samples into
            minibatches each epoch.
        validation: optional pair (X_val, T_val), scored after every epoch.

    Returns:
        The :class:`~backprop.history.History`. If the loss blows up
        (:func:`~backprop.history.blew_up`) or a
        gradient is not finite, training stops before applying the offending
        step, so the weights stay finite, and ``history.diverged`` is set.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    epochs = _checks.positive_int("epochs", epochs, allow_zero=True)
    n_samples = X.shape[0]
    batch_size = n_samples if batch_size is None else batch_size
    batch_size = min(_checks.positive_int("batch_size", batch_size), n_samples)
    rng = np.random.default_rng(_checks.seed("seed", seed))
    if validation is not None:
        validation = _check_validation(net, validation)
    track_accuracy = is_classification(T)
    validation_classes = validation is not None and is_classification(validation[1])
    steps: Steps = (
        _fast.Workspace(net, X, T, learning_rate, batch_size, track_accuracy)
        if _fast.handles(net)
        else PlainSteps(net, X, T, learning_rate)
    )

    history = History()
    first_loss: float | None = None
    try:
        with np.errstate(all="ignore"):
            for epoch in range(epochs):
                order = rng.permutation(n_samples) if batch_size < n_samples else None
                total_loss, correct = 0.0, 0
                for start in range(0, n_samples, batch_size):
                    rows = None if order is None else order[start : start + batch_size]
                    loss = steps.forward(rows)
                    first_loss = loss if first_loss is None else first_loss
                    # Short-circuit: the gradient is only computed for a sane loss.
                    if blew_up(loss, first_loss) or not steps.backward():
                        history.diverged, history.diverged_at = True, epoch
                        return history
                    steps.apply()  # eq. (7)
                    total_loss += loss * steps.n_rows
                    if track_accuracy:
                        correct += steps.count_correct()
                if validation is not None:
                    steps.write_back()
                accuracy = correct / n_samples if track_accuracy else None
                record_epoch(
                    net, history, total_loss / n_samples, accuracy, validation, validation_classes
                )
    finally:
        steps.write_back()
    return history


class Steps(Protocol):
    """The work on one minibatch, as :func:`fit` asks for it."""

    @property
    def n_rows(self) -> int:
        """Samples in the current minibatch."""

    def forward(self, rows: np.ndarray | None) -> float:
        """Forward pass on the samples ``rows`` (None: all of them); their mean loss."""

    def backward(self) -> bool:
        """The gradients of that loss; True when every one is finite."""

    def apply(self) -> None:
        """The step of eq. (7) on every weight and bias."""

    def count_correct(self) -> int:
        """Correct predictions in the last forward pass."""

    def write_back(self) -> None:
        """Make ``net``'s own weight and bias arrays hold the parameters."""


class PlainSteps:
    """The work on one minibatch, written as the text writes it.

    Args:
        net: the network; its own arrays are updated in place.
        X, T: the checked training data.
        learning_rate: the step size of eq. (7).
    """

    def __init__(self, net: Network, X: np.ndarray, T: np.ndarray, learning_rate: float) -> None:
        self.net, self.X, self.T, self.learning_rate = net, X, T, learning_rate
        self.T_batch: np.ndarray = T

    @property
    def n_rows(self) -> int:
        """Samples in the current minibatch."""
        return self.T_batch.shape[0]

    def forward(self, rows: np.ndarray | None) -> float:
        """``net.feedforward`` on the minibatch ``rows`` (None: all); its mean loss."""
        X_batch, self.T_batch = (self.X, self.T) if rows is None else (self.X[rows], self.T[rows])
        self.cache = self.net.feedforward(X_batch)
        errors = self.net.loss_function.value(self.cache.z[-1], self.cache.output, self.T_batch)
        return float(np.mean(errors))

    def backward(self) -> bool:
        """``net.backward`` on the last forward pass; True when the gradients are finite."""
        self.grads = self.net.backward(self.cache, self.T_batch)
        return all(np.isfinite(g).all() for g in self.grads.dW + self.grads.db)

    def apply(self) -> None:
        """The step of eq. (7)."""
        net, grads = self.net, self.grads
        for W, b, dW, db in zip(net.weights, net.biases, grads.dW, grads.db, strict=True):
            W -= self.learning_rate * dW  # eq. (7)
            b -= self.learning_rate * db  # eq. (7)

    def count_correct(self) -> int:
        """Correct predictions in the last forward pass."""
        return count_correct(self.cache.output, self.T_batch)

    def write_back(self) -> None:
        """Nothing to do: :meth:`apply` changes ``net``'s own arrays."""


def _check_validation(
    net: Network, validation: tuple[ArrayLike, ArrayLike]
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``validation`` as checked arrays (X_val, T_val) or raise."""
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        if isinstance(validation, (tuple, list)):
            got = f"a sequence of {len(validation)}"
        else:
            got = type(validation).__name__
        raise ValueError(f"validation must be a pair (X_val, T_val); got {got}")
    X_val = net.check_inputs(validation[0], name="X_val")
    T_val = net.check_targets(validation[1], X_val.shape[0], name="T_val", inputs_name="X_val")
    return X_val, T_val
