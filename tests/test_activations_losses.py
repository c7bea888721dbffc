"""Activations g, g' and the losses: values, derivatives, numerical safety."""

import warnings
from collections.abc import Callable
from decimal import Decimal, localcontext

import numpy as np
import pytest

from backprop import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network, get_activation, get_loss
from backprop._fast import _Kernels
from backprop.activations import LEAKY_SLOPE, Activation
from backprop.losses import CrossEntropy, SumSquaredError

EXTREMES = [1e4, -1e4, 1e300, -1e300]


def g_prime(act: Activation) -> Callable[[np.ndarray], np.ndarray]:
    """The derivative of an elementwise activation (softmax has none)."""
    assert act.g_prime is not None, act.name
    return act.g_prime


def sample_z(seed=0, shape=(5, 7)):
    """Pre-activations in [-4, 4], none within 1e-2 of the kinks at 0."""
    z = np.random.default_rng(seed).uniform(-4.0, 4.0, shape)
    return np.where(np.abs(z) < 1e-2, 0.5, z)


def test_registry():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"}
    assert set(HIDDEN_ACTIVATIONS) == set(ACTIVATIONS) - {"softmax"}
    assert set(LOSSES) == {"sse", "cross_entropy", "binary_cross_entropy"}
    for name, act in ACTIVATIONS.items():
        assert get_activation(name) is act
        assert act.name == name
        assert act.elementwise == (name != "softmax")
        assert act.g_tex and act.g_prime_tex
    assert isinstance(get_loss("sse"), SumSquaredError)
    assert isinstance(get_loss("cross_entropy"), CrossEntropy)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_g_prime_matches_central_difference(name):
    act = get_activation(name)
    z = sample_z()
    h = 1e-6
    numeric = (act.g(z + h) - act.g(z - h)) / (2 * h)
    analytic = g_prime(act)(z)
    assert analytic.shape == z.shape
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    ("name", "z", "a", "a_prime"),
    [
        ("sigmoid", 0.0, 0.5, 0.25),
        ("tanh", 0.0, 0.0, 1.0),
        ("relu", -2.0, 0.0, 0.0),
        ("relu", 3.0, 3.0, 1.0),
        ("leaky_relu", -2.0, -2.0 * LEAKY_SLOPE, LEAKY_SLOPE),
        ("leaky_relu", 3.0, 3.0, 1.0),
        ("linear", -1.5, -1.5, 1.0),
    ],
)
def test_known_values(name, z, a, a_prime):
    act = get_activation(name)
    assert act.g(np.array([[z]]))[0, 0] == pytest.approx(a, abs=1e-15)
    assert g_prime(act)(np.array([[z]]))[0, 0] == pytest.approx(a_prime, abs=1e-15)


def test_sigmoid_matches_its_textbook_formula():
    z = sample_z(1)
    np.testing.assert_allclose(get_activation("sigmoid").g(z), 1 / (1 + np.exp(-z)), rtol=1e-14)


def exact_sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z) in 40-digit decimal arithmetic, rounded once to float64."""
    with localcontext() as context:
        context.prec = 40
        return np.array([float(1 / (1 + (-Decimal(float(v))).exp())) for v in z.ravel()])


# Every region of the float64 range: the subnormal results below z = -708.4,
# where e^-z overflows (z < -709.78), where 1 + tanh(z/2) cancels (z < -20),
# the middle, and where the sigmoid rounds to 1 (z > 37).
SIGMOID_GRID = np.concatenate(
    [np.linspace(-745.0, -700.0, 451), np.linspace(-60.0, 60.0, 2401), [-745.13, 709.0]]
)


def test_sigmoid_is_accurate_over_the_whole_float64_range():
    z = SIGMOID_GRID.reshape(1, -1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = get_activation("sigmoid").g(z)[0]
    exact = exact_sigmoid(z)
    normal = exact >= np.finfo(np.float64).tiny
    assert normal.sum() > 2000 and (~normal).sum() > 300  # both regions are tested
    # 1e-15 is 4.5 units of the last place: one exp, one sum and one quotient
    relative = np.abs(a[normal] - exact[normal]) / exact[normal]
    assert relative.max() < 1e-15
    # subnormal results: within two steps of the smallest subnormal, 5e-324
    assert np.abs(a[~normal] - exact[~normal]).max() <= 2 * 5e-324
    assert a[0] > 0.0  # sigma(-745) is the smallest subnormal, not 0


def test_the_tanh_form_of_the_sigmoid_fails_that_accuracy():
    # The test above can fail: the form 0.5 (1 + tanh(z/2)) the package used
    # before cancels for negative z and is off by more than 1e-9 at z = -25.
    z = np.linspace(-25.5, -24.5, 101)
    relative = np.abs(0.5 * (1.0 + np.tanh(0.5 * z)) - exact_sigmoid(z)) / exact_sigmoid(z)
    assert relative.max() > 1e-9


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_path_sigmoid_is_the_activations_sigmoid(dtype):
    z = (SIGMOID_GRID if dtype == np.float64 else np.linspace(-104.0, 89.0, 3861)).astype(dtype)
    z = z.reshape(1, -1)
    a = np.empty_like(z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _Kernels(dtype).sigmoid(z, a, np.empty_like(z))
    expected = get_activation("sigmoid").g(z)
    assert expected.dtype == dtype
    np.testing.assert_array_equal(a, expected)  # the same formula, bit for bit


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_finite_and_warning_free_at_extremes(name):
    act = get_activation(name)
    z = np.array([EXTREMES, EXTREMES[::-1], [0.0, 1.0, -1.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act.g(z)
        parts = [a, act.delta(z, a, np.ones_like(z))]
        if act.g_prime is not None:
            parts.append(g_prime(act)(z))
    for part in parts:
        assert part.shape == z.shape
        assert np.isfinite(part).all()


@pytest.mark.parametrize("z", EXTREMES)
def test_saturating_limits(z):
    sign = np.sign(z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zz = np.array([[z]])
        assert get_activation("sigmoid").g(zz)[0, 0] == (1.0 if sign > 0 else 0.0)
        assert get_activation("tanh").g(zz)[0, 0] == sign
        assert g_prime(get_activation("sigmoid"))(zz)[0, 0] == 0.0
        assert g_prime(get_activation("tanh"))(zz)[0, 0] == 0.0
        softmax = get_activation("softmax").g(np.array([[z, 0.0, -z]]))
    np.testing.assert_array_equal(softmax, [[1.0, 0.0, 0.0]] if sign > 0 else [[0.0, 0.0, 1.0]])


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4, 1e300])
def test_softmax_rows_are_probabilities(scale):
    z = np.random.default_rng(2).normal(0.0, 1.0, (6, 4)) * scale
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = get_activation("softmax").g(z)
    assert np.isfinite(a).all()
    assert (a >= 0).all()
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.array_equal(a.argmax(axis=1), z.argmax(axis=1))


def test_softmax_is_shift_invariant():
    z = np.random.default_rng(3).normal(0.0, 1.0, (4, 3))
    softmax = get_activation("softmax").g
    np.testing.assert_allclose(softmax(z + 100.0), softmax(z), rtol=1e-12)


def test_softmax_delta_is_the_jacobian_product():
    z = np.random.default_rng(4).normal(0.0, 1.0, (3, 4))
    error = np.random.default_rng(5).normal(0.0, 1.0, (3, 4))
    act = get_activation("softmax")
    a = act.g(z)
    for n in range(3):
        jacobian = np.diag(a[n]) - np.outer(a[n], a[n])  # d a_k / d z_k'
        np.testing.assert_allclose(act.delta(z, a, error)[n], jacobian @ error[n], atol=1e-15)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_elementwise_delta_multiplies_by_g_prime(name):
    act = get_activation(name)
    z = sample_z(6)
    error = np.random.default_rng(7).normal(0.0, 1.0, z.shape)
    np.testing.assert_array_equal(act.delta(z, act.g(z), error), error * g_prime(act)(z))


def test_cross_entropy_is_finite_for_huge_logits():
    loss = get_loss("cross_entropy")
    z = np.array([[1e4, -1e4, 0.0], [0.0, 0.0, 1e4]])
    T = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = get_activation("softmax").g(z)
        values = loss.value(z, a, T)
        delta = loss.delta(z, a, T, get_activation("softmax"))
    np.testing.assert_allclose(values, [2e4, 0.0], rtol=1e-15, atol=0)
    assert np.isfinite(delta).all()


def test_cross_entropy_network_loss_is_finite_for_huge_logits():
    net = Network([1, 2], activations=["softmax"], loss="cross_entropy", seed=0)
    net.weights = [np.array([[1e4, -1e4]])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = net.loss([[1.0]], [[0.0, 1.0]])
        dW, db = net.gradients([[1.0]], [[0.0, 1.0]])
    assert value == pytest.approx(2e4, rel=1e-15)
    assert np.isfinite(dW[0]).all()
    assert np.isfinite(db[0]).all()


def test_cross_entropy_value_is_minus_sum_t_log_a():
    rng = np.random.default_rng(8)
    z = rng.normal(0.0, 2.0, (5, 4))
    T = rng.dirichlet(np.ones(4), 5)
    a = get_activation("softmax").g(z)
    expected = -np.sum(T * np.log(a), axis=1)
    np.testing.assert_allclose(get_loss("cross_entropy").value(z, a, T), expected, rtol=1e-13)


@pytest.mark.parametrize("one_hot", [True, False])
def test_cross_entropy_delta_equals_general_softmax_path(one_hot):
    rng = np.random.default_rng(9)
    z = rng.normal(0.0, 3.0, (6, 5))
    T = np.eye(5)[rng.integers(0, 5, 6)] if one_hot else rng.dirichlet(np.ones(5), 6)
    softmax = get_activation("softmax")
    a = softmax.g(z)
    general = softmax.delta(z, a, -T / a)  # Jacobian times dE/da
    simplified = get_loss("cross_entropy").delta(z, a, T, softmax)
    np.testing.assert_allclose(simplified, a - T, rtol=0, atol=0)
    np.testing.assert_allclose(simplified, general, rtol=0, atol=1e-12)


def test_sse_value_is_eq_1():
    # a = (0.2, 0.9, -1) against t = (0, 1, 1):
    # E = 1/2 (0.2^2 + 0.1^2 + 2^2) = 1/2 (0.04 + 0.01 + 4) = 2.025
    a = np.array([[0.2, 0.9, -1.0], [1.0, 1.0, 1.0]])
    T = np.array([[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    values = get_loss("sse").value(a, a, T)
    assert values.shape == (2,)
    assert values[0] == pytest.approx(2.025, rel=1e-15)
    assert values[1] == 0.0


def test_sse_delta_is_eq_5():
    rng = np.random.default_rng(10)
    z = rng.normal(0.0, 1.0, (4, 3))
    T = rng.normal(0.0, 1.0, (4, 3))
    sigmoid = get_activation("sigmoid")
    a = sigmoid.g(z)
    delta = get_loss("sse").delta(z, a, T, sigmoid)
    np.testing.assert_allclose(delta, (a - T) * a * (1 - a), rtol=1e-14)


def test_network_loss_is_the_mean_of_eq_1_over_samples():
    # Linear output, W = [[1, 2]], b = [0, -1]: x = 1 gives a = (1, 1), x = 2 gives (2, 3).
    net = Network([1, 2], activations=["linear"], seed=0)
    net.weights = [np.array([[1.0, 2.0]])]
    net.biases = [np.array([0.0, -1.0])]
    X = [[1.0], [2.0]]
    T = [[0.0, 1.0], [2.0, 0.0]]
    # E_1 = 1/2 (1 + 0) = 0.5, E_2 = 1/2 (0 + 9) = 4.5, mean 2.5
    assert net.loss(X, T) == pytest.approx(2.5, rel=1e-15)
    assert isinstance(net.loss(X, T), float)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_g_prime_of_a_is_bitwise_g_prime(name):
    act = get_activation(name)
    z = np.concatenate([sample_z(11), [[0.0, -0.0, 1e-300, -1e-300, 1e4, -1e4, 30.0]]])
    if act.g_prime_of_a is not None:
        np.testing.assert_array_equal(act.g_prime_of_a(act.g(z)), g_prime(act)(z))
    np.testing.assert_array_equal(act.delta(z, act.g(z), np.ones_like(z)), g_prime(act)(z))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_path_tanh_is_within_three_units_of_one_of_numpys(dtype):
    # The fast kernel's 2 / (1 + e^-2z) - 1 is accurate in absolute terms
    # (its error is a few units of the last place of 1, as _fast.py says),
    # not relative ones: near z = 0 the subtraction of 1 cancels.
    eps = np.finfo(dtype).eps
    z = np.concatenate([-np.logspace(-30, 3, 2000), [0.0], np.logspace(-30, 3, 2000)])
    z = z.astype(dtype).reshape(1, -1)
    a = np.empty_like(z)
    with np.errstate(over="ignore"):
        _Kernels(dtype).tanh(z, a, np.empty_like(z))
    expected = np.tanh(z.astype(np.float64))
    assert np.abs(a - expected).max() <= 3 * eps
    assert a.min() == -1.0 and a.max() == 1.0  # the limits, exactly
    # ... and the relative error near 0 is what the docstring warns about
    tiny = np.abs(z) < 1e-12
    assert (np.abs(a[tiny] - expected[tiny]) / np.abs(expected[tiny] + (z[tiny] == 0))).max() > 1e-6
