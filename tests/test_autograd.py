"""The reverse-mode engine agrees with the network's backward pass."""

import ast
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network, autograd, relative_error
from backprop.autograd import Node, backward, forward_graph, gradients

OUTPUTS = {"sse": sorted(ACTIVATIONS), "cross_entropy": ["softmax"]}
OUTPUTS["binary_cross_entropy"] = ["sigmoid"]


def targets(loss: str, rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    if loss == "sse":
        return rng.normal(0.0, 1.0, (n, k))
    if loss == "cross_entropy":
        # rows of eighths sum to exactly 1 (the network's a - t assumes it)
        return rng.multinomial(8, np.ones(k) / k, n) / 8.0
    return rng.uniform(0.0, 1.0, (n, k))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Network, np.ndarray, np.ndarray]:
    """Any loss, 1-5 weight layers of widths 1-8, any hidden activations."""
    loss = draw(st.sampled_from(sorted(LOSSES)))
    n_layers = draw(st.integers(1, 5))
    sizes = draw(st.lists(st.integers(1, 8), min_size=n_layers + 1, max_size=n_layers + 1))
    hidden = draw(
        st.lists(st.sampled_from(HIDDEN_ACTIVATIONS), min_size=n_layers - 1, max_size=n_layers - 1)
    )
    output = draw(st.sampled_from(OUTPUTS[loss]))
    n_samples = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    net = Network(sizes, activations=[*hidden, output], loss=loss, seed=seed)
    rng = np.random.default_rng(seed)
    net.biases = [rng.normal(0.0, 0.5, b.shape) for b in net.biases]
    X = rng.normal(0.0, 1.0, (n_samples, sizes[0]))
    return net, X, targets(loss, rng, n_samples, sizes[-1])


def test_every_loss_has_an_engine_operation():
    assert set(autograd.LOSS_OPS) == set(LOSSES)


@given(cases())
def test_engine_equals_network_gradients(case):
    net, X, T = case
    before = [p.copy() for p in net.weights + net.biases]
    dW, db = gradients(net, X, T)
    want_dW, want_db = net.gradients(X, T)
    for got, want in zip(dW + db, want_dW + want_db, strict=True):
        assert got.shape == want.shape
        assert relative_error(got, want) < 1e-12, (net, relative_error(got, want))
    for p, q in zip(net.weights + net.biases, before, strict=True):
        assert np.array_equal(p, q)  # the engine reads the parameters, never writes


@given(cases())
def test_engine_loss_and_z_adjoints_are_the_network_loss_and_deltas(case):
    """E is net.loss; the adjoint of z_l is delta_l / N (eqs. (5), (14))."""
    net, X, T = case
    E, _, _ = forward_graph(net, X, T)
    order = backward(E)
    assert float(E.value) == pytest.approx(net.loss(X, T), rel=1e-12, abs=1e-300)
    deltas = net.backward(net.feedforward(X), T).delta
    z_nodes = {node.name: node for node in order if node.name.startswith("z")}
    assert sorted(z_nodes) == [f"z{n}" for n in range(len(net.weights))]
    for l, delta in enumerate(deltas):  # noqa: E741
        assert relative_error(z_nodes[f"z{l}"].grad * len(X), delta) < 1e-12


def test_backward_visits_each_node_once_children_first():
    net = Network([2, 3, 2], activations=["tanh", "sigmoid"], seed=0)
    E, W_nodes, b_nodes = forward_graph(net, [[0.5, -1.0]], [[1.0, 0.0]])
    order = backward(E)
    names = [node.name for node in order]
    assert len(names) == len(set(names)) == 12  # a0 W0 b0 a0W0 z0 a1 W1 b1 a1W1 z1 a2 E
    position = {id(node): i for i, node in enumerate(order)}
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
        assert len(node.local) == len(node.parents)
    assert order[-1] is E and E.grad == 1.0
    assert W_nodes[0].value is net.weights[0]  # leaves hold the parameters themselves


def test_a_shared_node_sums_the_adjoints_of_its_uses():
    """x used twice: d(x W + x W)/dx collects both paths (the multivariate chain rule)."""
    x = Node(np.array([[1.0, 2.0]]), name="x")
    W = Node(np.array([[1.0], [3.0]]), name="W")
    s = autograd.add_bias(autograd.matmul(x, W), Node(np.zeros(1)))
    twice = autograd.matmul(x, W)
    total = Node(s.value + twice.value, (s, twice), ("1", "1"), "total")

    def rule() -> None:
        s.grad += total.grad
        twice.grad += total.grad

    total.rule = rule
    backward(total)
    np.testing.assert_array_equal(x.grad, [[2.0, 6.0]])
    np.testing.assert_array_equal(W.grad, [[2.0], [4.0]])


def test_bad_input_gets_the_network_s_clear_errors():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="expected shape"):
        gradients(net, [[1.0, 2.0, 3.0]], [[1.0]])
    with pytest.raises(ValueError, match="X has 1 rows but T has 2"):
        gradients(net, [[1.0, 2.0]], [[1.0], [0.0]])
    bce = Network([2, 1], activations=["sigmoid"], loss="binary_cross_entropy")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        gradients(bce, [[1.0, 2.0]], [[3.0]])


def test_engine_imports_only_numpy_and_the_floors_below():
    source = Path(autograd.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    allowed = {"__future__", "collections.abc", "numpy", "numpy.typing"}
    allowed |= {".activations", ".losses", ".network"}
    assert imported <= allowed, imported - allowed
