"""The hand-sized worked example that chapters 1 to 5 carry from start to end.

One network small enough for a calculator: two inputs, two hidden and two
output nodes (so the sum over k in eq. (14) has two terms), sigmoid
everywhere, loss SSE, round weights and zero biases::

    w_ij = [[0.5, -0.5],      w_jk = [[1.0, -1.0],
            [1.0,  0.5]]               [0.5,  1.0]]

with the observation x = (1.0, 0.5), its target t = (1, 0), and one step of
gradient descent with learning rate eta = 1.

* :func:`worked_example` builds ``(net, x, t)``;
* :func:`worked_numbers` computes every number the chapters quote: the
  forward pass, the loss, every delta, every gradient, the parameters after
  one update (eq. (7) for every parameter) and the loss after it;
* :func:`worked_table` lays them out as the text table of chapter 5, which a
  reader can use to test an implementation of their own.

Chapter 6 extends the same network by one hidden layer: between the two
matrices above sits W^(2) = [[1.0, -0.5], [0.5, 1.0]] (:data:`DEEP_W2`), so the
weights are W^(1) = w_ij, W^(2), W^(3) = w_jk, sigmoid everywhere, same x, t
and eta. :func:`deep_worked_example`, :func:`deep_worked_numbers` and
:data:`DEEP_ROWS` (for ``worked_table(numbers, rows=DEEP_ROWS)``) do for it
what the three functions above do for the chapters 1 to 5 network.

Chapters 1 to 5 glue these numbers into the prose; a number is only ever
computed here, so the chapters cannot disagree.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..network import Network

LEARNING_RATE = 1.0
"""The eta of the worked example's one update step."""

ROWS = [
    # (key, what it is, equation)
    ("a_i", "input a_i", "data"),
    ("t_k", "target t_k", "data"),
    ("z_j", "hidden pre-activation z_j", "forward"),
    ("a_j", "hidden activation a_j", "forward"),
    ("z_k", "output pre-activation z_k", "forward"),
    ("a_k", "output activation a_k", "forward"),
    ("E", "error E", "(1)"),
    ("delta_k", "output signal delta_k", "(5)"),
    ("dw_jk", "dE/dw_jk, rows j", "(6)"),
    ("db_k", "dE/db_k", "(8)"),
    ("delta_j", "hidden signal delta_j", "(14)"),
    ("dw_ij", "dE/dw_ij, rows i", "(15)"),
    ("db_j", "dE/db_j", "(18)"),
    ("new_w_ij", "w_ij after the step", "(7)"),
    ("new_b_j", "b_j after the step", "(7)"),
    ("new_w_jk", "w_jk after the step", "(7)"),
    ("new_b_k", "b_k after the step", "(7)"),
    ("E_after", "error E after the step", "(1)"),
]
"""The rows of :func:`worked_table`, in the order the chapters meet them."""


def worked_example() -> tuple[Network, np.ndarray, np.ndarray]:
    """The hand-sized network of chapters 1 to 5 and its observation: ``(net, x, t)``.

    ``net.weights[0]`` is w_ij (2, 2), ``net.weights[1]`` is w_jk (2, 2), both
    biases are zero; ``x`` = (1.0, 0.5) has shape (2,), ``t`` = (1, 0) has
    shape (2,). Each call builds a fresh network.
    """
    net = Network([2, 2, 2], activations=["sigmoid", "sigmoid"], loss="sse")
    net.weights[0][:] = [[0.5, -0.5], [1.0, 0.5]]
    net.weights[1][:] = [[1.0, -1.0], [0.5, 1.0]]
    for b in net.biases:
        b[:] = 0.0
    return net, np.array([1.0, 0.5]), np.array([1.0, 0.0])


def worked_numbers(learning_rate: float = LEARNING_RATE) -> dict[str, np.ndarray]:
    """Every number of the worked example, unrounded, keyed as in :data:`ROWS`.

    Forward pass (``z_j``, ``a_j``, ``z_k``, ``a_k``, shape (2,)), the error
    ``E`` of eq. (1) (shape ()), the signals ``delta_k`` (eq. (5)) and
    ``delta_j`` (eq. (14)), the gradients ``dw_jk`` (eq. (6)), ``db_k``
    (eq. (8)), ``dw_ij`` (eq. (15)), ``db_j`` (eq. (18)), the parameters after
    one step ``theta - learning_rate * dE/dtheta`` (eq. (7)) on all of them at
    once, and the error ``E_after`` of the stepped network.
    """
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    net, x, t = worked_example()
    X, T = x[None, :], t[None, :]
    cache = net.feedforward(X)
    grads = net.backward(cache, T)
    numbers = {
        "a_i": x,
        "t_k": t,
        "z_j": cache.z[0][0],
        "a_j": cache.a[1][0],
        "z_k": cache.z[1][0],
        "a_k": cache.a[2][0],
        "E": np.asarray(net.loss(X, T)),
        "delta_k": grads.delta[1][0],
        "dw_jk": grads.dW[1],
        "db_k": grads.db[1],
        "delta_j": grads.delta[0][0],
        "dw_ij": grads.dW[0],
        "db_j": grads.db[0],
    }
    for l, layer in enumerate(["ij", "jk"]):  # noqa: E741
        node = layer[1]
        net.weights[l] -= learning_rate * grads.dW[l]  # eq. (7)
        net.biases[l] -= learning_rate * grads.db[l]
        numbers[f"new_w_{layer}"] = net.weights[l].copy()
        numbers[f"new_b_{node}"] = net.biases[l].copy()
    numbers["E_after"] = np.asarray(net.loss(X, T))
    return numbers


def worked_table(
    numbers: dict[str, np.ndarray] | None = None,
    decimals: int = 4,
    rows: list[tuple[str, str, str]] | None = None,
) -> str:
    """The worked example as a plain-text table, one quantity per line.

    Each line names the quantity, the equation it comes from and its values
    rounded to ``decimals`` (a 2 x 2 matrix is written row by row, rows
    separated by ``|``). ``numbers`` defaults to :func:`worked_numbers`,
    ``rows`` to :data:`ROWS` (pass :data:`DEEP_ROWS` with
    :func:`deep_worked_numbers`).
    """
    numbers = worked_numbers() if numbers is None else numbers
    rows = ROWS if rows is None else rows
    decimals = _checks.positive_int("decimals", decimals)
    missing = [key for key, _, _ in rows if key not in numbers]
    if missing:
        raise ValueError(f"numbers has no {missing}: pass the rows that belong to these numbers")
    width = max(len(label) for _, label, _ in rows)
    lines = []
    for key, label, equation in rows:
        value = np.atleast_2d(numbers[key])
        cells = [" ".join(f"{v:{decimals + 4}.{decimals}f}" for v in row) for row in value]
        lines.append(f"{label:{width}s}  {equation:8s}  {' | '.join(cells)}")
    return "\n".join(lines)


DEEP_W2 = [[1.0, -0.5], [0.5, 1.0]]
"""W^(2) of chapter 6's deep worked example, between w_ij and w_jk of chapters 1 to 5."""

DEEP_LAYERS = 3
"""Weight layers of the deep worked example: two hidden layers and the output."""

DEEP_ROWS = (
    [("a_0", "input a^(0) = x", "data"), ("t", "target t", "data")]
    + [
        row
        for l in range(1, DEEP_LAYERS + 1)  # noqa: E741 (layer l of the text)
        for row in [
            (f"z_{l}", f"pre-activation z^({l})", "forward"),
            (f"a_{l}", f"activation a^({l})", "forward"),
        ]
    ]
    + [("E", "error E", "(1)")]
    + [
        row
        for l in range(DEEP_LAYERS, 0, -1)  # noqa: E741 (layer l of the text)
        for row in [
            (f"delta_{l}", f"signal delta^({l})", "(5)" if l == DEEP_LAYERS else "(14)"),
            (f"dW_{l}", f"dE/dW^({l}), rows i", "(6)" if l == DEEP_LAYERS else "(15)"),
            (f"db_{l}", f"dE/db^({l})", "(8)" if l == DEEP_LAYERS else "(18)"),
        ]
    ]
    + [
        row
        for l in range(1, DEEP_LAYERS + 1)  # noqa: E741 (layer l of the text)
        for row in [
            (f"new_W_{l}", f"W^({l}) after the step", "(7)"),
            (f"new_b_{l}", f"b^({l}) after the step", "(7)"),
        ]
    ]
    + [("E_after", "error E after the step", "(1)")]
)
"""The rows of ``worked_table(deep_worked_numbers(), rows=DEEP_ROWS)``: the
forward pass layer by layer, the error, the backward pass from the output
down, the update, the error after it. Keys carry the layer l of the text."""


def deep_worked_example() -> tuple[Network, np.ndarray, np.ndarray]:
    """Chapter 6's worked example: the calculator network with a second hidden layer.

    Sizes [2, 2, 2, 2], sigmoid everywhere, loss SSE, zero biases;
    ``net.weights`` are W^(1) = w_ij of :func:`worked_example`,
    W^(2) = :data:`DEEP_W2` and W^(3) = w_jk, each (2, 2). Returns
    ``(net, x, t)`` with the same ``x`` = (1.0, 0.5) and ``t`` = (1, 0), shape
    (2,). Each call builds a fresh network.
    """
    shallow, x, t = worked_example()
    net = Network([2, 2, 2, 2], activations=["sigmoid"] * DEEP_LAYERS, loss="sse")
    net.weights[0][:] = shallow.weights[0]
    net.weights[1][:] = DEEP_W2
    net.weights[2][:] = shallow.weights[1]
    for b in net.biases:
        b[:] = 0.0
    return net, x, t


def deep_worked_numbers(learning_rate: float = LEARNING_RATE) -> dict[str, np.ndarray]:
    """Every number of the deep worked example, unrounded, keyed as in :data:`DEEP_ROWS`.

    For each layer l = 1, 2, 3 of the text: ``z_l``, ``a_l`` (shape (2,)),
    the signal ``delta_l`` (eq. (5) for l = 3, eq. (14) below), the gradients
    ``dW_l`` (2, 2) (eqs. (6), (15): entry (i, j) is a^(l-1)_i delta^(l)_j)
    and ``db_l`` (eqs. (8), (18)), and the parameters ``new_W_l``, ``new_b_l``
    after one step of eq. (7) on all of them at once; ``a_0`` is the input,
    ``t`` the target, ``E`` and ``E_after`` the error of eq. (1) before and
    after the step (shape ()). All come from ``Network.feedforward`` and
    ``Network.backward``.
    """
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    net, x, t = deep_worked_example()
    X, T = x[None, :], t[None, :]
    cache = net.feedforward(X)
    grads = net.backward(cache, T)
    numbers: dict[str, np.ndarray] = {"a_0": x, "t": t, "E": np.asarray(net.loss(X, T))}
    for l in range(1, DEEP_LAYERS + 1):  # noqa: E741 (layer l of the text, list position l - 1)
        numbers[f"z_{l}"] = cache.z[l - 1][0]
        numbers[f"a_{l}"] = cache.a[l][0]
        numbers[f"delta_{l}"] = grads.delta[l - 1][0]
        numbers[f"dW_{l}"] = grads.dW[l - 1]
        numbers[f"db_{l}"] = grads.db[l - 1]
    for l in range(1, DEEP_LAYERS + 1):  # noqa: E741
        net.weights[l - 1] -= learning_rate * grads.dW[l - 1]  # eq. (7)
        net.biases[l - 1] -= learning_rate * grads.db[l - 1]
        numbers[f"new_W_{l}"] = net.weights[l - 1].copy()
        numbers[f"new_b_{l}"] = net.biases[l - 1].copy()
    numbers["E_after"] = np.asarray(net.loss(X, T))
    return numbers
