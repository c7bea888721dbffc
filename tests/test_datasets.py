"""The seeded datasets: deterministic, documented shapes, balanced labels."""

import numpy as np
import pytest

from backprop import datasets as ds

CLASSIFIERS = [ds.two_moons, ds.circles, ds.spirals]
GENERATORS = [*CLASSIFIERS, ds.sine]


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda f: f.__name__)
def test_same_seed_same_numbers(generator):
    X_a, T_a = generator(n_samples=50, seed=7)
    X_b, T_b = generator(n_samples=50, seed=7)
    assert np.array_equal(X_a, X_b)
    assert np.array_equal(T_a, T_b)


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda f: f.__name__)
def test_different_seeds_differ(generator):
    X_a, _ = generator(n_samples=50, seed=1)
    X_b, _ = generator(n_samples=50, seed=2)
    assert not np.array_equal(X_a, X_b)


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda f: f.__name__)
def test_default_seed_is_reproducible(generator):
    X_a, T_a = generator()
    X_b, T_b = generator()
    assert np.array_equal(X_a, X_b)
    assert np.array_equal(T_a, T_b)
    assert X_a.dtype == T_a.dtype == np.float64


@pytest.mark.parametrize("generator", CLASSIFIERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("n_samples", [1, 7, 200])
def test_classification_shapes_and_balance(generator, n_samples):
    X, T = generator(n_samples=n_samples, seed=0)
    assert X.shape == (n_samples, 2)
    assert T.shape == (n_samples, 1)
    assert set(np.unique(T)) <= {0.0, 1.0}
    n_ones = int(T.sum())
    assert n_samples - n_ones == n_samples // 2  # class 0 gets the first half
    assert abs(n_ones - (n_samples - n_ones)) <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("generator", CLASSIFIERS, ids=lambda f: f.__name__)
def test_default_size_is_200_balanced(generator):
    X, T = generator()
    assert X.shape == (200, 2)
    assert T.shape == (200, 1)
    assert T.sum() == 100


def test_sine_shapes_and_values():
    X, T = ds.sine(n_samples=60, noise=0.0, seed=3)
    assert X.shape == T.shape == (60, 1)
    assert np.all(np.diff(X[:, 0]) >= 0)  # sorted
    assert X.min() >= -np.pi
    assert X.max() <= np.pi
    np.testing.assert_array_equal(T, np.sin(X))
    X_noisy, T_noisy = ds.sine(n_samples=60, noise=0.1, seed=3)
    np.testing.assert_array_equal(X_noisy, X)
    residual = T_noisy - np.sin(X_noisy)
    assert 0.05 < residual.std() < 0.2
    assert ds.sine()[0].shape == (100, 1)


def test_noiseless_circles_lie_on_their_radii():
    X, T = ds.circles(n_samples=40, noise=0.0, factor=0.3, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[T[:, 0] == 1], 0.3, rtol=1e-14)
    np.testing.assert_allclose(radius[T[:, 0] == 0], 1.0, rtol=1e-14)


def test_noiseless_moons_are_half_circles():
    X, T = ds.two_moons(n_samples=40, noise=0.0, seed=0)
    upper = X[T[:, 0] == 0]
    lower = X[T[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-14)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, rtol=1e-14)
    assert (upper[:, 1] >= 0).all()
    assert (lower[:, 1] <= 0.5).all()


def test_noise_spreads_points():
    X_quiet, _ = ds.circles(n_samples=100, noise=0.0, seed=0)
    X_loud, _ = ds.circles(n_samples=100, noise=0.3, seed=0)
    spread = np.hypot(*(X_loud - X_quiet).T)
    assert 0.1 < spread.mean() < 1.0


def test_xor():
    X, T = ds.xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(T, [[0], [1], [1], [0]])
    assert X.dtype == T.dtype == np.float64


def test_one_hot():
    T = ds.one_hot([2, 0, 1, 2], 3)
    np.testing.assert_array_equal(T, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert ds.one_hot(np.array([], dtype=int), 4).shape == (0, 4)


@pytest.mark.parametrize(("n", "fraction", "n_test"), [(100, 0.25, 25), (10, 0.3, 3), (7, 0.1, 1)])
def test_train_test_split_sizes_and_disjointness(n, fraction, n_test):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    T = X[:, :1] * 10.0  # each target row identifies its sample
    X_train, X_test, T_train, T_test = ds.train_test_split(X, T, test_fraction=fraction, seed=4)
    assert X_test.shape == (n_test, 2)
    assert X_train.shape == (n - n_test, 2)
    assert T_test.shape == (n_test, 1)
    assert T_train.shape == (n - n_test, 1)
    train_ids, test_ids = set(X_train[:, 0]), set(X_test[:, 0])
    assert not train_ids & test_ids
    assert train_ids | test_ids == set(X[:, 0])
    np.testing.assert_array_equal(T_train, X_train[:, :1] * 10.0)
    np.testing.assert_array_equal(T_test, X_test[:, :1] * 10.0)


def test_train_test_split_is_seeded_and_shuffles():
    X = np.arange(100, dtype=float).reshape(50, 2)
    T = np.arange(50, dtype=float).reshape(50, 1)
    first = ds.train_test_split(X, T, seed=1)
    again = ds.train_test_split(X, T, seed=1)
    other = ds.train_test_split(X, T, seed=2)
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)
    assert not np.array_equal(first[1], other[1])
    assert not np.array_equal(first[1], X[:13])  # not simply the first rows


def test_standardize_does_not_modify_inputs():
    X_train = np.array([[1.0, 2.0], [3.0, 6.0]])
    X_test = np.array([[2.0, 4.0]])
    ds.standardize(X_train, X_test)
    np.testing.assert_array_equal(X_train, [[1.0, 2.0], [3.0, 6.0]])
    np.testing.assert_array_equal(X_test, [[2.0, 4.0]])
    S_train, S_test = ds.standardize(X_train, X_test)
    np.testing.assert_allclose(S_train, [[-1.0, -1.0], [1.0, 1.0]])
    np.testing.assert_allclose(S_test, [[0.0, 0.0]], atol=1e-15)
