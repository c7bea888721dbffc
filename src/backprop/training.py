"""Minibatch gradient descent, the update rule of eq. (7), and its history.

Every parameter takes the step theta <- theta - learning_rate * dE/dtheta,
where dE/dtheta is the gradient of the mean loss over one minibatch. The loss
and accuracy recorded for an epoch are the means over the minibatches as they
were seen during that epoch (before each one's update), so recording costs
no second pass over the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from . import _checks

if TYPE_CHECKING:
    from .network import Network

DIVERGENCE_FACTOR = 1e4
"""Training stops as diverged when a minibatch loss exceeds this factor times
the first minibatch's loss (or 1, whichever is larger), or is not finite."""


@dataclass
class History:
    """What :func:`fit` recorded, one entry per completed epoch.

    Attributes:
        loss: mean training loss per epoch.
        accuracy: training accuracy per epoch, or ``None`` when the targets
            are not class labels (0/1 or one-hot).
        val_loss, val_accuracy: the same on the validation set, if given.
        diverged: True when training stopped because the loss blew up.
        diverged_at: the epoch (counting from 0) in which it stopped, or None.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] | None = None
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] | None = None
    diverged: bool = False
    diverged_at: int | None = None

    @property
    def message(self) -> str:
        """A sentence for a reader: how training ended."""
        if self.diverged:
            return (
                f"Diverged in epoch {self.diverged_at}: the loss blew up, so "
                "training stopped. Try a smaller learning rate."
            )
        if not self.loss:
            return "No epochs run."
        return f"Trained {len(self.loss)} epochs; final loss {self.loss[-1]:.4g}."


def is_classification(T: np.ndarray) -> bool:
    """True when every target is 0 or 1 (binary labels or one-hot rows)."""
    return bool(np.isin(T, (0.0, 1.0)).all())


def count_correct(a: np.ndarray, T: np.ndarray) -> int:
    """Number of rows whose predicted class matches the target's.

    One output: a > 0.5 against t; several: argmax against argmax.
    """
    if a.shape[1] == 1:
        return int(np.sum((a[:, 0] > 0.5) == (T[:, 0] > 0.5)))
    return int(np.sum(a.argmax(axis=1) == T.argmax(axis=1)))


def fit(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
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
            means full-batch gradient descent.
        seed: seeds the shuffling of samples into minibatches each epoch.
        validation: optional (X_val, T_val) scored after every epoch.

    Returns:
        The :class:`History`. If the loss becomes non-finite or explodes,
        training stops before applying the offending step, so the weights
        stay finite, and ``history.diverged`` is set.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    epochs = _checks.positive_int("epochs", epochs, allow_zero=True)
    n_samples = X.shape[0]
    if batch_size is None:
        batch_size = n_samples
    batch_size = min(_checks.positive_int("batch_size", batch_size), n_samples)
    if validation is not None:
        X_val = net.check_inputs(validation[0])
        T_val = net.check_targets(validation[1], X_val.shape[0])

    rng = np.random.default_rng(seed)
    history = History()
    track_accuracy = is_classification(T)
    if track_accuracy:
        history.accuracy = []
    if validation is not None and is_classification(T_val):
        history.val_accuracy = []
    limit: float | None = None

    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(n_samples) if batch_size < n_samples else None
            total_loss, correct = 0.0, 0
            for start in range(0, n_samples, batch_size):
                if order is None:
                    X_batch, T_batch = X, T
                else:
                    rows = order[start : start + batch_size]
                    X_batch, T_batch = X[rows], T[rows]
                cache = net._feedforward(X_batch)
                errors = net.loss_function.value(cache.z[-1], cache.output, T_batch)
                batch_loss = float(errors.mean())
                if limit is None:
                    limit = DIVERGENCE_FACTOR * max(batch_loss, 1.0)
                grads = net._backward(cache, T_batch)
                finite = all(np.isfinite(g.sum()) for g in grads.dW + grads.db)
                if not (np.isfinite(batch_loss) and batch_loss <= limit and finite):
                    history.diverged, history.diverged_at = True, epoch
                    return history
                for W, b, dW, db in zip(net.weights, net.biases, grads.dW, grads.db, strict=True):
                    W -= learning_rate * dW  # eq. (7)
                    b -= learning_rate * db
                total_loss += batch_loss * X_batch.shape[0]
                if track_accuracy:
                    correct += count_correct(cache.output, T_batch)
            history.loss.append(total_loss / n_samples)
            if history.accuracy is not None:
                history.accuracy.append(correct / n_samples)
            if validation is not None:
                cache = net._feedforward(X_val)
                errors = net.loss_function.value(cache.z[-1], cache.output, T_val)
                history.val_loss.append(float(errors.mean()))
                if history.val_accuracy is not None:
                    history.val_accuracy.append(count_correct(cache.output, T_val) / X_val.shape[0])
    return history
