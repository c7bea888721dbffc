"""backprop.book.initialisation: the variance argument behind Glorot and He (chapter 6)."""

import numpy as np
import pytest

from backprop import Network
from backprop.book.initialisation import (
    SCHEMES,
    measured_z_variance,
    predicted_z_variance,
    weight_variance,
)


def test_weight_variances_and_the_package_draw():
    assert weight_variance("package", 4, 8) == 0.25
    assert weight_variance("glorot", 4, 12) == 0.125
    assert weight_variance("he", 4, 8) == 0.5
    assert weight_variance("glorot", 6, 6) == weight_variance("package", 6, 6)
    # the package draws Var(w) = 1/n_in
    W = Network([400, 300, 1], seed=0).weights[0]
    assert W.var() == pytest.approx(weight_variance("package", 400, 300), rel=0.02)
    with pytest.raises(ValueError, match="scheme"):
        weight_variance("xavier", 4, 8)
    assert set(SCHEMES) == {"package", "glorot", "he"}


def test_predictions_follow_var_z_equals_n_in_var_w_e_a2():
    sizes = [10, 10, 10, 10]
    np.testing.assert_allclose(predicted_z_variance(sizes, "linear", "package"), [1, 1, 1])
    np.testing.assert_allclose(predicted_z_variance(sizes, "linear", "he"), [2, 4, 8])
    np.testing.assert_allclose(predicted_z_variance(sizes, "relu", "package"), [1, 0.5, 0.25])
    np.testing.assert_allclose(predicted_z_variance(sizes, "relu", "he"), [2, 2, 2])
    np.testing.assert_allclose(
        predicted_z_variance([10, 30, 10], "linear", "glorot", input_second_moment=3.0),
        [3 * 10 * 2 / 40, 1.5 * 30 * 2 / 40],
    )
    with pytest.raises(ValueError, match="exact for"):
        predicted_z_variance(sizes, "tanh", "he")
    with pytest.raises(ValueError, match="sizes"):
        predicted_z_variance([10], "relu", "he")


def test_measurements_agree_with_the_predictions():
    sizes = [64] * 6
    for activation in ("linear", "relu"):
        for scheme in SCHEMES:
            measured = measured_z_variance(sizes, activation, scheme, n_samples=128, seeds=range(8))
            predicted = predicted_z_variance(sizes, activation, scheme)
            assert measured.shape == (5,)
            assert np.all((measured / predicted > 0.8) & (measured / predicted < 1.25))
    with pytest.raises(ValueError, match="seeds"):
        measured_z_variance(sizes, "relu", "he", seeds=[])
