"""Diagnostics of training, NumPy only: how large the gradient is in each layer.

The recursion of eq. (14), delta_l = g'(z_l) * (delta_{l+1} @ W_{l+1}.T),
multiplies the error signal per layer by two factors on its way back: the
slopes g'(z) and the weights W.T. With sigmoid the slope factor is at most 1/4,
so unless the weights are large (which saturates the forward pass), the signal
shrinks layer by layer: the vanishing gradient. :func:`layer_gradient_norms`
measures that, one number per layer, for
:func:`backprop.book.plots.plot_gradient_norms` to draw.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

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
