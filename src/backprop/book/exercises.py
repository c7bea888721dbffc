"""Checks for the book's exercises: the reader fills in a value or a function.

Each check prints one deterministic sentence and returns None, so a notebook
cell that ends with a check shows that sentence and nothing else, in every
chapter. A stored notebook whose exercise cell still holds the placeholder
``None`` runs clean under nbval and tells the reader what to do.
:func:`judge_value` and :func:`judge_function` return the verdict instead of
printing it (for tests).

The sentence says what is wrong without giving the answer away: the shape,
NaN entries, a missing ``return``, a close miss ("keep more digits", and where:
in the intermediate steps when the answer already has the digits asked for),
a transposed answer, a wrong sign, a common factor (x2, x4, 1/N, ...), or,
best of all, one of the exercise's named common mistakes (``mistakes``: hint
-> wrong answer).

Every diagnosis holds at the precision the question asks for: an answer one
unit off in the last asked digit is judged the same whichever side it is on,
and a sign flip or a factor is named when the answer equals the flipped or
scaled right value to that precision (not only to many more digits).
"""

from __future__ import annotations

import copy
import inspect
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

ROUNDING_RTOL = 1e-6
"""The relative tolerance of an answer asked for "exactly", i.e. agreement up
to rounding (functions, and values whose question asks for no particular
number of digits)."""


@dataclass(frozen=True)
class Verdict:
    """Whether an answer is right, and the sentence that says so."""

    correct: bool
    message: str


def precision_text(decimals: int | None = None, digits: int | None = None) -> str:
    """How the question words the precision it expects, e.g. "to 4 decimals"."""
    if decimals is not None:
        return f"to {decimals} decimals"
    if digits is not None:
        return f"to {digits} significant digits"
    return "exactly"


Tolerance = Callable[[np.ndarray], np.ndarray]

Mistakes = Mapping[str, Any] | Sequence[tuple[str, Any]]
"""The named common mistakes of an exercise, hint -> wrong answer, as a mapping
or as (hint, wrong answer) pairs (pairs let one hint name several wrong answers)."""

_SLACK = 1e-9
"""Relative slack on every tolerance, so that floating point cannot accept
-0.0359 and reject -0.0361 for -0.036 at 4 decimals."""


def _within(difference: np.ndarray, tol: np.ndarray | float) -> bool:
    """|difference| <= tol in every entry, up to floating point."""
    return bool((np.abs(difference) <= np.asarray(tol) * (1 + _SLACK)).all())


def _tolerance(
    want: np.ndarray,
    decimals: int | None = None,
    digits: int | None = None,
    scale: float | None = None,
) -> np.ndarray:
    # One unit in the last place the question asks for, entry by entry;
    # without a stated precision, agreement up to rounding (relative to scale).
    if decimals is not None:
        return np.full(want.shape, 10.0**-decimals)
    if digits is not None:
        magnitude = np.floor(np.log10(np.maximum(np.abs(want), 1e-300)))
        return np.where(want == 0, 10.0**-digits, 10.0 ** (magnitude - digits + 1))
    if scale is None:
        scale = float(np.abs(want).max(initial=0.0))
    return ROUNDING_RTOL * np.abs(want) + 1e-10 * max(scale, 1.0)


def _factor_text(ratio: float) -> str:
    # 4.0 -> "4", 0.25 -> "1/4", 0.0125 -> "1/80", 2.7 -> "2.7"
    nice = Fraction(ratio).limit_denominator(1000)
    exact = nice.numerator != 0 and abs(float(nice) - ratio) <= 1e-6 * abs(ratio)
    if exact and (nice.denominator == 1 or abs(nice.numerator) == 1):
        return str(nice)
    return f"{ratio:.3g}"


def _common_factor(got: np.ndarray, want: np.ndarray, tol: np.ndarray) -> float | None:
    """The factor r with got = r * want in every entry, if there is one (r != 0, 1).

    A whole number n or its inverse 1/n counts when got equals n * want to the
    precision ``tol`` (scaled by |n|) and neither neighbour (n - 1, n + 1, or
    1/(n - 1), 1/(n + 1)) does, so a sign flip given to 4 decimals is named
    as one. Any other factor must hold to 3 digits in every entry of an answer
    with several non-zero entries (for a single number it would only give the
    right value away).
    """
    zero = np.abs(want) <= tol
    if zero.all():
        return None
    ratios = got[~zero] / want[~zero]
    r = float(np.median(ratios))
    if not np.isfinite(r) or r == 0:
        return None

    def fits(factor: float) -> bool:
        return _within(got - factor * want, tol * max(1.0, abs(factor)))

    candidates = []
    if (n := round(r)) != 0:
        candidates.append((float(n), [float(n - 1), float(n + 1)]))
    if abs(r) < 1 and abs(m := round(1 / r)) > 1:
        candidates.append((1 / m, [1 / (m - 1), 1 / (m + 1)]))
    for factor, neighbours in candidates:
        if fits(factor) and not any(fits(other) for other in neighbours):
            return None if factor == 1 else factor
    if ratios.size < 2 or not (np.abs(got[zero]) <= tol[zero]).all():
        return None
    if not np.allclose(ratios, r, rtol=1e-3, atol=0) or abs(r - 1) < 1e-3:
        return None
    return r


def _named_mistake(
    got: np.ndarray, mistakes: Mistakes, tolerance: Tolerance, right_tol: np.ndarray
) -> str | None:
    # The hint of the first common mistake that gives the reader's answer, to
    # the precision the question asks for: one unit in the asked place of the
    # wrong value, or of the right one (``right_tol``, the reader rounds on the
    # scale the question sets: -0.00185 for -0.0018513 next to 0.04873, at 4
    # significant digits), but never more than 1% of the wrong value.
    floor = right_tol if right_tol.shape == got.shape else right_tol.max(initial=0.0)
    pairs = mistakes.items() if isinstance(mistakes, Mapping) else mistakes
    for hint, wrong in pairs:
        wrong = _as_numbers(wrong)
        if wrong is None or wrong.size != got.size or not np.isfinite(wrong).all():
            continue
        wrong = wrong.reshape(got.shape)
        scale = np.minimum(floor, 0.01 * np.abs(wrong))
        if _within(got - wrong, np.maximum(tolerance(wrong), scale)):
            return hint
    return None


def _compare(
    got: np.ndarray,
    want: np.ndarray,
    tolerance: Tolerance,
    mistakes: Mistakes,
    close_note: Callable[[np.ndarray], str] | None,
) -> tuple[bool, str]:
    """(correct, phrase) for a numeric answer of any shape; shared by both checks.

    ``close_note(got)`` says how to fix a close miss (None: no such hint).
    """
    tol = tolerance(want)
    bad = ~np.isfinite(got)
    if bad.any():
        kind = "NaN (not a number)" if np.isnan(got).any() else "infinite"
        return False, (
            f"has {int(bad.sum())} of {got.size} entries that are {kind}: look for 0/0, "
            "inf - inf or an overflow such as np.exp of a large number"
        )
    if got.shape != want.shape:
        if got.size == want.size and np.squeeze(got).shape == np.squeeze(want).shape:
            got = got.reshape(want.shape)  # (1,) for a number, (3, 1) for (3,): fine
        elif (hint := _named_mistake(got, mistakes, tolerance, tol)) is not None:
            return False, f"has shape {got.shape}, not {want.shape}: {hint}"
        elif got.ndim == 2 and got.shape == want.shape[::-1]:
            hint = "transposed?"
            if _within(got.T - want, tol):
                hint = "it is the transpose of the right answer"
            return False, f"has shape {got.shape} but should have shape {want.shape}: {hint}"
        elif want.size == 1:
            return False, f"has shape {got.shape} but should be a single number"
        else:
            return False, f"has shape {got.shape} but should have shape {want.shape}"
    if _within(got - want, tol):
        return True, "is correct"
    hint = _named_mistake(got, mistakes, tolerance, tol)
    if hint is not None:
        return False, f"is not right: {hint}"
    if close_note is not None and _within(got - want, np.maximum(10 * tol, 0.01 * np.abs(want))):
        return False, f"is close: {close_note(got)}"
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and _within(got.T - want, tol):
        return False, "is the transpose of the right answer"
    factor = _common_factor(got, want, tol)
    everywhere = "" if want.size == 1 else " in every entry"
    if factor is not None and abs(factor + 1) < 1e-3:
        return False, f"has the wrong sign{everywhere}"
    if factor is not None:
        return False, f"is {_factor_text(factor)} times the right value{everywhere}"
    if want.size == 1:
        return False, "is not right yet"
    wrong_count = int((np.abs(got - want) > tol).sum())
    return False, f"differs from the right value in {wrong_count} of {want.size} entries"


def _fewer_digits(got: np.ndarray, decimals: int | None, digits: int | None) -> bool:
    """Whether every entry of the answer has fewer digits than the question asks for."""
    if decimals is not None:
        coarser = np.round(got, decimals - 1)
    elif digits is not None:
        magnitude = np.floor(np.log10(np.maximum(np.abs(got), 1e-300)))
        places = (digits - 2 - magnitude).astype(int)
        pairs = zip(got.ravel(), places.ravel(), strict=True)
        coarser = np.array([np.round(x, p) for x, p in pairs]).reshape(got.shape)
    else:
        return False
    return _within(got - coarser, 1e-9 * np.maximum(np.abs(got), 1e-12))


def _close_note(decimals: int | None, digits: int | None) -> Callable[[np.ndarray], str]:
    """How to fix a close miss: the answer lacks digits, or lost them on the way.

    An answer with fewer digits than asked is told the precision; one that has
    them but misses by more than a unit in the last place was rounded too
    early, since rounding the exact result moves it by half a unit at most.
    """
    asked = precision_text(decimals, digits)

    def note(got: np.ndarray) -> str:
        if decimals is None and digits is None or _fewer_digits(got, decimals, digits):
            return f"keep more digits (the question asks for it {asked})"
        return f"keep more digits in the intermediate steps and round only the result ({asked})"

    return note


def _as_numbers(answer: Any) -> np.ndarray | None:
    if _has_text(answer):
        return None  # "0.5" is text, even though NumPy would read it
    try:
        return np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None


def _has_text(answer: Any) -> bool:
    if isinstance(answer, (str, bytes)):
        return True
    if isinstance(answer, np.ndarray):
        return answer.dtype.kind in "US"
    if isinstance(answer, (list, tuple)):
        return any(_has_text(item) for item in answer)
    return False


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(value: Any) -> str:
    return _clip(repr(value), 60)


def judge_value(
    answer: ArrayLike | None,
    expected: ArrayLike,
    name: str = "answer",
    *,
    decimals: int | None = None,
    digits: int | None = None,
    mistakes: Mistakes | None = None,
) -> Verdict:
    """Judge a number or array the reader computed against the expected one.

    The question states its precision, and the check accepts it: ``decimals=d``
    allows one unit in the d-th decimal, ``digits=s`` one unit in the s-th
    significant digit (entry by entry); neither means exactly, up to rounding
    (relative :data:`ROUNDING_RTOL`).
    A one-element array passes for a number, and any shape that squeezes to
    the expected one passes. ``mistakes`` maps a hint to a wrong answer that
    a common mistake produces (or a sequence of (hint, wrong answer) pairs);
    an answer equal to it, to the precision asked, gets that hint.
    """
    if answer is None:
        return Verdict(False, f"{name}: not answered yet (replace None with your result).")
    got = _as_numbers(answer)
    if got is None:
        text = " (text: remove the quotes)" if _has_text(answer) else ""
        return Verdict(
            False, f"{name}: expected a number or an array of numbers, got {_short(answer)}{text}."
        )
    want = np.asarray(expected, dtype=float)
    correct, phrase = _compare(
        got,
        want,
        partial(_tolerance, decimals=decimals, digits=digits),
        mistakes or {},
        _close_note(decimals, digits),
    )
    return Verdict(correct, f"{name}: correct." if correct else f"{name} {phrase}.")


def check_value(
    answer: ArrayLike | None,
    expected: ArrayLike,
    name: str = "answer",
    *,
    decimals: int | None = None,
    digits: int | None = None,
    mistakes: Mistakes | None = None,
) -> None:
    """Print the verdict of :func:`judge_value` (one sentence)."""
    print(
        judge_value(
            answer, expected, name, decimals=decimals, digits=digits, mistakes=mistakes
        ).message
    )


def _describe_case(reference: Callable[..., Any], args: tuple[Any, ...]) -> str:
    try:
        names = list(inspect.signature(reference).parameters)
    except (TypeError, ValueError):
        names = []
    names += [f"argument {i + 1}" for i in range(len(names), len(args))]
    parts = []
    for label, value in zip(names, args, strict=False):
        if isinstance(value, np.ndarray):
            parts.append(f"{label} of shape {value.shape}")
        else:
            parts.append(f"{label} = {_short(value)}")
    return ", ".join(parts)


@contextmanager
def _quiet() -> Iterator[None]:
    # NumPy's overflow and 0/0 warnings would print above the verdict (or raise
    # under a strict warning filter); the NaN or inf entries they leave behind
    # get their own sentence instead.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _results(functions: Mapping[str, Callable[..., Any]], args: tuple[Any, ...]) -> dict[str, Any]:
    # What each common mistake returns on this case (skipping any that fail).
    results = {}
    for hint, function in functions.items():
        try:
            with _quiet():
                results[hint] = function(*copy.deepcopy(args))
        except Exception:  # a mistake may not even run on every case
            continue
    return results


def judge_function(
    answer: Callable[..., Any] | None,
    reference: Callable[..., Any],
    inputs: Sequence[tuple[Any, ...]],
    name: str = "your function",
    *,
    mistakes: Mapping[str, Callable[..., Any]] | None = None,
) -> Verdict:
    """Judge the reader's function against ``reference`` on each argument tuple.

    The reference runs first, on a copy of the arguments, and the reader's
    function gets its own copy, so a function that changes its input in place
    is judged fairly. The first failing case is named by its number and the
    shapes of its arguments, with the diagnosis of :func:`judge_value` (to
    rounding, :data:`ROUNDING_RTOL`); ``mistakes`` maps a hint to a wrong
    function that a common mistake produces.
    """
    if answer is None:
        return Verdict(False, f"{name}: not answered yet (replace None with your function).")
    if not callable(answer):
        return Verdict(False, f"{name}: should be a function (def ...), got {_short(answer)}.")
    for number, args in enumerate(inputs, start=1):
        case = f"test case {number} of {len(inputs)} ({_describe_case(reference, args)})"
        want = np.asarray(reference(*copy.deepcopy(args)), dtype=float)
        try:
            with _quiet():
                result = answer(*copy.deepcopy(args))
        except Exception as error:  # the reader's code may fail in any way
            said = _clip(str(error), 120)
            return Verdict(False, f"{name}: raised {type(error).__name__}: {said} on {case}.")
        if result is None:
            return Verdict(False, f"{name}: returned None on {case}; did you forget `return`?")
        got = _as_numbers(result)
        if got is None:
            return Verdict(False, f"{name}: returned {_short(result)} on {case}, not numbers.")
        wrong_results = _results(mistakes or {}, args)
        scale = float(np.abs(want).max(initial=0.0))
        correct, phrase = _compare(
            got, want, partial(_tolerance, scale=scale), wrong_results, close_note=None
        )
        if not correct:
            return Verdict(False, f"{name}: on {case} the result {phrase}.")
    return Verdict(True, f"{name}: correct on all {len(inputs)} test cases.")


def check_function(
    answer: Callable[..., Any] | None,
    reference: Callable[..., Any],
    inputs: Sequence[tuple[Any, ...]],
    name: str = "your function",
    *,
    mistakes: Mapping[str, Callable[..., Any]] | None = None,
) -> None:
    """Print the verdict of :func:`judge_function` (one sentence)."""
    print(judge_function(answer, reference, inputs, name, mistakes=mistakes).message)
