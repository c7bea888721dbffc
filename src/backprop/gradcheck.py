"""Gradient checking by central finite differences.

For each parameter theta the numerical gradient is
(E(theta + eps) - E(theta - eps)) / (2 eps), with E the network's mean loss.
Comparing it with backpropagation's analytic gradient is how the book checks
every equation it derives.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _checks
from .network import Network


def _check(net: Network, eps: float) -> float:
    """Check that ``net`` is float64 and ``eps`` a small positive step."""
    if net.dtype != np.float64:
        raise ValueError(
            f"net has dtype {net.dtype}, but gradient checks need float64: in "
            f"{net.dtype} the rounding of each loss swamps the finite difference "
            "(relative errors of 0.1 and more even for a correct backward pass); "
            "build the network with dtype=np.float64"
        )
    return _checks.positive_float("eps", eps)


def numerical_gradients(
    net: Network, X: ArrayLike, T: ArrayLike, eps: float = 1e-6
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Central-difference gradients of ``net.loss(X, T)``, shaped like
    ``(net.weights, net.biases)``. The network (float64) is left unchanged;
    ``eps`` is the finite step, > 0."""
    eps = _check(net, eps)
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])

    def numerical(param: np.ndarray) -> np.ndarray:
        grad = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            saved = param[index]
            param[index] = saved + eps
            plus = net.loss(X, T)
            param[index] = saved - eps
            minus = net.loss(X, T)
            param[index] = saved
            grad[index] = (plus - minus) / (2 * eps)
        return grad

    return [numerical(W) for W in net.weights], [numerical(b) for b in net.biases]


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """||analytic - numeric|| / max(||analytic|| + ||numeric||, 1e-12)."""
    diff = float(np.linalg.norm(analytic - numeric))
    scale = float(np.linalg.norm(analytic) + np.linalg.norm(numeric))
    return diff / max(scale, 1e-12)


def gradient_check(net: Network, X: ArrayLike, T: ArrayLike, eps: float = 1e-6) -> dict[str, float]:
    """Relative error between backpropagation and finite differences.

    Returns one entry per parameter array, ``{"W0": ..., "b0": ..., "W1": ...}``
    (``W0`` is ``net.weights[0]``). In float64 a correct backward pass gives
    errors around 1e-9 or smaller. The network must be float64 and ``eps``
    positive (ValueError otherwise).
    """
    _check(net, eps)
    dW, db = net.gradients(X, T)
    num_dW, num_db = numerical_gradients(net, X, T, eps)
    errors: dict[str, float] = {}
    for l, (a_W, n_W, a_b, n_b) in enumerate(zip(dW, num_dW, db, num_db, strict=True)):  # noqa: E741
        errors[f"W{l}"] = relative_error(a_W, n_W)
        errors[f"b{l}"] = relative_error(a_b, n_b)
    return errors
