"""Activation functions g and their derivatives g', side by side.

Every activation acts on a pre-activation array ``z`` of shape
(n_samples, n_nodes) and returns an array of the same shape. The hidden-layer
delta of eq. (14) and the output delta of eq. (5) both multiply an incoming
error by g'(z); :meth:`Activation.delta` does that multiplication, so softmax,
whose derivative couples the nodes of a layer, can do its own version.

All functions are finite and warning-free for |z| up to 1e4 and beyond.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import choice

LEAKY_SLOPE = 0.01
"""Slope of ``leaky_relu`` for negative z."""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z), accurate to a few units in the last place for every z.

    With e = e^-|z|, which lies in (0, 1] and so never overflows, the sigmoid
    is 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0 (numerator and
    denominator multiplied by e^z). No step subtracts, so nothing cancels:
    each result carries the rounding of one exp, one sum and one quotient,
    down to the subnormal numbers that e^z reaches near z = -745. The fast
    path of ``fit`` computes the same formula in place.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _relu_prime(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(z.dtype)


def _leaky_relu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_prime(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype)


def _linear(z: np.ndarray) -> np.ndarray:
    return z.copy()


def _linear_prime(z: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


def _softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)  # no overflow in exp
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """An activation g with its derivative g'.

    Attributes:
        name: the registry name, e.g. ``"tanh"``.
        g: z -> a, shape (n_samples, n_nodes) -> same shape.
        g_prime: z -> g'(z), elementwise; ``None`` for softmax, whose
            derivative is a Jacobian coupling the nodes of a layer.
        g_tex, g_prime_tex: LaTeX formulas, for the book's tables and labels.
        g_prime_of_a: the same derivative written in terms of a = g(z), which
            saves recomputing g in the backward pass (sigmoid: a(1 - a),
            tanh: 1 - a^2); it gives bitwise the same numbers as ``g_prime``.
    """

    name: str
    g: Callable[[np.ndarray], np.ndarray]
    g_prime: Callable[[np.ndarray], np.ndarray] | None
    g_tex: str
    g_prime_tex: str
    g_prime_of_a: Callable[[np.ndarray], np.ndarray] | None = None

    @property
    def elementwise(self) -> bool:
        """True when node j's output depends on z_j alone (all but softmax)."""
        return self.g_prime is not None

    def delta(self, z: np.ndarray, a: np.ndarray, error: np.ndarray) -> np.ndarray:
        """Turn dE/da into dE/dz for one layer, shape (n_samples, n_nodes).

        For an elementwise g this is ``error * g'(z)``: the output delta of
        eq. (5) when ``error`` is a - t, the hidden delta of eq. (14) when
        ``error`` is sum_k delta_k w_jk. For softmax it is the product with the
        Jacobian, a * (error - sum(error * a)).
        """
        if self.g_prime_of_a is not None:
            return error * self.g_prime_of_a(a)
        if self.g_prime is not None:
            return error * self.g_prime(z)
        return a * (error - np.sum(error * a, axis=1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in [
        Activation(
            "sigmoid",
            _sigmoid,
            _sigmoid_prime,
            r"\frac{1}{1 + e^{-z}}",
            r"g(z)\,(1 - g(z))",
            lambda a: a * (1.0 - a),
        ),
        Activation(
            "tanh", np.tanh, _tanh_prime, r"\tanh z", r"1 - \tanh^2 z", lambda a: 1.0 - a**2
        ),
        Activation("relu", _relu, _relu_prime, r"\max(0, z)", r"[z > 0]", _relu_prime),
        Activation(
            "leaky_relu",
            _leaky_relu,
            _leaky_relu_prime,
            rf"\max({LEAKY_SLOPE}\,z, z)",
            rf"1 \text{{ if }} z > 0 \text{{ else }} {LEAKY_SLOPE}",
            _leaky_relu_prime,  # a > 0 exactly where z > 0
        ),
        Activation("linear", _linear, _linear_prime, "z", "1", _linear_prime),
        Activation(
            "softmax",
            _softmax,
            None,
            r"\frac{e^{z_k}}{\sum_{k'} e^{z_{k'}}}",
            r"a_k([k = k'] - a_{k'})",
        ),
    ]
}
"""Every activation by name. ``softmax`` is for the output layer only."""

HIDDEN_ACTIVATIONS = [name for name, act in ACTIVATIONS.items() if act.elementwise]
"""Names usable in hidden layers (every elementwise activation)."""


def get_activation(name: str) -> Activation:
    """Look up an activation by name; raise ``ValueError`` listing valid names."""
    return ACTIVATIONS[choice("activation", name, list(ACTIVATIONS))]
