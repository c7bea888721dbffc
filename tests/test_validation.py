"""Every bad input gets a ValueError or TypeError with a clear message."""

import re

import numpy as np
import pytest

from backprop import ACTIVATIONS, Network, gradient_check, numerical_gradients
from backprop import datasets as ds

XOR_X, XOR_T = ds.xor()


@pytest.fixture
def net():
    return Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)


@pytest.fixture
def ce_net():
    return Network([2, 3, 3], activations="tanh", loss="cross_entropy", seed=0)


# --- X and T ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["forward", "feedforward", "predict"])
def test_x_with_wrong_width(net, method):
    message = re.escape("X has shape (4, 3) but the network has 2 inputs; expected shape")
    with pytest.raises(ValueError, match=message):
        getattr(net, method)(np.zeros((4, 3)))


def test_t_with_wrong_width(net):
    message = re.escape("T has shape (4, 2) but the network has 1 output; expected shape")
    with pytest.raises(ValueError, match=message):
        net.loss(XOR_X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=message):
        net.fit(XOR_X, np.zeros((4, 2)), epochs=1)


@pytest.mark.parametrize("call", ["loss", "gradients", "fit"])
def test_x_and_t_row_mismatch(net, call):
    with pytest.raises(ValueError, match="X has 4 rows but T has 3"):
        getattr(net, call)(XOR_X, XOR_T[:3])


def test_validation_row_mismatch(net):
    with pytest.raises(ValueError, match="X_val has 4 rows but T_val has 2"):
        net.fit(XOR_X, XOR_T, epochs=1, validation=(XOR_X, XOR_T[:2]))


def test_validation_x_with_wrong_width(net):
    with pytest.raises(ValueError, match=re.escape("X_val has shape (4, 1) but the network has 2")):
        net.fit(XOR_X, XOR_T, epochs=1, validation=(XOR_X[:, :1], XOR_T))


def test_x_three_dimensional(net):
    with pytest.raises(ValueError, match=re.escape("X has shape (2, 2, 2) but must be 2-D")):
        net.forward(np.zeros((2, 2, 2)))


def test_x_one_dimensional_for_two_inputs(net):
    with pytest.raises(ValueError, match=re.escape("for one sample use [[...]]")):
        net.forward([0.0, 1.0])


def test_x_without_rows(net):
    with pytest.raises(ValueError, match="X has no rows"):
        net.forward(np.zeros((0, 2)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_x(net, bad):
    X = XOR_X.copy()
    X[2, 1] = bad
    message = re.escape("X contains NaN or infinite values (first at row 2, column 1)")
    for call in (lambda: net.forward(X), lambda: net.fit(X, XOR_T, epochs=1)):
        with pytest.raises(ValueError, match=message):
            call()


def test_huge_finite_x_is_accepted_though_its_sum_overflows(net):
    X = np.full((4, 2), 1e308)  # the one-pass check's sum is inf; the entries are fine
    assert net.forward(X).shape == (4, 1)


def test_inf_and_minus_inf_together_are_caught(net):
    X = XOR_X.copy()
    X[0, 0], X[3, 1] = np.inf, -np.inf  # their sum is NaN, not inf: caught all the same
    with pytest.raises(ValueError, match=re.escape("(first at row 0, column 0)")):
        net.forward(X)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_t(net, bad):
    T = XOR_T.copy()
    T[3, 0] = bad
    message = re.escape("T contains NaN or infinite values (first at row 3, column 0)")
    for call in (lambda: net.loss(XOR_X, T), lambda: net.gradients(XOR_X, T)):
        with pytest.raises(ValueError, match=message):
            call()


@pytest.mark.parametrize("X", [[["a", "b"]], [[1.0, "b"]], "xor", [[{}, 1.0]]])
def test_non_numeric_x(net, X):
    with pytest.raises(TypeError, match=re.escape("X must be numeric")):
        net.forward(X)


def test_non_numeric_t(net):
    with pytest.raises(TypeError, match=re.escape("T must be numeric")):
        net.loss(XOR_X, [["yes"], ["no"], ["no"], ["yes"]])


# --- the architecture -------------------------------------------------------


def valid_names_pattern():
    return re.escape("choose one of: " + ", ".join(sorted(ACTIVATIONS)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"activations": "swish"},
        {"activations": ["tanh", "swish"]},
        {"activations": "tanh", "output_activation": "swish"},
    ],
)
def test_unknown_activation(kwargs):
    with pytest.raises(ValueError, match=r"unknown activation 'swish'; " + valid_names_pattern()):
        Network([2, 3, 1], **kwargs)


def test_unknown_activation_without_hidden_layers():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'; " + valid_names_pattern()):
        Network([2, 1], activations="swish")


def test_unknown_loss():
    names = "binary_cross_entropy, cross_entropy, sse"
    message = re.escape(f"unknown loss 'mse'; choose one of: {names}")
    with pytest.raises(ValueError, match=message):
        Network([2, 3, 1], loss="mse")


@pytest.mark.parametrize("activations", [["tanh"], ["tanh", "tanh", "sigmoid"], []])
def test_wrong_number_of_activations(activations):
    message = f"got {len(activations)} activations for 2 weight layers"
    with pytest.raises(ValueError, match=message):
        Network([2, 3, 1], activations=activations)


def test_output_activation_with_a_list():
    with pytest.raises(ValueError, match="output_activation is only used with a single"):
        Network([2, 3, 1], activations=["tanh", "sigmoid"], output_activation="linear")


@pytest.mark.parametrize(
    ("sizes", "activations"),
    [([2, 3, 1], ["softmax", "sigmoid"]), ([2, 3, 1], "softmax"), ([2, 1], "softmax")],
)
def test_softmax_as_hidden_activation(sizes, activations):
    with pytest.raises(ValueError, match="'softmax' is an output activation; hidden layers"):
        Network(sizes, activations=activations)


@pytest.mark.parametrize("output", ["sigmoid", "linear", "tanh"])
def test_cross_entropy_needs_softmax_output(output):
    with pytest.raises(ValueError, match="loss 'cross_entropy' needs a 'softmax' output layer"):
        Network([2, 3, 2], activations=["tanh", output], loss="cross_entropy")
    with pytest.raises(ValueError, match=f"got output activation '{output}'"):
        Network([2, 3, 2], activations="tanh", output_activation=output, loss="cross_entropy")


@pytest.mark.parametrize("width", [0, -3])
def test_non_positive_width(width):
    with pytest.raises(ValueError, match=rf"sizes\[1\] must be a positive integer; got {width}"):
        Network([2, width, 1])


@pytest.mark.parametrize("width", [2.5, 3.0, "3", True, None])
def test_non_integer_width(width):
    with pytest.raises(TypeError, match=r"sizes\[1\] must be an integer"):
        Network([2, width, 1])


def test_numpy_integer_widths_are_accepted():
    net = Network(np.array([2, 3, 1]))  # type: ignore[arg-type]
    assert net.sizes == [2, 3, 1]
    assert all(type(n) is int for n in net.sizes)


@pytest.mark.parametrize("sizes", [[3], []])
def test_too_few_sizes(sizes):
    with pytest.raises(ValueError, match="sizes must list at least an input and an output"):
        Network(sizes)


@pytest.mark.parametrize("sizes", [3, "231"])
def test_sizes_not_a_list(sizes):
    with pytest.raises(TypeError, match="sizes must be a list of layer widths"):
        Network(sizes)


@pytest.mark.parametrize("dtype", [np.int32, np.float16, np.complex128, "int64"])
def test_bad_dtype(dtype):
    with pytest.raises(ValueError, match="dtype must be float64 or float32"):
        Network([2, 3, 1], dtype=dtype)


# --- fit's arguments --------------------------------------------------------


@pytest.mark.parametrize("rate", [0, 0.0, -0.1, np.nan, np.inf])
def test_bad_learning_rate(net, rate):
    with pytest.raises(ValueError, match="learning_rate must be a finite positive number"):
        net.fit(XOR_X, XOR_T, learning_rate=rate, epochs=1)


@pytest.mark.parametrize("rate", ["0.1", None, True])
def test_non_numeric_learning_rate(net, rate):
    with pytest.raises(TypeError, match="learning_rate must be a positive number"):
        net.fit(XOR_X, XOR_T, learning_rate=rate, epochs=1)


@pytest.mark.parametrize("batch_size", [0, -2])
def test_bad_batch_size(net, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        net.fit(XOR_X, XOR_T, epochs=1, batch_size=batch_size)


def test_non_integer_batch_size(net):
    with pytest.raises(TypeError, match="batch_size must be an integer; got 1.5"):
        net.fit(XOR_X, XOR_T, epochs=1, batch_size=1.5)


def test_negative_epochs(net):
    with pytest.raises(ValueError, match="epochs must be a non-negative integer; got -1"):
        net.fit(XOR_X, XOR_T, epochs=-1)


def test_non_integer_epochs(net):
    with pytest.raises(TypeError, match="epochs must be an integer"):
        net.fit(XOR_X, XOR_T, epochs=10.0)


def test_bad_input_leaves_weights_untouched(net):
    before = [W.copy() for W in net.weights]
    with pytest.raises(
        ValueError, match="learning_rate must be a finite positive number; got -1.0"
    ):
        net.fit(XOR_X, XOR_T, learning_rate=-1.0, epochs=5)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights, strict=True))


# --- cross-entropy targets --------------------------------------------------


@pytest.mark.parametrize(
    "T",
    [
        [[1.0, 1.0, 0.0]],  # sums to 2
        [[0.5, 0.2, 0.2]],  # sums to 0.9
        [[1.5, -0.5, 0.0]],  # negative entry
        [[0.0, 0.0, 0.0]],
    ],
)
def test_cross_entropy_targets_must_be_probability_rows(ce_net, T):
    message = "T for cross_entropy must hold one probability vector per row"
    for call in (ce_net.loss, ce_net.gradients, ce_net.fit):
        with pytest.raises(ValueError, match=message):
            call([[0.0, 1.0]], T)


def test_cross_entropy_targets_need_one_hot_not_labels(ce_net):
    with pytest.raises(ValueError, match=re.escape("T has shape (3,) but must be 2-D")):
        ce_net.loss(np.zeros((3, 2)), [0, 2, 1])


def test_cross_entropy_accepts_probability_rows(ce_net):
    T = [[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]]
    assert np.isfinite(ce_net.loss([[0.0, 1.0], [1.0, 0.0]], T))


# --- datasets ---------------------------------------------------------------


@pytest.mark.parametrize("generator", [ds.two_moons, ds.circles, ds.spirals, ds.sine])
@pytest.mark.parametrize("noise", [-0.1, np.nan, np.inf])
def test_dataset_bad_noise(generator, noise):
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        generator(noise=noise)


@pytest.mark.parametrize("generator", [ds.two_moons, ds.circles, ds.spirals, ds.sine])
def test_dataset_bad_n_samples(generator):
    with pytest.raises(ValueError, match="n_samples must be a positive integer; got 0"):
        generator(n_samples=0)
    with pytest.raises(TypeError, match="n_samples must be an integer"):
        generator(n_samples=10.5)


@pytest.mark.parametrize("factor", [0.0, 1.0, 1.5, -0.5, np.nan])
def test_circles_bad_factor(factor):
    with pytest.raises(ValueError, match="factor must lie strictly between 0 and 1"):
        ds.circles(factor=factor)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.25, 1.5, np.nan])
def test_train_test_split_bad_fraction(fraction):
    X, T = ds.two_moons(20)
    with pytest.raises(ValueError, match="test_fraction must lie strictly between 0 and 1"):
        ds.train_test_split(X, T, test_fraction=fraction)


def test_train_test_split_row_mismatch():
    X, T = ds.two_moons(20)
    with pytest.raises(ValueError, match="X has 20 rows but T has 19"):
        ds.train_test_split(X, T[:19])


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0, 1, 3], re.escape("labels must lie in 0..2; got values from 0 to 3")),
        ([-1, 0, 2], re.escape("labels must lie in 0..2; got values from -1 to 2")),
        ([0.0, 1.0], "labels must be a 1-D array of integers"),
        ([[0, 1]], "labels must be a 1-D array of integers"),
    ],
)
def test_one_hot_bad_labels(labels, message):
    with pytest.raises(ValueError, match=message):
        ds.one_hot(labels, 3)


def test_one_hot_bad_class_count():
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        ds.one_hot([0], 0)


# --- what is accepted -------------------------------------------------------


def test_python_lists_are_accepted(net):
    out = net.forward([[0, 1]])
    assert out.shape == (1, 1)
    np.testing.assert_array_equal(out, net.forward(np.array([[0.0, 1.0]])))
    X, T = XOR_X.tolist(), XOR_T.tolist()
    assert net.loss(X, T) == net.loss(XOR_X, XOR_T)
    dW, db = net.gradients(X, T)
    dW_a, db_a = net.gradients(XOR_X, XOR_T)
    for g, h in zip(dW + db, dW_a + db_a, strict=True):
        np.testing.assert_array_equal(g, h)
    assert net.predict(X).shape == (4,)
    history = net.fit(X, T, epochs=2, validation=(X, T))
    assert len(history.loss) == len(history.val_loss) == 2


def test_integer_arrays_are_accepted(net):
    out = net.forward(np.array([[0, 1], [1, 1]], dtype=np.int64))
    assert out.dtype == np.float64
    assert out.shape == (2, 1)


def test_one_dimensional_t_for_a_single_output(net):
    T_flat = XOR_T[:, 0]
    assert net.loss(XOR_X, T_flat) == net.loss(XOR_X, XOR_T)
    assert net.loss(XOR_X, [0, 1, 1, 0]) == net.loss(XOR_X, XOR_T)
    copy = net.copy()
    net.fit(XOR_X, T_flat, learning_rate=1.0, epochs=3)
    copy.fit(XOR_X, XOR_T, learning_rate=1.0, epochs=3)
    for W, V in zip(net.weights, copy.weights, strict=True):
        np.testing.assert_array_equal(W, V)


def test_one_dimensional_x_for_a_single_input():
    net = Network([1, 4, 1], activations="tanh", seed=0)
    np.testing.assert_array_equal(net.forward([0.5, -1.0]), net.forward([[0.5], [-1.0]]))


def test_train_test_split_keeps_a_sample_on_each_side():
    X, T = np.zeros((10, 2)), np.zeros((10, 1))
    X_train, X_test, _, _ = ds.train_test_split(X, T, test_fraction=0.99)
    assert (len(X_train), len(X_test)) == (1, 9)
    with pytest.raises(ValueError, match="at least 2 samples"):
        ds.train_test_split(X[:1], T[:1])


def test_unknown_dtype_name_gets_package_message():
    with pytest.raises(TypeError, match="dtype must be float64 or float32; got 'nonsense'"):
        Network([2, 1], dtype="nonsense")


# --- seeds, validation pairs, gradient checks and datasets (issue 11) -------


@pytest.mark.parametrize("seed", ["a", -1, 1.5, True, None])
@pytest.mark.parametrize(
    "call",
    [
        lambda seed: Network([2, 3, 1], seed=seed),
        lambda seed: Network([2, 3, 1], seed=0).fit(XOR_X, XOR_T, epochs=1, seed=seed),
        lambda seed: ds.two_moons(10, seed=seed),
        lambda seed: ds.train_test_split(XOR_X, XOR_T, seed=seed),
    ],
    ids=["Network", "fit", "two_moons", "train_test_split"],
)
def test_bad_seeds_are_named(call, seed):
    message = (
        re.escape("seed must be a non-negative integer such as 0 or 42")
        + ".*"
        + re.escape(f"got {seed!r}")
    )
    with pytest.raises(ValueError, match=message):
        call(seed)


@pytest.mark.parametrize(
    ("validation", "got"),
    [((XOR_X,), "a sequence of 1"), ((XOR_X, XOR_T, XOR_T), "a sequence of 3"), (XOR_X, "ndarray")],
)
def test_validation_must_be_a_pair(net, validation, got):
    message = re.escape(f"validation must be a pair (X_val, T_val); got {got}")
    with pytest.raises(ValueError, match=message):
        net.fit(XOR_X, XOR_T, epochs=1, validation=validation)


def test_validation_targets_of_the_wrong_width_are_named(net):
    message = re.escape("T_val has shape (4, 2) but the network has 1 output")
    with pytest.raises(ValueError, match=message):
        net.fit(XOR_X, XOR_T, epochs=1, validation=(XOR_X, np.zeros((4, 2))))


@pytest.mark.parametrize("eps", [0, -1e-6, float("nan")])
def test_gradient_check_needs_a_positive_step(net, eps):
    with pytest.raises(ValueError, match="eps must be a finite positive number"):
        gradient_check(net, XOR_X, XOR_T, eps=eps)
    with pytest.raises(ValueError, match="eps must be a finite positive number"):
        numerical_gradients(net, XOR_X, XOR_T, eps=eps)


def test_gradient_check_refuses_float32():
    net32 = Network([2, 3, 1], seed=0, dtype=np.float32)
    message = "net has dtype float32, but gradient checks need float64.*dtype=np.float64"
    with pytest.raises(ValueError, match=message):
        gradient_check(net32, XOR_X, XOR_T)
    with pytest.raises(ValueError, match=message):
        numerical_gradients(net32, XOR_X, XOR_T)


@pytest.mark.parametrize("noise", ["a", None, -0.1, float("inf")])
@pytest.mark.parametrize("dataset", [ds.two_moons, ds.circles, ds.spirals, ds.sine])
def test_dataset_noise_must_be_a_number(dataset, noise):
    with pytest.raises(ValueError, match=re.escape("noise must be a finite number >= 0; got ")):
        dataset(10, noise=noise)


def test_standardize_needs_the_same_columns():
    message = re.escape(
        "X_train and X_test must be 2-D with the same number of columns, "
        "(n_train, n_features) and (n_test, n_features); got shapes (4, 2) and (3, 1)"
    )
    with pytest.raises(ValueError, match=message):
        ds.standardize(np.zeros((4, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=re.escape("got shapes (4,) and (3,)")):
        ds.standardize(np.zeros(4), np.zeros(3))


def test_predict_refuses_a_regression_output():
    net = Network([1, 4, 1], activations="tanh", output_activation="linear", seed=0)
    message = "predict gives class labels, which a single 'linear' output does not have"
    with pytest.raises(ValueError, match=message):
        net.predict(np.zeros((3, 1)))
