"""backprop.book.digits, the real-data chapter's helpers: the data, scores,
pictures and the scikit-learn twin (needs the book and digits extras)."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from backprop import History, Network, datasets
from backprop.book import digits as realdata
from backprop.book.widgets import figure_to_png


@pytest.fixture(scope="module")
def digits():
    X, T = realdata.load_digits()
    X_train, X_test, T_train, T_test = datasets.train_test_split(X, T, 0.25, seed=0)
    S_train, S_test = datasets.standardize(X_train, X_test)
    return X_test, S_train, S_test, T_train, T_test


@pytest.fixture(scope="module")
def raw_digits():
    return realdata.load_digits()


def test_load_digits(raw_digits):
    X, T = raw_digits
    assert X.shape == (1797, 64)
    assert T.shape == (1797, 10)
    assert X.min() == 0.0
    assert X.max() == 16.0
    assert np.array_equal(X, np.round(X))
    assert set(np.unique(T)) == {0.0, 1.0}
    np.testing.assert_array_equal(T.sum(axis=1), 1.0)
    counts = T.sum(axis=0)
    assert counts.min() >= 170
    assert counts.max() <= 185
    X_again, T_again = realdata.load_digits()
    assert np.array_equal(X, X_again)
    assert np.array_equal(T, T_again)


def test_digits_split_default_sizes(raw_digits):
    X_train, X_test, T_train, T_test = datasets.train_test_split(
        raw_digits[0], raw_digits[1], seed=0
    )
    assert X_test.shape == (449, 64)
    assert X_train.shape == (1348, 64)
    assert T_train.shape == (1348, 10)


def test_standardize_uses_training_statistics(raw_digits):
    X_train, X_test, _, _ = datasets.train_test_split(raw_digits[0], raw_digits[1], seed=0)
    S_train, S_test = datasets.standardize(X_train, X_test)
    assert S_train.shape == X_train.shape
    assert S_test.shape == X_test.shape
    np.testing.assert_allclose(S_train.mean(axis=0), 0.0, atol=1e-12)
    std = X_train.std(axis=0)
    varying = std > 0
    assert not varying.all()  # the digits have blank border pixels
    np.testing.assert_allclose(S_train.std(axis=0)[varying], 1.0, rtol=1e-12)
    np.testing.assert_array_equal(S_train[:, ~varying], 0.0)  # centred, not divided
    mean = X_train.mean(axis=0)
    expected_test = (X_test - mean) / np.where(varying, std, 1.0)
    np.testing.assert_allclose(S_test, expected_test, rtol=1e-12, atol=1e-12)
    assert np.isfinite(S_test).all()


def test_confusion_matrix_counts_pairs():
    true = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    matrix = realdata.confusion_matrix(true, predicted, n_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert matrix.sum() == true.size and np.trace(matrix) == np.sum(true == predicted)


def test_confusion_matrix_rejects_bad_labels():
    with pytest.raises(ValueError, match="same length"):
        realdata.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match=r"lie in 0\.\.2"):
        realdata.confusion_matrix([0, 3], [0, 1], n_classes=3)
    with pytest.raises(ValueError, match="integers"):
        realdata.confusion_matrix(np.array([0.0, 1.0]), np.array([0, 1]))


def test_labels_and_accuracy():
    T = datasets.one_hot(np.array([2, 0, 1]), 3)
    np.testing.assert_array_equal(realdata.labels_of(T), [2, 0, 1])
    with pytest.raises(ValueError, match="one-hot"):
        realdata.labels_of(np.zeros((3, 1)))
    net = Network([2, 3], activations=["softmax"], loss="cross_entropy", seed=0)
    X = np.zeros((3, 2))  # every output equal: argmax picks class 0
    assert realdata.accuracy(net, X, T) == pytest.approx(1 / 3)


def test_a_small_network_learns_the_digits(digits):
    _, S_train, S_test, T_train, T_test = digits
    net = Network([64, 32, 10], activations="tanh", loss="cross_entropy", seed=0)
    history = net.fit(S_train, T_train, learning_rate=0.1, epochs=10, batch_size=32, seed=0)
    assert realdata.accuracy(net, S_test, T_test) >= 0.95
    assert len(history.loss) == len(history.accuracy) == 10
    assert history.loss[-1] < 0.2 * history.loss[0]
    assert history.accuracy[-1] > history.accuracy[0]
    assert not history.diverged


def test_pictures(digits):
    X_test, *_ = digits
    images = X_test[:5]
    fig = realdata.plot_digits(images, [str(i) for i in range(5)], n_cols=3)
    assert sum(bool(ax.images) for ax in fig.axes) == 5
    fig = realdata.plot_misclassified(images, np.array([1, 2, 3, 4, 5]), np.array([1, 0, 3, 0, 5]))
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["2 → 0", "4 → 0"]
    ax = realdata.plot_confusion_matrix(np.eye(3, dtype=int) * 4)
    assert [t.get_text() for t in ax.texts] == ["4", "4", "4"]
    fig = realdata.plot_first_layer_weights(np.random.default_rng(0).normal(size=(64, 10)))
    assert sum(bool(ax.images) for ax in fig.axes) == 10
    with pytest.raises(ValueError, match="64"):
        realdata.plot_first_layer_weights(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="titles"):
        realdata.plot_digits(images, ["a"])


def test_plot_history_reports_accuracy_or_divergence():
    history = History(loss=[1.0, 0.5], accuracy=[0.5, 0.8], val_loss=[1.1, 0.6])
    history.val_accuracy = [0.4, 0.75]
    fig = realdata.plot_history(history, "tanh")
    assert fig.get_suptitle() == "tanh: test accuracy 0.750"
    empty = realdata.plot_history(History(diverged=True, diverged_at=0))  # no epoch finished
    assert empty.get_suptitle() == "diverged"
    figure_to_png(empty)  # draws without a log-scale error
    diverged = History(loss=[1.0], val_loss=[2.0], diverged=True, diverged_at=1)
    fig = realdata.plot_history(diverged)
    assert fig.get_suptitle() == "diverged"
    assert any("Diverged" in t.get_text() for t in fig.axes[0].texts)


def test_sklearn_twin_runs_plain_sgd_for_every_epoch(digits):
    _, S_train, S_test, T_train, T_test = digits
    model = realdata.sklearn_mlp(16, "tanh", 0.1, batch_size=32, epochs=3, seed=0)
    params = model.get_params()
    assert params["solver"] == "sgd" and params["momentum"] == 0.0
    assert params["alpha"] == 0.0 and not params["nesterovs_momentum"]
    assert params["hidden_layer_sizes"] == (16,) and params["learning_rate"] == "constant"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(S_train[:300], realdata.labels_of(T_train[:300]))
    assert model.n_iter_ == 3
    with pytest.raises(ValueError, match="unknown activation"):
        realdata.sklearn_mlp(16, "leaky_relu", 0.1, 32, 3)
