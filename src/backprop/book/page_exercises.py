"""The book's checked exercises as data for the HTML page, which judges without a kernel.

The HTML book puts an answer box under each exercise cell that calls
``check(key, answer, *context)`` (ext/book_web/exercises.py); the page's
script (static/exercises.js) judges what the reader types with the rules of
:func:`backprop.book.exercises.judge_value`. What it judges against comes
from here, computed from the registry (:mod:`backprop.book.chapter_exercises`)
when the book is built, and nothing of it is written a second time:

- a value exercise: the right answer for the chapter's own context, the
  precision the question states, and every named mistake with the value it
  gives, its network's misreadings included (exactly what
  :func:`~backprop.book.chapter_exercises.judge` compares with);
- a function exercise: the page cannot run the reader's function, so it asks
  for what the function returns on one small input stated here
  (:data:`PAGE_CASES`) and judges that number against the registry's
  reference on it, with the hints its mistakes give there.

The context of an exercise is the chapter's own: the check call names it
(``check("...", answer, net, x)``), and :data:`CONTEXT` holds, for each
name, the statement of the chapter that makes it (``tests/test_page_exercises.py``
finds each statement, verbatim, in every chapter whose check calls use the
name).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .chapter_exercises import EXERCISES, FunctionExercise, ValueExercise, value_terms
from .exercises import precision_text

CONTEXT: dict[str, str] = {
    "net": 'net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)',
    "x": "x, t = np.array([1.0, 0.5]), np.array([1.0])",
    "X": "X, T = two_moons(n_samples=40, noise=0.1, seed=0)",
    "T": "X, T = two_moons(n_samples=40, noise=0.1, seed=0)",
}
"""For each name a check call passes as context, the chapter's statement that
makes the object (run in a namespace with ``np``, ``Network`` and ``two_moons``)."""


@dataclass(frozen=True)
class PageCase:
    """The one input on which the page asks what the reader's function returns.

    ``ask`` is the question, with ``{0}``, ``{1}``, ... for the arguments
    (shown as Python lists); ``decimals`` the precision it states (None:
    exactly, for whole numbers). Small, hand-sized inputs whose result, and
    each named mistake's, differ.
    """

    args: tuple[Any, ...]
    ask: str
    decimals: int | None = 4


PAGE_CASES: dict[str, PageCase] = {
    # keyed by the function's name, FunctionExercise.name
    "n_parameters": PageCase(([2, 3, 1],), "What does n_parameters({0}) return?", None),
    "output_weight_gradient": PageCase(
        (
            np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 1.0], [0.0, 1.0, 1.0], [2.0, 1.0, 0.0]]),
            np.array([[0.5], [-1.0], [1.0], [0.5]]),
        ),
        "What does output_weight_gradient(A_j, Delta_k) return for A_j = {0} and Delta_k = {1}?",
    ),
    "output_bias_gradient": PageCase(
        (np.array([[0.4, -1.0], [1.2, 0.6]]),),
        "What does output_bias_gradient(Delta_k) return for Delta_k = {0}?",
    ),
    "hidden_weight_gradient": PageCase(
        (
            np.array([[1.0, 2.0], [3.0, 0.0], [0.0, 1.0]]),
            np.array([[0.3], [-0.6], [0.9]]),
        ),
        "What does hidden_weight_gradient(X, Delta_j) return for X = {0} and Delta_j = {1}?",
    ),
    "delta_below": PageCase(
        (np.array([[0.4, 0.8]]), np.array([[1.0, 0.5], [-0.5, 1.0]]), np.zeros((1, 2)), "sigmoid"),
        "What does delta_below(delta_next, W_next, z, activation) return for "
        'delta_next = {0}, W_next = {1}, z = {2} and activation = "sigmoid"?',
    ),
    "softplus_prime": PageCase(
        (np.array([[0.0, 2.0]]),),
        "What does softplus_prime(z) return for z = {0}?",
    ),
    "softplus": PageCase(
        (np.array([[1.0]]), np.array([[1.0]]), 1),
        "With your operation, what is z.grad after backward(sse(softplus(z), T)) for "
        "z = Node({0}) and T = {1}?",
    ),
}


def chapter_context(names: Sequence[str]) -> tuple[Any, ...]:
    """The chapter's objects that a check call passes by these names (see CONTEXT)."""
    from backprop import Network
    from backprop.datasets import two_moons

    unknown = [name for name in names if name not in CONTEXT]
    if unknown:
        raise ValueError(f"no chapter statement for {unknown}; add it to CONTEXT")
    space: dict[str, Any] = {"np": np, "Network": Network, "two_moons": two_moons}
    for statement in dict.fromkeys(CONTEXT[name] for name in names):
        exec(statement, space)  # the chapter's own statement, from CONTEXT above
    return tuple(space[name] for name in names)


def function_terms(key: str) -> tuple[PageCase, np.ndarray, list[tuple[str, ArrayLike]]]:
    """The page's case of function exercise ``key``, the reference's result on
    it and each named mistake's (those that run and give numbers)."""
    exercise = EXERCISES[key]
    if not isinstance(exercise, FunctionExercise):
        raise ValueError(f"{key!r} asks for a value, not a function")
    case = PAGE_CASES[exercise.name]
    expected = np.asarray(exercise.reference(*copy.deepcopy(case.args)), dtype=float)
    mistakes: list[tuple[str, ArrayLike]] = []
    for hint, mistake in exercise.mistakes.items():
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                mistakes.append((hint, mistake(*copy.deepcopy(case.args))))
        except Exception:  # as judge_function: a mistake may not run on every input
            continue
    return case, expected, mistakes


def _array(value: Any) -> dict[str, Any] | None:
    """{"shape", "data"} of a numeric, finite value (row-major); None otherwise,
    as judge_value skips such a mistake."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if not np.isfinite(array).all():
        return None
    return {"shape": list(array.shape), "data": [float(v) for v in array.ravel()]}


def _shown(arg: Any) -> str:
    if isinstance(arg, np.ndarray):
        return repr(arg.tolist())
    return repr(arg)


def page_exercise(key: str, context_names: Sequence[str] = ()) -> dict[str, Any] | None:
    """What the page needs to judge exercise ``key`` (JSON-able), or None when
    it cannot judge it (no data: the page shows no box).

    ``context_names``: the names the chapter's check call passes after the
    answer. Keys: ``key``, ``kind`` ("value" or "function"), ``name`` (what
    the verdict calls the answer), ``label`` (the answer box's label),
    ``want`` and each of ``mistakes`` as [hint, {"shape", "data"}],
    ``decimals``, ``digits``; a function exercise also ``ask`` (the
    question about its page case) and ``cases`` (how many cases the kernel's
    check runs).
    """
    exercise = EXERCISES.get(key)
    if exercise is None:
        return None
    if isinstance(exercise, ValueExercise):
        try:
            context = chapter_context(context_names)
        except ValueError:
            return None
        expected, mistakes = value_terms(key, *context)
        want = np.asarray(expected, dtype=float)
        decimals, digits = exercise.decimals, exercise.digits
        name = exercise.name
        extra: dict[str, Any] = {"kind": "value"}
    else:
        if exercise.name not in PAGE_CASES:
            return None
        case, want, mistakes = function_terms(key)
        decimals, digits = case.decimals, None
        name = f"the result of {exercise.name}"
        extra = {
            "kind": "function",
            "ask": case.ask.format(*(_shown(arg) for arg in case.args)),
            "cases": len(exercise.cases()),
        }
    wanted = _array(want)
    if wanted is None:
        return None
    asked = precision_text(decimals, digits)
    count = "a number" if want.size == 1 else f"{want.size} numbers, separated by commas"
    return {
        "key": key,
        "name": name,
        "label": f"Your answer ({count}, {asked})",
        "want": wanted,
        "decimals": decimals,
        "digits": digits,
        "mistakes": [
            [hint, shown] for hint, wrong in mistakes if (shown := _array(wrong)) is not None
        ],
        **extra,
    }


def page_judge_args(
    data: dict[str, Any],
) -> tuple[np.ndarray, dict[str, Any]]:
    """(expected, keyword arguments) that make :func:`judge_value` judge as the
    page does with ``data`` (for tests)."""
    want = np.asarray(data["want"]["data"], dtype=float).reshape(data["want"]["shape"])
    mistakes = [
        (hint, np.asarray(wrong["data"], dtype=float).reshape(wrong["shape"]))
        for hint, wrong in data["mistakes"]
    ]
    return want, {
        "name": data["name"],
        "decimals": data["decimals"],
        "digits": data["digits"],
        "mistakes": mistakes,
    }
