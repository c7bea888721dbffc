"""Every checked exercise of the book, worked as a student would.

Right answers pass: the one computed in the kernel and the one built from the
numbers exactly as the page displays them. Common wrong answers, written here
independently of the registry's list of mistakes, fail with a hint that names
the mistake. The checkers' own behaviour (shapes, NaN, None, in-place
functions, factor hints, message length) is tested at the end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from backprop import Network, get_activation
from backprop.book.chapter_exercises import EXERCISES, FunctionExercise, check, judge
from backprop.datasets import two_moons
from backprop.book.exercises import check_value, judge_function, judge_value, precision_text

BOOK = Path(__file__).resolve().parents[1] / "book"


def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def running_net():
    """The running network of chapters 1-3 and its observation (1, 0.5)."""
    return Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0), np.array([1.0, 0.5])


def context(key):
    """The chapter objects that the exercise cell passes to check()."""
    net, x = running_net()
    if key == "ch1-ex1":
        return (net,)
    if key == "ch1-ex4":
        X, T = two_moons(n_samples=40, noise=0.1, seed=0)
        return (net, X, T)
    if key in ("ch2-ex1", "ch3-ex1"):
        return (net, x)
    return ()


def shown(value, decimals=4):
    """A number as the page prints it (np.round, 4 decimals unless stated)."""
    return np.round(value, decimals)


def by_hand_forward(W_ij, W_jk, x):
    """ch1 exercise 1's four lines, from the weights (zero biases)."""
    a_j = np.tanh(np.asarray(x) @ W_ij)
    return sigmoid(a_j @ W_jk)  # shape (1,), as a student gets it


def output_signals():
    net, x = running_net()
    cache = net.feedforward(x[None, :])
    return cache.a[1][0], cache.a[2][0, 0]


def ch1_ex1_kernel():
    net, _ = running_net()
    return by_hand_forward(net.weights[0], net.weights[1], [0.5, 1.0])


def ch1_ex1_displayed():
    net, _ = running_net()  # the cell prints the weights to 6 decimals
    return round(
        float(by_hand_forward(shown(net.weights[0], 6), shown(net.weights[1], 6), [0.5, 1.0])[0]), 4
    )


def ch1_ex4_displayed():
    net, _ = running_net()
    X, T = two_moons(n_samples=40, noise=0.1, seed=0)
    return round(40 * float(shown(net.loss(X, T))), 2)  # glued mean, 4 decimals


def ch2_ex1(a_j, a_k, t_k=0.0):
    return (a_k - t_k) * a_k * (1 - a_k) * a_j[0]


def ch3_ex1(a_k, t_k=0.0):
    return (a_k - t_k) * a_k * (1 - a_k)


CH4 = dict(
    a_j=np.array([0.6, 0.3]), delta_k=np.array([0.1, -0.2]), W=np.array([[0.5, 1.0], [-1.0, 0.5]])
)


def ch4_ex1(slope=None, W=None):
    a_j, delta_k = CH4["a_j"], CH4["delta_k"]
    slope = a_j * (1 - a_j) if slope is None else slope
    W = CH4["W"] if W is None else W
    return slope * np.array([sum(delta_k[k] * W[j, k] for k in range(2)) for j in range(2)])


def ch5_ex1(g_075=None, slope=0.25, transpose=False, hidden=True):
    a_k = np.array([sigmoid(0.75) if g_075 is None else g_075, 0.5])  # z_k = (0.75, 0)
    t = np.array([1.0, 0.0])
    delta_k = (a_k - t) * a_k * (1 - a_k)
    W = np.array([[1.0, -1.0], [0.5, 1.0]])
    W = W.T if transpose else W
    return slope * (W @ delta_k) if hidden else delta_k


def appendix_ex3(slope=None, error=True):
    a = float(sigmoid(-5.0))
    slope = a * (1 - a) if slope is None else slope
    return (a - 1.0) * slope if error else (a - 1.0)


# Reader's functions: the dropdown solutions, alternatives, and mistakes -----------


def n_parameters(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def n_parameters_loop(sizes):
    total = 0
    for layer in range(1, len(sizes)):
        total += sizes[layer - 1] * sizes[layer] + sizes[layer]
    return total


def output_weight_gradient(A_j, Delta_k):
    return A_j.T @ Delta_k / len(A_j)


def output_weight_gradient_in_place(A_j, Delta_k):
    A_j /= len(A_j)  # changes the caller's array: fine, the check passes copies
    return A_j.T @ Delta_k


def output_bias_gradient(Delta_k):
    return Delta_k.mean(axis=0)


def delta_below(delta_next, W_next, z, activation):
    return get_activation(activation).g_prime(z) * (delta_next @ W_next.T)


def softplus_prime(z):
    return get_activation("sigmoid").g(z)


RIGHT = {
    "ch1-ex1": [
        ("kernel, shape (1,)", ch1_ex1_kernel),
        ("from the printed weights", ch1_ex1_displayed),
    ],
    "ch1-ex2": [("solution", lambda: n_parameters), ("loop", lambda: n_parameters_loop)],
    "ch1-ex4": [
        ("kernel", lambda: 40 * running_net()[0].loss(*two_moons(n_samples=40, noise=0.1, seed=0))),
        ("from the glued mean", ch1_ex4_displayed),
    ],
    "ch2-ex1": [
        ("kernel", lambda: ch2_ex1(*output_signals())),
        ("from the printed a_j, a_k", lambda: round(ch2_ex1(*map(shown, output_signals())), 4)),
    ],
    "ch2-ex2": [
        ("solution", lambda: output_weight_gradient),
        ("in place", lambda: output_weight_gradient_in_place),
    ],
    "ch3-ex1": [
        ("kernel", lambda: ch3_ex1(output_signals()[1])),
        ("from the printed a_k", lambda: round(ch3_ex1(shown(output_signals()[1])), 4)),
    ],
    "ch3-ex2": [
        ("solution", lambda: output_bias_gradient),
        ("keepdims, shape (1, n_out)", lambda: lambda Delta_k: Delta_k.mean(axis=0, keepdims=True)),
    ],
    "ch3-ex3": [("number", lambda: 4), ("product of the two factors", lambda: 2 * 2.0)],
    "ch4-ex1": [("kernel", ch4_ex1), ("solution as printed", lambda: [-0.036, -0.042])],
    "ch4-ex2": [("solution", lambda: lambda X, delta_j: X.T @ delta_j / len(X))],
    "ch5-ex1": [
        ("kernel", ch5_ex1),
        ("with g(0.75) = 0.67918 as the question gives it", lambda: ch5_ex1(g_075=0.67918)),
        ("solution as printed", lambda: [-0.04873, 0.02251]),
    ],
    "ch6-ex1": [
        ("kernel, shape (1, 1)", lambda: get_activation("sigmoid").g_prime(np.zeros((1, 1)))),
        ("solution", lambda: 0.25),
    ],
    "ch6-ex2": [("solution", lambda: delta_below)],
    "ch6-ex3": [("kernel", lambda: 4**20), ("solution as printed, 1.10e12", lambda: 1.10e12)],
    "ch7-ex3": [("kernel", lambda: 2 / 4), ("solution", lambda: 0.5)],
    "ch8-ex1": [("kernel", lambda: -np.log(1 / 10)), ("solution as printed", lambda: 2.303)],
    "appA-ex1": [("solution", lambda: softplus_prime)],
    "appA-ex3": [("kernel", appendix_ex3), ("solution as printed", lambda: -0.00660)],
}

# (what the student did, their answer, a word the hint must contain)
WRONG = {
    "ch1-ex1": [
        (
            "forgot the output sigmoid",
            lambda: (
                np.tanh(np.array([0.5, 1.0]) @ running_net()[0].weights[0])
                @ running_net()[0].weights[1]
            ),
            "sigmoid",
        ),
        (
            "forgot tanh in the hidden layer",
            lambda: sigmoid(
                np.array([0.5, 1.0]) @ running_net()[0].weights[0] @ running_net()[0].weights[1]
            ),
            "tanh",
        ),
        (
            "fed the worked example's input",
            lambda: by_hand_forward(*running_net()[0].weights, [1.0, 0.5]),
            "(1, 0.5)",
        ),
    ],
    "ch1-ex2": [
        (
            "weights only",
            lambda: lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=True)),
            "biases",
        ),
        ("a bias on every node", lambda: lambda s: n_parameters(s) + s[0], "input layer"),
        (
            "biases with the sender",
            lambda: lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:], strict=True)),
            "receiving",
        ),
    ],
    "ch1-ex4": [
        (
            "gave the mean",
            lambda: running_net()[0].loss(*two_moons(n_samples=40, noise=0.1, seed=0)),
            "mean",
        ),
        (
            "lost the 1/2",
            lambda: 80 * running_net()[0].loss(*two_moons(n_samples=40, noise=0.1, seed=0)),
            "1/2",
        ),
        (
            "divided by 40",
            lambda: running_net()[0].loss(*two_moons(n_samples=40, noise=0.1, seed=0)) / 40,
            "40",
        ),
    ],
    "ch2-ex1": [
        ("missing g'", lambda: output_signals()[1] * output_signals()[0][0], "slope"),
        ("g instead of g'", lambda: output_signals()[1] ** 2 * output_signals()[0][0], "not g_k"),
        ("kept the target 1", lambda: ch2_ex1(*output_signals(), t_k=1.0), "target"),
        ("wrong layer: the input x_1", lambda: ch3_ex1(output_signals()[1]) * 1.0, "hidden signal"),
        ("wrong sign", lambda: -ch2_ex1(*output_signals()), "wrong sign"),
    ],
    "ch2-ex2": [
        ("sum instead of mean", lambda: lambda A_j, Delta_k: A_j.T @ Delta_k, "sum"),
        ("missing transpose", lambda: lambda A_j, Delta_k: Delta_k.T @ A_j / len(A_j), "transpose"),
        (
            "product of means",
            lambda: lambda A_j, Delta_k: np.outer(A_j.mean(0), Delta_k.mean(0)),
            "product",
        ),
        ("forgot return", lambda: lambda A_j, Delta_k: None, "returned None"),
    ],
    "ch3-ex1": [
        ("missing g'", lambda: output_signals()[1], "slope"),
        ("kept the target 1", lambda: ch3_ex1(output_signals()[1], t_k=1.0), "target"),
        ("a weight's gradient", lambda: ch2_ex1(*output_signals()), "weight's gradient"),
        ("wrong sign", lambda: -ch3_ex1(output_signals()[1]), "wrong sign"),
    ],
    "ch3-ex2": [
        ("sum instead of mean", lambda: lambda Delta_k: Delta_k.sum(axis=0), "sum"),
        ("mean over the outputs", lambda: lambda Delta_k: Delta_k.mean(axis=1), "axis=0"),
        ("mean of everything", lambda: lambda Delta_k: float(np.mean(Delta_k)), "axis=0"),
        ("wrong sign", lambda: lambda Delta_k: -Delta_k.mean(axis=0), "wrong sign"),
    ],
    "ch3-ex3": [
        ("only the gradient's factor", lambda: 2, "twice"),
        ("no change", lambda: 1, "doubles"),
        ("upside down", lambda: 0.25, "further"),
    ],
    "ch4-ex1": [
        ("missing g'", lambda: ch4_ex1(slope=1.0), "slope"),
        ("g instead of g'", lambda: ch4_ex1(slope=CH4["a_j"]), "not g(z_j)"),
        ("missing transpose", lambda: ch4_ex1(W=CH4["W"].T), "transpose"),
        ("wrong sign", lambda: -ch4_ex1(), "wrong sign"),
    ],
    "ch4-ex2": [
        ("sum instead of mean", lambda: lambda X, delta_j: X.T @ delta_j, "sum"),
        ("missing transpose", lambda: lambda X, delta_j: delta_j.T @ X / len(X), "transpose"),
        (
            "product of means",
            lambda: lambda X, delta_j: np.outer(X.mean(0), delta_j.mean(0)),
            "product",
        ),
    ],
    "ch5-ex1": [
        ("missing g'", lambda: ch5_ex1(slope=1.0), "slope"),
        ("wrong layer: delta_k", lambda: ch5_ex1(hidden=False), "output layer"),
        ("missing transpose", lambda: ch5_ex1(transpose=True), "transpose"),
        ("the weights' gradient", lambda: [0.0, 0.0], "input is 1"),
        ("wrong sign", lambda: -ch5_ex1(), "wrong sign"),
    ],
    "ch6-ex1": [
        ("g instead of g'", lambda: 0.5, "g(0)"),
        ("tanh's slope", lambda: 1.0, "tanh"),
        ("the inverse", lambda: 4, "1/4"),
        ("wrong sign", lambda: -0.25, "wrong sign"),
    ],
    "ch6-ex2": [
        ("missing g'", lambda: lambda d, W, z, act: d @ W.T, "slope"),
        (
            "g instead of g'",
            lambda: lambda d, W, z, act: get_activation(act).g(z) * (d @ W.T),
            "g(z)",
        ),
        (
            "g' of a",
            lambda: (
                lambda d, W, z, act: (
                    get_activation(act).g_prime(get_activation(act).g(z)) * (d @ W.T)
                )
            ),
            "a = g(z)",
        ),
        (
            "missing transpose",
            lambda: lambda d, W, z, act: get_activation(act).g_prime(z) * (d @ W),
            "test case 1 of 5",
        ),
        ("wrong sign", lambda: lambda d, W, z, act: -delta_below(d, W, z, act), "wrong sign"),
    ],
    "ch6-ex3": [
        ("the product of the slopes", lambda: 0.25**20, "inverse"),
        ("added the factors", lambda: 4 * 20, "multiply"),
        ("slope 1/2", lambda: 2**20, "1/4"),
        ("one layer short", lambda: 4**19, "twenty"),
    ],
    "ch7-ex3": [
        ("1/lambda", lambda: 1 / 4, "one step"),
        ("lambda/2", lambda: 4 / 2, "lambda/2"),
        ("wrong sign", lambda: -0.5, "wrong sign"),
    ],
    "ch8-ex1": [
        ("log10", lambda: np.log10(10), "natural"),
        ("all ten terms", lambda: 10 * np.log(10), "one-hot"),
        ("averaged the classes", lambda: np.log(10) / 10, "sums"),
        ("wrong sign", lambda: np.log(0.1), "wrong sign"),
    ],
    "appA-ex1": [
        (
            "the softplus itself",
            lambda: lambda z: np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0),
            "derivative",
        ),
        ("sign of z", lambda: lambda z: 1 / (1 + np.exp(z)), "sign"),
        ("overflowing formula", lambda: lambda z: np.exp(z) / (1 + np.exp(z)), "NaN"),
        ("relu's slope", lambda: lambda z: np.where(z > 0, 1.0, 0.0), "relu"),
    ],
    "appA-ex3": [
        (
            "missing g' (the cross-entropy delta)",
            lambda: appendix_ex3(error=False),
            "cross-entropy",
        ),
        ("g instead of g'", lambda: appendix_ex3(slope=float(sigmoid(-5.0))), "g(z_k)"),
        ("g'(0)", lambda: appendix_ex3(slope=0.25), "z_k = -5"),
        ("wrong sign", lambda: -appendix_ex3(), "wrong sign"),
    ],
}


def checked_exercises_in_the_book():
    keys, direct = [], []
    for path in sorted(BOOK.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                keys += re.findall(r'\bcheck\("([^"]+)"', source)
                direct += [
                    path.name for name in ("check_value(", "check_function(") if name in source
                ]
    return keys, direct


def test_every_checked_exercise_of_the_book_is_in_the_registry_and_tested():
    keys, direct = checked_exercises_in_the_book()
    assert direct == [], "notebooks should call check(key, ...), not the checkers directly"
    assert len(keys) == len(set(keys)), "an exercise key is checked twice"
    assert set(keys) == set(EXERCISES)
    assert set(RIGHT) == set(EXERCISES) and set(WRONG) == set(EXERCISES)


def test_every_value_question_states_the_precision_its_check_accepts():
    for path in sorted(BOOK.glob("*.ipynb")):
        question = ""
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = " ".join("".join(cell["source"]).split())
            if cell["cell_type"] == "markdown":
                question = source
                continue
            for key in re.findall(r'\bcheck\("([^"]+)"', source):
                exercise = EXERCISES[key]
                if isinstance(exercise, FunctionExercise):
                    continue
                asked = precision_text(exercise.decimals, exercise.digits)
                assert asked in question, f"{path.name}, {key}: the question does not say {asked!r}"


@pytest.mark.parametrize(
    ("key", "label", "make"),
    [(key, label, make) for key, cases in RIGHT.items() for label, make in cases],
)
def test_right_answers_pass(key, label, make):
    verdict = judge(key, make(), *context(key))
    assert verdict.correct, f"{key}, {label}: {verdict.message}"
    assert "correct" in verdict.message


@pytest.mark.parametrize(
    ("key", "label", "make", "hint"),
    [(key, label, make, hint) for key, cases in WRONG.items() for label, make, hint in cases],
)
def test_common_wrong_answers_fail_with_a_named_hint(key, label, make, hint):
    verdict = judge(key, make(), *context(key))
    assert not verdict.correct, f"{key}, {label} passed"
    assert hint in verdict.message, f"{key}, {label}: {verdict.message}"
    assert len(verdict.message) < 300


@pytest.mark.parametrize("key", list(WRONG))
def test_at_least_three_common_mistakes_per_exercise(key):
    assert len(WRONG[key]) >= 3


@pytest.mark.parametrize("key", list(EXERCISES))
def test_the_placeholder_none_asks_for_an_answer(key):
    verdict = judge(key, None, *context(key))
    assert not verdict.correct and "not answered yet" in verdict.message


@pytest.mark.parametrize("key", list(EXERCISES))
def test_malformed_answers_get_a_clear_sentence(key):
    if isinstance(EXERCISES[key], FunctionExercise):
        verdict = judge(key, 3.0, *context(key))
        assert "should be a function" in verdict.message
    else:
        verdict = judge(key, "0.5", *context(key))
        assert "remove the quotes" in verdict.message and not verdict.correct
        verdict = judge(key, "x", *context(key))
        assert "expected a number" in verdict.message


# The checkers themselves -------------------------------------------------------------


def test_precision_is_one_unit_in_the_stated_place_and_close_misses_get_told():
    assert judge_value(0.4332, 0.43324, decimals=4).correct
    assert judge_value(0.4333, 0.43324, decimals=4).correct
    assert not judge_value(0.4335, 0.43324, decimals=4).correct
    close = judge_value(0.43, 0.43324, "a_k", decimals=4)
    assert (
        close.message == "a_k is close: keep more digits (the question asks for it to 4 decimals)."
    )
    assert judge_value(-0.0066, -0.0066034, digits=3).correct
    assert not judge_value(-0.0066484, -0.0066034, digits=3).correct
    assert judge_value(0.5, 0.5).correct and not judge_value(0.5001, 0.5).correct


def test_a_one_element_array_is_a_number_and_squeezable_shapes_pass():
    assert judge_value(np.array([0.25]), 0.25).correct
    assert judge_value([[1.0, 2.0, 3.0]], [1.0, 2.0, 3.0]).correct
    message = judge_value([0.25, 0.25], 0.25, "slope").message
    assert message == "slope has shape (2,) but should be a single number."
    message = judge_value(np.ones((3, 2)), np.ones((2, 3)), "dW").message
    assert "should have shape (2, 3): it is the transpose of the right answer" in message


def test_nan_answers_get_their_own_message():
    message = judge_value([np.nan, 1.0], [1.0, 1.0], "delta").message
    assert message.startswith("delta has 1 of 2 entries that are NaN")


def test_factor_hint_is_robust_and_says_every_entry_only_when_it_is_true():
    assert judge_value(4 * 0.0123456, 0.0123456, "x").message == "x is 4 times the right value."
    assert (
        judge_value(np.array([4.0, 8.0]), [1.0, 2.0], "x").message
        == "x is 4 times the right value in every entry."
    )
    assert (
        judge_value([0.25, 0.5], [1.0, 2.0], "x").message
        == "x is 1/4 times the right value in every entry."
    )
    assert (
        judge_value([1.0, 5.0], [1.0, 2.0], "x").message
        == "x differs from the right value in 1 of 2 entries."
    )
    assert (
        judge_value([0.0, 0.0], [1.0, 2.0], "x").message
        == "x differs from the right value in 2 of 2 entries."
    )
    assert (
        judge_value([-1.0, -2.0], [1.0, 2.0], "x").message == "x has the wrong sign in every entry."
    )
    assert "-0" not in judge_value(0.0, 3.0, "x").message


def test_check_function_names_the_case_and_reuses_the_diagnosis():
    inputs = [(np.ones((2, 3)), np.ones((2, 1))), (np.arange(12.0).reshape(4, 3), np.ones((4, 2)))]
    ok = judge_function(output_weight_gradient, output_weight_gradient, inputs, "f")
    assert ok.correct and ok.message == "f: correct on all 2 test cases."
    message = judge_function(lambda A, D: None, output_weight_gradient, inputs, "f").message
    assert (
        message
        == "f: returned None on test case 1 of 2 (A_j of shape (2, 3), Delta_k of shape (2, 1)); "
        + ("did you forget `return`?")
    )
    message = judge_function(lambda A, D: A.T @ D, output_weight_gradient, inputs, "f").message
    assert message.startswith(
        "f: on test case 1 of 2 (A_j of shape (2, 3), Delta_k of shape (2, 1)) the result is 2 "
    )
    message = judge_function(lambda A, D: 1 / 0, output_weight_gradient, inputs, "f").message
    assert message.startswith("f: raised ZeroDivisionError: division by zero on test case 1 of 2")


def test_check_function_computes_the_reference_first_on_copies():
    seen = []

    def reference(A):
        seen.append(A.copy())
        return A.sum(axis=0)

    def reader(A):
        A[:] = 0.0  # wipes its input, after computing nothing useful
        return np.zeros(A.shape[1])

    A = np.ones((3, 2))
    verdict = judge_function(reader, reference, [(A,)], "f")
    assert not verdict.correct and "2 times" not in verdict.message
    assert (seen[0] == 1.0).all() and (A == 1.0).all()


def test_text_answers_and_long_errors_get_short_clear_sentences():
    assert "remove the quotes" in judge_value(np.array(["0.25"]), 0.25, "slope").message

    def shouts(A):
        raise ValueError("x" * 5000)

    message = judge_function(shouts, lambda A: A, [(np.ones(3),)], "f").message
    assert message.startswith("f: raised ValueError: xxx") and len(message) < 250


def test_messages_stay_short_for_large_arrays():
    big = np.random.default_rng(0).normal(size=(500, 40))
    message = judge_function(lambda X: X.T @ X, lambda X: X.T @ X / len(X), [(big,)], "f").message
    assert len(message) < 200 and "500 times the right value" in message


def test_checks_print_one_sentence_and_return_nothing(capsys):
    assert check_value(0.25, 0.25, "slope") is None
    assert capsys.readouterr().out == "slope: correct.\n"
    assert check("ch6-ex1", None) is None
    assert capsys.readouterr().out.count("\n") == 1
    with pytest.raises(ValueError, match="unknown exercise 'ch9-ex1'"):
        check("ch9-ex1", 0.25)
