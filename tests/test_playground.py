"""The playground: data, training, pictures and the two kinds of controls."""

import ipywidgets as w
import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop.book import playground
from backprop.book.playground import DATASETS, PRESETS
from backprop.book.widgets import KERNEL_NOTE, NEEDS_KERNEL, figure_to_png


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_are_seeded_and_shaped(name):
    X, T = playground.make_dataset(name, noise=0.1, n_samples=50, seed=3)
    n_in = 1 if name == "sine" else 2
    assert X.shape == (50, n_in) and T.shape == (50, 1)
    X2, T2 = playground.make_dataset(name, noise=0.1, n_samples=50, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(T, T2)
    if name != "sine":
        assert set(np.unique(T)) == {0.0, 1.0}


def test_xor_cloud_labels_follow_the_quadrants():
    X, T = playground.make_dataset("xor", noise=0.0, n_samples=400, seed=0)
    # corners (0, 1) and (1, 0) of the truth table carry label 1: x1 * x2 < 0
    np.testing.assert_array_equal(T[:, 0], (X[:, 0] * X[:, 1] < 0).astype(float))


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown dataset 'moons'"):
        playground.make_dataset("moons")
    with pytest.raises(ValueError, match="noise"):
        playground.make_dataset("xor", noise=-1.0)
    with pytest.raises(ValueError, match="hidden_layers"):
        playground.train(playground.Settings(hidden_layers=0))
    with pytest.raises(ValueError, match="unknown activation"):
        playground.train(playground.Settings(activation="softmax"))
    with pytest.raises(ValueError, match="test_fraction"):
        playground.train(playground.Settings(test_fraction=1.0))


def test_train_builds_the_network_and_records_every_epoch():
    run = playground.train(
        playground.Settings("circles", hidden_layers=2, width=3, epochs=7, test_fraction=0.25)
    )
    assert run.net.sizes == [2, 3, 3, 1]
    assert [a.name for a in run.net.activations] == ["tanh", "tanh", "sigmoid"]
    assert len(run.history.loss) == len(run.history.val_loss) == 7
    assert run.X_test.shape == (50, 2) and run.X_train.shape == (150, 2)
    assert run.score().startswith("train accuracy")


def test_sine_is_regression_with_a_linear_output():
    run = playground.train(playground.Settings("sine", learning_rate=0.1, epochs=20))
    assert run.regression and run.net.activations[-1].name == "linear"
    assert run.history.accuracy == []
    assert run.history.loss[-1] < run.history.loss[0]
    assert run.score().startswith("test loss")


def test_binary_cross_entropy_is_a_choice_for_classification():
    run = playground.train(
        playground.Settings("two_moons", loss="binary_cross_entropy", epochs=30, learning_rate=1.0)
    )
    assert run.net.loss_function.name == "binary_cross_entropy"
    assert run.net.activations[-1].name == "sigmoid"
    assert run.history.loss[-1] < run.history.loss[0]
    with pytest.raises(ValueError, match="sse for sine"):
        playground.train(playground.Settings("sine", loss="binary_cross_entropy"))
    with pytest.raises(ValueError, match="loss must be one of"):
        playground.train(playground.Settings("xor", loss="cross_entropy"))


def test_presets_learn_their_dataset():
    for name in ("xor", "two_moons", "circles"):
        p = PRESETS[name]
        run = playground.preset_run(name, p.activation, p.learning_rate)
        assert run.history.val_accuracy[-1] >= 0.9, name


def test_divergence_is_reported_in_the_figure_not_raised():
    run = playground.train(playground.Settings("sine", learning_rate=30.0, epochs=20))
    assert run.history.diverged
    assert run.score() == "diverged"
    fig = playground.plot_run(run)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [fig.get_suptitle()]
    assert any("Diverged" in t for t in texts)
    assert any("no gradient sizes" in t for t in texts)
    frame = playground.plot_frame(run)
    assert any("Diverged" in t.get_text() for ax in frame.axes for t in ax.texts)


def test_train_and_plot_shows_four_views():
    fig = playground.train_and_plot(playground.Settings("xor", width=2, epochs=5))
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes]
    assert any(t.startswith("decision boundary") for t in titles)
    assert any(t.startswith("loss per epoch") for t in titles)
    assert any(t.startswith("gradient size") for t in titles)
    assert len(fig.axes) == 4
    # the gradient panel's bars stand on a linear axis that starts at 0
    (grad,) = [ax for ax in fig.axes if ax.get_title().startswith("gradient size")]
    assert grad.get_yscale() == "linear"
    assert grad.get_ylim()[0] == 0.0


def test_plot_datasets_has_a_panel_per_dataset():
    fig = playground.plot_datasets(n_samples=30)
    assert [ax.get_title() for ax in fig.axes] == list(DATASETS)


def test_a_frame_is_a_small_deterministic_png():
    run = playground.train(playground.Settings("two_moons", epochs=3))
    first = figure_to_png(playground.plot_frame(run), 80, colors=64)
    second = figure_to_png(playground.plot_frame(run), 80, colors=64)
    assert first.startswith(b"\x89PNG") and first == second
    assert len(first) < 20_000


def test_grid_explorer_needs_every_combination():
    runs = {
        ("xor", act, lr): playground.train(
            playground.Settings("xor", width=2, activation=act, epochs=2)
        )
        for act in ("tanh", "relu")
        for lr in (0.1, 1.0)
    }
    box = playground.grid_explorer(runs, value={"activation": "relu"})
    controls = box.children[0].children
    assert [c.description for c in controls] == ["dataset", "activation", "learning rate"]
    assert controls[1].index == 1
    del runs["xor", "relu", 1.0]
    with pytest.raises(ValueError, match="every combination"):
        playground.grid_explorer(runs)


def test_control_panel_retrains_on_change_and_loads_presets(monkeypatch):
    calls = []

    def fake(settings):
        calls.append(vars(settings))
        return Figure()

    monkeypatch.setattr(playground, "train_and_plot", fake)
    panel = playground.control_panel("xor")
    assert isinstance(panel, w.VBox) and len(calls) == 1
    assert calls[0]["hidden_layers"] == PRESETS["xor"].hidden_layers
    assert calls[0]["batch_size"] is None  # "all": full-batch gradient descent
    controls = {
        c.description: c
        for column in panel.children[1].children
        for c in column.children
        if hasattr(c, "value")
    }
    assert len(controls) == 11
    assert calls[0]["loss"] == "sse"
    # Live only: the static book disables it and fills in the note.
    assert NEEDS_KERNEL in panel._dom_classes
    assert KERNEL_NOTE in panel.children[0]._dom_classes
    picture = panel.children[2]
    assert isinstance(picture, w.Image) and bytes(picture.value).startswith(b"\x89PNG")
    assert "dataset xor" in picture.tooltip and "learning rate η" in picture.tooltip
    controls["learning rate η"].value = 0.1
    assert len(calls) == 2 and calls[-1]["learning_rate"] == 0.1
    controls["dataset"].value = "spirals"
    button = next(
        c
        for column in panel.children[1].children
        for c in column.children
        if isinstance(c, w.Button)
    )
    before = len(calls)
    button.click()
    assert len(calls) == before + 1  # one retraining for the whole preset
    assert calls[-1]["width"] == PRESETS["spirals"].width
    assert calls[-1]["learning_rate"] == PRESETS["spirals"].learning_rate
