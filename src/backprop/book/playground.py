"""A playground in the spirit of the TensorFlow Playground, built on the package.

Pick a toy dataset, a network shape, an activation and the settings of
gradient descent; :func:`train` runs :meth:`backprop.Network.fit` (eq. (7))
on a seeded train/test split and :func:`plot_run` draws what came out: the
decision boundary (or, for the 1-D ``"sine"`` regression, the fitted curve)
with training and test points, training and test loss per epoch, the network
with its trained weights (:func:`backprop.book.figure1.draw_network`) and the size of
the gradient in each layer (:func:`backprop.diagnostics.layer_gradient_norms`).

:func:`train_and_plot` does both in one call, from one :class:`Settings`;
:func:`control_panel` wraps it in live ipywidgets controls (they need a
running kernel). For the static book, :func:`preset_run` trains a grid of
settings once, :func:`plot_frame` draws each as a small picture and
:func:`grid_explorer` puts them behind controls that work in the browser
without a kernel (:func:`backprop.book.widgets.explorer`).

Defined for the playground chapter ("A playground").

Classification uses the derivation's setting: sigmoid output and the squared
error of eq. (1), averaged over samples. The sine regression uses a linear
output with the same loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .. import _checks, datasets
from ..activations import HIDDEN_ACTIVATIONS
from ..diagnostics import layer_gradient_norms
from ..history import History
from ..network import Network
from .figure1 import draw_network
from .plots import plot_decision_boundary, plot_gradient_norms, plot_loss_curves
from .style import FACECOLOR, NEGATIVE, POSITIVE, fit_messages, message
from .widgets import explorer, figure_to_png, kernel_note, needs_kernel, picture

if TYPE_CHECKING:
    import ipywidgets

DATASETS = ("xor", "two_moons", "circles", "spirals", "sine")
LOSS_CHOICES = ("sse", "binary_cross_entropy")  # the live panel's losses
"""The playground's problems; ``"sine"`` is 1-D regression, the rest are
two-class problems in the plane."""

MAX_WIDTH = 8
"""Widest hidden layer offered: the network drawing stays readable up to it."""

MAX_HIDDEN_LAYERS = 4
"""Deepest network offered."""

LEARNING_RATES = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
"""Log-spaced learning rates offered by the live control panel."""

BATCH_SIZES = (1, 4, 16, 64, None)
"""Batch sizes offered by the live control panel; None means the whole
training set (full-batch gradient descent)."""


@dataclass(frozen=True)
class Preset:
    """Settings that train a dataset well within a fraction of a second."""

    hidden_layers: int
    width: int
    activation: str
    learning_rate: float
    batch_size: int | None
    epochs: int
    noise: float = 0.1


PRESETS: dict[str, Preset] = {
    "xor": Preset(1, 4, "tanh", 3.0, None, 100),
    "two_moons": Preset(1, 8, "tanh", 10.0, None, 100),
    "circles": Preset(1, 8, "tanh", 10.0, None, 100),
    "spirals": Preset(2, 6, "relu", 10.0, None, 300),
    "sine": Preset(1, 8, "tanh", 0.3, None, 100),
}
"""A sensible starting point per dataset (full-batch gradient descent)."""


def make_dataset(
    dataset: str, noise: float = 0.1, n_samples: int = 200, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X (n_samples, n_in) and targets T (n_samples, 1) of a dataset.

    ``"xor"`` is the exclusive-or of the derivation chapters as a cloud: each
    point lies in the quadrant of one of the four corners of
    :func:`backprop.datasets.xor` (mapped to +-1) and takes that corner's
    label, plus Gaussian noise of standard deviation ``noise``. The other
    datasets come from :mod:`backprop.datasets` unchanged.
    """
    _checks.choice("dataset", dataset, list(DATASETS))
    n_samples = _checks.positive_int("n_samples", n_samples)
    if dataset == "xor":
        if not np.isfinite(noise) or noise < 0:
            raise ValueError(f"noise must be a finite number >= 0; got {noise}")
        corners, labels = datasets.xor()
        rng = np.random.default_rng(seed)
        pick = rng.integers(0, 4, n_samples)
        X = (2.0 * corners[pick] - 1.0) * rng.uniform(0.1, 1.0, (n_samples, 2))
        return X + rng.normal(0.0, noise, X.shape), labels[pick]
    if dataset == "two_moons":
        return datasets.two_moons(n_samples, noise, seed=seed)
    if dataset == "circles":
        return datasets.circles(n_samples, noise, seed=seed)
    if dataset == "spirals":
        return datasets.spirals(n_samples, noise, seed=seed)
    return datasets.sine(n_samples, noise, seed=seed)


def plot_datasets(noise: float = 0.1, n_samples: int = 200, seed: int = 0) -> Figure:
    """The five datasets side by side: class 1 blue squares, class 0
    vermillion circles; for ``"sine"`` the targets t against the input x."""
    fig, axes = plt.subplots(
        1, len(DATASETS), figsize=(12.0, 2.7), facecolor=FACECOLOR, gridspec_kw={"wspace": 0.38}
    )
    for ax, name in zip(axes, DATASETS, strict=True):
        X, T = make_dataset(name, noise, n_samples, seed)
        if name == "sine":
            ax.scatter(X[:, 0], T[:, 0], s=10, color=NEGATIVE)
            ax.set_xlabel("input $x$")
            ax.set_ylabel("target $t$")
        else:
            for label, color, marker in ((0, NEGATIVE, "o"), (1, POSITIVE, "s")):
                rows = T[:, 0] == label
                ax.scatter(X[rows, 0], X[rows, 1], s=10, color=color, marker=marker)
        ax.set_title(name, fontsize=11)
        ax.tick_params(labelsize=8)
    fig.subplots_adjust(left=0.04, right=0.99, bottom=0.2, top=0.88)
    return fig


@dataclass
class PlaygroundRun:
    """One trained network with its data and what training recorded."""

    dataset: str
    net: Network
    history: History
    X_train: np.ndarray
    T_train: np.ndarray
    X_test: np.ndarray
    T_test: np.ndarray

    @property
    def regression(self) -> bool:
        """True for the sine problem (no classes, no accuracy)."""
        return self.dataset == "sine"

    def score(self) -> str:
        """One line for a title: test accuracy, or test loss for regression."""
        if self.history.diverged:
            return "diverged"
        if self.regression or not self.history.val_accuracy:
            return f"test loss {self.history.val_loss[-1]:.3f}"
        train_accuracy = np.mean(self.net.predict(self.X_train) == self.T_train[:, 0])
        return (
            f"train accuracy {train_accuracy:.2f}, "
            f"test accuracy {self.history.val_accuracy[-1]:.2f}"
        )


@dataclass(frozen=True)
class Settings:
    """Everything :func:`train` needs: the data, the network and gradient descent.

    Attributes:
        dataset: one of :data:`DATASETS`.
        noise: the dataset's noise level (>= 0).
        test_fraction: share of the samples held out for testing, in (0, 1).
        hidden_layers: number of hidden layers (>= 1).
        width: nodes in each hidden layer (>= 1).
        activation: hidden-layer activation, e.g. ``"tanh"``.
        learning_rate: the step size eta of eq. (7).
        batch_size: samples per gradient step; None for the whole training set.
        epochs: passes over the training set.
        seed: seeds the data, the split, the initial weights and the shuffling.
        n_samples: size of the dataset before the split.
        loss: ``"sse"`` (eq. (1)) or, for classification, ``"binary_cross_entropy"``.

    Change a few with :func:`dataclasses.replace`, or name them:
    ``Settings("xor", width=3, epochs=100)``.
    """

    dataset: str = "two_moons"
    noise: float = 0.1
    test_fraction: float = 0.3
    hidden_layers: int = 1
    width: int = 8
    activation: str = "tanh"
    learning_rate: float = 10.0
    batch_size: int | None = None
    epochs: int = 100
    seed: int = 0
    n_samples: int = 200
    loss: str = "sse"


def train(settings: Settings | None = None) -> PlaygroundRun:
    """Make the data, split it, build a network and train it, as ``settings``
    (default: :class:`Settings`) say.

    A learning rate that makes the loss blow up does not raise: the run comes
    back with ``history.diverged`` set and the plots say so.

    Defined in the playground chapter ("A playground").
    """
    s = Settings() if settings is None else settings
    hidden_layers = _checks.positive_int("hidden_layers", s.hidden_layers)
    width = _checks.positive_int("width", s.width)
    _checks.choice("activation", s.activation, list(HIDDEN_ACTIVATIONS))
    X, T = make_dataset(s.dataset, s.noise, s.n_samples, s.seed)
    X_train, X_test, T_train, T_test = datasets.train_test_split(X, T, s.test_fraction, s.seed)
    sizes = [X.shape[1], *[width] * hidden_layers, 1]
    output = "linear" if s.dataset == "sine" else "sigmoid"
    if s.loss not in LOSS_CHOICES or (s.dataset == "sine" and s.loss != "sse"):
        raise ValueError(f"loss must be one of {LOSS_CHOICES} (sse for sine); got {s.loss!r}")
    net = Network(
        sizes, activations=s.activation, output_activation=output, loss=s.loss, seed=s.seed
    )
    history = net.fit(
        X_train,
        T_train,
        learning_rate=s.learning_rate,
        epochs=s.epochs,
        batch_size=s.batch_size,
        seed=s.seed,
        validation=(X_test, T_test),
    )
    return PlaygroundRun(s.dataset, net, history, X_train, T_train, X_test, T_test)


def plot_run(run: PlaygroundRun) -> Figure:
    """Four views of a trained run: data and boundary (or fit), loss curves,
    the network's weights, and the gradient size per layer."""
    net, history = run.net, run.history
    fig = plt.figure(figsize=(11.0, 9.0), facecolor=FACECOLOR)
    rows = fig.add_gridspec(2, 1, height_ratios=(1.0, 1.3), hspace=0.25, top=0.92, bottom=0.06)
    top = rows[0].subgridspec(1, 2, wspace=0.28)
    bottom = rows[1].subgridspec(1, 2, width_ratios=(2.0, 1.0), wspace=0.22)
    ax_data = fig.add_subplot(top[0])
    plot_decision_boundary(
        net,
        run.X_train,
        run.T_train,
        ax=ax_data,
        X_test=run.X_test,
        T_test=run.T_test,
        history=history,
        resolution=80,
    )
    ax_data.set_title(
        ("fit: " if run.regression else "decision boundary: ") + run.score(), fontsize=10
    )
    ax_loss = fig.add_subplot(top[1])
    plot_loss_curves(history, ax=ax_loss)
    ax_loss.set_title("loss per epoch (validation = test set)", fontsize=10)
    for ax in (ax_data, ax_loss):
        fit_messages(ax, 40, 10)
    ax_net = fig.add_subplot(bottom[0])
    draw_network(net, ax=ax_net)
    ax_grad = fig.add_subplot(bottom[1])
    with np.errstate(all="ignore"):
        norms = layer_gradient_norms(net, run.X_train, run.T_train)
    if history.diverged or not np.all(np.isfinite(norms)):
        message(ax_grad, "Training diverged: no gradient sizes to show.", fontsize=9, blank=True)
    else:
        # a linear axis from 0: the bars' heights compare as the sizes do
        plot_gradient_norms(norms, ax=ax_grad, scale="linear")
        ax_grad.set_title("gradient size per layer after training", fontsize=10)
    names = [act.name for act in net.activations]
    fig.suptitle(
        f"{run.dataset}: sizes {net.sizes}, {names[0]} hidden, {names[-1]} output. "
        + history.message,
        fontsize=11,
    )
    return fig


def train_and_plot(settings: Settings | None = None) -> Figure:
    """:func:`train` then :func:`plot_run`.

    Defined in the playground chapter ("A playground").
    """
    return plot_run(train(settings))


def preset_run(dataset: str, activation: str, learning_rate: float, seed: int = 0) -> PlaygroundRun:
    """:func:`train` with the dataset's :data:`PRESETS`, except for the
    activation and the learning rate."""
    preset = PRESETS[_checks.choice("dataset", dataset, list(DATASETS))]
    return train(
        Settings(
            dataset,
            noise=preset.noise,
            hidden_layers=preset.hidden_layers,
            width=preset.width,
            activation=activation,
            learning_rate=learning_rate,
            batch_size=preset.batch_size,
            epochs=preset.epochs,
            seed=seed,
        )
    )


def plot_frame(run: PlaygroundRun) -> Figure:
    """A small picture of a run for a precomputed grid: the boundary (or fit)
    with training points (filled) and test points (hollow), and the loss
    curves (training solid, test dashed, log scale) with their final values.

    A grid holds many frames, so this one draws no tick labels: they would
    cost more time than the training.
    """
    fig = Figure(figsize=(5.6, 2.5), facecolor=FACECOLOR)
    ax_data, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1.0, 1.1), "wspace": 0.08})
    history = run.history
    plot_decision_boundary(
        run.net,
        run.X_train,
        run.T_train,
        ax=ax_data,
        X_test=run.X_test,
        T_test=run.T_test,
        history=history,
        resolution=40,
    )
    ax_data.set_title(run.score(), fontsize=9)
    plot_loss_curves(history, ax=ax_loss)
    if history.loss and not history.diverged:
        ax_loss.set_title(
            f"loss: training {history.loss[-1]:.3g}, test {history.val_loss[-1]:.3g}",
            fontsize=9,
        )
    for ax in (ax_data, ax_loss):
        for minor in (False, True):
            ax.set_xticks([], minor=minor)
            ax.set_yticks([], minor=minor)
        ax.set_xlabel("")
        ax.set_ylabel("")
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
    ax_loss.set_xlabel(f"{len(history.loss)} epochs", fontsize=8)
    for ax in (ax_data, ax_loss):
        fit_messages(ax, 30, 8)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.1, top=0.88)
    return fig


def grid_explorer(
    runs: Mapping[tuple[str, str, float], PlaygroundRun],
    value: Mapping[str, Any] | None = None,
    dpi: float = 90,
) -> ipywidgets.VBox:
    """A client-side explorer over precomputed runs, keyed by (dataset,
    activation, learning_rate): three controls, one :func:`plot_frame` each.

    The controls list the keys' values in the order they first appear; every
    combination must be present (e.g. build ``runs`` with
    :func:`preset_run` over a full grid).
    """
    axes: list[list[Any]] = [[], [], []]
    for key in runs:
        for values, part in zip(axes, key, strict=True):
            if part not in values:
                values.append(part)
    missing = [key for key in product(*axes) if key not in runs]
    if missing:
        raise ValueError(f"runs must hold every combination; missing e.g. {missing[0]}")

    def render(dataset: str, activation: str, learning_rate: float) -> bytes:
        # 64 colours: these flat frames look the same, and a page holds a hundred
        return figure_to_png(plot_frame(runs[dataset, activation, learning_rate]), dpi, colors=64)

    controls = dict(zip(("dataset", "activation", "learning_rate"), axes, strict=True))
    alt = (
        "{dataset}, {activation} hidden nodes, learning rate {learning_rate}: the learned "
        "boundary (or fit) over the training and test points, and the loss curves"
    )
    return explorer(render, controls, value=value, alt=alt, dpi=dpi)  # type: ignore[arg-type]


def control_panel(dataset: str = "two_moons") -> ipywidgets.VBox:
    """Live controls for every setting of :func:`train_and_plot`.

    Any change retrains and redraws (sliders report when released). The
    button "Preset" loads the dataset's :data:`PRESETS`. The figure is an
    Image widget whose alt text names the settings, so a saved notebook
    keeps the last picture with the controls showing the values it was made
    with. The controls need a running kernel: the panel is marked
    :func:`~backprop.book.widgets.needs_kernel`, so the static book shows them
    disabled, with a note that says why.
    """
    import ipywidgets as widgets

    preset = PRESETS[_checks.choice("dataset", dataset, list(DATASETS))]
    style = {"description_width": "100px"}
    layout = widgets.Layout(width="280px")
    slider = {"style": style, "layout": layout, "continuous_update": False}
    controls: dict[str, widgets.ValueWidget] = {
        "dataset": widgets.Dropdown(
            options=DATASETS, value=dataset, description="dataset", style=style, layout=layout
        ),
        "noise": widgets.FloatSlider(
            value=preset.noise, min=0.0, max=0.5, step=0.05, description="noise", **slider
        ),
        "test_fraction": widgets.FloatSlider(
            value=0.3, min=0.1, max=0.7, step=0.1, description="test fraction", **slider
        ),
        "hidden_layers": widgets.IntSlider(
            value=preset.hidden_layers,
            min=1,
            max=MAX_HIDDEN_LAYERS,
            description="hidden layers",
            **slider,
        ),
        "width": widgets.IntSlider(
            value=preset.width, min=1, max=MAX_WIDTH, description="nodes per layer", **slider
        ),
        "activation": widgets.Dropdown(
            options=HIDDEN_ACTIVATIONS,
            value=preset.activation,
            description="activation",
            style=style,
            layout=layout,
        ),
        "learning_rate": widgets.SelectionSlider(
            options=[(f"{eta:g}", eta) for eta in LEARNING_RATES],
            value=preset.learning_rate,
            description="learning rate η",
            **slider,
        ),
        "batch_size": widgets.SelectionSlider(
            # a selection cannot hold None: 0 stands for "all" here
            options=[("all", 0) if b is None else (str(b), b) for b in BATCH_SIZES],
            value=preset.batch_size or 0,
            description="batch size",
            **slider,
        ),
        "epochs": widgets.IntSlider(
            value=preset.epochs, min=10, max=500, step=10, description="epochs", **slider
        ),
        "loss": widgets.Dropdown(
            options=LOSS_CHOICES, value="sse", description="loss", style=style, layout=layout
        ),
        "seed": widgets.BoundedIntText(
            value=0, min=0, max=10_000, description="seed", style=style, layout=layout
        ),
    }

    output = picture(b"", "")
    paused = False

    def refresh(_: Any = None) -> None:
        if paused:
            return
        settings = {name: c.value for name, c in controls.items()}
        settings["batch_size"] = settings["batch_size"] or None
        try:
            fig = train_and_plot(Settings(**settings))
        except ValueError as error:  # e.g. binary cross-entropy on the sine
            fig = Figure(figsize=(6.0, 1.4), facecolor=FACECOLOR)
            message(fig.add_subplot(), str(error), width=70, blank=True)
        output.value = figure_to_png(fig)
        output.tooltip = (
            "Playground run: "
            + ", ".join(
                f"{c.description} {c.label if hasattr(c, 'label') else c.value}"
                for c in controls.values()
            )
            + ". Data and learned boundary (or fit), loss curves, the network's weights"
            " and the gradient size per layer."
        )

    def load_preset(_: Any) -> None:
        nonlocal paused
        chosen = PRESETS[controls["dataset"].value]
        paused = True
        try:
            for name in ("noise", "hidden_layers", "width", "activation", "learning_rate"):
                controls[name].value = getattr(chosen, name)
            controls["batch_size"].value = chosen.batch_size or 0
            controls["epochs"].value = chosen.epochs
        finally:
            paused = False
        refresh()

    for control in controls.values():
        control.observe(refresh, names="value")
    button = widgets.Button(description="Preset", tooltip="settings that suit this dataset")
    button.on_click(load_preset)
    refresh()
    names = list(controls)
    column_a = widgets.VBox([controls[n] for n in names[:5]] + [button])
    column_b = widgets.VBox([controls[n] for n in names[5:]])
    columns = widgets.HBox([column_a, column_b], layout=widgets.Layout(flex_flow="row wrap"))
    return needs_kernel(widgets.VBox([kernel_note(), columns, output]))
