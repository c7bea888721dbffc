"""backprop.diagnostics: the Hessian tools measure the curvature they claim to.

``output_weight_curvature`` is tested against the chapters' running network
in tests/test_explorers.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop import Network
from backprop.diagnostics import sharpness


def test_sharpness_is_the_top_hessian_eigenvalue_and_leaves_the_net_alone():
    # One linear node: E = mean 1/2 (w x + b - t)^2 has the constant Hessian
    # [[mean x^2, mean x], [mean x, 1]].
    net = Network([1, 1], activations=["linear"], seed=0)
    x = np.array([[1.0], [2.0], [3.0]])
    hessian = np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
    W = net.weights[0].copy()
    assert sharpness(net, x, np.zeros((3, 1))) == pytest.approx(
        np.linalg.eigvalsh(hessian).max(), rel=1e-6
    )
    np.testing.assert_array_equal(net.weights[0], W)
