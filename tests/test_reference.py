"""The index-notation loops of backprop.reference equal the vectorized network."""

import itertools

import numpy as np
import pytest

from backprop import HIDDEN_ACTIVATIONS, Network
from backprop import reference as ref

TOLERANCE = 1e-12
ARCHITECTURES = [[1, 1, 1], [2, 3, 1], [3, 5, 2], [4, 2, 3]]
PAIRS = list(itertools.product(HIDDEN_ACTIVATIONS, repeat=2))


def make_case(sizes, pair, seed=0):
    """A one-hidden-layer SSE network with random biases and a batch of 3 samples."""
    net = Network(sizes, activations=list(pair), loss="sse", seed=seed)
    rng = np.random.default_rng(seed + 100)
    net.biases = [np.asarray(rng.normal(0.0, 0.5, size=b.shape)) for b in net.biases]
    X = rng.normal(0.0, 1.0, (3, sizes[0]))
    T = rng.normal(0.0, 1.0, (3, sizes[-1]))
    return net, X, T


def max_diff(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    return float(np.max(np.abs(a - b)))


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=str)
def test_loops_equal_vectorized_network(sizes, pair):
    net, X, T = make_case(sizes, pair, seed=sum(sizes))
    cache = net.feedforward(X)
    backward = net.backward(cache, T)
    for n, (x, t) in enumerate(zip(X, T, strict=True)):
        loops = ref.feedforward_loops(net, x)
        assert max_diff(loops["a_i"], cache.a[0][n]) == 0.0
        assert max_diff(loops["z_j"], cache.z[0][n]) < TOLERANCE
        assert max_diff(loops["a_j"], cache.a[1][n]) < TOLERANCE
        assert max_diff(loops["z_k"], cache.z[1][n]) < TOLERANCE
        assert max_diff(loops["a_k"], cache.a[2][n]) < TOLERANCE
        assert max_diff(ref.output_deltas_loops(net, x, t), backward.delta[1][n]) < TOLERANCE
        assert max_diff(ref.hidden_deltas_loops(net, x, t), backward.delta[0][n]) < TOLERANCE

    dW, db = net.gradients(X, T)
    assert max_diff(ref.output_weight_gradients_loops(net, X, T), dW[1]) < TOLERANCE
    assert max_diff(ref.output_bias_gradients_loops(net, X, T), db[1]) < TOLERANCE
    assert max_diff(ref.hidden_weight_gradients_loops(net, X, T), dW[0]) < TOLERANCE
    assert max_diff(ref.hidden_bias_gradients_loops(net, X, T), db[0]) < TOLERANCE


def test_loops_agree_for_a_single_sample_batch():
    net, X, T = make_case([2, 3, 2], ("tanh", "sigmoid"))
    dW, db = net.gradients(X[:1], T[:1])
    assert max_diff(ref.output_bias_gradients_loops(net, X[:1], T[:1]), db[1]) < TOLERANCE
    assert max_diff(ref.hidden_deltas_loops(net, X[0], T[0]), db[0]) < TOLERANCE
    assert max_diff(ref.hidden_weight_gradients_loops(net, X[:1], T[:1]), dW[0]) < TOLERANCE


def test_gradient_loops_average_over_the_batch():
    net, X, T = make_case([2, 4, 1], ("sigmoid", "tanh"))
    per_sample = [ref.output_deltas_loops(net, x, t) for x, t in zip(X, T, strict=True)]
    mean = ref.output_bias_gradients_loops(net, X, T)
    assert max_diff(mean, np.mean(per_sample, axis=0)) < TOLERANCE
    assert max_diff(mean, np.sum(per_sample, axis=0)) > 1e-6  # a mean, not a sum


SINGLE_SAMPLE = [ref.feedforward_loops]
PER_SAMPLE_WITH_TARGET = [ref.output_deltas_loops, ref.hidden_deltas_loops]
BATCH = [
    ref.output_weight_gradients_loops,
    ref.output_bias_gradients_loops,
    ref.hidden_weight_gradients_loops,
    ref.hidden_bias_gradients_loops,
]


def call(function, net):
    n_in, n_out = net.sizes[0], net.sizes[-1]
    T = np.eye(n_out)[[0, n_out - 1]]
    X = np.ones((2, n_in))
    if function in SINGLE_SAMPLE:
        return function(net, X[0])
    if function in PER_SAMPLE_WITH_TARGET:
        return function(net, X[0], T[0])
    return function(net, X, T)


ALL_FUNCTIONS = SINGLE_SAMPLE + PER_SAMPLE_WITH_TARGET + BATCH


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_reference_rejects_two_hidden_layers(function):
    net = Network([2, 3, 3, 1], activations="tanh", seed=0)
    with pytest.raises(ValueError, match="exactly one hidden layer"):
        call(function, net)


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_reference_rejects_no_hidden_layer(function):
    net = Network([2, 1], activations=["sigmoid"], seed=0)
    with pytest.raises(ValueError, match="exactly one hidden layer"):
        call(function, net)


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_reference_rejects_cross_entropy(function):
    net = Network([2, 3, 2], activations="tanh", loss="cross_entropy", seed=0)
    with pytest.raises(ValueError, match="loss 'sse'"):
        call(function, net)


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_reference_rejects_softmax_output(function):
    net = Network([2, 3, 2], activations=["tanh", "softmax"], loss="sse", seed=0)
    with pytest.raises(ValueError, match="elementwise activations"):
        call(function, net)
