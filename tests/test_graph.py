"""The computational-graph figures and the bug-pattern view (backprop.book.graph)."""

import ipywidgets as w
import matplotlib.pyplot as plt
import pytest

from backprop import gradient_check
from backprop.autograd import backward, forward_graph
from backprop.book.graph import (
    BOOK_NAMES,
    backward_frames,
    bug_view,
    draw_graph,
    plain_text,
    plot_error_pattern,
)
from backprop.bugs import BUGS, BrokenNetwork
from backprop.book.hidden_layer import worked_example


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
    plt.close(ax.figure)


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
    heights = [bar.get_height() for bar in ax.patches]
    assert len(heights) == len(errors)
    assert [h > 1e-7 for h in heights] == [name.startswith("b") for name in errors]
    plt.close(ax.figure)


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
