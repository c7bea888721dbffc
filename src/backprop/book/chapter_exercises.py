"""The book's checked exercises in one place: right answers and common mistakes.

Every exercise cell of the book calls ``check(key, answer, *context)``, where
``context`` is the chapter's own objects the answer depends on (the running
network ``net``, the observation ``x``, ...). Each entry here computes the
right answer from that context with the package, states the precision the
question asks for, and names the common mistakes the check recognises
(hint -> what the mistake gives). ``tests/test_exercises.py`` works every
exercise with right and wrong answers.

A mistake that several exercises share has one name everywhere: the hint
helpers below (``_transposed``, ``_missing_slope``, ``_g_for_g_prime``,
``SUM_NOT_MEAN``, ...). A value exercise whose answer comes out of a network
declares that network (``ValueExercise.network``); its answer is then also
computed with every square weight matrix read transposed (in the forward pass,
in eq. (14) of the backward pass, or in both) and with the planted bug that
sends the deltas back through the wrong layer (``backprop.bugs``), and an
answer equal to one of these gets the shared hint, without a list per exercise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from backprop.activations import HIDDEN_ACTIVATIONS, get_activation
from backprop.autograd import Node, backward, forward_graph, sse
from backprop.book.worked_example import worked_example
from backprop.bugs import BrokenNetwork
from backprop.network import BackwardPass, ForwardPass, Network

from .exercises import Verdict, judge_function, judge_value


@dataclass(frozen=True)
class ValueExercise:
    """A number or array the reader computes from the chapter's ``context``."""

    name: str
    solve: Callable[..., ArrayLike]
    mistakes: Callable[..., dict[str, ArrayLike]]
    decimals: int | None = None
    digits: int | None = None
    network: Callable[..., Network] | None = None
    """The network the answer comes out of, from the context; when set, ``solve``
    takes it first, ``solve(network, *context)``, and every misreading of its
    weights (:func:`_misreadings`) is a named mistake with the shared hint."""


@dataclass(frozen=True)
class FunctionExercise:
    """A function the reader writes, tested against ``reference`` on ``cases()``."""

    name: str
    reference: Callable[..., Any]
    cases: Callable[[], list[tuple[Any, ...]]]
    mistakes: dict[str, Callable[..., Any]] = field(default_factory=dict)
    run: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None
    """Turns the reader's function into the one compared with ``reference``
    (an engine operation into the gradient its rule gives); None: as it is."""


# Shared mistakes: one name in every exercise ------------------------------------

SUM_NOT_MEAN = "that is the sum over the batch; the gradient is the mean (divide by N)"

OFF_BY_ONE_LAYER = (
    "that sends each delta back through the weights of its own layer; eq. (14) uses "
    "the weights of the layer above"
)


def _transposed(layer: int) -> str:
    """The hint for W^(layer) read the wrong way round, wherever it happens."""
    return (
        f"that uses W^({layer}) transposed: a weight sits in the row of the node it "
        "leaves and the column of the node it enters"
    )


def _missing_slope(eq: str, slope: str) -> str:
    """The hint for a delta without its factor g'(z), eq. (5) or (14)."""
    return f"that leaves out the slope: eq. ({eq}) multiplies by {slope}"


def _g_for_g_prime(eq: str, g: str, slope: str) -> str:
    """The hint for the activation g(z) used where its slope g'(z) belongs."""
    return f"that multiplies by {g}; eq. ({eq}) needs the slope {slope}"


OUTPUT_SLOPE = "g_k'(z_k) = a_k(1 - a_k)"
HIDDEN_SLOPE = "g_j'(z_j) = a_j(1 - a_j)"


class _MisreadWeights(Network):
    """A copy of ``net`` that reads its weight matrix ``layer`` (0-based)
    transposed in the forward pass, in eq. (14) of the backward pass, or both
    (``where``: "forward", "backward", "both")."""

    def __init__(self, net: Network, layer: int, where: str) -> None:
        self.__dict__.update(net.copy().__dict__)
        kept = list(self.weights)
        turned = [W.T if l == layer else W for l, W in enumerate(kept)]  # noqa: E741
        self._forward_weights = turned if where != "backward" else kept
        self._backward_weights = turned if where != "forward" else kept
        self.weights = self._forward_weights

    def feedforward(self, X: ArrayLike) -> ForwardPass:
        self.weights = self._forward_weights
        return super().feedforward(X)

    def backward(self, cache: ForwardPass, T: ArrayLike) -> BackwardPass:
        self.weights = self._backward_weights
        try:
            return super().backward(cache, T)
        finally:
            self.weights = self._forward_weights


def _misreadings(net: Network) -> list[tuple[str, Network]]:
    """(shared hint, misread copy of ``net``): each square weight matrix
    transposed in the forward pass, in eq. (14), or both, and the planted bug
    of ``backprop.bugs`` that sends the deltas through the wrong layer."""
    variants: list[tuple[str, Network]] = [
        (_transposed(l + 1), _MisreadWeights(net, l, where))
        for l, W in enumerate(net.weights)  # noqa: E741
        if W.shape[0] == W.shape[1]
        for where in ("forward", "backward", "both")
    ]
    if len(net.weights) > 1:
        variants.append((OFF_BY_ONE_LAYER, BrokenNetwork(net, "off_by_one_layer")))
    return variants


def _misread_answers(
    exercise: ValueExercise, net: Network, context: tuple[Any, ...]
) -> list[tuple[str, ArrayLike]]:
    """The answer of each misreading of ``net`` that runs (shapes allowing) and
    is not zero (a zero answer has too many causes to name one)."""
    answers = []
    for hint, variant in _misreadings(net):
        try:
            answer = exercise.solve(variant, *context)
        except ValueError:  # a matrix product whose shapes the misreading breaks
            continue
        if np.any(np.asarray(answer) != 0):
            answers.append((hint, answer))
    return answers


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
        _missing_slope("5", OUTPUT_SLOPE): a_k * a_j[0],
        _g_for_g_prime("5", "g_k(z_k) = a_k", OUTPUT_SLOPE): a_k * a_k * a_j[0],
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
        _missing_slope("5", OUTPUT_SLOPE): a_k,
        _g_for_g_prime("5", "g_k(z_k) = a_k", OUTPUT_SLOPE): a_k * a_k,
        "that is a weight's gradient delta_k a_1; the bias's input is 1": a_k
        * a_k
        * (1 - a_k)
        * a_j[0],
    }


# ch4 and ch5: the hand-sized example ------------------------------------------

CH4_A_J = np.array([0.6, 0.3])
CH4_DELTA_K = np.array([0.1, -0.2])
CH4_W_JK = np.array([[0.5, 1.0], [-1.0, 0.5]])


def _ch4_network() -> Network:
    # A network that reproduces the exercise: zero input weights and biases
    # set so that a_j = (0.6, 0.3); a linear output, with targets chosen (in
    # _ch4_ex1) so that delta_k = a_k - t_k = (0.1, -0.2).
    net = Network([1, 2, 2], activations=["sigmoid", "linear"])
    net.weights[0][:] = 0.0
    net.biases[0][:] = np.log(CH4_A_J / (1 - CH4_A_J))
    net.weights[1][:] = CH4_W_JK
    net.biases[1][:] = 0.0
    return net


def _ch4_ex1(net: Network) -> np.ndarray:
    # The package's hidden bias gradient is delta_j of eq. (14), by eq. (18).
    x = np.array([[1.0]])
    t_k = _ch4_network().forward(x) - CH4_DELTA_K
    return net.gradients(x, t_k)[1][0]


def _ch4_ex1_mistakes() -> dict[str, ArrayLike]:
    slope = CH4_A_J * (1 - CH4_A_J)
    return {
        _missing_slope("14", HIDDEN_SLOPE): CH4_W_JK @ CH4_DELTA_K,
        _g_for_g_prime("14", "g_j(z_j) = a_j", HIDDEN_SLOPE): CH4_A_J * (CH4_W_JK @ CH4_DELTA_K),
        "that is the collected signal times g_j'(z_j) for the other node; node j uses its "
        "own slope": slope[::-1] * (CH4_W_JK @ CH4_DELTA_K),
    }


def _hidden_weight_gradient_via_package(X: np.ndarray, delta_j: np.ndarray) -> np.ndarray:
    # A network whose hidden signals are delta_j: linear layers and an output
    # that copies the hidden layer, so delta_j = a_k - t_k.
    n_hidden = delta_j.shape[1]
    probe = Network([X.shape[1], n_hidden, n_hidden], activations=["linear", "linear"])
    probe.weights[1][:] = np.eye(n_hidden)
    T = probe.forward(X) - delta_j
    return probe.gradients(X, T)[0][0]


def _ch5_ex1(net: Network) -> np.ndarray:
    t = worked_example()[2]
    return net.gradients(np.zeros((1, 2)), t[None, :])[1][0]


def _ch5_ex1_mistakes() -> dict[str, ArrayLike]:
    net, _, t = worked_example()
    a_k = net.forward(np.zeros((1, 2)))[0]
    delta_k = (a_k - t) * a_k * (1 - a_k)
    slope = 0.25  # g'(0) for a_j = 0.5
    W_jk = net.weights[1]
    return {
        _missing_slope("14", HIDDEN_SLOPE): W_jk @ delta_k,
        _g_for_g_prime("14", "g_j(z_j) = a_j", HIDDEN_SLOPE): 0.5 * (W_jk @ delta_k),
        "that is delta_k of the output layer; a hidden bias's gradient is delta_j": delta_k,
        "that is the weights' gradient delta_j a_i (a_i = 0); a bias's input is 1": np.zeros(2),
        "eq. (14) sums over the outputs k; this keeps only k = 1": slope * W_jk[:, 0] * delta_k[0],
    }


CH5_EX2_X = np.array([[10.0, 5.0]])
"""Chapter 5, exercise 2: the worked example's input times ten, so that hidden
node 1 saturates (z_1 = 10) and its bias gradient nearly vanishes."""


def _ch5_ex2(net: Network) -> np.ndarray:
    t = worked_example()[2]
    return net.gradients(CH5_EX2_X, t[None, :])[1][0]


def _ch5_ex2_mistakes() -> dict[str, ArrayLike]:
    net, x, t = worked_example()
    cache = net.feedforward(CH5_EX2_X)
    a_j, a_k = cache.a[1][0], cache.a[2][0]
    delta_k = (a_k - t) * a_k * (1 - a_k)
    W_jk = net.weights[1]
    delta_j = a_j * (1 - a_j) * (W_jk @ delta_k)
    return {
        _missing_slope("14", HIDDEN_SLOPE): W_jk @ delta_k,
        _g_for_g_prime("14", "g_j(z_j) = a_j", HIDDEN_SLOPE): a_j * (W_jk @ delta_k),
        "that is delta_k of the output layer; a hidden bias's gradient is delta_j": delta_k,
        "that is the gradient for the usual input (1, 0.5); this one is (10, 5)": (
            net.gradients(x[None, :], t[None, :])[1][0]
        ),
        "that is the weights' gradient delta_j a_i from input 1 (a_1 = 10); a bias's input is 1": (
            10.0 * delta_j
        ),
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


# autograd: the worked example's graph, and a new operation for the engine --------


def _ag_nodes(net: Network | None = None) -> dict[str, Node]:
    """The worked example's graph (or ``net``'s, for the worked example's x and
    t) after one backward sweep, its nodes by name."""
    example, x, t = worked_example()
    E, _, _ = forward_graph(example if net is None else net, [x], [t])
    return {node.name: node for node in backward(E)}


def _ag_ex1_mistakes() -> dict[str, ArrayLike]:
    node = _ag_nodes()
    W_jk, a_j, z_k_bar = node["W1"].value, node["a1"].value[0], node["z1"].grad[0]
    a_j_bar = W_jk @ z_k_bar
    return {
        "that is delta_j: it multiplies by g'(z_j), which comes after a_j in the sweep": (
            a_j * (1 - a_j) * a_j_bar
        ),
        "that multiplies by g(z_j) = a_j; the adjoint of a_j comes before any slope": (
            a_j * a_j_bar
        ),
        _transposed(2): W_jk.T @ z_k_bar,
        "that sends back the adjoint of a_k; the product receives z_k's, after g'(z_k)": (
            W_jk @ node["a2"].grad[0]
        ),
        "a_j has two children, one per output node: add both shares": W_jk[:, 0] * z_k_bar[0],
    }


def _added(nodes: list[Node]) -> Node:
    """The sum of several nodes' values; its rule passes its adjoint to each."""
    out = Node(sum(node.value for node in nodes), tuple(nodes), ("1",) * len(nodes), "sum")

    def rule() -> None:
        for node in nodes:
            node.grad += out.grad

    out.rule = rule
    return out


def _engine_gradient(operation: Callable[[Node], Node]) -> Callable[..., np.ndarray | None]:
    """z, T, uses -> dE/dz by the engine, for E = sse(operation(z), T), or with
    z fed to ``uses`` operations whose outputs are added, E = sse(sum, T)."""

    def gradient(z: np.ndarray, T: np.ndarray, uses_of_z: int = 1) -> np.ndarray | None:
        leaf = Node(z, name="z")
        outs = [operation(leaf) for _ in range(uses_of_z)]
        for out in outs:
            if out is None:
                return None  # the check asks "did you forget `return`?"
            if not isinstance(out, Node):
                raise TypeError(f"the operation should return a Node, not {type(out).__name__}")
        backward(sse(outs[0] if uses_of_z == 1 else _added(outs), T))
        return leaf.grad

    return gradient


def _softplus_gradient(
    z: np.ndarray,
    T: np.ndarray,
    uses_of_z: int = 1,
    slope: np.ndarray | None = None,
    shares: int | None = None,
) -> np.ndarray:
    # dE/dz = uses g'(z) (uses g(z) - t) / N for E = sse(sum of `uses` copies
    # of g(z), T): eq. (5) with the softplus as g and its derivative, the
    # sigmoid, as g', one share per use; a rule that assigns z.grad instead of
    # adding to it keeps one share (``shares=1``)
    slope = _sigmoid(z) if slope is None else slope
    shares = uses_of_z if shares is None else shares
    return shares * slope * (uses_of_z * np.logaddexp(0.0, z) - T) / len(T)


def _softplus_reference(z: np.ndarray, T: np.ndarray, uses_of_z: int) -> np.ndarray:
    """dE/dz for E = sse(softplus(z) added ``uses_of_z`` times, T)."""
    return _softplus_gradient(z, T, uses_of_z)


def _ag_ex2_cases() -> list[tuple[Any, ...]]:
    # three cases as the chapter describes them, then one where z feeds two
    # softplus operations, which only a rule that adds (+=) gets right
    rng = np.random.default_rng(3)
    return [
        (rng.normal(0, 2, (n, k)), rng.normal(size=(n, k)), uses)
        for n, k, uses in [(1, 1, 1), (3, 2, 1), (5, 4, 1), (3, 2, 2)]
    ]


# Names: one per exercise, independent of chapter numbers ------------------------


def exercise_slug(stem: str) -> str:
    """The first part of the names of the exercises of notebook ``stem``.

    ``"02_output_weights"`` -> ``"output-weights"``, ``"appendix_activations"`` ->
    ``"activations"``, ``"playground"`` -> ``"playground"``: the leading number and
    ``appendix_`` dropped, underscores as hyphens. Exercise ``n`` of the notebook is
    named ``f"{exercise_slug(stem)}-{n}"``; that name is its key here (when it is
    checked by code), and ``exercise_anchor(name)`` its anchor in the book.
    """
    name = re.sub(r"^(\d+_|appendix_)", "", stem)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"not a notebook stem of the book: {stem!r}")
    return name.replace("_", "-")


def exercise_anchor(name: str) -> str:
    """The MyST target and HTML id of exercise ``name``: ``"exercise-" + name``
    (``.../02_output_weights.html#exercise-output-weights-1``)."""
    return f"exercise-{name}"


# The registry: keys are the exercises' names (exercise_slug) ----------------------

EXERCISES: dict[str, ValueExercise | FunctionExercise] = {
    "forward-pass-1": ValueExercise(
        "a_k for the input (0.5, 1.0)",
        solve=lambda model, net: model.forward([[0.5, 1.0]])[0, 0],
        mistakes=_ch1_ex1_mistakes,
        decimals=4,
        network=lambda net: net,
    ),
    "forward-pass-2": FunctionExercise(
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
    "forward-pass-4": ValueExercise(
        "the sum of eq. (1) over the batch",
        solve=lambda net, X, T: len(np.asarray(X)) * net.loss(X, T),
        mistakes=_ch1_ex4_mistakes,
        decimals=2,
    ),
    "output-weights-1": ValueExercise(
        "dE/dw_11",
        solve=lambda model, net, x: model.gradients(np.asarray(x)[None, :], [[0.0]])[0][1][0, 0],
        mistakes=_ch2_ex1_mistakes,
        decimals=4,
        network=lambda net, x: net,
    ),
    "output-weights-2": FunctionExercise(
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
        },
    ),
    "output-biases-1": ValueExercise(
        "dE/db_k",
        solve=lambda model, net, x: model.gradients(np.asarray(x)[None, :], [[0.0]])[1][1][0],
        mistakes=_ch3_ex1_mistakes,
        decimals=4,
        network=lambda net, x: net,
    ),
    "output-biases-2": FunctionExercise(
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
    "output-biases-3": ValueExercise(
        "how many times further the offset 2c_k moves",
        solve=lambda: 4.0,
        mistakes=lambda: {
            "that is how much larger dE/dc_k is; the offset 2c_k moves twice as far as c_k": 2.0,
            "dz_k/dc_k = 2 doubles the gradient, and the offset 2c_k doubles the step again": 1.0,
            "the offset moves further, not less far: both factors of 2 enlarge the step": 0.25,
        },
    ),
    "hidden-weights-1": ValueExercise(
        "(delta_1, delta_2)",
        solve=_ch4_ex1,
        mistakes=_ch4_ex1_mistakes,
        decimals=4,
        network=_ch4_network,
    ),
    "hidden-weights-2": FunctionExercise(
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
        },
    ),
    "hidden-biases-1": ValueExercise(
        "dE/db_j",
        solve=_ch5_ex1,
        mistakes=_ch5_ex1_mistakes,
        digits=4,
        network=lambda: worked_example()[0],
    ),
    "hidden-biases-2": ValueExercise(
        "dE/db_j for the input (10, 5)",
        solve=_ch5_ex2,
        mistakes=_ch5_ex2_mistakes,
        digits=4,
        network=lambda: worked_example()[0],
    ),
    "deep-networks-1": ValueExercise(
        "largest sigmoid slope",
        solve=lambda: _slope("sigmoid", np.zeros((1, 1)))[0, 0],
        mistakes=lambda: {
            "that is g(0), the sigmoid's value; the question asks for its slope g'(0)": 0.5,
            "that is the largest slope of tanh; the sigmoid is flatter": 1.0,
            "the slope is at most 1/4, not 4": 4.0,
        },
    ),
    "deep-networks-2": FunctionExercise(
        "delta_below",
        reference=_delta_below_reference,
        cases=_ch6_ex2_cases,
        mistakes={
            _missing_slope("14", "g'(z) of layer l"): lambda D, W, z, name: D @ W.T,
            _g_for_g_prime("14", "g(z)", "g'(z)"): (
                lambda D, W, z, name: get_activation(name).g(z) * (D @ W.T)
            ),
            "that evaluates g' at a = g(z); g_prime takes the pre-activation z": (
                lambda D, W, z, name: _slope(name, get_activation(name).g(z)) * (D @ W.T)
            ),
        },
    ),
    "deep-networks-3": ValueExercise(
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
    "playground-3": ValueExercise(
        "boundary learning rate",
        solve=lambda: 2 / 4.0,
        mistakes=lambda: {
            "that is 1/lambda, the rate that lands on the minimum in one step": 0.25,
            "that is lambda/2; the factor 1 - eta*lambda must stay above -1": 2.0,
            "that is 2*lambda; the factor 1 - eta*lambda must stay above -1": 8.0,
        },
    ),
    "real-data-1": ValueExercise(
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
    "activations-1": FunctionExercise(
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
    "activations-3": ValueExercise(
        "delta_k",
        solve=lambda: _appendix_delta(),
        mistakes=lambda: {
            "that is the cross-entropy delta a_k - t_k; eq. (5) multiplies it by g'(z_k)": _sigmoid(
                -5.0
            )
            - 1.0,
            _g_for_g_prime("5", "g_k(z_k) = a_k", OUTPUT_SLOPE): (_sigmoid(-5.0) - 1.0)
            * _sigmoid(-5.0),
            "that uses g'(0) = 1/4; the slope is taken at z_k = -5": (_sigmoid(-5.0) - 1.0) * 0.25,
        },
        digits=3,
    ),
    "autograd-1": ValueExercise(
        "adjoint of a_j",
        solve=lambda net: _ag_nodes(net)["a1"].grad[0],
        mistakes=_ag_ex1_mistakes,
        decimals=4,
        network=lambda: worked_example()[0],
    ),
    "autograd-2": FunctionExercise(
        "softplus",
        reference=_softplus_reference,
        cases=_ag_ex2_cases,
        run=_engine_gradient,
        mistakes={
            "g'(z) is the sigmoid 1/(1 + e^-z) itself, not its slope s(1 - s)": lambda z, T, u: (
                _softplus_gradient(z, T, u, _sigmoid(z) * (1 - _sigmoid(z)))
            ),
            "that multiplies by the softplus g(z); the rule needs its derivative g'(z)": (
                lambda z, T, u: _softplus_gradient(z, T, u, np.logaddexp(0.0, z))
            ),
            "the rule must multiply g'(z) by out.grad, the adjoint of its output": (
                lambda z, T, u: u * _sigmoid(z)
            ),
            "check the sign of z: g'(z) = 1/(1 + e^-z)": lambda z, T, u: _softplus_gradient(
                z, T, u, _sigmoid(-z)
            ),
            "nothing reached z.grad: the rule must add to z.grad, and out.rule = rule": (
                lambda z, T, u: np.zeros_like(z)
            ),
            "z feeds two operations here, and the second rule overwrote the first's share: "
            "a node used twice must add up its gradients: +=": (
                lambda z, T, u: _softplus_gradient(z, T, u, shares=1)
            ),
        },
    ),
}


def _appendix_delta() -> float:
    a_k = float(_sigmoid(-5.0))
    return (a_k - 1.0) * a_k * (1.0 - a_k)


def value_terms(key: str, *context: Any) -> tuple[ArrayLike, list[tuple[str, ArrayLike]]]:
    """What :func:`judge` compares an answer to value exercise ``key`` with:
    the right answer for the chapter's ``context`` and every named mistake as
    (hint, wrong answer), its network's misreadings included (the HTML book's
    answer boxes judge with the same, backprop.book.page_exercises)."""
    exercise = EXERCISES[key]
    if not isinstance(exercise, ValueExercise):
        raise ValueError(f"{key!r} asks for a function, not a value")
    mistakes: list[tuple[str, ArrayLike]] = list(exercise.mistakes(*context).items())
    if exercise.network is None:
        return exercise.solve(*context), mistakes
    net = exercise.network(*context)
    return exercise.solve(net, *context), mistakes + _misread_answers(exercise, net, context)


def judge(key: str, answer: Any, *context: Any) -> Verdict:
    """The verdict on the reader's ``answer`` to exercise ``key`` (see EXERCISES)."""
    exercise = EXERCISES[key]
    if isinstance(exercise, FunctionExercise):
        if exercise.run is not None and callable(answer):
            answer = exercise.run(answer)
        return judge_function(
            answer, exercise.reference, exercise.cases(), exercise.name, mistakes=exercise.mistakes
        )
    expected, mistakes = value_terms(key, *context)
    return judge_value(
        answer,
        expected,
        exercise.name,
        decimals=exercise.decimals,
        digits=exercise.digits,
        mistakes=mistakes,
    )


def check(key: str, answer: Any, *context: Any) -> None:
    """Print the one-sentence verdict on the reader's answer to exercise ``key``."""
    if key not in EXERCISES:
        raise ValueError(f"unknown exercise {key!r}; expected one of {', '.join(EXERCISES)}")
    print(judge(key, answer, *context).message)
