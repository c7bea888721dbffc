"""fit's fast work (backprop._fast) against its plain work (training.PlainSteps).

The plain path is the teaching code: ``net.feedforward``, ``net.backward`` and
W -= learning_rate * dW. fit takes it for any subclass of Network, so
``Plain`` below, a subclass that changes nothing, trains through it; a plain
``Network`` trains through the fast path. The two must agree to 1e-12 for every
architecture, activation, loss and batch size, including a partial last
minibatch (and, in ``test_paths_agree_on_random_problems``, on problems drawn
by hypothesis).
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import ArrayLike

from backprop import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    LOSSES,
    BackwardPass,
    ForwardPass,
    Network,
)
from backprop._fast import Workspace, _Kernels, handles
from backprop.datasets import one_hot
from backprop.history import History

TOLERANCE = 1e-12


class Plain(Network):
    """A Network in all but name: fit trains it through the plain path."""


def plain_copy(net: Network) -> Plain:
    """A :class:`Plain` with ``net``'s architecture and parameters."""
    plain = object.__new__(Plain)
    plain.__dict__.update(net.copy().__dict__)
    return plain


def plain_fit(
    net: Network,
    X: np.ndarray,
    T: np.ndarray,
    learning_rate: float,
    epochs: int,
    batch_size: int | None,
    seed: int,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Plain, History]:
    """Train a plain-path copy of ``net`` as fit would: (the copy, its history)."""
    plain = plain_copy(net)
    assert not handles(plain)
    history = plain.fit(
        X,
        T,
        learning_rate=learning_rate,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        validation=validation,
    )
    return plain, history


# (sizes, activations, loss, output activation): every kernel, both output
# kernels of the fast loss code, and the general fallbacks (leaky_relu, SSE
# with softmax, binary cross-entropy).
NETWORKS = [
    ([2, 16, 1], "tanh", "sse", "sigmoid"),
    ([3, 8, 5, 4], "sigmoid", "cross_entropy", None),
    ([3, 8, 5, 4], "relu", "cross_entropy", None),
    ([3, 7, 2], "leaky_relu", "sse", "linear"),
    ([3, 6, 4, 3], ["tanh", "relu", "softmax"], "sse", None),
    ([3, 5, 2], "linear", "sse", "tanh"),
    ([4, 3], "sigmoid", "sse", "relu"),
    ([3, 5, 2], "tanh", "binary_cross_entropy", "sigmoid"),
]


def make(config: tuple, seed: int = 3, dtype: type = np.float64) -> tuple:
    sizes, activations, loss, output = config
    kwargs = {"activations": activations, "loss": loss, "seed": seed, "dtype": dtype}
    if output is not None:
        kwargs["output_activation"] = output
    net = Network(sizes, **kwargs)
    rng = np.random.default_rng(seed)
    n = 53  # batch sizes 10 and 25 leave a partial last minibatch
    X = rng.normal(size=(n, sizes[0]))
    if net.activations[-1].name == "softmax":
        T = one_hot(rng.integers(0, sizes[-1], n), sizes[-1])
    elif net.activations[-1].name == "sigmoid":
        T = (rng.random((n, sizes[-1])) > 0.5).astype(float)
    else:
        T = rng.normal(size=(n, sizes[-1]))
    return net, X.astype(dtype), T.astype(dtype)


def learning_rate(net: Network) -> float:
    return 0.3 if net.activations[-1].name in ("softmax", "sigmoid") else 0.05


def assert_close(actual: list, expected: list, tolerance: float = TOLERANCE) -> None:
    assert len(actual) == len(expected)
    for x, y in zip(actual, expected, strict=True):
        np.testing.assert_allclose(x, y, rtol=tolerance, atol=tolerance)


def test_only_plain_networks_take_the_fast_path() -> None:
    # By hand, not with monkeypatch: undoing an instance patch leaves the
    # bound method in the instance's __dict__ on pytest 9 (pytest#10644).
    net, _, _ = make(NETWORKS[0])
    assert handles(net)
    assert not handles(Plain([2, 3, 1]))  # any subclass takes the plain path
    for name in ("feedforward", "backward"):
        original = vars(Network)[name]
        setattr(Network, name, lambda self, *args, f=original: f(self, *args))
        try:  # a class-level patch
            assert not handles(net)
        finally:
            setattr(Network, name, original)
        assert handles(net)
        setattr(net, name, getattr(net, name))
        try:  # an instance override
            assert not handles(net)
        finally:
            delattr(net, name)
        assert handles(net)


def test_a_subclass_overriding_the_public_backward_is_trained_through_it() -> None:
    net, X, T = make(NETWORKS[1])
    scaled = []

    class HalfSteps(Network):
        def backward(self, cache: ForwardPass, T: ArrayLike) -> BackwardPass:
            grads = super().backward(cache, T)
            scaled.append(True)
            return BackwardPass(
                grads.delta, [dW / 2 for dW in grads.dW], [db / 2 for db in grads.db]
            )

    half = HalfSteps(net.sizes, activations="sigmoid", loss="cross_entropy", seed=3)
    half.fit(X, T, learning_rate=0.6, epochs=2, batch_size=25)
    net.fit(X, T, learning_rate=0.3, epochs=2, batch_size=25)
    assert len(scaled) == 2 * 3
    assert_close(half.weights + half.biases, net.weights + net.biases)


@pytest.mark.parametrize("path", ["fast", "plain"])
@pytest.mark.parametrize("config", NETWORKS)
def test_one_full_batch_step_is_eq_7(config: tuple, path: str) -> None:
    net, X, T = make(config)
    if path == "plain":
        net = plain_copy(net)
    assert handles(net) == (path == "fast")
    before = net.copy()
    dW, db = before.gradients(X, T)
    eta = learning_rate(net)
    net.fit(X, T, learning_rate=eta, epochs=1)
    assert_close(net.weights, [W - eta * g for W, g in zip(before.weights, dW, strict=True)])
    assert_close(net.biases, [b - eta * g for b, g in zip(before.biases, db, strict=True)])


@pytest.mark.parametrize("batch_size", [None, 1, 10, 25, 53, 64])
@pytest.mark.parametrize("config", NETWORKS)
def test_epochs_agree_with_the_plain_path(config: tuple, batch_size: int | None) -> None:
    fast, X, T = make(config)
    eta = learning_rate(fast)
    plain, expected = plain_fit(fast, X, T, eta, 5, batch_size, seed=7)
    history = fast.fit(X, T, learning_rate=eta, epochs=5, batch_size=batch_size, seed=7)
    assert not history.diverged and not expected.diverged
    assert_close(fast.weights + fast.biases, plain.weights + plain.biases)
    assert_close(history.loss, expected.loss)
    assert history.accuracy == expected.accuracy


def test_validation_history_agrees_with_the_plain_path() -> None:
    fast, X, T = make(NETWORKS[1])
    _, X_val, T_val = make(NETWORKS[1], seed=4)
    _, expected = plain_fit(fast, X, T, 0.3, 4, 10, seed=1, validation=(X_val, T_val))
    history = fast.fit(
        X, T, learning_rate=0.3, epochs=4, batch_size=10, seed=1, validation=(X_val, T_val)
    )
    assert_close(history.val_loss, expected.val_loss)
    assert len(history.val_accuracy) == 4
    assert_close(history.val_accuracy, expected.val_accuracy)


def test_fit_updates_the_networks_own_arrays() -> None:
    net, X, T = make(NETWORKS[2])
    arrays = net.weights + net.biases
    before = [p.copy() for p in arrays]
    net.fit(X, T, learning_rate=0.3, epochs=2, batch_size=10)
    assert all(p is q for p, q in zip(net.weights + net.biases, arrays, strict=True))
    assert not any(np.array_equal(p, q) for p, q in zip(arrays, before, strict=True))


def test_a_subclass_that_overrides_a_pass_is_trained_through_it() -> None:
    calls: list[int] = []

    class Counting(Network):
        def feedforward(self, X: ArrayLike) -> ForwardPass:
            calls.append(np.shape(X)[0])
            return super().feedforward(X)

    net, X, T = make(NETWORKS[1])
    custom = Counting(net.sizes, activations="sigmoid", loss="cross_entropy", seed=3)
    custom.fit(X, T, learning_rate=0.3, epochs=2, batch_size=25)
    net.fit(X, T, learning_rate=0.3, epochs=2, batch_size=25)
    assert calls == [25, 25, 3] * 2
    assert_close(custom.weights + custom.biases, net.weights + net.biases)


@pytest.mark.parametrize("batch_size", [None, 10])
@pytest.mark.parametrize("config", [NETWORKS[3], NETWORKS[6], ([3, 8, 1], "tanh", "sse", "linear")])
def test_divergence_stops_where_the_plain_path_stops(config: tuple, batch_size: int | None) -> None:
    fast, X, T = make(config)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain, expected = plain_fit(fast, X, T, 1e3, 40, batch_size, seed=0)
        history = fast.fit(X, T, learning_rate=1e3, epochs=40, batch_size=batch_size)
    assert history.diverged and expected.diverged
    assert history.diverged_at == expected.diverged_at
    assert all(np.isfinite(p).all() for p in fast.weights + fast.biases)
    # Chaotic steps amplify rounding differences; the stopping point matches.
    assert_close(history.loss, expected.loss, tolerance=1e-6)


@pytest.mark.parametrize("config", NETWORKS)
def test_float32_stays_float32_and_agrees(config: tuple) -> None:
    fast, X, T = make(config, dtype=np.float32)
    eta = learning_rate(fast)
    plain, expected = plain_fit(fast, X, T, eta, 2, 10, seed=2)
    history = fast.fit(X, T, learning_rate=eta, epochs=2, batch_size=10, seed=2)
    assert all(p.dtype == np.float32 for p in fast.weights + fast.biases)
    assert_close(fast.weights + fast.biases, plain.weights + plain.biases, tolerance=1e-4)
    assert_close(history.loss, expected.loss, tolerance=1e-4)


def test_the_output_kernels_are_named_after_losses() -> None:
    kernels = {name[1 : -len("_output")] for name in vars(Workspace) if name.endswith("_output")}
    assert kernels - {"general"} <= set(LOSSES)


@pytest.mark.parametrize("name", _Kernels.NAMES)
def test_kernels_match_the_activations(name: str) -> None:
    g, times_g_prime = _Kernels(np.float64).pair(name)
    act = ACTIVATIONS[name]
    extremes = [-1e4, -710.0, -1e-300, 0.0, 1e-300, 710.0, 1e4]
    z = np.concatenate([np.linspace(-40, 40, 801), extremes]).reshape(-1, 1)
    a, error, scratch = np.empty_like(z), np.full_like(z, 0.7), np.empty_like(z)
    with np.errstate(all="ignore"):
        g(z, a, np.empty_like(z))
        times_g_prime(z, a, error, scratch)
    np.testing.assert_allclose(a, act.g(z), rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(error, act.delta(z, act.g(z), np.full_like(z, 0.7)), atol=1e-15)


def test_a_minibatch_epoch_allocates_no_copy_of_the_data() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((20_000, 100))  # 16 MB
    T = one_hot(rng.integers(0, 10, 20_000), 10)
    net = Network([100, 32, 10], activations="relu", loss="cross_entropy")
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        net.fit(X, T, learning_rate=0.1, epochs=2, batch_size=64)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * 2**20  # labels, the permutation and the buffers only


@st.composite
def problems(draw: st.DrawFn) -> tuple[Network, np.ndarray, np.ndarray, int]:
    """A random network with data for it and a batch size (often leaving a
    partial last minibatch): every hidden activation, every output
    activation under SSE, softmax with cross-entropy."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    hidden = draw(st.sampled_from(HIDDEN_ACTIVATIONS))
    loss = draw(st.sampled_from(["sse", "cross_entropy"]))
    if loss == "cross_entropy":
        output = "softmax"
        sizes[-1] = max(sizes[-1], 2)
    else:
        output = draw(st.sampled_from(sorted(ACTIVATIONS)))
    seed = draw(st.integers(0, 2**16))
    net = Network(sizes, activations=hidden, loss=loss, output_activation=output, seed=seed)
    rng = np.random.default_rng(seed)
    n_samples = draw(st.integers(1, 40))
    X = rng.normal(size=(n_samples, sizes[0]))
    if output == "softmax":
        T = one_hot(rng.integers(0, sizes[-1], n_samples), sizes[-1])
    elif output == "sigmoid":
        T = (rng.random((n_samples, sizes[-1])) > 0.5).astype(float)
    else:
        T = rng.normal(size=(n_samples, sizes[-1]))
    batch_size = draw(st.integers(1, n_samples + 3))
    return net, X, T, batch_size


@given(problems())
def test_paths_agree_on_random_problems(
    problem: tuple[Network, np.ndarray, np.ndarray, int],
) -> None:
    fast, X, T, batch_size = problem
    plain, expected = plain_fit(fast, X, T, 0.05, 3, batch_size, seed=1)
    history = fast.fit(X, T, learning_rate=0.05, epochs=3, batch_size=batch_size, seed=1)
    assert history.diverged == expected.diverged
    assert history.diverged_at == expected.diverged_at
    assert_close(history.loss, expected.loss, tolerance=1e-10)
    assert history.accuracy == expected.accuracy
    assert_close(fast.weights + fast.biases, plain.weights + plain.biases, tolerance=1e-10)
