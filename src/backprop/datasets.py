"""Small seeded datasets, NumPy only (the digits, which come with scikit-learn,
are in ``backprop.book.digits``).

Each generator returns ``(X, T)``: inputs of shape (n_samples, n_in) and
targets ready for a network, shape (n_samples, n_out). Binary problems give
T of shape (n_samples, 1) holding 0.0 or 1.0. The same seed gives the same
numbers on every machine.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _checks


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four points of exclusive-or: X (4, 2), T (4, 1)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    T = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, T


def _noise(name: str, noise: float) -> float:
    return _checks.non_negative_float(name, noise)


def two_moons(
    n_samples: int = 200, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: X (n, 2), T (n, 1)."""
    n_samples = _checks.positive_int("n_samples", n_samples)
    noise = _noise("noise", noise)
    rng = np.random.default_rng(_checks.seed("seed", seed))
    n_upper = n_samples // 2
    angle = rng.uniform(0.0, np.pi, n_samples)
    upper = np.arange(n_samples) < n_upper
    x = np.where(upper, np.cos(angle), 1.0 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    X = np.column_stack([x, y]) + rng.normal(0.0, noise, (n_samples, 2))
    T = (~upper).astype(float).reshape(-1, 1)
    return X, T


def circles(
    n_samples: int = 200, noise: float = 0.1, factor: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A disc of class 1 inside a ring of class 0 (radius ``factor`` vs 1)."""
    n_samples = _checks.positive_int("n_samples", n_samples)
    noise = _noise("noise", noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must lie strictly between 0 and 1; got {factor}")
    rng = np.random.default_rng(_checks.seed("seed", seed))
    inner = np.arange(n_samples) >= n_samples // 2
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    radius = np.where(inner, factor, 1.0)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X += rng.normal(0.0, noise, X.shape)
    return X, inner.astype(float).reshape(-1, 1)


def spirals(
    n_samples: int = 200, noise: float = 0.1, turns: float = 1.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms, the hardest of the toy problems."""
    n_samples = _checks.positive_int("n_samples", n_samples)
    noise = _noise("noise", noise)
    rng = np.random.default_rng(_checks.seed("seed", seed))
    second = np.arange(n_samples) >= n_samples // 2
    r = rng.uniform(0.1, 1.0, n_samples)
    angle = 2 * np.pi * turns * r + np.where(second, np.pi, 0.0)
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    X += rng.normal(0.0, noise * 0.5, X.shape)
    return X, second.astype(float).reshape(-1, 1)


def sine(n_samples: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """1-D regression: x uniform on [-pi, pi], t = sin(x) + noise; X, T (n, 1)."""
    n_samples = _checks.positive_int("n_samples", n_samples)
    noise = _noise("noise", noise)
    rng = np.random.default_rng(_checks.seed("seed", seed))
    x = np.sort(rng.uniform(-np.pi, np.pi, n_samples))
    t = np.sin(x) + rng.normal(0.0, noise, n_samples)
    return x.reshape(-1, 1), t.reshape(-1, 1)


def one_hot(labels: ArrayLike, n_classes: int) -> np.ndarray:
    """Class labels (n,) in 0..n_classes-1 -> one-hot rows (n, n_classes)."""
    n_classes = _checks.positive_int("n_classes", n_classes)
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be a 1-D array of integers; got dtype {labels.dtype}, "
            f"shape {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}; got values from "
            f"{labels.min()} to {labels.max()}"
        )
    return np.eye(n_classes)[labels]


def train_test_split(
    X: ArrayLike, T: ArrayLike, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle with ``seed`` and split: (X_train, X_test, T_train, T_test)."""
    X, T = np.asarray(X), np.asarray(T)
    _checks.same_rows(X.shape[0], T)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1; got {test_fraction}")
    if X.shape[0] < 2:
        raise ValueError(f"need at least 2 samples to split; got {X.shape[0]}")
    order = np.random.default_rng(_checks.seed("seed", seed)).permutation(X.shape[0])
    # at least one sample on each side
    n_test = min(max(1, int(round(test_fraction * X.shape[0]))), X.shape[0] - 1)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], T[train], T[test]


def standardize(X_train: ArrayLike, X_test: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Scale each column to zero mean and unit variance using the training
    set's statistics only (constant columns are left centred, not divided)."""
    X_train, X_test = np.asarray(X_train, float), np.asarray(X_test, float)
    if X_train.ndim != 2 or X_test.ndim != 2 or X_train.shape[1] != X_test.shape[1]:
        raise ValueError(
            f"X_train and X_test must be 2-D with the same number of columns, "
            f"(n_train, n_features) and (n_test, n_features); got shapes "
            f"{X_train.shape} and {X_test.shape}"
        )
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std[std == 0] = 1.0
    return (X_train - mean) / std, (X_test - mean) / std
