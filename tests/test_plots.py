"""Tests of backprop.book (Figure 1, style, plots) and backprop.diagnostics."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.mathtext import MathTextParser
from matplotlib.patches import FancyBboxPatch

from backprop import History, Network, datasets
from backprop.book.figure1 import (
    SHOW_MODES,
    backprop_steps,
    draw_network,
)
from backprop.book.plots import (
    plot_activation,
    plot_decision_boundary,
    plot_gradient_norms,
    plot_loss_curves,
)
from backprop.book.style import (
    NEGATIVE,
    POSITIVE,
    format_number,
)
from backprop.diagnostics import layer_gradient_norms

ARCHITECTURES = [[2, 3, 1], [2, 3, 2], [3, 4, 2], [2, 4, 3, 2]]
MATHTEXT = MathTextParser("path")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def texts(ax: Axes) -> str:
    """Every string drawn on the axes (node labels, headers, title)."""
    return "\n".join([t.get_text() for t in ax.texts] + [ax.get_title(loc="left")])


def example(sizes: list[int]) -> tuple[Network, np.ndarray, np.ndarray]:
    net = Network(sizes, activations="tanh", seed=3)
    x = np.linspace(-1.0, 1.0, sizes[0])
    t = np.eye(sizes[-1])[0]
    return net, x, t


def test_format_number_rounds_to_three_decimals() -> None:
    assert format_number(0.12345) == "0.123"
    assert format_number(-1.5) == "-1.500"
    assert format_number(-0.0) == "0.000"
    assert format_number(-0.00001) == "-1.0e-05"


@pytest.mark.parametrize("sizes", ARCHITECTURES)
@pytest.mark.parametrize("show", SHOW_MODES)
def test_draw_network_draws_every_node_and_edge(sizes: list[int], show: str) -> None:
    net, x, t = example(sizes)
    ax = draw_network(net, x, t, show=show)
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == sum(sizes) + sizes[-1] + 1  # neurons, targets t_k, the error E
    edges = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert [len(c.get_segments()) for c in edges] == [W.size for W in net.weights]
    assert tuple(ax.figure.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)  # opaque: dark-mode safe


def test_edges_width_follows_abs_weight_and_colour_its_sign() -> None:
    net, x, t = example([2, 3, 1])
    net.weights[0][:] = [[1.0, -0.5, 0.0], [0.25, -1.0, 0.5]]
    ax = draw_network(net)
    first = next(c for c in ax.collections if isinstance(c, LineCollection))
    widths = np.asarray(first.get_linewidth())
    W = net.weights[0].ravel()
    order = np.argsort(np.abs(W))
    assert np.all(np.diff(widths[order]) >= 0)
    colors = np.asarray(first.get_colors())
    blue, vermillion = matplotlib.colors.to_rgba(POSITIVE), matplotlib.colors.to_rgba(NEGATIVE)
    for w, color in zip(W, colors, strict=True):
        assert tuple(color[:3]) == (blue if w >= 0 else vermillion)[:3]


def test_structure_mode_uses_the_texts_names() -> None:
    net, _, _ = example([2, 3, 1])
    ax = draw_network(net, show="structure")
    text = texts(ax)
    for label in [
        "$a_i$",
        "$w_{ij}$",
        "$w_{jk}$",
        r"$z_j \to g_j \to a_j$",
        r"$z_k \to g_k \to a_k$",
        "$t_k$",
        "$E$",
        "$a_{1}$",
        "$t_{1}$",
        r"$\Sigma$",
    ]:
        assert label in text
    legend = ax.get_legend()
    assert legend is not None
    assert "bias units not drawn" in " ".join(t.get_text() for t in legend.get_texts())
    assert "0." not in text  # no numbers in the symbolic drawing


def test_deep_networks_number_their_layers() -> None:
    net, _, _ = example([2, 4, 3, 2])
    text = texts(draw_network(net))
    assert "$z^{(1)}_j" in text and "$z^{(2)}_j" in text and "$w^{(3)}_{ij}$" in text


def test_forward_mode_shows_z_and_a_of_each_node() -> None:
    net, x, t = example([3, 4, 2])
    cache = net.feedforward(x[None, :])
    text = texts(draw_network(net, x, show="forward"))
    for l, z in enumerate(cache.z):  # noqa: E741
        for value in z[0]:
            assert f"$z$ = {format_number(value)}" in text
        for value in cache.a[l + 1][0]:
            assert f"$a$ = {format_number(value)}" in text
    for value in x:
        assert f"$a$ = {format_number(value)}" in text
    assert "delta" not in text


def test_backward_mode_shows_each_delta_and_the_error() -> None:
    net, x, t = example([2, 3, 2])
    grads = net.backward(net.feedforward(x[None, :]), t[None, :])
    text = texts(draw_network(net, x, t, show="backward"))
    for delta in grads.delta:
        for value in delta[0]:
            assert f"$\\delta$ = {format_number(value)}" in text
    assert format_number(net.loss(x[None, :], t[None, :])) in text
    assert "$z$ =" not in text


def test_all_mode_and_gradient_labels() -> None:
    net, x, t = example([2, 3, 1])
    dW, _ = net.gradients(x[None, :], t[None, :])
    text = texts(draw_network(net, x, t, show="all", edge_labels="dW"))
    assert "$z$ =" in text and "$\\delta$ =" in text
    for value in dW[1].ravel():
        assert format_number(value) in text


@pytest.mark.parametrize(("edge_labels", "shows"), [(None, "dW"), ("dW", "dW"), ("w", "w")])
def test_a_gradient_highlight_labels_what_edge_labels_asks(edge_labels, shows) -> None:
    net, x, t = example([2, 3, 1])
    dW, _ = net.gradients(x[None, :], t[None, :])
    ax = draw_network(net, x, t, show="all", highlight=("gradient", 2), edge_labels=edge_labels)
    labels = [text.get_text() for text in ax.texts if text.get_fontsize() == 6.5]
    expected = dW[1] if shows == "dW" else net.weights[1]
    assert sorted(labels) == sorted(format_number(v) for v in expected.ravel())


def test_draw_network_rejects_bad_requests() -> None:
    net, x, t = example([2, 3, 1])
    with pytest.raises(ValueError, match="show must be one of"):
        draw_network(net, x, t, show="everything")
    with pytest.raises(ValueError, match="needs an input x"):
        draw_network(net, show="forward")
    with pytest.raises(ValueError, match="needs a target t"):
        draw_network(net, x, show="backward")
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        draw_network(net, [1.0, 2.0, 3.0], show="forward")
    with pytest.raises(ValueError, match="highlight"):
        draw_network(net, x, t, show="all", highlight=("sideways", 1))
    with pytest.raises(ValueError, match="from 1 to 2"):
        draw_network(net, x, t, show="all", highlight=("backward", 0))


@pytest.mark.parametrize("sizes", [[2, 3, 1], [2, 4, 3, 2]])
def test_backprop_steps_walk_forward_loss_backward(sizes: list[int]) -> None:
    net, x, t = example(sizes)
    steps = backprop_steps(net, x, t)
    L = len(sizes) - 1
    assert len(steps) == (L + 1) + 1 + 2 * L  # forward layers 0..L, loss, delta + gradients
    titles = [title for title, _ in steps]
    assert all(title.startswith(f"Step {n + 1}.") for n, title in enumerate(titles))
    assert all("feedforward" in title for title in titles[1 : L + 1])
    assert "eq. (1)" in titles[L + 1]
    backward = titles[L + 2 :]
    assert "eq. (5)" in backward[0]
    assert "eq. (6)" in backward[1] and "eq. (8)" in backward[1]
    for delta, gradient in zip(backward[2::2], backward[3::2], strict=True):
        assert "eq. (14)" in delta
        assert "eq. (15)" in gradient and "eq. (18)" in gradient
    for title, kwargs in steps:
        assert kwargs["title"] == title
        MATHTEXT.parse(title)  # raises ValueError if matplotlib cannot typeset it


@pytest.mark.parametrize(
    ("loss", "output", "words"),
    [
        ("sse", "sigmoid", "eq. (1)"),
        ("cross_entropy", "softmax", "cross-entropy $E = -\\sum_k t_k \\log a_k$"),
        ("binary_cross_entropy", "sigmoid", "(1 - t_k) \\log(1 - a_k)"),
    ],
)
def test_backprop_steps_name_the_network_s_own_loss(loss: str, output: str, words: str) -> None:
    net = Network([2, 3, 2], activations="tanh", loss=loss, output_activation=output, seed=3)
    title = backprop_steps(net, [0.5, -0.5], [1.0, 0.0])[3][0]
    assert title.startswith("Step 4. Error: ") and words in title
    assert ("binary" in title) == (loss == "binary_cross_entropy")
    MATHTEXT.parse(title)


def test_backprop_steps_reveal_only_what_is_computed() -> None:
    net, x, t = example([2, 3, 1])
    cache = net.feedforward(x[None, :])
    grads = net.backward(cache, t[None, :])
    steps = [draw_network(**kwargs) for _, kwargs in backprop_steps(net, x, t)]
    assert [ax.get_title(loc="left")[:7] for ax in steps] == [f"Step {n}." for n in range(1, 9)]
    hidden_z = f"$z$ = {format_number(cache.z[0][0, 0])}"
    output_z = f"$z$ = {format_number(cache.z[1][0, 0])}"
    E = format_number(net.loss(x[None, :], t[None, :]))
    output_delta = f"$\\delta$ = {format_number(grads.delta[1][0, 0])}"
    hidden_delta = f"$\\delta$ = {format_number(grads.delta[0][0, 0])}"
    assert hidden_z not in texts(steps[0])
    assert hidden_z in texts(steps[1]) and output_z not in texts(steps[1])
    assert output_z in texts(steps[2]) and E not in texts(steps[2]).split("\n")
    assert E in texts(steps[3]).split("\n")
    assert output_delta in texts(steps[4]) and hidden_delta not in texts(steps[4])
    assert format_number(grads.dW[1][0, 0]) in texts(steps[5])
    assert hidden_delta in texts(steps[6])
    assert format_number(grads.dW[0][0, 0]) in texts(steps[7])


def test_plot_activation_draws_g_and_g_prime_for_every_hidden_activation() -> None:
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
    fig, axes = plt.subplots(1, len(names))
    for name, ax in zip(names, axes, strict=True):
        plot_activation(name, ax=ax)
        assert len(ax.lines) == 4  # two axis lines, g, g'
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[0].startswith("$g(z)") and labels[1].startswith("$g'(z)")
        for label in labels:
            MATHTEXT.parse(label)  # every formula must typeset
    with pytest.raises(ValueError, match="couples the nodes"):
        plot_activation("softmax")


def test_plot_loss_curves_draws_train_and_validation_on_log_scale() -> None:
    history = History(loss=[1.0, 0.5, 0.2], val_loss=[1.1, 0.6, 0.3])
    ax = plot_loss_curves(history)
    assert ax.get_yscale() == "log"
    assert [np.size(line.get_xdata()) for line in ax.lines] == [3, 3]
    assert not ax.texts


def test_plot_loss_curves_says_when_training_diverged() -> None:
    X, T = datasets.sine(40, seed=0)
    net = Network([1, 8, 1], activations=["tanh", "linear"], seed=0)
    history = net.fit(X, T, learning_rate=50.0, epochs=50)
    assert history.diverged
    ax = plot_loss_curves(history)
    assert history.message in " ".join(texts(ax).split())  # wrapped over lines
    assert "No epochs run." in texts(plot_loss_curves(History()))


def test_plot_decision_boundary_2d_heatmap_and_diverged_message() -> None:
    X, T = datasets.two_moons(60, seed=0)
    net = Network([2, 5, 1], activations="tanh", seed=0)
    ax = plot_decision_boundary(net, X[:40], T[:40], X_test=X[40:], T_test=T[40:], resolution=30)
    assert len(ax.images) == 1
    P = ax.images[0].get_array()
    assert P is not None
    assert P.shape == (30, 30) and P.min() >= 0.0 and P.max() <= 1.0
    assert len(ax.collections) >= 4  # contour, and two classes each of train and test points
    diverged = History(loss=[0.3], diverged=True, diverged_at=1)
    ax = plot_decision_boundary(net, X, T, history=diverged)
    assert not ax.images
    assert diverged.message in " ".join(texts(ax).split())  # wrapped over lines


def test_plot_decision_boundary_several_classes_shows_the_predicted_class() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    T = datasets.one_hot(rng.integers(0, 3, 30), 3)
    net = Network([2, 4, 3], activations="tanh", loss="cross_entropy", seed=0)
    ax = plot_decision_boundary(net, X, T, resolution=20)
    P = ax.images[0].get_array()
    assert P is not None and set(np.unique(P)) <= {0, 1, 2}


def test_plot_decision_boundary_1d_is_a_fit_curve() -> None:
    X, T = datasets.sine(30, seed=0)
    net = Network([1, 4, 1], activations=["tanh", "linear"], seed=0)
    ax = plot_decision_boundary(net, X, T)
    assert len(ax.lines) == 1 and np.size(ax.lines[0].get_xdata()) == 300
    with pytest.raises(ValueError, match="1 or 2 inputs"):
        plot_decision_boundary(Network([3, 2, 1]), np.zeros((4, 3)), np.zeros((4, 1)))


def test_plot_gradient_norms_bars_or_lines() -> None:
    ax = plot_gradient_norms(np.array([1e-4, 1e-2, 1.0]))
    assert len(ax.patches) == 3 and ax.get_yscale() == "log"
    ax = plot_gradient_norms({"sigmoid": [1e-5, 1e-3], "relu": [1e-2, 1e-2]})
    assert [line.get_label() for line in ax.lines] == ["sigmoid", "relu"]


def test_plot_gradient_norms_on_a_linear_axis_starts_at_zero() -> None:
    # 2.6e-3 and 3.6e-3 on a log axis with automatic limits look ten times
    # apart; on a linear axis from 0 their bars compare as the numbers do
    ax = plot_gradient_norms(np.array([2.6e-3, 3.6e-3]), scale="linear")
    assert ax.get_yscale() == "linear"
    assert ax.get_ylim()[0] == 0.0
    assert ax.get_ylim()[1] >= 3.6e-3
    assert [round(p.get_height(), 6) for p in ax.patches] == [2.6e-3, 3.6e-3]  # type: ignore[attr-defined]
    assert plot_gradient_norms(np.array([1e-4, 1.0])).get_yscale() == "log"
    with pytest.raises(ValueError, match="scale"):
        plot_gradient_norms(np.array([1.0]), scale="logarithmic")


def test_layer_gradient_norms_by_hand() -> None:
    # One linear unit, w = 1, b = 0, inputs 1 and 2, targets 0: a = x and
    # delta = (a - t) g'(z) = x, so dE/dw = mean(x delta) = (1 + 4) / 2 and
    # the mean |delta| = (1 + 2) / 2.
    net = Network([1, 1], activations=["linear"], seed=0)
    net.weights[0][:] = 1.0
    X, T = np.array([[1.0], [2.0]]), np.zeros((2, 1))
    np.testing.assert_allclose(layer_gradient_norms(net, X, T), [2.5], rtol=1e-15)
    np.testing.assert_allclose(layer_gradient_norms(net, X, T, measure="delta"), [1.5], rtol=1e-15)


@pytest.mark.parametrize("sizes", [[2, 3, 1], [3, 5, 4, 2]])
def test_layer_gradient_norms_have_one_entry_per_layer(sizes: list[int]) -> None:
    rng = np.random.default_rng(0)
    X, T = rng.normal(size=(7, sizes[0])), rng.uniform(size=(7, sizes[-1]))
    net = Network(sizes, activations="sigmoid", seed=1)
    norms = layer_gradient_norms(net, X, T)
    assert norms.shape == (len(sizes) - 1,)
    assert np.all(norms > 0)
    with pytest.raises(ValueError, match="unknown measure"):
        layer_gradient_norms(net, X, T, measure="size")
