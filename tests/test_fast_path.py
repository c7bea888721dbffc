"""fit's fast path (training._Workspace) against the plain path.

The plain path is the teaching code: ``net.feedforward``, ``net.backward`` and
W -= learning_rate * dW. ``plain_fit`` below rebuilds fit's loop from those
public pieces (same shuffling, same history rules); fit must agree with it to
1e-12 for every architecture, activation, loss and batch size, including a
partial last minibatch.
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest

from backprop import ACTIVATIONS, ForwardPass, History, Network
from backprop.datasets import one_hot
from backprop.training import DIVERGENCE_FACTOR, _Kernels, _overrides_passes

TOLERANCE = 1e-12


def plain_fit(
    net: Network,
    X: np.ndarray,
    T: np.ndarray,
    learning_rate: float,
    epochs: int,
    batch_size: int | None,
    seed: int,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
) -> History:
    """fit's loop, written with the public plain path only."""
    n = X.shape[0]
    batch_size = n if batch_size is None else min(batch_size, n)
    rng = np.random.default_rng(seed)
    classes = bool(np.isin(T, (0.0, 1.0)).all())
    history = History(accuracy=[] if classes else None)
    limit = None
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(n) if batch_size < n else np.arange(n)
            total_loss, correct = 0.0, 0
            for start in range(0, n, batch_size):
                rows = order[start : start + batch_size]
                cache = net.feedforward(X[rows])
                errors = net.loss_function.value(cache.z[-1], cache.output, T[rows])
                loss = float(errors.mean())
                limit = DIVERGENCE_FACTOR * max(loss, 1.0) if limit is None else limit
                grads = net.backward(cache, T[rows])
                steps = [learning_rate * g for g in grads.dW + grads.db]
                if not (np.isfinite(loss) and loss <= limit) or not all(
                    np.isfinite(s).all() for s in steps
                ):
                    history.diverged, history.diverged_at = True, epoch
                    return history
                for p, s in zip(net.weights + net.biases, steps, strict=True):
                    p -= s  # eq. (7)
                total_loss += loss * len(rows)
                if classes:
                    correct += count(cache.output, T[rows])
            history.loss.append(total_loss / n)
            if history.accuracy is not None:
                history.accuracy.append(correct / n)
            if validation is not None:
                history.val_loss.append(net.loss(*validation))
    return history


def count(a: np.ndarray, T: np.ndarray) -> int:
    if a.shape[1] == 1:
        return int(((a[:, 0] > 0.5) == (T[:, 0] > 0.5)).sum())
    return int((a.argmax(axis=1) == T.argmax(axis=1)).sum())


# (sizes, activations, loss, output activation): every kernel, both output
# paths of the fast loss code, and the general fallbacks (leaky_relu, SSE
# with softmax).
NETWORKS = [
    ([2, 16, 1], "tanh", "sse", "sigmoid"),
    ([3, 8, 5, 4], "sigmoid", "cross_entropy", None),
    ([3, 8, 5, 4], "relu", "cross_entropy", None),
    ([3, 7, 2], "leaky_relu", "sse", "linear"),
    ([3, 6, 4, 3], ["tanh", "relu", "softmax"], "sse", None),
    ([3, 5, 2], "linear", "sse", "tanh"),
    ([4, 3], "sigmoid", "sse", "relu"),
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


def test_plain_networks_take_the_fast_path_and_overrides_do_not() -> None:
    net, _, _ = make(NETWORKS[0])
    assert not _overrides_passes(net)

    class Custom(Network):
        def _feedforward(self, X: np.ndarray) -> ForwardPass:
            return super()._feedforward(X)

    assert _overrides_passes(Custom([2, 3, 1]))
    net._backward = net._backward  # an instance override
    assert _overrides_passes(net)


@pytest.mark.parametrize("config", NETWORKS)
def test_one_full_batch_step_is_eq_7(config: tuple) -> None:
    net, X, T = make(config)
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
    plain = fast.copy()
    eta = learning_rate(fast)
    history = fast.fit(X, T, learning_rate=eta, epochs=5, batch_size=batch_size, seed=7)
    expected = plain_fit(plain, X, T, eta, 5, batch_size, seed=7)
    assert not history.diverged and not expected.diverged
    assert_close(fast.weights + fast.biases, plain.weights + plain.biases)
    assert_close(history.loss, expected.loss)
    assert history.accuracy == expected.accuracy


def test_validation_history_agrees_with_the_plain_path() -> None:
    fast, X, T = make(NETWORKS[1])
    _, X_val, T_val = make(NETWORKS[1], seed=4)
    plain = fast.copy()
    history = fast.fit(X, T, 0.3, epochs=4, batch_size=10, seed=1, validation=(X_val, T_val))
    expected = plain_fit(plain, X, T, 0.3, 4, 10, seed=1, validation=(X_val, T_val))
    assert_close(history.val_loss, expected.val_loss)
    assert history.val_accuracy is not None and len(history.val_accuracy) == 4


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
        def _feedforward(self, X: np.ndarray) -> ForwardPass:
            calls.append(X.shape[0])
            return super()._feedforward(X)

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
    plain = fast.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = fast.fit(X, T, learning_rate=1e3, epochs=40, batch_size=batch_size)
    expected = plain_fit(plain, X, T, 1e3, 40, batch_size, seed=0)
    assert history.diverged and expected.diverged
    assert history.diverged_at == expected.diverged_at
    assert all(np.isfinite(p).all() for p in fast.weights + fast.biases)
    # Chaotic steps amplify rounding differences; the stopping point matches.
    assert_close(history.loss, expected.loss, tolerance=1e-6)


@pytest.mark.parametrize("config", NETWORKS)
def test_float32_stays_float32_and_agrees(config: tuple) -> None:
    fast, X, T = make(config, dtype=np.float32)
    plain = fast.copy()
    eta = learning_rate(fast)
    history = fast.fit(X, T, learning_rate=eta, epochs=2, batch_size=10, seed=2)
    expected = plain_fit(plain, X, T, eta, 2, 10, seed=2)
    assert all(p.dtype == np.float32 for p in fast.weights + fast.biases)
    assert_close(fast.weights + fast.biases, plain.weights + plain.biases, tolerance=1e-4)
    assert_close(history.loss, expected.loss, tolerance=1e-4)


@pytest.mark.parametrize("name", _Kernels.NAMES)
def test_kernels_match_the_activations(name: str) -> None:
    g, times_g_prime = _Kernels(np.float64).pair(name)
    act = ACTIVATIONS[name]
    extremes = [-1e4, -710.0, -1e-300, 0.0, 1e-300, 710.0, 1e4]
    z = np.concatenate([np.linspace(-40, 40, 801), extremes]).reshape(-1, 1)
    a, error, scratch = np.empty_like(z), np.full_like(z, 0.7), np.empty_like(z)
    with np.errstate(all="ignore"):
        g(z, a)
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
