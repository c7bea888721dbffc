"""Recording the error signals while training (chapters 4 and 5)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop import Network
from backprop.book.hidden_layer import (
    annotate_verdict,
    plot_delta_sizes,
    train_recording_deltas,
    training_verdict,
)
from backprop.book.worked_example import worked_example
from backprop.datasets import xor
from backprop.diagnostics import layer_gradient_norms
from backprop.history import History


def test_recording_matches_plain_fit():
    X, T = xor()
    net = Network([2, 3, 1], activations="tanh", seed=0)
    twin = net.copy()
    record = train_recording_deltas(net, X, T, learning_rate=0.5, epochs=25, record_every=10)
    history = twin.fit(X, T, learning_rate=0.5, epochs=25)
    np.testing.assert_allclose(record.history.loss, history.loss, rtol=1e-12)
    for W, W_twin in zip(net.weights, twin.weights, strict=True):
        np.testing.assert_allclose(W, W_twin, rtol=1e-12)
    assert record.epochs.tolist() == [0, 10, 20, 25]
    assert record.sizes.shape == (4, 2)
    np.testing.assert_allclose(
        record.sizes[-1], layer_gradient_norms(net, X, T, measure="delta"), rtol=1e-12
    )
    assert len(record.history.accuracy) == 25


def test_sigmoid_shrinks_delta_j_by_at_least_four():
    # eq. (14) with one output: |delta_j| = g'(z_j) |delta_k| |w_jk| <= |delta_k| |w_jk| / 4
    X, T = xor()
    net = Network([2, 3, 1], activations="sigmoid", seed=0)
    record = train_recording_deltas(net, X, T, learning_rate=0.1, epochs=0)
    assert record.sizes.shape == (1, 2)
    delta_j, delta_k = record.sizes[0]
    assert delta_j <= 0.25 * delta_k * np.abs(net.weights[1]).max()


def test_verdicts():
    assert training_verdict(History(loss=[0.2, 0.1])) is None
    assert "too large" in (training_verdict(History(loss=[0.1, 0.25])) or "")
    diverged = History(loss=[0.1], diverged=True, diverged_at=1)
    assert training_verdict(diverged) == diverged.message


def test_divergence_is_caught_across_chunks():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    T = 50 * rng.normal(size=(20, 1))
    net = Network([2, 3, 1], activations=["linear", "linear"], seed=0)
    record = train_recording_deltas(net, X, T, learning_rate=5.0, epochs=200, record_every=5)
    assert record.history.diverged
    assert "Diverged" in (training_verdict(record.history) or "")
    assert all(np.all(np.isfinite(W)) for W in net.weights)


def test_bad_arguments():
    X, T = xor()
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="learning_rate must be a finite positive number"):
        train_recording_deltas(net, X, T, learning_rate=-1.0, epochs=5)
    with pytest.raises(ValueError, match="record_every must be a positive integer"):
        train_recording_deltas(net, X, T, learning_rate=0.1, epochs=5, record_every=0)


def test_plot_writes_the_verdict():
    X, T = xor()
    net = Network([2, 3, 1], seed=0)
    record = train_recording_deltas(net, X, T, learning_rate=0.5, epochs=20)
    record.history.loss.append(10.0)  # pretend the loss went up
    ax = plot_delta_sizes(record)
    texts = [t.get_text() for t in ax.texts]
    assert any("too large" in text for text in texts)
    assert len(ax.lines) == 2
    plt.close("all")


def test_worked_example_numbers():
    net, x, t = worked_example()
    cache = net.feedforward(x[None, :])
    np.testing.assert_allclose(cache.z[0][0], [1.0, -0.25])
    delta = net.backward(cache, t[None, :]).delta
    assert delta[1][0, 0] < 0 < delta[1][0, 1]
    assert delta[0][0, 0] < 0 < delta[0][0, 1]
    other, _, _ = worked_example()
    assert other.weights[0] is not net.weights[0]


def test_annotate_verdict_only_when_needed():
    fig, ax = plt.subplots()
    assert not annotate_verdict(ax, History(loss=[0.2, 0.1]))
    assert not ax.texts
    assert annotate_verdict(ax, History(loss=[0.1, 0.25]))
    assert "too large" in ax.texts[0].get_text()
    plt.close(fig)
