"""Gradient descent on the output layer alone, and along a single parameter."""

import numpy as np
import pytest

from backprop import Network
from backprop.book.output_layer import descend_one, loss_along, train_output_layer
from backprop.datasets import two_moons


@pytest.fixture
def problem() -> tuple[Network, np.ndarray, np.ndarray]:
    X, T = two_moons(20, 0.1, seed=0)
    return Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0), X, T


def test_train_output_layer_freezes_the_hidden_layer(problem):
    net, X, T = problem
    W0, W1, b0, b1 = (p.copy() for p in [*net.weights, *net.biases])
    history = train_output_layer(net, X, T, learning_rate=1.0, steps=20)
    assert not history.diverged and len(history.loss) == 20
    assert history.loss[-1] < history.loss[0]
    np.testing.assert_array_equal(net.weights[0], W0)
    np.testing.assert_array_equal(net.biases[0], b0)
    np.testing.assert_array_equal(net.biases[1], b1)
    assert not np.array_equal(net.weights[1], W1)


def test_one_step_is_eq_7(problem):
    net, X, T = problem
    dW, db = net.gradients(X, T)
    expected_W = net.weights[1] - 0.3 * dW[1]
    expected_b = net.biases[1] - 0.3 * db[1]
    train_output_layer(net, X, T, learning_rate=0.3, steps=1, train="both")
    np.testing.assert_allclose(net.weights[1], expected_W, rtol=1e-12)
    np.testing.assert_allclose(net.biases[1], expected_b, rtol=1e-12)


def test_train_biases_only(problem):
    net, X, T = problem
    W1 = net.weights[1].copy()
    train_output_layer(net, X, T, learning_rate=1.0, steps=5, train="biases")
    np.testing.assert_array_equal(net.weights[1], W1)
    assert net.biases[1][0] != 0.0


def test_divergence_is_reported_not_raised(problem):
    _, X, T = problem
    net = Network([2, 3, 1], activations=["tanh", "linear"], seed=0)
    history = train_output_layer(net, X, T, learning_rate=100.0, steps=50)
    assert history.diverged and history.diverged_at is not None
    assert all(np.isfinite(W).all() for W in net.weights)
    assert "Diverged" in history.message


def test_loss_along_matches_the_network_and_restores_it(problem):
    net, X, T = problem
    saved = net.weights[1].copy()
    values = np.array([-1.0, 0.0, float(saved[2, 0]), 2.0])
    losses = loss_along(net, X, T, ("W", 1, (2, 0)), values)
    np.testing.assert_array_equal(net.weights[1], saved)
    assert losses[2] == pytest.approx(net.loss(X, T), rel=1e-12)
    clone = net.copy()
    clone.weights[1][2, 0] = 2.0
    assert losses[3] == pytest.approx(clone.loss(X, T), rel=1e-12)


def test_descend_one_moves_only_that_parameter(problem):
    net, X, T = problem
    param = ("b", 1, (0,))
    path = descend_one(net, X, T, param, learning_rate=2.0, steps=10, start=-1.0)
    assert not path.diverged and len(path.values) == 11 == len(path.losses)
    assert path.values[0] == -1.0
    # the first step is eq. (8) times the learning rate
    clone = net.copy()
    clone.biases[1][0] = -1.0
    _, db = clone.gradients(X, T)
    assert path.values[1] == pytest.approx(-1.0 - 2.0 * db[1][0], rel=1e-12)
    assert path.losses[-1] < path.losses[0]
    assert net.biases[1][0] == 0.0  # the network itself is unchanged


def test_descend_one_reports_divergence(problem):
    _, X, T = problem
    net = Network([2, 3, 1], activations=["tanh", "linear"], seed=0)
    path = descend_one(net, X, T, ("b", 1, (0,)), learning_rate=50.0, steps=40)
    assert path.diverged and "Diverged" in path.message
    assert all(np.isfinite(path.losses))


@pytest.mark.parametrize(
    ("param", "message"),
    [
        (("V", 1, (0, 0)), "kind must be 'W' or 'b'"),
        (("W", 5, (0, 0)), "layer must be an integer in 0..1"),
        (("W", 1, (9, 0)), r"index \(9, 0\) does not fit W\[1\]"),
        (("b", 1, (0, 0)), r"index \(0, 0\) does not fit b\[1\]"),
        ("W", r"a parameter is named \('W', l, \(i, j\)\)"),
    ],
)
def test_bad_parameter_names_raise(problem, param, message):
    net, X, T = problem
    with pytest.raises(ValueError, match=message):
        loss_along(net, X, T, param, [0.0])


def test_bad_arguments_raise(problem):
    net, X, T = problem
    with pytest.raises(ValueError, match="learning_rate must be a finite positive number"):
        train_output_layer(net, X, T, learning_rate=-1.0, steps=3)
    with pytest.raises(ValueError, match="unknown train 'hidden'; choose one of: biases, both"):
        train_output_layer(net, X, T, learning_rate=1.0, steps=3, train="hidden")
