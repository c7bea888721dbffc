"""Binary cross-entropy for a sigmoid output: its value, delta = a - t, and
clear errors for a wrong pairing or targets outside [0, 1]."""

import numpy as np
import pytest

from backprop import Network, get_loss, gradient_check
from backprop.losses import BinaryCrossEntropy


def test_registered():
    assert isinstance(get_loss("binary_cross_entropy"), BinaryCrossEntropy)


def test_value_is_minus_t_log_a_minus_one_minus_t_log_one_minus_a():
    rng = np.random.default_rng(0)
    z = rng.uniform(-4.0, 4.0, (6, 3))
    a = 1.0 / (1.0 + np.exp(-z))
    T = rng.uniform(0.0, 1.0, (6, 3))
    expected = -np.sum(T * np.log(a) + (1 - T) * np.log(1 - a), axis=1)
    got = get_loss("binary_cross_entropy").value(z, a, T)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_value_is_finite_for_huge_logits():
    z = np.array([[1e4, -1e4], [-1e300, 1e300]])
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    T = np.array([[0.0, 1.0], [1.0, 1.0]])
    value = get_loss("binary_cross_entropy").value(z, a, T)
    assert np.isfinite(value).all()
    assert value[0] == pytest.approx(2e4)


def test_delta_is_a_minus_t_and_equals_the_chain_rule():
    """dE/da = (a - t) / (a (1 - a)) times g' = a (1 - a) gives a - t."""
    rng = np.random.default_rng(1)
    net = Network([3, 2], activations=["sigmoid"], loss="binary_cross_entropy", seed=1)
    X = rng.normal(size=(5, 3))
    T = rng.uniform(size=(5, 2))
    cache = net.feedforward(X)
    a, z = cache.output, cache.z[-1]
    loss = get_loss("binary_cross_entropy")
    delta = loss.delta(z, a, T, net.activations[-1])
    np.testing.assert_array_equal(delta, a - T)
    chain = (a - T) / (a * (1 - a)) * net.activations[-1].g_prime(z)
    np.testing.assert_allclose(delta, chain, rtol=1e-12, atol=1e-15)
    # the delta is dE/dz per sample: compare with central differences in z
    h = 1e-6
    numeric = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += h
        down[index] -= h
        g = net.activations[-1].g
        numeric[index] = (
            loss.value(up, g(up), T)[index[0]] - loss.value(down, g(down), T)[index[0]]
        ) / (2 * h)
    np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("sizes", [[2, 1], [3, 4, 2], [2, 5, 3, 1]])
def test_network_gradients_match_finite_differences(sizes):
    rng = np.random.default_rng(len(sizes))
    net = Network(sizes, activations="tanh", loss="binary_cross_entropy", seed=2)
    assert net.activations[-1].name == "sigmoid"  # the default output for this loss
    net.biases = [rng.normal(0.0, 0.5, b.shape) for b in net.biases]
    X = rng.normal(size=(7, sizes[0]))
    T = (rng.uniform(size=(7, sizes[-1])) > 0.5).astype(float)
    errors = gradient_check(net, X, T)
    assert max(errors.values()) < 1e-7, errors


def test_training_lowers_the_loss():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    T = (X[:, :1] + X[:, 1:] > 0).astype(float)
    net = Network([2, 3, 1], activations="tanh", loss="binary_cross_entropy", seed=0)
    history = net.fit(X, T, learning_rate=0.5, epochs=50)
    assert history.loss[-1] < 0.5 * history.loss[0]


def test_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="'binary_cross_entropy' needs a 'sigmoid' output"):
        Network([2, 3], activations=["softmax"], loss="binary_cross_entropy")
    with pytest.raises(ValueError, match="got output activation 'tanh'"):
        Network([2, 3, 1], activations=["tanh", "tanh"], loss="binary_cross_entropy")


@pytest.mark.parametrize("bad", [-0.5, 1.5, 2.0])
def test_targets_outside_zero_one_are_rejected(bad):
    net = Network([2, 1], activations=["sigmoid"], loss="binary_cross_entropy")
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\].*got values from"):
        net.loss(X, [[0.0], [bad]])
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        net.gradients(X, [[bad], [1.0]])
