"""Diagnostics of training, NumPy only: how large the gradient is in each
layer, and how sharply the loss curves (which bounds the learning rate).

The recursion of eq. (14), delta_l = g'(z_l) * (delta_{l+1} @ W_{l+1}.T),
multiplies the error signal per layer by two factors on its way back: the
slopes g'(z) and the weights W.T. With sigmoid the slope factor is at most 1/4,
so unless the weights are large (which saturates the forward pass), the signal
shrinks layer by layer: the vanishing gradient. :func:`layer_gradient_norms`
measures that, one number per layer, for
:func:`backprop.book.plots.plot_gradient_norms` to draw.

Gradient descent, eq. (7), is stable on a quadratic loss only for learning
rates below 2/c, c the loss's largest curvature. Two Hessian tools measure c
from backpropagated gradients alone (central differences, no second
derivative written down): :func:`sharpness` over every weight and bias,
:func:`output_weight_curvature` over the output weights w_jk only.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _checks
from ._checks import choice
from .network import Network

GRADIENT_MEASURES = ("weights", "delta")
"""What :func:`layer_gradient_norms` can measure."""


def layer_gradient_norms(
    net: Network, X: ArrayLike, T: ArrayLike, measure: str = "weights"
) -> np.ndarray:
    """Size of the gradient in each weight layer, shape (n_layers,).

    Entry l belongs to ``net.weights[l]`` (layer l + 1 counting the input as
    layer 0), so the first entry is the layer nearest the input.

    Args:
        net: the network; it is not changed.
        X: inputs, shape (n_samples, n_in).
        T: targets, shape (n_samples, n_out).
        measure: ``"weights"`` for the Frobenius norm of each layer's weight
            gradient, eqs. (6) and (15) averaged over the batch (the book's
            dE-bar/dW^(l));
            ``"delta"`` for the mean of |delta_l| over samples and nodes, the
            error signal of eqs. (5) and (14).

    Returns:
        One non-negative number per layer, float64.
    """
    choice("measure", measure, list(GRADIENT_MEASURES))
    grads = net.backward(net.feedforward(X), T)
    if measure == "weights":
        return np.array([np.linalg.norm(dW) for dW in grads.dW], dtype=np.float64)
    return np.array([np.mean(np.abs(delta)) for delta in grads.delta], dtype=np.float64)


def sharpness(
    net: Network, X: np.ndarray, T: np.ndarray, iterations: int = 50, seed: int = 0
) -> float:
    """Curvature of the mean loss along its most curved direction.

    Power iteration on the Hessian H of the mean loss with respect to all
    weights and biases: each product H v is a central difference of two
    backpropagated gradients, (grad E(theta + eps v) - grad E(theta - eps v))
    / (2 eps), so no second derivative is ever written down. Returns the
    Rayleigh quotient v.H v of the final unit vector v: the eigenvalue of H
    largest in magnitude, since each step stretches v's part along an
    eigenvector by |lambda|. Eq. (7) multiplies that part by
    1 - learning_rate * lambda, which leaves [-1, 1] first for the largest
    positive lambda. A positive result is that eigenvalue (no other one is
    larger), and full-batch gradient descent on a quadratic loss is stable
    exactly when learning_rate < 2 / sharpness. A negative result means the
    loss curves down more steeply than it curves up anywhere, and 2 / sharpness
    then bounds nothing. The network is left unchanged.
    """
    iterations = _checks.positive_int("iterations", iterations)
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    params = [*net.weights, *net.biases]
    eps = 1e-5

    saved = [p.copy() for p in params]

    def gradient_at(step: np.ndarray) -> np.ndarray:
        """The gradient with every parameter moved by its part of ``step``."""
        start = 0
        for p, p0 in zip(params, saved, strict=True):
            p[...] = p0 + step[start : start + p.size].reshape(p.shape)
            start += p.size
        dW, db = net.gradients(X, T)
        return np.concatenate([g.ravel() for g in [*dW, *db]])

    v = np.random.default_rng(seed).normal(size=sum(p.size for p in params))
    v /= np.linalg.norm(v)
    curvature = 0.0
    try:
        for _ in range(iterations):
            Hv = (gradient_at(eps * v) - gradient_at(-eps * v)) / (2 * eps)
            curvature = float(v @ Hv)
            norm = np.linalg.norm(Hv)
            if norm == 0:
                break
            v = Hv / norm
    finally:
        for p, p0 in zip(params, saved, strict=True):
            p[...] = p0
    return curvature


def output_weight_curvature(net: Network, X: ArrayLike, T: ArrayLike, eps: float = 1e-5) -> float:
    """The largest curvature c of the mean error over the output weights w_jk.

    c is the largest eigenvalue of the Hessian of the mean error with respect
    to every entry of ``net.weights[-1]`` (shape (n_hidden, n_out)), at the
    network's current parameters; gradient descent on those weights alone,
    eq. (7), is stable near them for learning rates below 2/c. The Hessian is
    the central difference of the gradient of eq. (6), one column per weight,
    symmetrised. For a linear output the error is an exact quadratic in the
    w_jk, the gradient is linear in them, and c is the largest eigenvalue of
    (1/N) A_j^T A_j with A_j the hidden signals, shape (N, n_hidden), the
    same at every point; for any other output activation c belongs to the
    point where it is measured. The network is left unchanged.

    Chapter 2 (output weights) marks 2/c on its explorer.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    eps = _checks.positive_float("eps", eps)
    W = net.weights[-1]
    n = W.size
    hessian = np.empty((n, n))
    for m in range(n):
        index = np.unravel_index(m, W.shape)
        saved = W[index]
        try:
            W[index] = saved + eps
            up = net.gradients(X, T)[0][-1].ravel()
            W[index] = saved - eps
            down = net.gradients(X, T)[0][-1].ravel()
        finally:
            W[index] = saved
        hessian[:, m] = (up - down) / (2 * eps)
    return float(np.linalg.eigvalsh((hessian + hessian.T) / 2).max())
