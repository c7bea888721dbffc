"""Minibatch gradient descent: the update rule of eq. (7), in a plain loop.

Every parameter takes the step theta <- theta - learning_rate * dE/dtheta,
where dE/dtheta is the gradient of the mean loss over one minibatch. The loss
and accuracy recorded for an epoch are the means over the minibatches as they
were seen during that epoch (before each one's update), so recording costs
no second pass over the data.

:func:`fit` below is the whole algorithm: shuffle, and for each minibatch a
forward pass, a backward pass and the step of eq. (7). A plain
:class:`~backprop.network.Network` trains through ``backprop._fast``
instead, which does the same arithmetic in buffers allocated once (the same
results up to rounding, about 1e-15 relative; ``tests/test_fast_path.py``
checks it). Which one runs:

* the **fast path** runs only for a network of class ``Network`` itself
  whose ``feedforward``, ``_feedforward``, ``backward`` and ``_backward`` are
  the ones ``network.py`` defines (none replaced on the class or on the
  instance);
* everything else takes the **plain path** below: any subclass, and any
  network whose passes were replaced. It calls ``net.feedforward`` and
  ``net.backward``, so an override of any of the four is honoured.
"""

from __future__ import annotations

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

__all__ = ["fit"]  # History and the divergence rule live in backprop.history


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
    if _fast.handles(net):
        return _fast.fit(net, X, T, learning_rate, epochs, batch_size, rng, validation)

    history = History()
    track_accuracy = is_classification(T)
    validation_classes = validation is not None and is_classification(validation[1])
    first_loss: float | None = None
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(n_samples) if batch_size < n_samples else np.arange(n_samples)
            total_loss, correct = 0.0, 0
            for start in range(0, n_samples, batch_size):
                rows = order[start : start + batch_size]
                X_batch, T_batch = X[rows], T[rows]
                cache = net.feedforward(X_batch)
                loss = float(np.mean(net.loss_function.value(cache.z[-1], cache.output, T_batch)))
                first_loss = loss if first_loss is None else first_loss
                grads = None if blew_up(loss, first_loss) else net.backward(cache, T_batch)
                if grads is None or not all(np.isfinite(g).all() for g in grads.dW + grads.db):
                    history.diverged, history.diverged_at = True, epoch
                    return history
                for W, b, dW, db in zip(net.weights, net.biases, grads.dW, grads.db, strict=True):
                    W -= learning_rate * dW  # eq. (7)
                    b -= learning_rate * db  # eq. (7)
                total_loss += loss * len(rows)
                if track_accuracy:
                    correct += count_correct(cache.output, T_batch)
            accuracy = correct / n_samples if track_accuracy else None
            record_epoch(
                net, history, total_loss / n_samples, accuracy, validation, validation_classes
            )
    return history


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
