"""Gradient descent (eq. 7): it learns, records its history, stops when it diverges."""

import warnings

import numpy as np
import pytest

from backprop import History, Network
from backprop import datasets as ds


def regression_net(seed=0):
    return Network([1, 8, 1], activations="tanh", output_activation="linear", seed=seed)


def assert_same_parameters(a: Network, b: Network) -> None:
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert np.array_equal(x, y)


def test_xor_is_learned():
    X, T = ds.xor()
    net = Network([2, 4, 1], activations="tanh", seed=0)
    history = net.fit(X, T, learning_rate=2.0, epochs=2000)
    assert net.loss(X, T) < 1e-3
    assert history.accuracy[-1] == 1.0
    assert np.array_equal(net.predict(X), T[:, 0].astype(int))
    assert history.loss[-1] < history.loss[0]
    assert len(history.loss) == len(history.accuracy) == 2000
    assert not history.diverged
    assert history.diverged_at is None
    assert history.message.startswith("Trained 2000 epochs")


def test_full_batch_loss_decreases_every_epoch():
    X, T = ds.two_moons(100, seed=1)
    net = Network([2, 8, 1], activations="tanh", seed=0)
    initial = net.loss(X, T)
    history = net.fit(X, T, learning_rate=0.5, epochs=50)
    # Full batch: each epoch records the loss before its single step.
    assert history.loss[0] == pytest.approx(initial, rel=1e-12)
    assert np.all(np.diff(history.loss) < 0)
    assert net.loss(X, T) < history.loss[-1]


@pytest.mark.parametrize("batch_size", [None, 1, 7, 200])
def test_history_length_equals_epochs(batch_size):
    X, T = ds.circles(60, seed=2)
    net = Network([2, 5, 1], activations="relu", seed=0)
    history = net.fit(X, T, learning_rate=0.1, epochs=7, batch_size=batch_size)
    assert isinstance(history, History)
    assert len(history.loss) == len(history.accuracy) == 7
    assert all(np.isfinite(history.loss))
    assert all(0.0 <= acc <= 1.0 for acc in history.accuracy)
    assert history.val_loss == []
    assert history.val_accuracy == []


def test_regression_history_has_no_accuracy():
    X, T = ds.sine(50, seed=0)
    history = regression_net().fit(X, T, learning_rate=0.05, epochs=5)
    assert len(history.loss) == 5
    assert history.accuracy == []


def test_zero_epochs_changes_nothing():
    X, T = ds.xor()
    net = Network([2, 4, 1], activations="tanh", seed=0)
    before = net.copy()
    history = net.fit(X, T, learning_rate=1.0, epochs=0)
    assert history.loss == []
    assert history.accuracy == []
    assert history.val_loss == []
    assert not history.diverged
    assert history.message == "No epochs run."
    assert_same_parameters(net, before)


def test_validation_fills_val_loss_and_accuracy():
    X, labels = ds.spirals(300, seed=0)
    X_test, labels_test = ds.spirals(100, seed=1)
    T = ds.one_hot(labels[:, 0].astype(int), 2)
    T_test = ds.one_hot(labels_test[:, 0].astype(int), 2)
    net = Network([2, 16, 2], activations="tanh", loss="cross_entropy", seed=0)
    history = net.fit(X, T, learning_rate=0.5, epochs=4, batch_size=50, validation=(X_test, T_test))
    assert len(history.val_loss) == len(history.val_accuracy) == 4
    # The validation scores of an epoch are taken after its updates.
    assert history.val_loss[-1] == pytest.approx(net.loss(X_test, T_test), rel=1e-12)
    expected_accuracy = np.mean(net.predict(X_test) == T_test.argmax(axis=1))
    assert history.val_accuracy[-1] == pytest.approx(expected_accuracy)
    assert history.val_loss[-1] < history.val_loss[0]


def test_regression_validation_has_loss_but_no_accuracy():
    X, T = ds.sine(40, seed=0)
    X_val, T_val = ds.sine(20, seed=1)
    net = regression_net()
    history = net.fit(X, T, learning_rate=0.05, epochs=3, validation=(X_val, T_val))
    assert len(history.val_loss) == 3
    assert history.val_accuracy == []
    assert history.val_loss[-1] == pytest.approx(net.loss(X_val, T_val), rel=1e-12)


@pytest.mark.parametrize("batch_size", [None, 10])
def test_divergence_is_detected_without_warnings(batch_size):
    X, T = ds.sine(seed=0)
    net = regression_net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = net.fit(X, T, learning_rate=1e3, epochs=50, batch_size=batch_size)
        loss_after = net.loss(X, T)
    assert history.diverged is True
    assert isinstance(history.diverged_at, int)
    assert 0 <= history.diverged_at < 50
    assert len(history.loss) == history.diverged_at  # the epochs completed before it
    assert "Diverged" in history.message
    assert f"epoch {history.diverged_at}" in history.message
    assert all(np.isfinite(p).all() for p in net.weights + net.biases)
    assert np.isfinite(loss_after)


def test_identical_runs_are_bitwise_identical():
    X, T = ds.two_moons(80, seed=3)
    X_val, T_val = ds.two_moons(20, seed=4)
    runs = []
    for _ in range(2):
        net = Network([2, 6, 1], activations="tanh", seed=5)
        history = net.fit(
            X, T, learning_rate=0.5, epochs=20, batch_size=16, seed=9, validation=(X_val, T_val)
        )
        runs.append((net, history))
    (net_a, history_a), (net_b, history_b) = runs
    assert_same_parameters(net_a, net_b)
    assert np.array_equal(history_a.loss, history_b.loss)
    assert np.array_equal(history_a.accuracy, history_b.accuracy)
    assert np.array_equal(history_a.val_loss, history_b.val_loss)
    assert np.array_equal(history_a.val_accuracy, history_b.val_accuracy)
    assert history_a == history_b


def test_shuffle_seed_changes_minibatch_training():
    X, T = ds.two_moons(80, seed=3)
    nets = [Network([2, 6, 1], activations="tanh", seed=5) for _ in range(2)]
    for net, seed in zip(nets, [1, 2], strict=True):
        net.fit(X, T, learning_rate=0.5, epochs=5, batch_size=16, seed=seed)
    assert not np.array_equal(nets[0].weights[0], nets[1].weights[0])


def test_shuffle_seed_is_irrelevant_for_full_batch():
    X, T = ds.two_moons(40, seed=3)
    nets = [Network([2, 6, 1], activations="tanh", seed=5) for _ in range(2)]
    for net, seed in zip(nets, [1, 2], strict=True):
        net.fit(X, T, learning_rate=0.5, epochs=5, seed=seed)
    assert_same_parameters(nets[0], nets[1])


def test_network_seed_changes_initial_weights():
    a = Network([2, 6, 1], seed=1)
    b = Network([2, 6, 1], seed=2)
    assert not np.array_equal(a.weights[0], b.weights[0])
    assert_same_parameters(a, Network([2, 6, 1], seed=1))


def count_forward_passes(net: Network) -> list[int]:
    """Count calls of ``net.feedforward``; an instance override is always honoured by fit."""
    calls = [0]
    original = net.feedforward

    def counting(X):
        calls[0] += 1
        return original(X)

    net.feedforward = counting  # type: ignore[method-assign]
    return calls


@pytest.mark.parametrize(
    ("batch_size", "validation", "expected"),
    [(None, False, 6), (25, False, 6 * 4), (30, False, 6 * 4), (30, True, 6 * 4 + 6)],
)
def test_one_forward_pass_per_minibatch(batch_size, validation, expected):
    X, T = ds.circles(100, seed=0)
    net = Network([2, 4, 1], activations="tanh", seed=0)
    calls = count_forward_passes(net)
    val = ds.circles(30, seed=1) if validation else None
    net.fit(X, T, learning_rate=0.1, epochs=6, batch_size=batch_size, validation=val)
    assert calls[0] == expected


@pytest.mark.parametrize(("batch_size", "validation"), [(None, False), (30, False), (30, True)])
def test_a_class_level_patch_is_honoured_once_per_minibatch(monkeypatch, batch_size, validation):
    # Patching the class replaces Network's own pass: fit must train through
    # the patch (the plain path), running each minibatch forward exactly once.
    calls = [0]
    original = Network.feedforward

    def counting(self, X):
        calls[0] += 1
        return original(self, X)

    monkeypatch.setattr(Network, "feedforward", counting)
    X, T = ds.circles(100, seed=0)
    net = Network([2, 4, 1], activations="tanh", seed=0)
    val = ds.circles(30, seed=1) if validation else None
    net.fit(X, T, learning_rate=0.1, epochs=6, batch_size=batch_size, validation=val)
    n_batches = 1 if batch_size is None else 4
    per_epoch_validation = 6 if validation else 0
    assert calls[0] == 6 * n_batches + per_epoch_validation


@pytest.mark.parametrize("batch_size", [None, 16])
def test_float32_training_stays_float32_and_tracks_float64(batch_size):
    X, T = ds.two_moons(64, seed=0)
    nets = {
        dtype: Network([2, 8, 1], activations="tanh", seed=0, dtype=dtype)
        for dtype in (np.float32, np.float64)
    }
    histories = {
        dtype: net.fit(X, T, learning_rate=0.5, epochs=5, batch_size=batch_size, seed=0)
        for dtype, net in nets.items()
    }
    net32, net64 = nets[np.float32], nets[np.float64]
    assert all(p.dtype == np.float32 for p in net32.weights + net32.biases)
    np.testing.assert_allclose(histories[np.float32].loss, histories[np.float64].loss, rtol=1e-3)
    for p32, p64 in zip(net32.weights + net32.biases, net64.weights + net64.biases, strict=True):
        np.testing.assert_allclose(p32, p64, rtol=1e-3, atol=1e-5)
