"""Losses: each knows its value and its output delta, side by side.

A loss compares the output layer's activations ``a`` (and pre-activations
``z``), shape (n_samples, K), with targets ``T`` of the same shape. ``value``
returns one error per sample, shape (n_samples,); the network reports their
mean. ``delta`` returns the output-layer delta per sample, shape
(n_samples, K), before any averaging.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._checks import choice
from .activations import Activation


@dataclass(frozen=True)
class SumSquaredError:
    """E = 1/2 sum_k (a_k - t_k)^2 per sample, eq. (1)."""

    name: str = "sse"
    caption: ClassVar[str] = r"$E = \frac{1}{2}\sum_k (a_k - t_k)^2$, eq. (1)"
    """The per-sample error for a figure's title (matplotlib mathtext)."""

    def value(self, z: np.ndarray, a: np.ndarray, T: np.ndarray) -> np.ndarray:
        """Per-sample error of eq. (1), shape (n_samples,)."""
        return 0.5 * np.sum((a - T) ** 2, axis=1)

    def delta(
        self, z: np.ndarray, a: np.ndarray, T: np.ndarray, activation: Activation
    ) -> np.ndarray:
        """Output delta of eq. (5): delta_k = (a_k - t_k) g_k'(z_k)."""
        return activation.delta(z, a, a - T)

    def check_pairing(self, activation: Activation) -> None:
        """SSE works with every output activation."""

    def check_targets(self, T: np.ndarray) -> None:
        """SSE accepts any finite targets."""


@dataclass(frozen=True)
class CrossEntropy:
    """E = -sum_k t_k log a_k per sample, with a softmax output layer.

    The value is computed from z through log-softmax, so it stays finite for
    logits of any size.
    """

    name: str = "cross_entropy"
    caption: ClassVar[str] = r"cross-entropy $E = -\sum_k t_k \log a_k$"

    def value(self, z: np.ndarray, a: np.ndarray, T: np.ndarray) -> np.ndarray:
        """Per-sample cross-entropy, shape (n_samples,)."""
        shifted = z - z.max(axis=1, keepdims=True)
        log_a = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        return -np.sum(T * log_a, axis=1)

    def delta(
        self, z: np.ndarray, a: np.ndarray, T: np.ndarray, activation: Activation
    ) -> np.ndarray:
        """Output delta with softmax: delta_k = a_k - t_k.

        The softmax Jacobian a_k([k = k'] - a_k') times dE/da_k' = -t_k'/a_k'
        collapses to a_k sum_k' t_k' - t_k = a_k - t_k, because each target
        row sums to one.
        """
        return a - T

    def check_pairing(self, activation: Activation) -> None:
        """Cross-entropy is defined here for a softmax output layer only."""
        if activation.name != "softmax":
            raise ValueError(
                "loss 'cross_entropy' needs a 'softmax' output layer; "
                f"got output activation {activation.name!r}"
            )

    def check_targets(self, T: np.ndarray) -> None:
        """Each target row must be a probability vector (one-hot for labels)."""
        if (T < 0).any() or not np.allclose(T.sum(axis=1), 1.0):
            raise ValueError(
                "T for cross_entropy must hold one probability vector per row "
                "(non-negative, summing to 1), e.g. one-hot class labels; "
                "use backprop.datasets.one_hot(labels, n_classes)"
            )


@dataclass(frozen=True)
class BinaryCrossEntropy:
    """E = -sum_k [t_k log a_k + (1 - t_k) log(1 - a_k)] per sample, with a
    sigmoid output layer: each output node is the probability of a yes/no.

    With log a = -softplus(-z) and log(1 - a) = -softplus(z) the value is
    softplus(z) - t z per node, computed from z so it stays finite for any z.
    """

    name: str = "binary_cross_entropy"
    caption: ClassVar[str] = (
        r"binary cross-entropy $E = -\sum_k [t_k \log a_k + (1 - t_k) \log(1 - a_k)]$"
    )

    def value(self, z: np.ndarray, a: np.ndarray, T: np.ndarray) -> np.ndarray:
        """Per-sample binary cross-entropy, shape (n_samples,)."""
        return np.sum(np.logaddexp(0.0, z) - T * z, axis=1)

    def delta(
        self, z: np.ndarray, a: np.ndarray, T: np.ndarray, activation: Activation
    ) -> np.ndarray:
        """Output delta with sigmoid: delta_k = a_k - t_k.

        dE/da_k = (a_k - t_k) / (a_k (1 - a_k)), and the sigmoid's slope
        g'(z_k) = a_k (1 - a_k) cancels its denominator.
        """
        return a - T

    def check_pairing(self, activation: Activation) -> None:
        """Binary cross-entropy is defined here for a sigmoid output layer only."""
        if activation.name != "sigmoid":
            raise ValueError(
                "loss 'binary_cross_entropy' needs a 'sigmoid' output layer; "
                f"got output activation {activation.name!r}"
            )

    def check_targets(self, T: np.ndarray) -> None:
        """Each target must be a probability in [0, 1] (0/1 for labels)."""
        if (T < 0).any() or (T > 1).any():
            raise ValueError(
                "T for binary_cross_entropy must lie in [0, 1], one probability "
                f"per output node (0 or 1 for labels); got values from {T.min():g} "
                f"to {T.max():g}"
            )


Loss = SumSquaredError | CrossEntropy | BinaryCrossEntropy

LOSSES: dict[str, Loss] = {
    "sse": SumSquaredError(),
    "cross_entropy": CrossEntropy(),
    "binary_cross_entropy": BinaryCrossEntropy(),
}
"""Every loss by name."""


def get_loss(name: str) -> Loss:
    """Look up a loss by name; raise ``ValueError`` listing valid names."""
    return LOSSES[choice("loss", name, list(LOSSES))]
