"""Input validation shared by the public entry points.

Every public function turns bad input into a ``ValueError`` or ``TypeError``
whose message names the argument, what was wrong and the expected form, so a
reader never meets a deep NumPy traceback or a silent NaN.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike


def as_matrix(name: str, value: ArrayLike, n_cols: int, dtype: DTypeLike, what: str) -> np.ndarray:
    """Return ``value`` as a finite 2-D array of shape (n_rows, n_cols).

    ``what`` describes the columns for the error message, e.g. ``"input"``.
    A 1-D array is accepted only when ``n_cols == 1`` (one column of samples).
    """
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be numeric (a NumPy array or nested lists of numbers) "
            f"with shape (n_samples, {n_cols}); could not convert it: {error}"
        ) from None
    if array.ndim == 1 and n_cols == 1:
        array = array.reshape(-1, 1)
    plural = "" if n_cols == 1 else "s"
    if array.ndim != 2:
        raise ValueError(
            f"{name} has shape {array.shape} but must be 2-D with shape "
            f"(n_samples, {n_cols}): one row per sample; for one sample use [[...]]"
        )
    if array.shape[1] != n_cols:
        raise ValueError(
            f"{name} has shape {array.shape} but the network has "
            f"{n_cols} {what}{plural}; expected shape (n_samples, {n_cols})"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} has no rows; expected at least one sample")
    # One pass: the sum is NaN or inf if any entry is (or if finite entries
    # overflow it, which the exact check below then clears).
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(array, axis=None)
    if not np.isfinite(total) and not np.isfinite(array).all():
        row, col = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name} contains NaN or infinite values (first at row {row}, "
            f"column {col}); every entry must be a finite number"
        )
    return array


def same_rows(n_rows: int, T: np.ndarray, name: str = "T", inputs_name: str = "X") -> None:
    """Check that targets ``T`` hold one row per sample of inputs with
    ``n_rows`` rows; ``name`` and ``inputs_name`` name them in the message."""
    if T.shape[0] != n_rows:
        raise ValueError(
            f"{inputs_name} has {n_rows} rows but {name} has {T.shape[0]}; "
            "they need one row per sample each"
        )


def positive_int(name: str, value: Any, allow_zero: bool = False) -> int:
    """Return ``value`` as an int, checking it is positive (or zero if allowed)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    low = 0 if allow_zero else 1
    if value < low:
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {kind} integer; got {value}")
    return int(value)


def seed(name: str, value: Any) -> int:
    """Return ``value`` as a seed for ``numpy.random.default_rng``: a
    non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(
            f"{name} must be a non-negative integer such as 0 or 42 "
            f"(it seeds numpy.random.default_rng); got {value!r}"
        )
    return int(value)


def non_negative_float(name: str, value: Any) -> float:
    """Return ``value`` as a float, checking it is finite and >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    if not np.isfinite(float(value)) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value}")
    return float(value)


def positive_float(name: str, value: Any) -> float:
    """Return ``value`` as a float, checking it is finite and positive."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {value!r}")
    if not np.isfinite(float(value)) or value <= 0:
        raise ValueError(f"{name} must be a finite positive number; got {value}")
    return float(value)


def choice(kind: str, name: Any, valid: list[str]) -> str:
    """Check that ``name`` is one of the ``valid`` names of a ``kind``."""
    if not isinstance(name, str) or name not in valid:
        raise ValueError(f"unknown {kind} {name!r}; choose one of: {', '.join(sorted(valid))}")
    return name
