"""The text's equations written literally, with explicit loops over i, j, k.

These functions are slow on purpose: each mirrors one equation of the
derivation index by index, for a network with one hidden layer (Figure 1)
and the sum-of-squares loss of eq. (1). Chapters 1 to 5 write the same loops
out in their own cells, for the reader to see and run; this module keeps them
in one place for the package's tests, which check them against the vectorized
:class:`~backprop.network.Network` to 1e-12.

Index names follow the text: i runs over inputs, j over hidden nodes, k over
outputs. ``W_ij = net.weights[0]``, ``b_j = net.biases[0]``,
``W_jk = net.weights[1]``, ``b_k = net.biases[1]``. Single-sample functions
take one observation ``x`` (n_in,) and target ``t`` (n_out,); gradient
functions take a batch and average over its samples, like the network.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from .activations import Activation
from .network import Network


def _check_one_hidden_layer(net: Network) -> None:
    if len(net.weights) != 2 or net.loss_function.name != "sse":
        raise ValueError(
            "the reference loops follow Figure 1: a network with exactly one "
            f"hidden layer and loss 'sse'; got {net!r}"
        )
    if not all(act.elementwise for act in net.activations):
        raise ValueError("the reference loops need elementwise activations")


def _scalar(fn: Callable[[np.ndarray], np.ndarray], z: float) -> float:
    """Apply an array function to one number."""
    return float(fn(np.array([[z]]))[0, 0])


def _g_prime(act: Activation, z: float) -> float:
    """g'(z) for one number (the reference loops use elementwise g only)."""
    assert act.g_prime is not None
    return _scalar(act.g_prime, z)


def feedforward_loops(net: Network, x: ArrayLike) -> dict[str, np.ndarray]:
    """Forward pass for one observation, node by node.

    z_j = b_j + sum_i a_i w_ij,  a_j = g_j(z_j),
    z_k = b_k + sum_j a_j w_jk,  a_k = g_k(z_k).
    Returns ``{"a_i", "z_j", "a_j", "z_k", "a_k"}``.
    """
    _check_one_hidden_layer(net)
    a_i = net.check_inputs(np.reshape(x, (1, -1)))[0]
    (W_ij, W_jk), (b_j, b_k) = net.weights, net.biases
    g_j, g_k = net.activations
    z_j = np.zeros(len(b_j))
    a_j = np.zeros(len(b_j))
    for j in range(len(b_j)):
        z_j[j] = b_j[j] + sum(a_i[i] * W_ij[i, j] for i in range(len(a_i)))
        a_j[j] = _scalar(g_j.g, z_j[j])
    z_k = np.zeros(len(b_k))
    a_k = np.zeros(len(b_k))
    for k in range(len(b_k)):
        z_k[k] = b_k[k] + sum(a_j[j] * W_jk[j, k] for j in range(len(a_j)))
        a_k[k] = _scalar(g_k.g, z_k[k])
    return {"a_i": a_i, "z_j": z_j, "a_j": a_j, "z_k": z_k, "a_k": a_k}


def output_deltas_loops(net: Network, x: ArrayLike, t: ArrayLike) -> np.ndarray:
    """Eq. (5): delta_k = (a_k - t_k) g_k'(z_k), shape (n_out,)."""
    f = feedforward_loops(net, x)
    t_k = net.check_targets(np.reshape(t, (1, -1)), 1)[0]
    g_k = net.activations[1]
    return np.array([(f["a_k"][k] - t_k[k]) * _g_prime(g_k, f["z_k"][k]) for k in range(len(t_k))])


def hidden_deltas_loops(net: Network, x: ArrayLike, t: ArrayLike) -> np.ndarray:
    """Eq. (14): delta_j = g_j'(z_j) sum_k delta_k w_jk, shape (n_hidden,)."""
    f = feedforward_loops(net, x)
    delta_k = output_deltas_loops(net, x, t)
    W_jk = net.weights[1]
    g_j = net.activations[0]
    n_hidden, n_out = W_jk.shape
    return np.array(
        [
            _g_prime(g_j, f["z_j"][j]) * sum(delta_k[k] * W_jk[j, k] for k in range(n_out))
            for j in range(n_hidden)
        ]
    )


def _batch_mean(
    per_sample: Callable[[np.ndarray, np.ndarray], np.ndarray],
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
) -> np.ndarray:
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    return np.mean([per_sample(x, t) for x, t in zip(X, T, strict=True)], axis=0)


def output_weight_gradients_loops(net: Network, X: ArrayLike, T: ArrayLike) -> np.ndarray:
    """Eq. (4): dE/dw_jk = (a_k - t_k) g_k'(z_k) a_j, shape (n_hidden, n_out).

    Written as the three factors of eq. (4); eq. (6) names the first two
    delta_k. Averaged over the samples of the batch.
    """
    _check_one_hidden_layer(net)
    g_k = net.activations[1]

    def one(x: np.ndarray, t: np.ndarray) -> np.ndarray:
        f = feedforward_loops(net, x)
        n_hidden, n_out = net.weights[1].shape
        grad = np.zeros((n_hidden, n_out))
        for j in range(n_hidden):
            for k in range(n_out):
                g_prime_k = _g_prime(g_k, f["z_k"][k])
                grad[j, k] = (f["a_k"][k] - t[k]) * g_prime_k * f["a_j"][j]
        return grad

    return _batch_mean(one, net, X, T)


def output_bias_gradients_loops(net: Network, X: ArrayLike, T: ArrayLike) -> np.ndarray:
    """Eq. (8): dE/db_k = (a_k - t_k) g_k'(z_k) (1) = delta_k, shape (n_out,)."""
    _check_one_hidden_layer(net)
    return _batch_mean(lambda x, t: output_deltas_loops(net, x, t), net, X, T)


def hidden_weight_gradients_loops(net: Network, X: ArrayLike, T: ArrayLike) -> np.ndarray:
    """Eq. (13): dE/dw_ij = (sum_k delta_k w_jk) g_j'(z_j) a_i, shape (n_in, n_hidden).

    Eq. (15) writes the same as delta_j a_i. Averaged over the batch.
    """
    _check_one_hidden_layer(net)
    W_jk = net.weights[1]
    g_j = net.activations[0]

    def one(x: np.ndarray, t: np.ndarray) -> np.ndarray:
        f = feedforward_loops(net, x)
        delta_k = output_deltas_loops(net, x, t)
        n_in, n_hidden = net.weights[0].shape
        grad = np.zeros((n_in, n_hidden))
        for i in range(n_in):
            for j in range(n_hidden):
                error_j = sum(delta_k[k] * W_jk[j, k] for k in range(len(delta_k)))
                g_prime_j = _g_prime(g_j, f["z_j"][j])
                grad[i, j] = error_j * g_prime_j * f["a_i"][i]
        return grad

    return _batch_mean(one, net, X, T)


def hidden_bias_gradients_loops(net: Network, X: ArrayLike, T: ArrayLike) -> np.ndarray:
    """Eq. (18): dE/db_j = g_j'(z_j) sum_k delta_k w_jk = delta_j, shape (n_hidden,)."""
    _check_one_hidden_layer(net)
    return _batch_mean(lambda x, t: hidden_deltas_loops(net, x, t), net, X, T)
