"""check_backprop: correct functions of three styles pass, each planted bug of
backprop.bugs written as reader code is named with its equation, other
mistakes are placed by their pattern, bad returns get clear sentences, and the
chapter's skeleton and solution say what they should."""

# The functions below are written as a reader writes them: l is the text's layer
# index, and zip() pairs lists that have the same length by construction.
# ruff: noqa: E741, B905

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from backprop import Network
from backprop.bugs import BUGS
from backprop.selfcheck import (
    BUG_DIAGNOSES,
    check_backprop,
    judge_backprop,
    network_family,
    reference_gradients,
)

CHAPTER = Path(__file__).resolve().parents[1] / "book" / "build_it_yourself.ipynb"


# --- three correct styles -------------------------------------------------------


def loops_gradients(net, X, T):
    """Index loops over samples n and nodes i, j, k, as chapters 1-6 write them."""
    L, N = len(net.weights), len(X)
    dW = [np.zeros_like(W) for W in net.weights]
    db = [np.zeros_like(b) for b in net.biases]
    for n in range(N):
        a, z = [X[n]], []
        for W, b, act in zip(net.weights, net.biases, net.activations):
            z_l = np.zeros(W.shape[1])
            for j in range(W.shape[1]):
                z_l[j] = b[j] + sum(a[-1][i] * W[i, j] for i in range(W.shape[0]))
            z.append(z_l)
            a.append(act.g(z_l[None, :])[0])
        delta: list[np.ndarray] = [np.empty(0)] * L
        out = a[L] - T[n]
        if net.loss_function.name == "cross_entropy":
            delta[L - 1] = out
        else:
            g_prime = net.activations[L - 1].g_prime(z[L - 1][None, :])[0]
            delta[L - 1] = np.array([out[k] * g_prime[k] for k in range(len(out))])
        for l in range(L - 2, -1, -1):
            g_prime = net.activations[l].g_prime(z[l][None, :])[0]
            W = net.weights[l + 1]
            delta[l] = np.zeros(W.shape[0])
            for j in range(W.shape[0]):
                total = sum(delta[l + 1][k] * W[j, k] for k in range(W.shape[1]))
                delta[l][j] = g_prime[j] * total
        for l in range(L):
            for i in range(dW[l].shape[0]):
                for j in range(dW[l].shape[1]):
                    dW[l][i, j] += a[l][i] * delta[l][j] / N
            for j in range(len(db[l])):
                db[l][j] += delta[l][j] / N
    return dW, db


def per_sample_gradients(net, X, T):
    """One sample at a time with row vectors, the mean of the per-sample gradients."""
    dWs, dbs = [], []
    for x, t in zip(X, T):
        a, z = [x[None, :]], []
        for W, b, act in zip(net.weights, net.biases, net.activations):
            z.append(a[-1] @ W + b)
            a.append(act.g(z[-1]))
        delta = a[-1] - t
        if net.loss_function.name != "cross_entropy":
            delta = delta * net.activations[-1].g_prime(z[-1])
        dW: list[np.ndarray] = []
        db: list[np.ndarray] = []
        for l in reversed(range(len(net.weights))):
            dW.insert(0, np.outer(a[l], delta))
            db.insert(0, delta[0])
            if l > 0:
                delta = net.activations[l - 1].g_prime(z[l - 1]) * (delta @ net.weights[l].T)
        dWs.append(dW)
        dbs.append(db)
    n_layers = len(net.weights)
    return (
        [np.mean([dW[l] for dW in dWs], axis=0) for l in range(n_layers)],
        [np.mean([db[l] for db in dbs], axis=0) for l in range(n_layers)],
    )


@pytest.mark.parametrize(
    "function",
    [loops_gradients, reference_gradients, per_sample_gradients],
    ids=lambda f: f.__name__,
)
def test_correct_styles_pass(function):
    verdict = judge_backprop(function)
    assert verdict.correct, verdict.message
    assert verdict.message.startswith(f"{function.__name__}: correct on all ")
    assert verdict.equation is None and verdict.bug is None


def test_the_package_s_own_gradients_pass():
    assert judge_backprop(Network.gradients, "Network.gradients").correct


# --- the planted bugs as a reader writes them -------------------------------------


def vectorised(bug=None):
    """The vectorised backward pass with one of backprop.bugs' mistakes, in the
    words a reader would write it (a - t flipped, W without .T, ...)."""

    def my_gradients(net, X, T):
        L, N = len(net.weights), len(X)
        a, z = [X], []
        for W, b, act in zip(net.weights, net.biases, net.activations):
            z.append(a[-1] @ W + b)
            a.append(act.g(z[-1]))

        def slope(l, z_l):  # g' of layer l at z_l
            above = bug == "wrong_layer_g_prime" and l < L - 1  # a hidden layer's slope
            act = net.activations[l + 1 if above else l]
            return act.g(z_l) if bug == "g_instead_of_g_prime" else act.g_prime(z_l)

        error = T - a[L] if bug == "flipped_sign" else a[L] - T
        if net.loss_function.name == "cross_entropy":
            delta_out = error
        else:
            delta_out = error * slope(L - 1, z[L - 1])
        delta = [None] * (L - 1) + [delta_out]
        for l in range(L - 2, -1, -1):
            if bug == "missing_transpose":
                back = delta[l + 1] @ net.weights[l + 1]
            elif bug == "off_by_one_layer":
                back = delta[l + 1] @ net.weights[l].T
            else:
                back = delta[l + 1] @ net.weights[l + 1].T
            delta[l] = slope(l, z[l]) * back
        if bug == "sum_not_mean":
            return [a[l].T @ delta[l] for l in range(L)], [d.sum(axis=0) for d in delta]
        if bug == "forgotten_bias":
            return [a[l].T @ delta[l] / N for l in range(L)], [np.zeros_like(b) for b in net.biases]
        return [a[l].T @ delta[l] / N for l in range(L)], [d.mean(axis=0) for d in delta]

    return my_gradients


def test_the_reader_style_pass_without_a_bug_is_correct():
    assert judge_backprop(vectorised()).correct


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_each_planted_bug_gets_its_diagnosis(bug):
    verdict = judge_backprop(vectorised(bug), "my_gradients")
    equation, sentence = BUG_DIAGNOSES[bug]
    assert not verdict.correct
    assert verdict.bug == bug, verdict.message
    assert verdict.equation == equation
    assert f"Most likely at fault: eq. ({equation}): {sentence}." in verdict.message


def test_the_diagnoses_name_the_book_s_equations():
    assert {bug: eq for bug, (eq, _) in BUG_DIAGNOSES.items()} == {
        "missing_transpose": "14",
        "off_by_one_layer": "14",
        "wrong_layer_g_prime": "14",
        "g_instead_of_g_prime": "5",
        "sum_not_mean": "7",
        "forgotten_bias": "18",
        "flipped_sign": "5",
    }
    assert set(BUG_DIAGNOSES) == set(BUGS)


def test_a_bug_that_only_runs_on_square_layers_says_where_it_stopped():
    message = judge_backprop(vectorised("missing_transpose")).message
    assert "it raised ValueError on" in message and "delta_{l+1} @ W_{l+1}.T" in message


# --- other mistakes, placed by their pattern ----------------------------------------


def edited(*changes):
    """The package's reference pass with pieces of its text replaced, (old, new) pairs
    (each checked to occur), as a reader's function my_gradients."""
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(reference_gradients))
    for old, new in zip(changes[::2], changes[1::2], strict=True):
        assert old in source, old
        source = source.replace(old, new)
    namespace = {"np": np}
    exec(source.replace("reference_gradients", "my_gradients"), namespace)
    return namespace["my_gradients"]


@pytest.mark.parametrize(
    ("changes", "equation", "words"),
    [
        (  # the bias gradient summed, the weights right
            ("db = [delta[l].mean(axis=0)", "db = [delta[l].sum(axis=0)"),
            "18",
            "N times too large",
        ),
        (  # the weight gradient summed, the biases right
            ("dW = [a[l].T @ delta[l] / N", "dW = [a[l].T @ delta[l]"),
            "15",
            "N times too large",
        ),
        (  # the mean taken twice
            ("return dW, db", "return [g / N for g in dW], [g / N for g in db]"),
            "7",
            "mean is taken twice",
        ),
        (  # the 2 of the square kept
            ("delta[L - 1] = (a[L] - T) *", "delta[L - 1] = 2 * (a[L] - T) *"),
            "5",
            "constant factor",
        ),
        (  # the recursion stops one layer early
            (
                "delta = [np.empty(0)] * L",
                "delta = [np.zeros((N, n)) for n in net.sizes[1:]]",
                "for l in range(L - 2, -1, -1):",
                "for l in range(L - 2, 0, -1):",
            ),
            "14",
            "the layers below it are wrong",
        ),
        (  # cross-entropy's delta with a slope that cancels
            ("delta[L - 1] = a[L] - T\n", "delta[L - 1] = (a[L] - T) * a[L] * (1 - a[L])\n"),
            "5",
            "only with softmax and cross-entropy",
        ),
        (  # the output weights not averaged
            ("return dW, db", "dW[L - 1] = dW[L - 1] * N\n    return dW, db"),
            "6",
            "only the output layer's weight gradients are wrong",
        ),
        (  # nothing ever computed
            ("return dW, db", "return [0 * g for g in dW], [0 * g for g in db]"),
            "5",
            "every gradient it returns is zero",
        ),
    ],
    ids=[
        "bias_sum",
        "weight_sum",
        "mean_twice",
        "factor_2",
        "stops_early",
        "ce_slope",
        "out_W",
        "zeros",
    ],
)
def test_other_mistakes_are_placed_by_their_pattern(changes, equation, words):
    verdict = judge_backprop(edited(*changes), "my_gradients")
    assert not verdict.correct
    assert verdict.equation == equation, verdict.message
    assert words in verdict.message


def test_a_wrong_slope_of_one_activation_is_pointed_out():
    from backprop.activations import ACTIVATIONS

    def my_gradients(net, X, T):
        saved = ACTIVATIONS["tanh"]
        try:
            for l, act in enumerate(net.activations):
                if act.name == "tanh":  # the reader's tanh' forgets the square
                    net.activations[l] = type(act)(
                        "tanh", act.g, lambda z: 1 - np.tanh(z), act.g_tex, act.g_prime_tex
                    )
            return reference_gradients(net, X, T)
        finally:
            assert ACTIVATIONS["tanh"] is saved

    message = judge_backprop(my_gradients).message
    assert "every network it gets wrong uses 'tanh' and none it gets right does" in message


def test_softmax_slope_gets_its_hint():
    message = judge_backprop(
        edited(
            "delta[L - 1] = a[L] - T\n",
            "delta[L - 1] = (a[L] - T) * net.activations[-1].g_prime(z[-1])\n",
        )
    ).message
    assert "right wherever it runs" in message
    assert "with cross-entropy the output delta is simply a - t" in message


# --- bad returns -------------------------------------------------------------------------


def returning(value):
    def my_gradients(net, X, T):
        return value(net) if callable(value) else value

    return my_gradients


@pytest.mark.parametrize(
    ("function", "words"),
    [
        (None, "my_gradients: not written yet (replace None with a function"),
        (42, "int is not a function"),
        (returning(None), "returned None; it should end with `return dW, db`"),
        (returning(lambda net: net.weights), "not a pair"),
        (returning(lambda net: (net.weights[0], net.biases)), "returned dW as ndarray"),
        (returning(lambda net: (net.weights[:-1], net.biases)), "but the network has"),
        (returning(lambda net: ([W.T for W in net.weights], net.biases)), "it is transposed"),
        (returning(lambda net: (net.weights, [b[None, :] for b in net.biases])), "one-dimensional"),
        (
            returning(lambda net: (net.weights, [np.ones((5, len(b))) for b in net.biases])),
            "one row per sample",
        ),
        (returning(lambda net: (net.weights, [None] * len(net.biases))), "left db[0] as None"),
        (returning(lambda net: (net.weights, ["x"] * len(net.biases))), "not an array of numbers"),
        (returning(lambda net: ([W * np.nan for W in net.weights], net.biases)), "NaN"),
        (returning(([...], [...])), "not written yet: it still returns the skeleton's `...`"),
    ],
    ids=[
        "None",
        "not_callable",
        "returns_None",
        "one_list",
        "array_not_list",
        "too_few",
        "transposed",
        "db_2d",
        "db_per_sample",
        "entry_None",
        "strings",
        "nan",
        "placeholder",
    ],
)
def test_bad_returns_get_clear_sentences(function, words):
    verdict = judge_backprop(function, "my_gradients")
    assert not verdict.correct
    assert words in verdict.message, verdict.message


def test_changing_the_network_in_place_is_reported():
    def my_gradients(net, X, T):
        dW, db = reference_gradients(net, X, T)
        for W, g in zip(net.weights, dW):
            W -= 0.1 * g  # a training step inside the gradient function
        return dW, db

    assert "in place" in judge_backprop(my_gradients).message


def test_an_exception_everywhere_is_reported_with_a_hint():
    def my_gradients(net, X, T):
        raise IndexError("index 3 is out of bounds")

    message = judge_backprop(my_gradients).message
    assert "it raised IndexError on 42 of them" in message and "check the ranges" in message


def test_check_prints_one_sentence(capsys):
    check_backprop(reference_gradients)
    out = capsys.readouterr().out
    assert " ".join(out.split()) == " ".join(judge_backprop(reference_gradients).message.split())
    assert max(len(line) for line in out.splitlines()) <= 88


# --- the family -------------------------------------------------------------------------


def test_the_family_covers_depths_activations_losses_and_shapes():
    family = network_family()
    assert {case.depth for case in family} == {1, 2, 3, 4}
    names = {act.name for case in family for act in case.net.activations}
    assert names == {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"}
    hidden = {act.name for case in family for act in case.net.activations[:-1]}
    assert hidden == names - {"softmax"}
    assert {case.net.loss_function.name for case in family} == {"sse", "cross_entropy"}
    square = [case for case in family if len(set(case.net.sizes)) == 1]
    assert square and any(case.depth >= 3 for case in square)
    assert {len(case.X) for case in family} >= {3, 4, 5, 6}
    for case in family:
        acts = [act.name for act in case.net.activations]
        assert all(a != b for a, b in zip(acts, acts[1:])), acts  # neighbours differ
        if len(set(case.net.sizes)) > 1:
            assert all(m != n for m, n in zip(case.net.sizes, case.net.sizes[1:]))


def test_the_family_is_the_same_every_time():
    a, b = network_family(), network_family()
    for x, y in zip(a, b, strict=True):
        assert x.describe() == y.describe()
        assert all(np.array_equal(p, q) for p, q in zip(x.net.weights, y.net.weights))
        assert np.array_equal(x.X, y.X) and np.array_equal(x.T, y.T)


# --- the chapter ----------------------------------------------------------------------------


def _chapter_cells():
    return json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]


def test_the_chapter_s_skeleton_says_it_is_not_written_yet():
    cells = [c for c in _chapter_cells() if c["cell_type"] == "code"]
    skeleton = [c for c in cells if "def my_gradients(" in "".join(c["source"])]
    assert len(skeleton) == 1
    namespace = {"np": np}
    exec("".join(skeleton[0]["source"]), namespace)
    message = judge_backprop(namespace["my_gradients"]).message  # type: ignore[arg-type]
    assert message.startswith("my_gradients: not written yet")


def test_the_chapter_s_solution_passes():
    dropdowns = [
        "".join(c["source"])
        for c in _chapter_cells()
        if c["cell_type"] == "markdown" and ":::{dropdown} Solution" in "".join(c["source"])
    ]
    code = [block for text in dropdowns for block in re.findall(r"```python\n(.*?)```", text, re.S)]
    solutions = [block for block in code if "def my_gradients(" in block]
    assert len(solutions) == 1
    namespace = {"np": np}
    exec(solutions[0], namespace)
    verdict = judge_backprop(namespace["my_gradients"])  # type: ignore[arg-type]
    assert verdict.correct, verdict.message
