"""Check a reader's own backpropagation, and name the equation most likely at fault.

The chapter "Build it yourself" asks the reader to write, from the book's
equations alone, a function with the signature of :meth:`Network.gradients
<backprop.network.Network.gradients>`::

    def my_gradients(net, X, T):
        ...                 # forward pass, then the backward pass
        return dW, db       # lists shaped like net.weights and net.biases

in the book's conventions: samples are rows (``X`` has shape (N, n_in)),
``z = a_prev @ W + b`` with ``net.weights[l][i, j]`` the weight from node i to
node j, and the loss is the mean over the N samples of the per-sample error
(eq. (1) for ``"sse"``). So ``dW[l]`` is ``a_prev.T @ delta / N`` (eqs. (6),
(15)) and ``db[l]`` the column mean of ``delta`` (eqs. (8), (18)), with the
deltas of eqs. (5) and (14).

:func:`check_backprop` runs such a function on :func:`network_family`, a fixed
family of seeded random networks (1 to 4 weight layers, every activation of
the registry in hidden and output layers, squared error and softmax with
cross-entropy, square and non-square layers), compares every block with
``Network.gradients`` and prints one sentence. When the function is wrong the
sentence names the equation most likely at fault. It first asks whether the
function behaves like one of the planted bugs of the gradient-debugging lab
(:data:`backprop.bugs.BUGS`, run on the same networks), then reads the pattern
of the errors over the whole family: right at the output but wrong below is
eq. (14); every gradient N times too large is the mean of the batch gradient
(eq. (7)); biases wrong and weights right is eq. (18); and so on.

Why this module sits in the core (floor 3) and not in ``backprop.book``: the
checking is NumPy arithmetic on networks, the planted bugs it compares with are
core (:mod:`backprop.bugs`, same floor), and a reader who installed only
``pip install .`` can run it. It prints a sentence, as the lab's
:func:`backprop.bugs.check_bug` does; :func:`judge_backprop` returns the same
verdict as a :class:`Diagnosis` instead, for tests.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import HIDDEN_ACTIVATIONS
from .bugs import BUGS, Backward
from .gradcheck import relative_error
from .network import BackwardPass, Network

TOLERANCE = 1e-7
"""A block (one dW[l] or db[l]) is right when its relative error against
``Network.gradients`` is below this; correct code in float64 stays near 1e-15."""

Gradients = tuple[list[np.ndarray], list[np.ndarray]]
GradientFunction = Callable[[Network, np.ndarray, np.ndarray], Any]


@dataclass(frozen=True)
class Case:
    """One network of the family, with its inputs X (N, n_in) and targets T (N, n_out)."""

    net: Network
    X: np.ndarray
    T: np.ndarray

    def describe(self) -> str:
        names = [act.name for act in self.net.activations]
        return (
            f"Network({self.net.sizes}, activations={names}, "
            f"loss={self.net.loss_function.name!r}) with {len(self.X)} samples"
        )

    @property
    def depth(self) -> int:
        """The number of weight layers L."""
        return len(self.net.weights)


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on a reader's gradient function.

    ``equation`` is the number of the equation most likely at fault (``"14"``,
    ``"5"``, ...) and ``bug`` the planted bug of :mod:`backprop.bugs` the
    function behaves like, when there is one; both are None for a correct
    function and for one that does not return gradients at all.
    """

    correct: bool
    message: str
    equation: str | None = None
    bug: str | None = None


BUG_DIAGNOSES: dict[str, tuple[str, str]] = {
    "missing_transpose": (
        "14",
        "the error sent down to a hidden layer misses a transpose: eq. (14) needs "
        "delta_{l+1} @ W_{l+1}.T, whose entry j is the sum over k of delta_k w_jk; without "
        ".T the product only runs where W is square, and is wrong there",
    ),
    "off_by_one_layer": (
        "14",
        "the error is sent down through the wrong weight matrix: eq. (14) for layer l "
        "uses W_{l+1}, the weights that carried layer l's activations forward "
        "(net.weights[l + 1] for deltas[l])",
    ),
    "wrong_layer_g_prime": (
        "14",
        "a hidden delta multiplies by the slope of the layer above it: in eq. (14) g' "
        "belongs to layer l itself, g_l'(z_l) (net.activations[l] for deltas[l])",
    ),
    "g_instead_of_g_prime": (
        "5",
        "the deltas multiply by g(z) where eqs. (5) and (14) have the slope g'(z): use "
        "act.g_prime(z), not act.g(z)",
    ),
    "sum_not_mean": (
        "7",
        "every gradient is N times too large, N the number of samples: the gradients are "
        "summed over the rows of X where the book takes their mean (the batch gradient "
        "that eq. (7) steps along is the mean): divide a_prev.T @ delta by N and use "
        "delta.mean(axis=0)",
    ),
    "forgotten_bias": (
        "18",
        "the weight gradients are right and the bias gradients are not: by eqs. (8) and "
        "(18) a bias's gradient is its node's delta itself, averaged over the samples "
        "(delta.mean(axis=0))",
    ),
    "flipped_sign": (
        "5",
        "every gradient has the wrong sign: the output delta of eq. (5) starts from "
        "a - t, not t - a",
    ),
}
"""The equation at fault and the sentence that says what to fix, for each planted bug."""


# --- the family of networks --------------------------------------------------


def _widths(rng: np.random.Generator, n: int) -> list[int]:
    """n widths from 2 to 5, no two neighbours equal (so every W is non-square)."""
    widths = [int(rng.integers(2, 6))]
    while len(widths) < n:
        width = int(rng.integers(2, 6))
        if width != widths[-1]:
            widths.append(width)
    return widths


def network_family(seed: int = 0) -> list[Case]:
    """The networks :func:`check_backprop` runs a function on, always the same.

    For each depth L = 1..4 weight layers: one network per output, each
    elementwise activation with loss ``"sse"`` and softmax with
    ``"cross_entropy"``; hidden layers take the other activations, so that
    neighbouring layers differ and every activation appears in hidden layers
    too. Each comes with non-square layers (no two neighbouring widths equal)
    and, for L >= 2, with every width 3 (where a missing transpose still runs).
    Biases are random (no z sits on relu's kink), N is 3 to 6 samples.
    """
    rng = np.random.default_rng(seed)
    n_act = len(HIDDEN_ACTIVATIONS)
    outputs = [*HIDDEN_ACTIVATIONS, "softmax"]
    cases = []
    for depth in range(1, 5):
        for square in (False, True) if depth > 1 else (False,):
            for o, output in enumerate(outputs):
                loss = "cross_entropy" if output == "softmax" else "sse"
                # layer depth - 2 (just below the output) gets activation o + 1, and so on down
                hidden = [HIDDEN_ACTIVATIONS[(o + depth - 1 - l) % n_act] for l in range(depth - 1)]  # noqa: E741
                sizes = [3] * (depth + 1) if square else _widths(rng, depth + 1)
                if output == "softmax" and sizes[-1] == 1:
                    sizes[-1] = 2
                net = Network(
                    sizes, activations=[*hidden, output], loss=loss, seed=int(rng.integers(1000))
                )
                net.biases = [np.asarray(rng.normal(0.0, 0.5, b.shape)) for b in net.biases]
                n_samples = int(rng.integers(3, 7))
                X = rng.normal(size=(n_samples, sizes[0]))
                if loss == "cross_entropy":
                    T = np.eye(sizes[-1])[rng.integers(sizes[-1], size=n_samples)]
                else:
                    T = rng.uniform(size=(n_samples, sizes[-1]))
                cases.append(Case(net, X, T))
    return cases


# --- the package's own implementation, written as the skeleton asks -----------


def reference_gradients(net: Network, X: np.ndarray, T: np.ndarray) -> Gradients:
    """The skeleton of "Build it yourself" filled in: (dW, db) of the mean loss.

    Forward pass z = a_prev @ W + b, a = g(z), keeping every z and a; output
    delta eq. (5) ((a - t) g'(z), or a - t for softmax with cross-entropy);
    hidden deltas eq. (14) from the output down; gradients eqs. (6)/(15) and
    (8)/(18), averaged over the N rows of X. Shapes: X (N, n_in), T (N, n_out);
    dW[l] like net.weights[l], db[l] like net.biases[l].
    """
    L = len(net.weights)
    N = len(X)
    a, z = [X], []
    for W, b, act in zip(net.weights, net.biases, net.activations, strict=True):
        z.append(a[-1] @ W + b)
        a.append(act.g(z[-1]))
    delta = [np.empty(0)] * L
    if net.loss_function.name == "cross_entropy":
        delta[L - 1] = a[L] - T
    else:
        delta[L - 1] = (a[L] - T) * net.activations[L - 1].g_prime(z[L - 1])  # type: ignore[misc]
    for l in range(L - 2, -1, -1):  # noqa: E741 (a list position: delta[l] is layer l + 1)
        g_prime = net.activations[l].g_prime  # elementwise in every hidden layer
        delta[l] = g_prime(z[l]) * (delta[l + 1] @ net.weights[l + 1].T)  # type: ignore[misc]
    dW = [a[l].T @ delta[l] / N for l in range(L)]  # noqa: E741
    db = [delta[l].mean(axis=0) for l in range(L)]  # noqa: E741
    return dW, db


# --- reading what the function returned ----------------------------------------


class _ProblemError(Exception):
    """A return value that is not a pair of gradient lists (the message says why)."""


def _has_placeholder(value: Any, depth: int = 0) -> bool:
    if value is Ellipsis:
        return True
    if depth < 3 and isinstance(value, (list, tuple)):
        return any(_has_placeholder(item, depth + 1) for item in value)
    return False


def _unpack(result: Any, net: Network) -> Gradients:
    """The returned (dW, db) as float arrays shaped like the parameters, or _ProblemError."""
    L = len(net.weights)
    if isinstance(result, BackwardPass):
        result = (result.dW, result.db)
    if result is None:
        raise _ProblemError(
            "returned None; it should end with `return dW, db` (two lists, one array per "
            "weight layer)"
        )
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise _ProblemError(
            f"returned {type(result).__name__}, not a pair: it should return `dW, db`, "
            "two lists with one array per weight layer"
        )
    grads = []
    for name, items, params in (("dW", result[0], net.weights), ("db", result[1], net.biases)):
        if not isinstance(items, (list, tuple)):
            raise _ProblemError(
                f"returned {name} as {type(items).__name__}; it should be a list with one "
                f"array per weight layer, like net.{'weights' if name == 'dW' else 'biases'}"
            )
        if len(items) != L:
            raise _ProblemError(
                f"returned {len(items)} arrays in {name}, but the network has {L} weight "
                f"layer{'s' * (L != 1)} (sizes {net.sizes}); give one per layer, the input "
                "layer's first"
            )
        arrays = []
        for l, (item, param) in enumerate(zip(items, params, strict=True)):  # noqa: E741
            where = f"{name}[{l}]"
            if item is None:
                raise _ProblemError(f"left {where} as None; fill it in")
            try:
                array = np.asarray(item, dtype=np.float64)
            except (TypeError, ValueError):
                raise _ProblemError(
                    f"returned {where} as {type(item).__name__}, which is not an array of numbers"
                ) from None
            if array.shape != param.shape:
                raise _ProblemError(_shape_problem(where, array.shape, param.shape, net, l))
            if not np.isfinite(array).all():
                raise _ProblemError(f"returned {where} with NaN or infinite entries")
            arrays.append(array)
        grads.append(arrays)
    return grads[0], grads[1]


def _shape_problem(
    where: str,
    got: tuple[int, ...],
    want: tuple[int, ...],
    net: Network,
    l: int,  # noqa: E741
) -> str:
    param = f"net.{'weights' if where.startswith('dW') else 'biases'}[{l}]"
    text = f"returned {where} with shape {got}, but {param} has shape {want}"
    if where.startswith("dW") and got == want[::-1]:
        return text + (
            ": it is transposed; eq. (15) for a batch is a_prev.T @ delta / N, shape "
            "(n_in, n_out) like W"
        )
    if where.startswith("db") and len(got) == 2 and got[-1] == want[0]:
        if got[0] == 1:
            return text + ": keep it one-dimensional, delta.mean(axis=0)"
        return text + (
            ": it holds one row per sample; the bias gradient of eq. (18) is averaged "
            "over the samples, delta.mean(axis=0)"
        )
    if len(got) == len(want) + 1 and got[1:] == want:
        return text + ": it holds one gradient per sample; average them over the samples"
    return text


# --- running the family -----------------------------------------------------------


@dataclass
class _Run:
    case: Case
    got: Gradients | None = None
    error: BaseException | None = None
    problem: str | None = None
    blocks: dict[str, float] | None = None  # relative error per block, "W0", "b0", ...

    @property
    def wrong(self) -> bool:
        return self.blocks is not None and max(self.blocks.values()) > TOLERANCE


def _same_parameters(a: Network, b: Network) -> bool:
    return all(
        np.array_equal(p, q)
        for p, q in zip(a.weights + a.biases, b.weights + b.biases, strict=True)
    )


def _run(function: GradientFunction, case: Case) -> _Run:
    run = _Run(case)
    net, X, T = case.net.copy(), case.X.copy(), case.T.copy()
    try:
        result = function(net, X, T)
    except Exception as error:  # the reader's code: any exception is reported
        run.error = error
        return run
    try:
        if _has_placeholder(result):
            raise _ProblemError("placeholder")
        if not _same_parameters(net, case.net) or not (
            np.array_equal(X, case.X) and np.array_equal(T, case.T)
        ):
            raise _ProblemError(
                "changed the network's weights or biases, or X or T, in place; it should "
                "only read them (work on new arrays, e.g. z = a @ W + b, not a += ...)"
            )
        run.got = _unpack(result, case.net)
    except _ProblemError as problem:
        run.problem = str(problem)
        return run
    want_dW, want_db = case.net.gradients(case.X, case.T)
    run.blocks = {}
    for l in range(case.depth):  # noqa: E741
        run.blocks[f"W{l}"] = relative_error(run.got[0][l], want_dW[l])
        run.blocks[f"b{l}"] = relative_error(run.got[1][l], want_db[l])
    return run


class _WrongLayerGPrimeAtZ(Backward):
    """The wrong layer's g' as a reader writes it: g_{l+1}'(z_l), evaluated at z (the
    lab's pass applies the layer above's formula in terms of a to a_l instead)."""

    def hidden_delta(self, net, cache, l, error):  # type: ignore[no-untyped-def]  # noqa: ANN001, E741
        g_prime = net.activations[l + 1].g_prime
        if g_prime is None:
            raise ValueError("softmax has no elementwise g'")
        return error * g_prime(cache.z[l])


VARIANTS: dict[str, list[Backward]] = {bug: [backward] for bug, backward in BUGS.items()}
"""Each planted bug's backward passes: the lab's, and where a reader would naturally
write the same mistake with other numbers, that version too."""
VARIANTS["wrong_layer_g_prime"].append(_WrongLayerGPrimeAtZ())


def _bug_gradients(backward: Backward, case: Case) -> Gradients | None:
    """What a planted bug's backward pass gives on a case, or None where it cannot run."""
    try:
        grads = backward(case.net, case.net.feedforward(case.X), case.T)
    except Exception:  # a bug that needs square matrices stops on the others
        return None
    return grads.dW, grads.db


def _agrees(got: Gradients, want: Gradients) -> bool:
    pairs = zip(got[0] + got[1], want[0] + want[1], strict=True)
    return all(relative_error(g, w) <= TOLERANCE for g, w in pairs)


def _matching_bug(runs: list[_Run]) -> str | None:
    """The planted bug that gives what the function returned on every network where
    it returned, and where it returned something wrong at least once."""
    returned = [run for run in runs if run.got is not None]
    if not any(run.wrong for run in returned):
        return None
    for bug, variants in VARIANTS.items():
        for backward in variants:
            if all(
                (want := _bug_gradients(backward, run.case)) is not None and _agrees(run.got, want)  # type: ignore[arg-type]
                for run in returned
            ):
                return bug
    return None


def _factor(run: _Run, kinds: str = "Wb") -> float | None:
    """The r with got = r * want in every entry of the blocks of ``kinds``, if one exists."""
    assert run.got is not None
    want_dW, want_db = run.case.net.gradients(run.case.X, run.case.T)
    got = [g for kind, arrays in zip("Wb", run.got, strict=True) if kind in kinds for g in arrays]
    want = [
        w
        for kind, arrays in zip("Wb", (want_dW, want_db), strict=True)
        if kind in kinds
        for w in arrays
    ]
    g, w = np.concatenate([x.ravel() for x in got]), np.concatenate([x.ravel() for x in want])
    scale = np.abs(w).max(initial=0.0)
    if scale == 0:
        return None
    big = np.abs(w) > 1e-6 * scale
    r = float(np.median(g[big] / w[big]))
    if np.allclose(g, r * w, rtol=1e-6, atol=1e-9 * scale * max(abs(r), 1.0)):
        return r
    return None


def _pattern_text(run: _Run) -> str:
    assert run.blocks is not None
    return ", ".join(
        f"{name} {'ok' if e <= TOLERANCE else f'{e:.2f}'}" for name, e in run.blocks.items()
    )


def _exception_hint(error: BaseException, case: Case) -> str:
    text = f"{type(error).__name__}: {error}"
    if "ellipsis" in text:
        return (
            "a `...` placeholder of the skeleton is still used in a computation; replace "
            "each `...` with its line"
        )
    if (
        isinstance(error, TypeError)
        and "NoneType" in text
        and case.net.loss_function.name == "cross_entropy"
    ):
        return (
            "softmax has no elementwise slope (its g_prime is None); with cross-entropy "
            "the output delta is simply a - t, so g' is not needed there"
        )
    if isinstance(error, ValueError) and any(w in text for w in ("matmul", "broadcast", "shapes")):
        return (
            "a product or an elementwise step whose shapes do not fit. The shapes: "
            "a_l, z_l and delta_l are (N, n_l), W_l is (n_(l-1), n_l); eq. (14) sends the "
            "error down as delta_{l+1} @ W_{l+1}.T, shape (N, n_l)"
        )
    if isinstance(error, IndexError):
        return (
            "an index runs past a layer's width or past the list of layers; check the "
            "ranges of your loops (i over n_(l-1), j over n_l, k over n_(l+1); l from "
            "L - 1 down to 0)"
        )
    return "the exception is the first thing to fix"


def _kind_wrong(run: _Run, kind: str) -> bool:
    """Whether any block of ``kind`` ("W" or "b") is wrong in a run."""
    assert run.blocks is not None
    return any(e > TOLERANCE for name, e in run.blocks.items() if name.startswith(kind))


def _pattern_diagnosis(runs: list[_Run]) -> tuple[str, str]:
    """(equation, sentence) from the errors over the family, when no planted bug fits."""
    wrong = [run for run in runs if run.wrong]
    right = [run for run in runs if run.blocks is not None and not run.wrong]

    def ratio_everywhere(kinds: str, target: Callable[[_Run], float]) -> bool:
        factors = [_factor(run, kinds) for run in wrong]
        return all(
            f is not None and np.isclose(f, target(run), rtol=1e-6)
            for f, run in zip(factors, wrong, strict=True)
        )

    def n_samples(run: _Run) -> float:
        return float(len(run.case.X))

    factors = [_factor(run) for run in wrong]
    if ratio_everywhere("Wb", lambda run: -1.0):
        return BUG_DIAGNOSES["flipped_sign"]
    if ratio_everywhere("Wb", n_samples):
        return BUG_DIAGNOSES["sum_not_mean"]
    if ratio_everywhere("Wb", lambda run: 1.0 / n_samples(run)):
        return "7", (
            "every gradient is N times too small, N the number of samples: the mean is "
            "taken twice (divide a_prev.T @ delta by N once, and take delta.mean(axis=0) "
            "for the biases)"
        )
    if all(f == 0.0 for f in factors):
        return "5", (
            "every gradient it returns is zero: the deltas never get their values; the "
            "recursion starts from the output delta of eq. (5)"
        )
    first = factors[0]
    if first is not None and all(
        f is not None and np.isclose(f, first, rtol=1e-6) for f in factors
    ):
        return "5", (
            f"every gradient is {first:.3g} times the right one, on every network: a constant "
            "factor in the output delta of eq. (5), which starts from a - t (the 1/2 of "
            "eq. (1) cancels the 2 of the square)"
        )
    weights_wrong = any(_kind_wrong(run, "W") for run in wrong)
    biases_wrong = any(_kind_wrong(run, "b") for run in wrong)

    def scale_note(kinds: str) -> str:
        if ratio_everywhere(kinds, n_samples):
            return ": they are N times too large, summed over the samples instead of averaged"
        if ratio_everywhere(kinds, lambda run: 1.0 / n_samples(run)):
            return ": they are N times too small, divided by N twice"
        return ""

    if biases_wrong and not weights_wrong:
        return "18", (
            f"the weight gradients are right and the bias gradients are not{scale_note('b')}; "
            "by eqs. (8) and (18) a bias's gradient is its node's delta itself, averaged "
            "over the samples (delta.mean(axis=0))"
        )
    if weights_wrong and not biases_wrong:
        output_only = all(
            e <= TOLERANCE
            for run in wrong
            for name, e in run.blocks.items()  # type: ignore[union-attr]
            if name.startswith("W") and int(name[1:]) < run.case.depth - 1
        )
        if output_only:
            return "6", (
                "only the output layer's weight gradients are wrong: by eq. (6) the "
                "gradient of w_jk is a_j delta_k, averaged over the samples, "
                "a_prev.T @ delta / N with a_prev the activations of the layer below the "
                "output (X when there is no hidden layer)"
            )
        return "15", (
            "the bias gradients, and so the deltas, are right and the weight gradients are "
            f"not{scale_note('W')}; by eqs. (6) and (15) a weight's gradient is the input "
            "of its layer times the delta of its layer: a_prev.T @ delta / N, with a_prev "
            "the activations of the layer below (X for the first layer)"
        )
    activation_note = _activation_note(wrong, right)

    def output_wrong(run: _Run) -> bool:
        last = run.case.depth - 1
        return run.blocks[f"W{last}"] > TOLERANCE or run.blocks[f"b{last}"] > TOLERANCE  # type: ignore[index]

    if not any(output_wrong(run) for run in wrong):
        return "14", (
            "the output layer's gradients are right on every network and the layers below "
            "it are wrong: the recursion of eq. (14), delta_l = g_l'(z_l) * (delta_{l+1} @ "
            "W_{l+1}.T), for every hidden layer from the output down" + activation_note
        )
    bad_output = [run for run in wrong if output_wrong(run)]
    losses = {run.case.net.loss_function.name for run in bad_output}
    if losses == {"cross_entropy"}:
        return "5", (
            "the output layer is wrong only with softmax and cross-entropy, where the "
            "output delta is a - t (the slope of softmax cancels; see the appendix on "
            "activations)"
        )
    last_b = [run.blocks[f"b{run.case.depth - 1}"] for run in bad_output]  # type: ignore[index]
    if max(last_b) <= TOLERANCE:
        return "6", (
            "the output layer's bias gradients are right but its weight gradients are not: "
            "by eq. (6) the gradient of w_jk is a_j delta_k, the activations of the layer "
            "below the output times the output delta (a_prev.T @ delta / N)"
        )
    if losses == {"sse"}:
        return "5", (
            "the output layer is wrong with the squared error: the output delta of eq. (5) "
            "is (a - t) * g'(z) of the output layer" + activation_note
        )
    return "5", (
        "the output layer is wrong already: start with the output delta of eq. (5), "
        "(a - t) * g'(z) for the squared error, a - t for softmax with cross-entropy"
        + activation_note
    )


def _activation_note(wrong: list[_Run], right: list[_Run]) -> str:
    """A note when one activation is in every network the function gets wrong and in
    none it gets right (its g or g' is the likely culprit)."""
    for name in HIDDEN_ACTIVATIONS:
        if all(any(a.name == name for a in run.case.net.activations) for run in wrong) and not any(
            any(a.name == name for a in run.case.net.activations) for run in right
        ):
            return (
                f"; every network it gets wrong uses {name!r} and none it gets right "
                "does: check that activation's g'"
            )
    return ""


def judge_backprop(function: GradientFunction | None, name: str | None = None) -> Diagnosis:
    """The verdict on ``function(net, X, T) -> (dW, db)`` over :func:`network_family`.

    ``name`` names the function in the sentence (default: its ``__name__``).
    """
    if name is None:
        name = getattr(function, "__name__", "your function")
    if function is None:
        return Diagnosis(
            False,
            f"{name}: not written yet (replace None with a function "
            f"{name}(net, X, T) that returns dW, db).",
        )
    if not callable(function):
        return Diagnosis(
            False,
            f"{name}: {type(function).__name__} is not a function; pass the function "
            f"itself, {name}(net, X, T) -> (dW, db), without calling it.",
        )
    family = network_family()
    runs = []
    for case in family:
        run = _run(function, case)
        if run.problem == "placeholder":
            return Diagnosis(
                False,
                f"{name}: not written yet: it still returns the skeleton's `...` "
                "placeholders; replace each `...` with its line.",
            )
        if run.problem is not None:
            return Diagnosis(False, f"{name} {run.problem} (on {case.describe()}).")
        runs.append(run)
    n = len(runs)
    failed = [run for run in runs if run.error is not None]
    wrong = [run for run in runs if run.wrong]
    scope = (
        f"{n} networks (1 to 4 weight layers, every activation, losses 'sse' and 'cross_entropy')"
    )
    if not failed and not wrong:
        return Diagnosis(
            True,
            f"{name}: correct on all {scope}: every block of dW and db agrees with "
            f"Network.gradients to a relative error below {TOLERANCE:g}.",
        )
    raised = ""
    if failed:
        first = failed[0]
        assert first.error is not None
        raised = (
            f"it raised {type(first.error).__name__} on {len(failed)} of them, first on "
            f"{first.case.describe()}: {first.error}. Hint: "
            f"{_exception_hint(first.error, first.case)}"
        )
    if not wrong:
        return Diagnosis(False, f"{name}: right wherever it runs on the {scope}, but {raised}.")
    bug = _matching_bug(runs)
    if bug is not None:
        equation, why = BUG_DIAGNOSES[bug]
    else:
        equation, why = _pattern_diagnosis(runs)
    example = wrong[0]
    text = (
        f"{name}: wrong on {len(wrong)} of {scope}. Most likely at fault: eq. ({equation}): "
        f"{why}. For example, on {example.case.describe()} the relative error of each "
        f"block is: {_pattern_text(example)}."
    )
    if raised:
        text += f" Also, {raised}."
    return Diagnosis(False, text, equation, bug)


def check_backprop(function: GradientFunction | None, name: str | None = None) -> None:
    """Run ``function(net, X, T) -> (dW, db)`` on a family of seeded random networks
    (:func:`network_family`), compare it with ``Network.gradients`` and print one
    sentence: correct, or the equation most likely at fault and an example.

    ``function`` takes a :class:`~backprop.network.Network`, inputs X (N, n_in)
    and targets T (N, n_out), and returns two lists shaped like ``net.weights``
    and ``net.biases``: the gradients of the mean loss over the N samples.
    None (the chapter's placeholder) prints what to do. The sentence is wrapped at
    88 characters, to be read in a notebook's output.
    """
    text = judge_backprop(function, name).message
    print(textwrap.fill(text, 88, break_long_words=False, break_on_hyphens=False))


__all__ = [
    "BUG_DIAGNOSES",
    "Case",
    "Diagnosis",
    "TOLERANCE",
    "check_backprop",
    "judge_backprop",
    "network_family",
    "reference_gradients",
]
