"""The computational-graph figures and the bug-pattern view (backprop.book.graph)."""

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop import Network, gradient_check
from backprop.autograd import backward, forward_graph
from backprop.book.graph import (
    BOOK_NAMES,
    SCALAR_NAMES,
    backward_frames,
    bug_view,
    draw_graph,
    local_derivatives,
    plain_text,
    plot_error_pattern,
)
from backprop.book.worked_example import worked_example
from backprop.bugs import BUGS, BrokenNetwork


def test_every_node_of_the_worked_example_has_a_book_name_and_a_box():
    net, x, t = worked_example()
    order = backward(forward_graph(net, [x], [t])[0])
    assert {node.name for node in order} == set(BOOK_NAMES)
    ax = draw_graph(order)
    texts = [text.get_text() for text in ax.texts]
    for node in order:
        assert f"${BOOK_NAMES[node.name]}$" in texts
    n_edges = sum(len(node.parents) for node in order)
    assert len(ax.patches) == len(order)  # one box per node
    assert sum(text.startswith("$") for text in texts) == len(order) + n_edges  # + edge labels
    plt.close("all")


def test_frames_reveal_one_adjoint_more_each():
    net, x, t = worked_example()
    frames = backward_frames(net, [x], [t])
    order = backward(forward_graph(net, [x], [t])[0])
    assert len(frames) == len(order) + 1
    counts = []
    for _title, fig in frames:
        ax = fig.axes[0]
        counts.append(sum(text.get_color() == "#D55E00" for text in ax.texts))
        plt.close(fig)
    # adjoint rows appear node by node, never disappear
    assert counts[0] == 0 and all(b > a for a, b in zip(counts, counts[1:], strict=False))
    assert frames[1][0].startswith("Backward step 1 of 12: the adjoint of $E$")


def test_error_pattern_marks_failing_blocks():
    net, x, t = worked_example()
    errors = gradient_check(BrokenNetwork(net, "forgotten_bias"), [x], [t])
    ax = plot_error_pattern(errors, title="forgotten bias")
    heights = [bar.get_height() for bar in ax.patches]  # type: ignore[attr-defined]
    assert len(heights) == len(errors)
    assert [h > 1e-7 for h in heights] == [name.startswith("b") for name in errors]
    plt.close("all")


def test_bug_view_switches_between_precomputed_pictures():
    net, x, t = worked_example()
    patterns = {bug: gradient_check(BrokenNetwork(net, bug), [x], [t]) for bug in BUGS}
    view = bug_view(patterns, value="flipped_sign")
    controls, stack = view.children[-2], view.children[-1]
    dropdown = controls.children[0]
    assert isinstance(dropdown, w.Dropdown) and isinstance(stack, w.Stack)
    assert len(stack.children) == len(BUGS)
    assert stack.selected_index == list(BUGS).index("flipped_sign")
    with pytest.raises(ValueError, match="must be one of its values"):
        bug_view(patterns, value="typo")


def test_plain_text_spells_out_the_symbols_for_alt_texts():
    assert plain_text(r"the adjoint of $\Sigma_j\, a_j w_{jk}$") == "the adjoint of sum_j a_j w_jk"
    assert all("$" not in plain_text(f"${name}$") for name in BOOK_NAMES.values())


def _scalar_chain():
    net = Network([1, 1, 1], activations=["tanh", "sigmoid"], loss="sse")
    net.weights[0][:], net.biases[0][:] = 0.7, -0.2
    net.weights[1][:], net.biases[1][:] = -1.3, 0.4
    order = backward(forward_graph(net, [[0.9]], [[1.0]])[0])
    return net, {node.name: node for node in order}, order


def test_local_derivatives_of_a_scalar_chain_are_the_engines_factors():
    net, node, order = _scalar_chain()
    v = {name: float(n.value.ravel()[0]) for name, n in node.items()}
    tanh_slope = 1 - np.tanh(v["z0"]) ** 2
    sigmoid_slope = v["a2"] * (1 - v["a2"])
    expected = {
        "a0W0": [v["W0"], v["a0"]],  # d(x w)/dx = w, d(x w)/dw = x
        "z0": [1.0, 1.0],
        "a1": [tanh_slope],
        "a1W1": [v["W1"], v["a1"]],
        "z1": [1.0, 1.0],
        "a2": [sigmoid_slope],
        "E": [v["a2"] - 1.0],
    }
    grads_before = {name: n.grad.copy() for name, n in node.items()}
    for name, values in expected.items():
        assert np.allclose(local_derivatives(node[name]), values, rtol=1e-12)
    assert local_derivatives(node["W0"]) == []  # a leaf
    for name, n in node.items():  # every adjoint restored
        assert np.array_equal(n.grad, grads_before[name])
    # the adjoint of w^(1) is the product of the local derivatives along the chain
    chain = [("E", 0), ("a2", 0), ("z1", 0), ("a1W1", 0), ("a1", 0), ("z0", 0), ("a0W0", 1)]
    product = np.prod([local_derivatives(node[name])[i] for name, i in chain])
    assert np.isclose(product, node["W0"].grad.item(), rtol=1e-12)
    assert np.isclose(product, net.gradients([[0.9]], [[1.0]])[0][0].item(), rtol=1e-12)


def test_local_derivatives_refuse_arrays():
    net, x, t = worked_example()
    order = backward(forward_graph(net, [x], [t])[0])
    with pytest.raises(ValueError, match="single numbers"):
        local_derivatives(order[-1])


def test_scalar_graph_drawn_with_numbers_on_its_edges():
    _, node, order = _scalar_chain()
    assert set(node) == set(SCALAR_NAMES)
    ax = draw_graph(order, names=SCALAR_NAMES, local_values=True)
    texts = [text.get_text() for text in ax.texts]
    assert f"{local_derivatives(node['a1'])[0]:.3f}" in texts
    assert not any(text == "$g'(z)$" for text in texts)  # numbers, not formulas
    n_edges = sum(len(n.parents) for n in order)
    assert sum(text.startswith("$") for text in texts) == len(order)  # only the symbols
    numbers = [text for text in texts if text.lstrip("-").replace(".", "", 1).isdigit()]
    assert len(numbers) >= n_edges  # a number on every edge (and the values in the boxes)
    plt.close("all")
