"""Checks for the book's exercises: the reader fills in a value or a function.

Each check prints one deterministic sentence and returns True or False, so a
stored notebook whose exercise cell still holds the placeholder ``None`` runs
clean under nbval and tells the reader what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def check_value(
    answer: ArrayLike | None, expected: ArrayLike, name: str = "answer", rtol: float = 1e-4
) -> bool:
    """Compare a number or array the reader computed with the expected one.

    Prints "not answered yet" for ``None``, "correct" when every entry agrees
    within ``rtol`` (relative, with an absolute floor of 1e-8), and otherwise
    what differs: the shape, or how many entries and by how much, without
    giving the expected value away.
    """
    if answer is None:
        print(f"{name}: not answered yet (replace None with your result).")
        return False
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        print(f"{name}: expected a number or an array of numbers, got {answer!r}.")
        return False
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        print(f"{name}: has shape {got.shape} but should have shape {want.shape}.")
        return False
    close = np.isclose(got, want, rtol=rtol, atol=1e-8)
    if close.all():
        print(f"{name}: correct.")
        return True
    wrong = int((~close).sum())
    ratio = np.divide(got, want, out=np.full(got.shape, np.nan), where=want != 0)[~close]
    hint = ""
    if np.allclose(ratio, ratio.flat[0]) and np.isfinite(ratio.flat[0]):
        hint = f" (off by a factor of {ratio.flat[0]:.3g} everywhere)"
    print(f"{name}: {wrong} of {want.size} entries differ{hint}.")
    return False


def check_function(
    answer: Callable[..., Any] | None,
    reference: Callable[..., Any],
    inputs: Sequence[tuple[Any, ...]],
    name: str = "your function",
    rtol: float = 1e-6,
) -> bool:
    """Call the reader's function and the reference on the same inputs.

    ``inputs`` is a list of argument tuples. Prints a verdict naming the first
    input on which the two disagree (or where the reader's function raised).
    """
    if answer is None:
        print(f"{name}: not answered yet (replace None with your function).")
        return False
    for args in inputs:
        try:
            got = np.asarray(answer(*args), dtype=float)
        except Exception as error:  # the reader's code may fail in any way
            print(f"{name}: raised {type(error).__name__}: {error} on input {args!r}.")
            return False
        want = np.asarray(reference(*args), dtype=float)
        if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=1e-10):
            print(f"{name}: gives a different result on input {args!r}.")
            return False
    print(f"{name}: correct on all {len(inputs)} test inputs.")
    return True
