"""The gradient-debugging lab: every planted bug is caught by gradient_check,
the correct pass is not, and the lab's checker accepts only the right bug."""

import numpy as np
import pytest

from backprop import Network, gradient_check
from backprop.bugs import BUGS, HINTS, MYSTERIES, Backward, BrokenNetwork, check_bug

CAUGHT = 1e-2  # a bug's worst block error is far above this
CLEAN = 1e-7  # a correct block is far below it


def lab_case(sizes=(4, 4, 4, 4), activations=("sigmoid", "tanh", "sigmoid"), seed=2):
    rng = np.random.default_rng(seed)
    net = Network(list(sizes), activations=list(activations), seed=seed)
    net.biases = [rng.normal(0.0, 0.5, b.shape) for b in net.biases]
    X = rng.normal(size=(5, sizes[0]))
    T = rng.uniform(size=(5, sizes[-1]))
    return net, X, T


def test_the_unbroken_steps_are_the_network_s_backward_pass():
    net, X, T = lab_case()
    cache = net.feedforward(X)
    want = net.backward(cache, T)
    got = Backward()(net, cache, T)
    for a, b in zip(got.delta + got.dW + got.db, want.delta + want.dW + want.db, strict=True):
        np.testing.assert_array_equal(a, b)
    assert max(gradient_check(net, X, T).values()) < CLEAN


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_every_bug_is_caught(bug):
    net, X, T = lab_case()
    broken = BrokenNetwork(net, bug)
    assert broken.loss(X, T) == net.loss(X, T)  # the forward pass is untouched
    errors = gradient_check(broken, X, T)
    assert max(errors.values()) > CAUGHT, (bug, errors)
    assert [W.shape for W in broken.gradients(X, T)[0]] == [W.shape for W in net.weights]


@pytest.mark.parametrize(
    ("bug", "clean_blocks"),
    [
        ("missing_transpose", {"W2", "b2"}),
        ("g_instead_of_g_prime", set()),
        ("sum_not_mean", set()),
        ("forgotten_bias", {"W0", "W1", "W2"}),
        ("flipped_sign", set()),
        ("wrong_layer_g_prime", {"W2", "b2"}),
        ("off_by_one_layer", {"W2", "b2"}),
    ],
)
def test_each_bug_has_its_pattern(bug, clean_blocks):
    net, X, T = lab_case()
    errors = gradient_check(BrokenNetwork(net, bug), X, T)
    assert {name for name, e in errors.items() if e < CLEAN} == clean_blocks
    assert all(e > CAUGHT for name, e in errors.items() if name not in clean_blocks)


def test_the_exact_patterns_the_hints_promise():
    net, X, T = lab_case()
    n = len(X)
    for bug, value in [("sum_not_mean", (n - 1) / (n + 1)), ("flipped_sign", 1.0)]:
        errors = gradient_check(BrokenNetwork(net, bug), X, T)
        assert all(e == pytest.approx(value, abs=1e-6) for e in errors.values()), bug
    errors = gradient_check(BrokenNetwork(net, "forgotten_bias"), X, T)
    assert [errors[f"b{n}"] for n in range(3)] == [1.0, 1.0, 1.0]


def test_the_experiments_that_tell_the_look_alikes_apart():
    # the same activation everywhere: the wrong layer's g' is the right one
    net, X, T = lab_case(activations=("tanh", "tanh", "tanh"))
    assert max(gradient_check(BrokenNetwork(net, "wrong_layer_g_prime"), X, T).values()) < CLEAN
    assert max(gradient_check(BrokenNetwork(net, "off_by_one_layer"), X, T).values()) > CAUGHT
    # a different input width: the off-by-one pass cannot even run
    net, X, T = lab_case(sizes=(3, 4, 4, 4))
    assert max(gradient_check(BrokenNetwork(net, "missing_transpose"), X, T).values()) > CAUGHT
    with pytest.raises(ValueError):
        BrokenNetwork(net, "off_by_one_layer").gradients(X, T)
    # symmetric weights: the missing transpose does no harm
    net, X, T = lab_case()
    net.weights = [W + W.T for W in net.weights]
    assert max(gradient_check(BrokenNetwork(net, "missing_transpose"), X, T).values()) < CLEAN


def test_broken_network_leaves_the_original_alone():
    net, X, T = lab_case()
    before = [W.copy() for W in net.weights]
    broken = BrokenNetwork(net, "flipped_sign")
    broken.weights[0][0, 0] += 1.0
    assert np.array_equal(net.weights[0], before[0])
    assert type(net) is Network and broken.bug == "flipped_sign"
    with pytest.raises(ValueError, match="unknown bug 'typo'; choose one of"):
        BrokenNetwork(net, "typo")


def test_checker_accepts_only_the_right_bug(capsys):
    assert set(HINTS) == set(BUGS) and set(MYSTERIES.values()) <= set(BUGS)
    for bug in BUGS:
        assert check_bug(bug, bug) is True
        assert "correct" in capsys.readouterr().out
        for other in set(BUGS) - {bug}:
            assert check_bug(other, bug) is False
            out = capsys.readouterr().out
            assert f"not {other!r}" in out and HINTS[other] in out
    assert check_bug(None, "flipped_sign") is False
    assert "not answered yet" in capsys.readouterr().out
    assert check_bug("sign", "flipped_sign") is False
    assert "not a bug of the lab" in capsys.readouterr().out
