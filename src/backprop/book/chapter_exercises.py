"""The book's checked exercises in one place: right answers and common mistakes.

Every exercise cell of the book calls ``check(key, answer, *context)``, where
``context`` is the chapter's own objects the answer depends on (the running
network ``net``, the observation ``x``, ...). Each entry here computes the
right answer from that context with the package, states the precision the
question asks for, and names the common mistakes the check recognises
(hint -> what the mistake gives). ``tests/test_exercises.py`` works every
exercise with right and wrong answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from backprop.activations import HIDDEN_ACTIVATIONS, get_activation
from backprop.book.hidden_layer import worked_example
from backprop.network import Network

from .exercises import Verdict, judge_function, judge_value


@dataclass(frozen=True)
class ValueExercise:
    """A number or array the reader computes from the chapter's ``context``."""

    name: str
    solve: Callable[..., ArrayLike]
    mistakes: Callable[..., dict[str, ArrayLike]]
    decimals: int | None = None
    digits: int | None = None


@dataclass(frozen=True)
class FunctionExercise:
    """A function the reader writes, tested against ``reference`` on ``cases()``."""

    name: str
    reference: Callable[..., Any]
    cases: Callable[[], list[tuple[Any, ...]]]
    mistakes: dict[str, Callable[..., Any]] = field(default_factory=dict)


SUM_NOT_MEAN = "that is the sum over the batch; the gradient is the mean (divide by N)"


def _slope(name: str, z: np.ndarray) -> np.ndarray:
    """g'(z) of an elementwise activation (the delta of a unit error)."""
    act = get_activation(name)
    return act.delta(z, act.g(z), np.ones_like(z))


def _sigmoid(z: ArrayLike) -> np.ndarray:
    return get_activation("sigmoid").g(np.asarray(z, dtype=float))


# ch1 -------------------------------------------------------------------------


def _ch1_forward(
    net: Network, x: ArrayLike, hidden: str = "tanh", output: str = "sigmoid"
) -> float:
    z_j = np.asarray(x, dtype=float) @ net.weights[0] + net.biases[0]
    z_k = get_activation(hidden).g(z_j[None, :]) @ net.weights[1] + net.biases[1]
    return float(get_activation(output).g(z_k)[0, 0])


def _ch1_ex1_mistakes(net: Network) -> dict[str, ArrayLike]:
    x = [0.5, 1.0]
    return {
        "that is z_k; the output node applies the sigmoid, a_k = g_k(z_k)": _ch1_forward(
            net, x, output="linear"
        ),
        "the hidden nodes apply tanh, a_j = tanh(z_j)": _ch1_forward(net, x, hidden="linear"),
        "the hidden nodes use tanh, not the sigmoid": _ch1_forward(net, x, hidden="sigmoid"),
        "that is the output for the worked example's input (1, 0.5); this one is (0.5, 1.0)": (
            _ch1_forward(net, [1.0, 0.5])
        ),
    }


def _count_by_the_package(sizes: list[int]) -> int:
    probe = Network(sizes)
    return sum(W.size + b.size for W, b in zip(probe.weights, probe.biases, strict=True))


def _pairs(sizes: list[int]) -> list[tuple[int, int]]:
    return list(zip(sizes[:-1], sizes[1:], strict=True))


def _ch1_ex4_mistakes(net: Network, X: ArrayLike, T: ArrayLike) -> dict[str, ArrayLike]:
    mean = net.loss(X, T)
    n = len(np.asarray(X))
    return {
        f"that is the mean; the sum adds the errors of all {n} observations": mean,
        "eq. (1) keeps its factor 1/2": 2 * n * mean,
        f"the sum is {n} times the mean, not the mean divided by {n}": mean / n,
    }


# ch2 and ch3: the running network, input x, target 0 --------------------------


def _output_signals(net: Network, x: ArrayLike) -> tuple[np.ndarray, float]:
    """(a_j, a_k) of the running network for the single observation x."""
    cache = net.feedforward(np.asarray(x, dtype=float)[None, :])
    return cache.a[1][0], float(cache.a[2][0, 0])


def _ch2_ex1_mistakes(net: Network, x: ArrayLike) -> dict[str, ArrayLike]:
    a_j, a_k = _output_signals(net, x)
    delta_k = a_k * a_k * (1 - a_k)
    return {
        "the target is 0 now, so the error factor is a_k - 0": (a_k - 1) * a_k * (1 - a_k) * a_j[0],
        "eq. (5) multiplies the error by the slope g_k'(z_k) = a_k(1 - a_k)": a_k * a_j[0],
        "the slope is g_k'(z_k) = a_k(1 - a_k), not g_k(z_k) = a_k": a_k * a_k * a_j[0],
        "that uses a_2; w_11 starts at hidden node 1, so use a_1": delta_k * a_j[1],
        "that uses a_3; w_11 starts at hidden node 1, so use a_1": delta_k * a_j[2],
        "that uses the input x_1; an output weight is fed by the hidden signal a_1": (
            delta_k * float(np.asarray(x)[0])
        ),
    }


def _mean_of_outer_products(A_j: np.ndarray, Delta_k: np.ndarray) -> np.ndarray:
    # eq. (6) for every observation, then the mean over the batch
    return np.mean([np.outer(a, d) for a, d in zip(A_j, Delta_k, strict=True)], axis=0)


def _random_cases(seed: int, shapes: list[tuple[tuple[int, ...], ...]]) -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(seed)
    return [tuple(rng.normal(size=shape) for shape in case) for case in shapes]


def _ch3_ex1_mistakes(net: Network, x: ArrayLike) -> dict[str, ArrayLike]:
    a_j, a_k = _output_signals(net, x)
    return {
        "the target is 0 now, so the error factor is a_k - 0": (a_k - 1) * a_k * (1 - a_k),
        "eq. (8) is delta_k, which includes the slope g_k'(z_k) = a_k(1 - a_k)": a_k,
        "the slope is g_k'(z_k) = a_k(1 - a_k), not g_k(z_k) = a_k": a_k * a_k,
        "that is a weight's gradient delta_k a_1; the bias's input is 1": a_k
        * a_k
        * (1 - a_k)
        * a_j[0],
    }


# ch4 and ch5: the hand-sized example ------------------------------------------

CH4_A_J = np.array([0.6, 0.3])
CH4_DELTA_K = np.array([0.1, -0.2])
CH4_W_JK = np.array([[0.5, 1.0], [-1.0, 0.5]])


def _ch4_ex1() -> np.ndarray:
    # A network that reproduces the exercise: zero input weights and biases
    # set so that a_j = (0.6, 0.3); a linear output, with targets chosen so
    # that delta_k = a_k - t_k = (0.1, -0.2). The package's hidden bias
    # gradient is then delta_j of eq. (14), by eq. (18).
    net = Network([1, 2, 2], activations=["sigmoid", "linear"])
    net.weights[0][:] = 0.0
    net.biases[0][:] = np.log(CH4_A_J / (1 - CH4_A_J))
    net.weights[1][:] = CH4_W_JK
    net.biases[1][:] = 0.0
    x = np.array([[1.0]])
    t_k = net.forward(x) - CH4_DELTA_K
    return net.gradients(x, t_k)[1][0]


def _ch4_ex1_mistakes() -> dict[str, ArrayLike]:
    slope = CH4_A_J * (1 - CH4_A_J)
    return {
        "eq. (14) multiplies the collected signal by the slope g'(z_j) = a_j(1 - a_j)": CH4_W_JK
        @ CH4_DELTA_K,
        "the slope is g'(z_j) = a_j(1 - a_j), not g(z_j) = a_j": CH4_A_J * (CH4_W_JK @ CH4_DELTA_K),
        "that uses the transpose of w_jk; node j collects delta_k w_jk along its own row j": (
            slope * (CH4_W_JK.T @ CH4_DELTA_K)
        ),
    }


def _hidden_weight_gradient_via_package(X: np.ndarray, delta_j: np.ndarray) -> np.ndarray:
    # A network whose hidden signals are delta_j: linear layers and an output
    # that copies the hidden layer, so delta_j = a_k - t_k.
    n_hidden = delta_j.shape[1]
    probe = Network([X.shape[1], n_hidden, n_hidden], activations=["linear", "linear"])
    probe.weights[1][:] = np.eye(n_hidden)
    T = probe.forward(X) - delta_j
    return probe.gradients(X, T)[0][0]


def _ch5_ex1() -> np.ndarray:
    net, _, t = worked_example()
    return net.gradients(np.zeros((1, 2)), t[None, :])[1][0]


def _ch5_ex1_mistakes() -> dict[str, ArrayLike]:
    net, _, t = worked_example()
    a_k = net.forward(np.zeros((1, 2)))[0]
    delta_k = (a_k - t) * a_k * (1 - a_k)
    slope = 0.25  # g'(0) for a_j = 0.5
    W_jk = net.weights[1]
    return {
        "eq. (14) multiplies by the hidden slope g'(z_j) = a_j(1 - a_j) = 0.25": W_jk @ delta_k,
        "that is delta_k of the output layer; a hidden bias's gradient is delta_j": delta_k,
        "that uses the transpose of w_jk; node j collects delta_k w_jk along its own row j": (
            slope * (W_jk.T @ delta_k)
        ),
        "that is the weights' gradient delta_j a_i (a_i = 0); a bias's input is 1": np.zeros(2),
    }


# ch6 ----------------------------------------------------------------------------


def _delta_below_reference(
    delta_next: np.ndarray, W_next: np.ndarray, z: np.ndarray, activation: str
) -> np.ndarray:
    act = get_activation(activation)
    return act.delta(z, act.g(z), delta_next @ W_next.T)


def _ch6_ex2_cases() -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(7)
    return [
        (rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=(4, 5)), name)
        for name in HIDDEN_ACTIVATIONS
    ]


# The registry ---------------------------------------------------------------------

EXERCISES: dict[str, ValueExercise | FunctionExercise] = {
    "ch1-ex1": ValueExercise(
        "a_k for the input (0.5, 1.0)",
        solve=lambda net: net.forward([[0.5, 1.0]])[0, 0],
        mistakes=_ch1_ex1_mistakes,
        decimals=4,
    ),
    "ch1-ex2": FunctionExercise(
        "n_parameters",
        reference=_count_by_the_package,
        cases=lambda: [([2, 3, 1],), ([4, 1],), ([784, 30, 10],), ([3, 5, 5, 2],)],
        mistakes={
            "count the biases too, one per node after the input layer": lambda sizes: sum(
                n_in * n_out for n_in, n_out in _pairs(sizes)
            ),
            "the input layer has no biases": lambda sizes: (
                sum(n_in * n_out for n_in, n_out in _pairs(sizes)) + sum(sizes)
            ),
            "a bias belongs to the receiving node, not the sender": lambda sizes: sum(
                n_in * n_out + n_in for n_in, n_out in _pairs(sizes)
            ),
        },
    ),
    "ch1-ex4": ValueExercise(
        "the sum of eq. (1) over the batch",
        solve=lambda net, X, T: len(np.asarray(X)) * net.loss(X, T),
        mistakes=_ch1_ex4_mistakes,
        decimals=2,
    ),
    "ch2-ex1": ValueExercise(
        "dE/dw_11",
        solve=lambda net, x: net.gradients(np.asarray(x)[None, :], [[0.0]])[0][1][0, 0],
        mistakes=_ch2_ex1_mistakes,
        decimals=4,
    ),
    "ch2-ex2": FunctionExercise(
        "output_weight_gradient",
        reference=_mean_of_outer_products,
        cases=lambda: _random_cases(
            0, [((n, h), (n, k)) for n, h, k in [(1, 3, 1), (5, 3, 2), (40, 8, 4)]]
        ),
        mistakes={
            SUM_NOT_MEAN: lambda A, D: A.T @ D,
            "that is the product of the means; eq. (6) averages the products a_j delta_k": (
                lambda A, D: np.outer(A.mean(axis=0), D.mean(axis=0))
            ),
            "divide by the number of samples N = len(A_j), not by the number of hidden nodes": (
                lambda A, D: A.T @ D / A.shape[1]
            ),
            "that is the transpose: entry (j, k) pairs hidden node j with output k": (
                lambda A, D: D.T @ A / len(A)
            ),
        },
    ),
    "ch3-ex1": ValueExercise(
        "dE/db_k",
        solve=lambda net, x: net.gradients(np.asarray(x)[None, :], [[0.0]])[1][1][0],
        mistakes=_ch3_ex1_mistakes,
        decimals=4,
    ),
    "ch3-ex2": FunctionExercise(
        "output_bias_gradient",
        reference=lambda Delta_k: (np.ones((1, len(Delta_k))) @ Delta_k / len(Delta_k))[0],
        cases=lambda: _random_cases(0, [((n, k),) for n, k in [(1, 1), (7, 3), (40, 10)]]),
        mistakes={
            SUM_NOT_MEAN: lambda D: D.sum(axis=0),
            "that averages over the outputs; average over the samples (axis=0)": (
                lambda D: D.mean(axis=1)
            ),
            "that averages over everything; average over the samples only (axis=0)": (
                lambda D: D.mean()
            ),
        },
    ),
    "ch3-ex3": ValueExercise(
        "how many times further the offset 2c_k moves",
        solve=lambda: 4.0,
        mistakes=lambda: {
            "that is how much larger dE/dc_k is; the offset 2c_k moves twice as far as c_k": 2.0,
            "dz_k/dc_k = 2 doubles the gradient, and the offset 2c_k doubles the step again": 1.0,
            "the offset moves further, not less far: both factors of 2 enlarge the step": 0.25,
        },
    ),
    "ch4-ex1": ValueExercise(
        "(delta_1, delta_2)",
        solve=_ch4_ex1,
        mistakes=_ch4_ex1_mistakes,
        decimals=4,
    ),
    "ch4-ex2": FunctionExercise(
        "hidden_weight_gradient",
        reference=_hidden_weight_gradient_via_package,
        cases=lambda: _random_cases(
            2, [((n, d), (n, h)) for n, d, h in [(1, 2, 2), (5, 3, 4), (8, 2, 1)]]
        ),
        mistakes={
            SUM_NOT_MEAN: lambda X, D: X.T @ D,
            "that is the product of the means; eq. (15) averages the products delta_j a_i": (
                lambda X, D: np.outer(X.mean(axis=0), D.mean(axis=0))
            ),
            "divide by the number of samples N = len(X), not by the number of inputs": (
                lambda X, D: X.T @ D / X.shape[1]
            ),
            "that is the transpose: entry (i, j) pairs input i with hidden node j": (
                lambda X, D: D.T @ X / len(X)
            ),
        },
    ),
    "ch5-ex1": ValueExercise(
        "dE/db_j",
        solve=_ch5_ex1,
        mistakes=_ch5_ex1_mistakes,
        digits=4,
    ),
    "ch6-ex1": ValueExercise(
        "largest sigmoid slope",
        solve=lambda: _slope("sigmoid", np.zeros((1, 1)))[0, 0],
        mistakes=lambda: {
            "that is g(0), the sigmoid's value; the question asks for its slope g'(0)": 0.5,
            "that is the largest slope of tanh; the sigmoid is flatter": 1.0,
            "the slope is at most 1/4, not 4": 4.0,
        },
    ),
    "ch6-ex2": FunctionExercise(
        "delta_below",
        reference=_delta_below_reference,
        cases=_ch6_ex2_cases,
        mistakes={
            "eq. (14) multiplies by the slope g'(z) of layer l": lambda D, W, z, name: D @ W.T,
            "that multiplies by g(z); eq. (14) needs the slope g'(z)": (
                lambda D, W, z, name: get_activation(name).g(z) * (D @ W.T)
            ),
            "that evaluates g' at a = g(z); g_prime takes the pre-activation z": (
                lambda D, W, z, name: _slope(name, get_activation(name).g(z)) * (D @ W.T)
            ),
        },
    ),
    "ch6-ex3": ValueExercise(
        "factor by which the slopes shrink the signal",
        solve=lambda: 4.0**20,
        mistakes=lambda: {
            "that is the product of the slopes; the signal shrinks by its inverse": 0.25**20,
            "count the slopes: one per hidden layer, twenty in all (that is 19)": 4.0**19,
            "count the slopes: one per hidden layer, twenty in all (that is 21)": 4.0**21,
            "the sigmoid's slope is at most 1/4 (exercise 1), not 1/2": 2.0**20,
            "the twenty factors of 4 multiply, they do not add": 80.0,
        },
        digits=3,
    ),
    "ch7-ex3": ValueExercise(
        "boundary learning rate",
        solve=lambda: 2 / 4.0,
        mistakes=lambda: {
            "that is 1/lambda, the rate that lands on the minimum in one step": 0.25,
            "that is lambda/2; the factor 1 - eta*lambda must stay above -1": 2.0,
            "that is 2*lambda; the factor 1 - eta*lambda must stay above -1": 8.0,
        },
    ),
    "ch8-ex1": ValueExercise(
        "uniform guess",
        solve=lambda: np.log(10),
        mistakes=lambda: {
            "that is log10(10); the cross-entropy uses the natural logarithm": 1.0,
            "only the true class's term survives, because the target is one-hot": 10 * np.log(10),
            "the cross-entropy sums over the classes; it does not average them": np.log(10) / 10,
            "that is the squared error of eq. (1), not the cross-entropy": 0.5
            * (0.9**2 + 9 * 0.1**2),
        },
        decimals=3,
    ),
    "appA-ex1": FunctionExercise(
        "softplus_prime",
        reference=get_activation("sigmoid").g,
        cases=lambda: [
            (np.array([[0.0]]),),
            (np.linspace(-5, 5, 11).reshape(1, -1),),
            (np.array([[-1e4, 30.0, 1e4]]),),
        ],
        mistakes={
            "that is the softplus g(z) itself; the question asks for its derivative": lambda z: (
                np.logaddexp(0.0, z)
            ),
            "check the sign of z: d/dz log(1 + e^z) = e^z / (1 + e^z)": lambda z: _sigmoid(-z),
            "that is the slope of relu; the softplus bends smoothly": lambda z: (z > 0).astype(
                float
            ),
        },
    ),
    "appA-ex3": ValueExercise(
        "delta_k",
        solve=lambda: _appendix_delta(),
        mistakes=lambda: {
            "that is the cross-entropy delta a_k - t_k; eq. (5) multiplies it by g'(z_k)": _sigmoid(
                -5.0
            )
            - 1.0,
            "that multiplies by g(z_k) = a_k; eq. (5) needs g'(z_k) = a_k(1 - a_k)": (
                _sigmoid(-5.0) - 1.0
            )
            * _sigmoid(-5.0),
            "that uses g'(0) = 1/4; the slope is taken at z_k = -5": (_sigmoid(-5.0) - 1.0) * 0.25,
        },
        digits=3,
    ),
}


def _appendix_delta() -> float:
    a_k = float(_sigmoid(-5.0))
    return (a_k - 1.0) * a_k * (1.0 - a_k)


def judge(key: str, answer: Any, *context: Any) -> Verdict:
    """The verdict on the reader's ``answer`` to exercise ``key`` (see EXERCISES)."""
    exercise = EXERCISES[key]
    if isinstance(exercise, FunctionExercise):
        return judge_function(
            answer, exercise.reference, exercise.cases(), exercise.name, mistakes=exercise.mistakes
        )
    return judge_value(
        answer,
        exercise.solve(*context),
        exercise.name,
        decimals=exercise.decimals,
        digits=exercise.digits,
        mistakes=exercise.mistakes(*context),
    )


def check(key: str, answer: Any, *context: Any) -> None:
    """Print the one-sentence verdict on the reader's answer to exercise ``key``."""
    if key not in EXERCISES:
        raise ValueError(f"unknown exercise {key!r}; expected one of {', '.join(EXERCISES)}")
    print(judge(key, answer, *context).message)
