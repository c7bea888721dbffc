"""Backpropagation agrees with finite differences for random architectures."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from backprop import ACTIVATIONS, HIDDEN_ACTIVATIONS, Network, gradient_check

RELU_LIKE = {"relu", "leaky_relu"}
KINK_MARGIN = 1e-4
TOLERANCE = 1e-6
# Central differences with eps = 1e-6 measure each gradient entry only to about
# (roundoff of E) / eps ~ 1e-10 * E. A relative error below 1e-6 is meaningful
# for a gradient array only when its norm is far above that noise floor (or
# exactly zero, as behind a dead relu); vanishing gradients (deep sigmoid
# chains) can fall below it, and such examples are discarded, not loosened.
NOISE_FLOOR = 1e-3


def kink_distance(net: Network, X: np.ndarray) -> float:
    """Smallest |z| over every layer whose activation has a kink at 0."""
    cache = net.feedforward(X)
    distances = [
        np.abs(z).min()
        for z, act in zip(cache.z, net.activations, strict=True)
        if act.name in RELU_LIKE
    ]
    return float(min(distances, default=np.inf))


def resolvable(net: Network, X: np.ndarray, T: np.ndarray) -> bool:
    """True when every gradient array is zero or well above the finite-difference noise."""
    scale = max(net.loss(X, T), 1e-3)
    dW, db = net.gradients(X, T)
    return all(
        not g.any() or np.linalg.norm(g) >= NOISE_FLOOR * scale * np.sqrt(g.size) for g in dW + db
    )


@st.composite
def cases(draw: st.DrawFn, loss: str) -> tuple[Network, np.ndarray, np.ndarray]:
    """A random network (1-5 weight layers, widths 1-8) with a random batch."""
    n_layers = draw(st.integers(1, 5))
    sizes = draw(st.lists(st.integers(1, 8), min_size=n_layers + 1, max_size=n_layers + 1))
    hidden = draw(
        st.lists(st.sampled_from(HIDDEN_ACTIVATIONS), min_size=n_layers - 1, max_size=n_layers - 1)
    )
    output = draw(st.sampled_from(sorted(ACTIVATIONS))) if loss == "sse" else "softmax"
    n_samples = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    net = Network(sizes, activations=[*hidden, output], loss=loss, seed=seed)
    rng = np.random.default_rng(seed)
    # Non-zero biases, so the bias terms of the forward pass are exercised too.
    net.biases = [np.asarray(rng.normal(0.0, 0.5, size=b.shape)) for b in net.biases]
    X = rng.normal(0.0, 1.0, (n_samples, sizes[0]))
    if loss == "sse":
        T = rng.normal(0.0, 1.0, (n_samples, sizes[-1]))
    elif draw(st.booleans()):
        T = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n_samples)]
    else:
        T = rng.dirichlet(np.ones(sizes[-1]), n_samples)
    assume(kink_distance(net, X) > KINK_MARGIN)
    assume(resolvable(net, X, T))
    return net, X, T


def assert_gradients_match(net: Network, X: np.ndarray, T: np.ndarray) -> None:
    before = [p.copy() for p in net.weights + net.biases]
    errors = gradient_check(net, X, T)
    for p, q in zip(net.weights + net.biases, before, strict=True):
        assert np.array_equal(p, q)  # the check leaves the network unchanged
    assert set(errors) == {f"{p}{layer}" for layer in range(len(net.weights)) for p in "Wb"}
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] < TOLERANCE, f"{net!r}: {worst} relative error {errors[worst]:.3g}"


@given(cases("sse"))
def test_sse_gradients_match_finite_differences(case):
    assert_gradients_match(*case)


@given(cases("cross_entropy"))
def test_cross_entropy_gradients_match_finite_differences(case):
    assert_gradients_match(*case)


@pytest.mark.parametrize(
    ("sizes", "activations", "loss"),
    [
        ([2, 3, 1], ["tanh", "sigmoid"], "sse"),
        ([3, 5, 4, 2], ["sigmoid", "leaky_relu", "linear"], "sse"),
        ([4, 6, 3], ["tanh", "softmax"], "cross_entropy"),
        ([1, 2, 3, 2, 1], ["relu", "tanh", "sigmoid", "tanh"], "sse"),
    ],
)
def test_float32_network_matches_float64(sizes, activations, loss):
    net64 = Network(sizes, activations=activations, loss=loss, seed=3)
    net32 = Network(sizes, activations=activations, loss=loss, seed=3, dtype=np.float32)
    rng = np.random.default_rng(7)
    X = rng.normal(0.0, 1.0, (6, sizes[0]))
    T = (
        np.eye(sizes[-1])[rng.integers(0, sizes[-1], 6)]
        if loss == "cross_entropy"
        else rng.random((6, sizes[-1]))
    )
    for W32, W64 in zip(net32.weights, net64.weights, strict=True):
        assert W32.dtype == np.float32
        np.testing.assert_array_equal(W32, W64.astype(np.float32))
    assert all(b.dtype == np.float32 for b in net32.biases)

    out32 = net32.forward(X)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, net64.forward(X), rtol=1e-3, atol=1e-6)
    assert net32.loss(X, T) == pytest.approx(net64.loss(X, T), rel=1e-3)

    dW32, db32 = net32.gradients(X, T)
    dW64, db64 = net64.gradients(X, T)
    for g32, g64 in zip(dW32 + db32, dW64 + db64, strict=True):
        assert g32.dtype == np.float32
        assert g32.shape == g64.shape
        np.testing.assert_allclose(g32, g64, rtol=1e-3, atol=1e-6)
