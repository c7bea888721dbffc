"""The hand-sized worked example of chapters 1-5, and numerical_jacobian."""

import numpy as np
import pytest

from backprop import reference
from backprop.book.worked_example import (
    DEEP_ROWS,
    ROWS,
    deep_worked_example,
    deep_worked_numbers,
    worked_example,
    worked_numbers,
    worked_table,
)
from backprop.gradcheck import numerical_gradients, numerical_jacobian


def test_numbers_agree_with_the_index_loops_and_finite_differences():
    net, x, t = worked_example()
    numbers = worked_numbers()
    forward = reference.feedforward_loops(net, x)
    for key in ["z_j", "a_j", "z_k", "a_k"]:
        np.testing.assert_allclose(numbers[key], forward[key], rtol=1e-12)
    np.testing.assert_allclose(numbers["E"], 0.5 * np.sum((forward["a_k"] - t) ** 2), rtol=1e-12)
    np.testing.assert_allclose(numbers["delta_k"], reference.output_deltas_loops(net, x, t))
    np.testing.assert_allclose(numbers["delta_j"], reference.hidden_deltas_loops(net, x, t))
    num_dW, num_db = numerical_gradients(net, x[None, :], t[None, :])
    for key, numeric in [
        ("dw_ij", num_dW[0]),
        ("db_j", num_db[0]),
        ("dw_jk", num_dW[1]),
        ("db_k", num_db[1]),
    ]:
        np.testing.assert_allclose(numbers[key], numeric, rtol=1e-7, atol=1e-10)


def test_the_update_is_eq_7_and_lowers_the_error():
    net, x, t = worked_example()
    numbers = worked_numbers(learning_rate=1.0)
    np.testing.assert_allclose(numbers["new_w_ij"], net.weights[0] - numbers["dw_ij"])
    np.testing.assert_allclose(numbers["new_b_k"], -numbers["db_k"])
    net.weights[0][:] = numbers["new_w_ij"]
    net.weights[1][:] = numbers["new_w_jk"]
    net.biases[0][:] = numbers["new_b_j"]
    net.biases[1][:] = numbers["new_b_k"]
    after = net.loss(x[None, :], t[None, :])
    assert after == pytest.approx(float(numbers["E_after"]), rel=1e-12)
    assert after < numbers["E"]
    half = worked_numbers(learning_rate=0.5)
    assert numbers["E_after"] < half["E_after"] < numbers["E"]


def test_no_printed_number_sits_on_a_rounding_edge():
    # each value is printed to 4 decimals; another evaluation order moves it by
    # ~1e-16, so it must be far (1e-7) from a half unit of the 4th decimal
    for key, value in worked_numbers().items():
        scaled = np.abs(np.asarray(value, dtype=float)) * 1e4
        distance = np.abs(scaled - np.floor(scaled) - 0.5)
        assert np.all(distance > 1e-3), key


def test_table_lists_every_row_to_four_decimals():
    table = worked_table()
    lines = table.splitlines()
    assert len(lines) == len(ROWS)
    assert "0.1301" in lines[[k for k, _, _ in ROWS].index("E")]
    assert "-0.0316" in lines[[k for k, _, _ in ROWS].index("delta_j")]
    with pytest.raises(ValueError, match="decimals"):
        worked_table(decimals=0)


def test_each_call_builds_a_fresh_network():
    net, _, _ = worked_example()
    net.weights[0][0, 0] = 99.0
    assert worked_example()[0].weights[0][0, 0] == 0.5


def test_numerical_jacobian_is_eq_12_and_restores_the_parameter():
    net, x, _ = worked_example()
    W_ij, W_jk = net.weights
    saved = W_ij.copy()
    jac = numerical_jacobian(lambda: net.feedforward(x[None, :]).z[1][0], W_ij)
    assert jac.shape == (2, 2, 2)
    np.testing.assert_array_equal(W_ij, saved)
    a_j = net.feedforward(x[None, :]).a[1][0]
    expected = np.einsum("jk,j,i->ijk", W_jk, a_j * (1 - a_j), x)
    np.testing.assert_allclose(jac, expected, rtol=1e-8, atol=1e-12)
    with pytest.raises(ValueError, match="float NumPy array"):
        numerical_jacobian(lambda: 0.0, [1.0, 2.0])  # type: ignore[arg-type]


def test_deep_numbers_are_network_gradients_and_finite_differences():
    net, x, t = deep_worked_example()
    shallow, _, _ = worked_example()
    np.testing.assert_array_equal(net.weights[0], shallow.weights[0])
    np.testing.assert_array_equal(net.weights[2], shallow.weights[1])
    numbers = deep_worked_numbers()
    X, T = x[None, :], t[None, :]
    dW, db = net.gradients(X, T)
    num_dW, num_db = numerical_gradients(net, X, T)
    for l in (1, 2, 3):  # noqa: E741
        np.testing.assert_allclose(numbers[f"dW_{l}"], dW[l - 1], rtol=1e-12)
        np.testing.assert_allclose(numbers[f"db_{l}"], db[l - 1], rtol=1e-12)
        np.testing.assert_allclose(numbers[f"dW_{l}"], num_dW[l - 1], rtol=1e-6, atol=1e-10)
        np.testing.assert_allclose(numbers[f"db_{l}"], num_db[l - 1], rtol=1e-6, atol=1e-10)
    # eq. (5) at the output, eq. (14) below, written out
    a3, z3 = numbers["a_3"], numbers["z_3"]
    s3 = 1 / (1 + np.exp(-z3))
    np.testing.assert_allclose(numbers["delta_3"], (a3 - t) * s3 * (1 - s3), rtol=1e-12)
    for l in (2, 1):  # noqa: E741
        a = numbers[f"a_{l}"]
        below = a * (1 - a) * (net.weights[l] @ numbers[f"delta_{l + 1}"])
        np.testing.assert_allclose(numbers[f"delta_{l}"], below, rtol=1e-12)
        np.testing.assert_allclose(
            numbers[f"dW_{l}"], np.outer(numbers[f"a_{l - 1}"], numbers[f"delta_{l}"])
        )


def test_deep_update_is_eq_7_and_lowers_the_error():
    net, x, t = deep_worked_example()
    numbers = deep_worked_numbers(learning_rate=1.0)
    for l in (1, 2, 3):  # noqa: E741
        np.testing.assert_allclose(
            numbers[f"new_W_{l}"], net.weights[l - 1] - numbers[f"dW_{l}"], rtol=1e-15
        )
        net.weights[l - 1][:] = numbers[f"new_W_{l}"]
        net.biases[l - 1][:] = numbers[f"new_b_{l}"]
    after = net.loss(x[None, :], t[None, :])
    assert after == pytest.approx(float(numbers["E_after"]), rel=1e-12)
    assert after < numbers["E"]
    with pytest.raises(ValueError, match="learning_rate"):
        deep_worked_numbers(learning_rate=0.0)


def test_deep_numbers_sit_off_rounding_edges_and_fill_the_table():
    numbers = deep_worked_numbers()
    assert {key for key, _, _ in DEEP_ROWS} == set(numbers)
    for key, value in numbers.items():
        scaled = np.abs(np.asarray(value, dtype=float)) * 1e4
        distance = np.abs(scaled - np.floor(scaled) - 0.5)
        assert np.all(distance > 1e-3), key
    lines = worked_table(numbers, rows=DEEP_ROWS).splitlines()
    assert len(lines) == len(DEEP_ROWS)
    assert "0.1382" in lines[[k for k, _, _ in DEEP_ROWS].index("E")]
    assert "-0.0086" in lines[[k for k, _, _ in DEEP_ROWS].index("delta_1")]
    with pytest.raises(ValueError, match="rows"):
        worked_table(numbers)  # the rows of chapters 1-5 name keys it does not have
    assert deep_worked_example()[0].weights[1][0, 1] == -0.5  # a fresh network each call
