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
from backprop.autograd import Node
from backprop.book.chapter_exercises import (
    EXERCISES,
    FunctionExercise,
    ValueExercise,
    check,
    judge,
)
from backprop.book.exercises import check_value, judge_function, judge_value, precision_text
from backprop.datasets import two_moons

BOOK = Path(__file__).resolve().parents[1] / "book"


def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def running_net():
    """The running network of chapters 1-3 and its observation (1, 0.5)."""
    return Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0), np.array([1.0, 0.5])


def context(key):
    """The chapter objects that the exercise cell passes to check()."""
    net, x = running_net()
    if key == "forward-pass-1":
        return (net,)
    if key == "forward-pass-4":
        X, T = two_moons(n_samples=40, noise=0.1, seed=0)
        return (net, X, T)
    if key in ("output-weights-1", "output-biases-1"):
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


def ch5_ex2(x=(10.0, 5.0), slope=True, hidden=True):
    # the worked example fed x: W^(1), W^(2) as in chapter 4, zero biases, t = (1, 0)
    a_j = sigmoid(np.array(x) @ np.array([[0.5, -0.5], [1.0, 0.5]]))
    W = np.array([[1.0, -1.0], [0.5, 1.0]])
    a_k = sigmoid(a_j @ W)
    delta_k = (a_k - np.array([1.0, 0.0])) * a_k * (1 - a_k)
    return (a_j * (1 - a_j) if slope else 1.0) * (W @ delta_k) if hidden else delta_k


def appendix_ex3(slope=None, error=True):
    a = float(sigmoid(-5.0))
    slope = a * (1 - a) if slope is None else slope
    return (a - 1.0) * slope if error else (a - 1.0)


def ag_worked_example():
    """a_j, a_k and the adjoint of z_k of the worked example, by hand (zero biases)."""
    x, t = np.array([1.0, 0.5]), np.array([1.0, 0.0])
    a_j = sigmoid(x @ np.array([[0.5, -0.5], [1.0, 0.5]]))
    a_k = sigmoid(a_j @ AG_W_JK)
    return a_j, a_k, (a_k - t) * a_k * (1 - a_k)


AG_W_JK = np.array([[1.0, -1.0], [0.5, 1.0]])


def ch5_ex1_misread(where):
    """ch5 exercise 1 with W^(2) read transposed in the forward pass or both passes."""
    W = np.array([[1.0, -1.0], [0.5, 1.0]])
    a_k = sigmoid(np.array([0.5, 0.5]) @ W.T)  # z_k from the transposed matrix
    delta_k = (a_k - np.array([1.0, 0.0])) * a_k * (1 - a_k)
    return 0.25 * ((W.T if where == "both" else W) @ delta_k)


def ag_ex1_misread():
    """The adjoint of a_j with W^(2) read transposed in both passes."""
    a_j = ag_worked_example()[0]
    a_k = sigmoid(a_j @ AG_W_JK.T)
    z_k_bar = (a_k - np.array([1.0, 0.0])) * a_k * (1 - a_k)
    return AG_W_JK.T @ z_k_bar


def ag_ex1(z_k_bar=None):
    z_k_bar = ag_worked_example()[2] if z_k_bar is None else z_k_bar
    return np.array([sum(z_k_bar[k] * AG_W_JK[j, k] for k in range(2)) for j in range(2)])


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
    return get_activation(activation).g_prime(z) * (delta_next @ W_next.T)  # type: ignore[misc]


def softplus_prime(z):
    return get_activation("sigmoid").g(z)


def softplus(z):
    out = Node(np.logaddexp(0, z.value), (z,), ("g'(z)",), "softplus")

    def rule():
        z.grad += out.grad / (1 + np.exp(-z.value))  # g'(z) = sigmoid(z)

    out.rule = rule
    return out


def softplus_operation(value, slope, sign=1.0, chain=True, attach=True, give=True, assign=False):
    """A softplus operation for the engine; the options make the common mistakes."""

    def operation(z):
        out = Node(value(z.value), (z,))

        def rule():
            upstream = out.grad if chain else 1.0
            share = sign * upstream * slope(z.value)
            if assign:  # z.grad = ...: overwrites what another operation added
                z.grad = share
            else:
                z.grad = z.grad + share

        if attach:
            out.rule = rule
        return out if give else None

    return operation


def softplus_tanh_form():
    # log(1 + e^z) and the sigmoid (1 + tanh(z/2)) / 2, z.grad = z.grad + ...
    return softplus_operation(lambda z: np.log1p(np.exp(z)), lambda z: (1 + np.tanh(z / 2)) / 2)


RIGHT = {
    "forward-pass-1": [
        ("kernel, shape (1,)", ch1_ex1_kernel),
        ("from the printed weights", ch1_ex1_displayed),
    ],
    "forward-pass-2": [("solution", lambda: n_parameters), ("loop", lambda: n_parameters_loop)],
    "forward-pass-4": [
        ("kernel", lambda: 40 * running_net()[0].loss(*two_moons(n_samples=40, noise=0.1, seed=0))),
        ("from the glued mean", ch1_ex4_displayed),
    ],
    "output-weights-1": [
        ("kernel", lambda: ch2_ex1(*output_signals())),
        ("from the printed a_j, a_k", lambda: round(ch2_ex1(*map(shown, output_signals())), 4)),
    ],
    "output-weights-2": [
        ("solution", lambda: output_weight_gradient),
        ("in place", lambda: output_weight_gradient_in_place),
    ],
    "output-biases-1": [
        ("kernel", lambda: ch3_ex1(output_signals()[1])),
        ("from the printed a_k", lambda: round(ch3_ex1(shown(output_signals()[1])), 4)),
    ],
    "output-biases-2": [
        ("solution", lambda: output_bias_gradient),
        ("keepdims, shape (1, n_out)", lambda: lambda Delta_k: Delta_k.mean(axis=0, keepdims=True)),
    ],
    "output-biases-3": [("number", lambda: 4), ("product of the two factors", lambda: 2 * 2.0)],
    "hidden-weights-1": [
        ("kernel", ch4_ex1),
        ("solution as printed", lambda: [-0.036, -0.042]),
        # one unit in the 4th decimal, on either side, is judged the same
        ("delta_1 one unit above", lambda: [-0.0359, -0.042]),
        ("delta_1 one unit below", lambda: [-0.0361, -0.042]),
        ("delta_2 one unit above", lambda: [-0.036, -0.0419]),
        ("delta_2 one unit below", lambda: [-0.036, -0.0421]),
    ],
    "hidden-weights-2": [("solution", lambda: lambda X, delta_j: X.T @ delta_j / len(X))],
    "hidden-biases-1": [
        ("kernel", ch5_ex1),
        ("with g(0.75) = 0.67918 as the question gives it", lambda: ch5_ex1(g_075=0.67918)),
        ("solution as printed", lambda: [-0.04873, 0.02251]),
    ],
    "hidden-biases-2": [
        ("kernel", ch5_ex2),
        ("solution as printed", lambda: [-4.917e-06, 0.002281]),
    ],
    "deep-networks-1": [
        ("kernel, shape (1, 1)", lambda: get_activation("sigmoid").g_prime(np.zeros((1, 1)))),  # type: ignore[misc]
        ("solution", lambda: 0.25),
    ],
    "deep-networks-2": [("solution", lambda: delta_below)],
    "deep-networks-3": [
        ("kernel", lambda: 4**20),
        ("solution as printed, 1.10e12", lambda: 1.10e12),
    ],
    "playground-3": [("kernel", lambda: 2 / 4), ("solution", lambda: 0.5)],
    "real-data-1": [("kernel", lambda: -np.log(1 / 10)), ("solution as printed", lambda: 2.303)],
    "activations-1": [("solution", lambda: softplus_prime)],
    "activations-3": [("kernel", appendix_ex3), ("solution as printed", lambda: -0.00660)],
    "autograd-1": [
        ("kernel", ag_ex1),
        ("from the printed adjoints of z_k", lambda: ag_ex1(shown(ag_worked_example()[2]))),
        ("solution as printed", lambda: [-0.1606, 0.0765]),
    ],
    "autograd-2": [
        ("solution", lambda: softplus),
        ("tanh form, z.grad = z.grad + ...", softplus_tanh_form),
    ],
}

# (what the student did, their answer, a word the hint must contain)
WRONG = {
    "forward-pass-1": [
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
            lambda: by_hand_forward(*running_net()[0].weights, [1.0, 0.5]),  # type: ignore[call-arg]
            "(1, 0.5)",
        ),
    ],
    "forward-pass-2": [
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
    "forward-pass-4": [
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
    "output-weights-1": [
        ("missing g'", lambda: output_signals()[1] * output_signals()[0][0], "slope"),
        (
            "g instead of g'",
            lambda: output_signals()[1] ** 2 * output_signals()[0][0],
            "multiplies by g_k(z_k)",
        ),
        ("kept the target 1", lambda: ch2_ex1(*output_signals(), t_k=1.0), "target"),  # type: ignore[misc]
        ("wrong layer: the input x_1", lambda: ch3_ex1(output_signals()[1]) * 1.0, "hidden signal"),
        ("wrong sign", lambda: -ch2_ex1(*output_signals()), "wrong sign"),
        ("wrong sign, to 4 decimals", lambda: -round(ch2_ex1(*output_signals()), 4), "wrong sign"),
        ("wrong sign, as the review gave it", lambda: -0.0133, "wrong sign"),
    ],
    "output-weights-2": [
        ("sum instead of mean", lambda: lambda A_j, Delta_k: A_j.T @ Delta_k, "sum"),
        ("missing transpose", lambda: lambda A_j, Delta_k: Delta_k.T @ A_j / len(A_j), "transpose"),
        (
            "product of means",
            lambda: lambda A_j, Delta_k: np.outer(A_j.mean(0), Delta_k.mean(0)),
            "product",
        ),
        ("forgot return", lambda: lambda A_j, Delta_k: None, "returned None"),
    ],
    "output-biases-1": [
        ("missing g'", lambda: output_signals()[1], "slope"),
        ("kept the target 1", lambda: ch3_ex1(output_signals()[1], t_k=1.0), "target"),
        ("a weight's gradient", lambda: ch2_ex1(*output_signals()), "weight's gradient"),
        ("wrong sign", lambda: -ch3_ex1(output_signals()[1]), "wrong sign"),
    ],
    "output-biases-2": [
        ("sum instead of mean", lambda: lambda Delta_k: Delta_k.sum(axis=0), "sum"),
        ("mean over the outputs", lambda: lambda Delta_k: Delta_k.mean(axis=1), "axis=0"),
        ("mean of everything", lambda: lambda Delta_k: float(np.mean(Delta_k)), "axis=0"),
        ("wrong sign", lambda: lambda Delta_k: -Delta_k.mean(axis=0), "wrong sign"),
    ],
    "output-biases-3": [
        ("only the gradient's factor", lambda: 2, "twice"),
        ("no change", lambda: 1, "doubles"),
        ("upside down", lambda: 0.25, "further"),
    ],
    "hidden-weights-1": [
        ("missing g'", lambda: ch4_ex1(slope=1.0), "slope"),
        ("g instead of g'", lambda: ch4_ex1(slope=CH4["a_j"]), "multiplies by g_j(z_j)"),
        ("missing transpose", lambda: ch4_ex1(W=CH4["W"].T), "W^(2) transposed"),
        (
            "missing transpose, to 4 decimals",
            lambda: shown(ch4_ex1(W=CH4["W"].T)),
            "W^(2) transposed",
        ),
        ("the other node's slope", lambda: ch4_ex1(slope=[0.21, 0.24]), "own slope"),
        ("wrong sign", lambda: -ch4_ex1(), "wrong sign"),
        ("wrong sign, to 4 decimals", lambda: [0.036, 0.042], "wrong sign"),
    ],
    "hidden-weights-2": [
        ("sum instead of mean", lambda: lambda X, delta_j: X.T @ delta_j, "sum"),
        ("missing transpose", lambda: lambda X, delta_j: delta_j.T @ X / len(X), "transpose"),
        (
            "product of means",
            lambda: lambda X, delta_j: np.outer(X.mean(0), delta_j.mean(0)),
            "product",
        ),
    ],
    "hidden-biases-1": [
        ("missing g'", lambda: ch5_ex1(slope=1.0), "slope"),
        ("wrong layer: delta_k", lambda: ch5_ex1(hidden=False), "output layer"),
        ("missing transpose", lambda: ch5_ex1(transpose=True), "W^(2) transposed"),
        (
            "W^(2) transposed in eq. (14), 5 decimals as the solution prints",
            lambda: np.round(ch5_ex1(transpose=True), 5),
            "W^(2) transposed",
        ),
        ("W^(2) read transposed everywhere", lambda: ch5_ex1_misread("both"), "W^(2) transposed"),
        (
            "W^(2) transposed in the forward pass, 4 significant digits",
            lambda: [float(f"{v:.3e}") for v in ch5_ex1_misread("forward")],
            "W^(2) transposed",
        ),
        ("g instead of g'", lambda: ch5_ex1(slope=0.5), "multiplies by g_j(z_j)"),
        (
            "only output 1 in the sum of eq. (14)",
            lambda: 0.25 * np.array([1.0, 0.5]) * ch5_ex1(hidden=False)[0],
            "only k = 1",
        ),
        ("the weights' gradient", lambda: [0.0, 0.0], "input is 1"),
        ("wrong sign", lambda: -ch5_ex1(), "wrong sign"),
        ("wrong sign, as printed", lambda: [0.04873, -0.02251], "wrong sign"),
    ],
    "hidden-biases-2": [
        ("missing g'", lambda: ch5_ex2(slope=False), "slope"),
        ("wrong layer: delta_k", lambda: ch5_ex2(hidden=False), "output layer"),
        ("the usual input", lambda: ch5_ex2(x=(1.0, 0.5)), "usual input"),
        ("the weights' gradient from input 1", lambda: 10 * ch5_ex2(), "input is 1"),
        ("wrong sign", lambda: -ch5_ex2(), "wrong sign"),
    ],
    "deep-networks-1": [
        ("g instead of g'", lambda: 0.5, "g(0)"),
        ("tanh's slope", lambda: 1.0, "tanh"),
        ("the inverse", lambda: 4, "1/4"),
        ("wrong sign", lambda: -0.25, "wrong sign"),
    ],
    "deep-networks-2": [
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
                    get_activation(act).g_prime(get_activation(act).g(z)) * (d @ W.T)  # type: ignore[misc]
                )
            ),
            "a = g(z)",
        ),
        (
            "missing transpose",
            lambda: lambda d, W, z, act: get_activation(act).g_prime(z) * (d @ W),  # type: ignore[misc]
            "test case 1 of 5",
        ),
        ("wrong sign", lambda: lambda d, W, z, act: -delta_below(d, W, z, act), "wrong sign"),
    ],
    "deep-networks-3": [
        ("the product of the slopes", lambda: 0.25**20, "inverse"),
        ("added the factors", lambda: 4 * 20, "multiply"),
        ("slope 1/2", lambda: 2**20, "1/4"),
        ("one layer short", lambda: 4**19, "twenty"),
    ],
    "playground-3": [
        ("1/lambda", lambda: 1 / 4, "one step"),
        ("lambda/2", lambda: 4 / 2, "lambda/2"),
        ("wrong sign", lambda: -0.5, "wrong sign"),
    ],
    "real-data-1": [
        ("log10", lambda: np.log10(10), "natural"),
        ("all ten terms", lambda: 10 * np.log(10), "one-hot"),
        ("averaged the classes", lambda: np.log(10) / 10, "sums"),
        ("wrong sign", lambda: np.log(0.1), "wrong sign"),
    ],
    "activations-1": [
        (
            "the softplus itself",
            lambda: lambda z: np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0),
            "derivative",
        ),
        ("sign of z", lambda: lambda z: 1 / (1 + np.exp(z)), "sign"),
        ("overflowing formula", lambda: lambda z: np.exp(z) / (1 + np.exp(z)), "NaN"),
        ("relu's slope", lambda: lambda z: np.where(z > 0, 1.0, 0.0), "relu"),
    ],
    "activations-3": [
        (
            "missing g' (the cross-entropy delta)",
            lambda: appendix_ex3(error=False),
            "cross-entropy",
        ),
        ("g instead of g'", lambda: appendix_ex3(slope=float(sigmoid(-5.0))), "g_k(z_k)"),
        ("g'(0)", lambda: appendix_ex3(slope=0.25), "z_k = -5"),
        ("wrong sign", lambda: -appendix_ex3(), "wrong sign"),
    ],
    "autograd-1": [
        (
            "multiplied by g'(z_j): delta_j",
            lambda: ag_worked_example()[0] * (1 - ag_worked_example()[0]) * ag_ex1(),
            "delta_j",
        ),
        ("g instead of g'", lambda: ag_worked_example()[0] * ag_ex1(), "g(z_j)"),
        ("missing transpose", lambda: AG_W_JK.T @ ag_worked_example()[2], "W^(2) transposed"),
        (
            "W^(2) read transposed everywhere, to 4 decimals",
            lambda: shown(ag_ex1_misread()),
            "W^(2) transposed",
        ),
        (
            "sent back the adjoint of a_k, a_k - t_k",
            lambda: AG_W_JK @ (ag_worked_example()[1] - [1.0, 0.0]),
            "adjoint of a_k",
        ),
        (
            "only output node 1",
            lambda: AG_W_JK[:, 0] * ag_worked_example()[2][0],
            "two children",
        ),
        ("lost the 1/2 of eq. (1)", lambda: 2 * ag_ex1(), "2 times"),
        ("wrong sign", lambda: -ag_ex1(), "wrong sign"),
    ],
    "autograd-2": [
        (
            "the sigmoid's slope s(1 - s) for g'",
            lambda: softplus_operation(
                lambda z: np.logaddexp(0, z), lambda z: sigmoid(z) * (1 - sigmoid(z))
            ),
            "not its slope",
        ),
        (
            "the softplus itself for g'",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), lambda z: np.logaddexp(0, z)),
            "derivative",
        ),
        (
            "missing chain: no out.grad",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), sigmoid, chain=False),
            "out.grad",
        ),
        (
            "sigmoid of -z",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), lambda z: sigmoid(-z)),
            "sign of z",
        ),
        (
            "wrong sign: z.grad -= ...",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), sigmoid, sign=-1.0),
            "wrong sign",
        ),
        (
            "forgot out.rule = rule",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), sigmoid, attach=False),
            "out.rule",
        ),
        (
            "forgot return",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), sigmoid, give=False),
            "did you forget `return`",
        ),
        ("returned the array", lambda: lambda z: np.logaddexp(0, z.value), "should return a Node"),
        (
            "z.grad = ... instead of +=",
            lambda: softplus_operation(lambda z: np.logaddexp(0, z), sigmoid, assign=True),
            "a node used twice must add up its gradients: +=",
        ),
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


def test_the_softplus_check_agrees_with_finite_differences_of_the_error():
    # the reference of autograd-2 is dE/dz worked out by hand; the chapter's own
    # gradient check, central differences of E = sse(softplus(z), T), agrees
    def error(z, T, uses):
        return 0.5 * np.sum((uses * np.logaddexp(0, z) - T) ** 2) / len(T)

    eps = 1e-6
    exercise = EXERCISES["autograd-2"]
    assert isinstance(exercise, FunctionExercise)
    cases = exercise.cases()
    assert [case[2] for case in cases].count(2) >= 1, "a case where z feeds two operations"
    for z, T, uses in cases:
        numeric = np.zeros_like(z)
        for index in np.ndindex(z.shape):
            step = np.zeros_like(z)
            step[index] = eps
            numeric[index] = (error(z + step, T, uses) - error(z - step, T, uses)) / (2 * eps)
        assert np.allclose(exercise.reference(z, T, uses), numeric, rtol=1e-6, atol=1e-9)


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
    check_value(0.25, 0.25, "slope")
    assert capsys.readouterr().out == "slope: correct.\n"
    check("deep-networks-1", None)
    assert capsys.readouterr().out.count("\n") == 1
    with pytest.raises(ValueError, match="unknown exercise 'ch9-ex1'"):
        check("ch9-ex1", 0.25)


# Hints at the precision the question asks for, and one name per shared mistake -----


def value_exercises():
    return [key for key, exercise in EXERCISES.items() if isinstance(exercise, ValueExercise)]


def right_answer(key):
    """The registry's right answer to a value exercise, in the chapter's context."""
    exercise = EXERCISES[key]
    assert isinstance(exercise, ValueExercise)
    ctx = context(key)
    if exercise.network is None:
        return np.asarray(exercise.solve(*ctx), dtype=float)
    return np.asarray(exercise.solve(exercise.network(*ctx), *ctx), dtype=float)


def as_asked(key, value):
    """A value rounded as the question asks (decimals or significant digits)."""
    exercise = EXERCISES[key]
    assert isinstance(exercise, ValueExercise)
    value = np.asarray(value, dtype=float)
    if exercise.decimals is not None:
        return np.round(value, exercise.decimals)
    if exercise.digits is not None:
        rounded = [float(f"{v:.{exercise.digits - 1}e}") for v in value.ravel()]
        return np.array(rounded).reshape(value.shape)
    return value


def unit(key, value):
    """One unit in the last place the question asks for, entry by entry."""
    exercise = EXERCISES[key]
    assert isinstance(exercise, ValueExercise)
    if exercise.decimals is not None:
        return np.full(value.shape, 10.0**-exercise.decimals)
    assert exercise.digits is not None
    magnitude = np.floor(np.log10(np.abs(value)))
    return 10.0 ** (magnitude - exercise.digits + 1)


def stated(key):
    exercise = EXERCISES[key]
    return isinstance(exercise, ValueExercise) and (
        exercise.decimals is not None or exercise.digits is not None
    )


@pytest.mark.parametrize("key", value_exercises())
def test_a_sign_flip_at_the_stated_precision_is_named_as_one(key):
    verdict = judge(key, -as_asked(key, right_answer(key)), *context(key))
    assert "wrong sign" in verdict.message, f"{key}: {verdict.message}"


@pytest.mark.parametrize("key", [key for key in value_exercises() if stated(key)])
def test_one_unit_off_in_the_last_digit_is_judged_the_same_on_both_sides(key):
    want = right_answer(key)
    step = unit(key, want)
    for scale, correct in [(1.0, True), (1.01, False)]:
        above = judge(key, want + scale * step, *context(key))
        below = judge(key, want - scale * step, *context(key))
        assert above.correct == below.correct == correct, (key, above, below)


def test_a_close_miss_says_where_the_digits_were_lost():
    net = context("forward-pass-1")
    early = judge("forward-pass-1", 0.4226, *net).message  # 4 decimals, but rounded on the way
    assert "keep more digits in the intermediate steps" in early
    short = judge("forward-pass-1", 0.42, *net).message  # fewer digits than asked
    assert short.endswith("keep more digits (the question asks for it to 4 decimals).")


SHARED_TRANSPOSE = re.compile(
    r"^that uses W\^\(\d\) transposed: a weight sits in the row of the node it leaves "
    r"and the column of the node it enters$"
)


def every_hint():
    for key, exercise in EXERCISES.items():
        if isinstance(exercise, FunctionExercise):
            yield from ((key, hint) for hint in exercise.mistakes)
        else:
            yield from ((key, hint) for hint in exercise.mistakes(*context(key)))


def test_a_transpose_has_one_name_in_every_exercise():
    # a weight matrix read the wrong way round gets the shared hint; a whole
    # answer transposed is named by the checker itself, in every exercise
    for key, hint in every_hint():
        if "transpos" in hint:
            assert SHARED_TRANSPOSE.match(hint), f"{key}: {hint}"


@pytest.mark.parametrize(
    "key",
    [key for key in value_exercises() if EXERCISES[key].network is not None],  # type: ignore[union-attr]
)
def test_every_misreading_of_the_weights_is_named_at_the_stated_precision(key):
    from backprop.book.chapter_exercises import _misread_answers

    exercise = EXERCISES[key]
    assert isinstance(exercise, ValueExercise) and exercise.network is not None
    ctx = context(key)
    want = right_answer(key)
    named = 0
    for hint, wrong in _misread_answers(exercise, exercise.network(*ctx), ctx):
        answer = as_asked(key, wrong)
        if np.allclose(answer, as_asked(key, want)):
            continue  # this misreading does not change the answer here
        verdict = judge(key, answer, *ctx)
        assert not verdict.correct
        listed = [h for h, w in exercise.mistakes(*ctx).items() if h in verdict.message]
        assert hint in verdict.message or listed, f"{key}: {verdict.message}"
        named += 1
    square = any(W.shape[0] == W.shape[1] for W in exercise.network(*ctx).weights)
    assert named > 0 or not square


def test_hints_hold_at_the_stated_precision():
    # a sign flip or a factor given to 4 decimals, not only to 12
    assert judge_value(-0.0133, 0.0133306, "x", decimals=4).message == "x has the wrong sign."
    assert (
        judge_value(0.0267, 0.0133306, "x", decimals=4).message == "x is 2 times the right value."
    )
    assert judge_value(0.0003, 0.0133306, "x", decimals=4).message == "x is not right yet."
    # one unit in the 4th decimal either side of -0.036
    assert judge_value([-0.0359, -0.042], [-0.036, -0.042], decimals=4).correct
    assert judge_value([-0.0361, -0.042], [-0.036, -0.042], decimals=4).correct
    # with the digits asked for but off by more than a unit: rounded too early
    message = judge_value(0.4335, 0.43324, "a_k", decimals=4).message
    assert message == (
        "a_k is close: keep more digits in the intermediate steps and round only the result "
        "(to 4 decimals)."
    )
    # a named mistake matches on the question's scale
    mistakes = {"named": [-0.0018513, 0.0487263]}
    verdict = judge_value(
        [-0.00185, 0.04873], [-0.0487263, 0.0225118], "x", digits=4, mistakes=mistakes
    )
    assert verdict.message == "x is not right: named."


def test_a_square_answer_transposed_is_named():
    message = judge_value([[1.0, 3.0], [2.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], "dW").message
    assert message == "dW is the transpose of the right answer."
