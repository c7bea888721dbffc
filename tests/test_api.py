"""The public contract that code outside the package relies on: the package
of README.md ("The package in ten lines" and its conventions) and the public
names and floors of docs/architecture.md."""

import importlib.metadata
import inspect
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import backprop
from backprop import History, Network
from backprop import datasets as ds


@pytest.fixture
def net():
    return Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="sse", seed=0)


def test_version_is_the_installed_one():
    # The version pip recorded (read from backprop.__version__ at install time).
    assert importlib.metadata.version("backprop") == backprop.__version__


def test_all_lists_the_public_names_and_nothing_else():
    public = {name for name in vars(backprop) if not name.startswith("_")}
    submodules = {name for name in public if inspect.ismodule(getattr(backprop, name))}
    assert set(backprop.__all__) == public - submodules | {"__version__"}


def test_weights_and_biases(net):
    assert isinstance(net.weights, list)
    assert isinstance(net.biases, list)
    assert [W.shape for W in net.weights] == [(2, 3), (3, 1)]
    assert [b.shape for b in net.biases] == [(3,), (1,)]
    assert all(W.dtype == np.float64 for W in net.weights + net.biases)
    assert all(not b.any() for b in net.biases)  # biases start at zero
    assert all(np.isfinite(W).all() and W.any() for W in net.weights)
    assert net.sizes == [2, 3, 1]
    assert (net.n_in, net.n_out) == (2, 1)
    assert [act.name for act in net.activations] == ["tanh", "sigmoid"]


def test_initial_weight_scale():
    net = Network([400, 300, 2], seed=1)
    for W, n_in in zip(net.weights, [400, 300], strict=True):
        assert W.std() == pytest.approx(1 / np.sqrt(n_in), rel=0.05)
        assert abs(W.mean()) < 0.05 / np.sqrt(n_in) * 10


def test_forward_shape_and_layers(net):
    X = np.random.default_rng(0).normal(0.0, 1.0, (5, 2))
    out = net.forward(X)
    assert out.shape == (5, 1)
    assert ((out > 0) & (out < 1)).all()  # a sigmoid output
    cache = net.feedforward(X)
    assert [z.shape for z in cache.z] == [(5, 3), (5, 1)]
    assert [a.shape for a in cache.a] == [(5, 2), (5, 3), (5, 1)]
    np.testing.assert_array_equal(cache.a[0], X)
    np.testing.assert_array_equal(cache.output, out)
    # z = a_prev @ W + b, samples as rows; a = g(z)
    np.testing.assert_allclose(cache.z[0], X @ net.weights[0] + net.biases[0], rtol=1e-15)
    np.testing.assert_allclose(cache.a[1], np.tanh(cache.z[0]), rtol=1e-15)


def test_the_ways_into_the_passes(net):
    """One public forward that returns the cache (feedforward), forward (the
    output), one public backward and gradients; the private bodies
    _feedforward and _backward are called only inside network.py."""
    X, T = np.array([[0.5, -1.0]]), np.array([[1.0]])
    cache = net.feedforward(X)
    np.testing.assert_array_equal(net.forward(X), cache.output)
    dW, db = net.gradients(X, T)
    grads = net.backward(cache, T)
    assert all(np.array_equal(a, b) for a, b in zip(dW + db, grads.dW + grads.db, strict=True))
    src = Path(backprop.__file__).parent
    callers = {
        path.relative_to(src).as_posix()
        for path in src.rglob("*.py")
        if re.search(r"\._(feedforward|backward)\b", path.read_text(encoding="utf-8"))
    }
    assert callers == {"network.py"}


def test_weight_orientation_w_ij_from_i_to_j():
    net = Network([2, 3], activations=["linear"], seed=0)
    net.weights[0][...] = 0.0
    net.weights[0][1, 2] = 5.0  # from input node 1 to output node 2
    np.testing.assert_array_equal(net.forward([[0.0, 1.0]]), [[0.0, 0.0, 5.0]])
    np.testing.assert_array_equal(net.forward([[1.0, 0.0]]), [[0.0, 0.0, 0.0]])


def test_loss_is_a_float(net):
    X, T = ds.xor()
    value = net.loss(X, T)
    assert type(value) is float
    assert value > 0
    per_sample = [net.loss(X[i : i + 1], T[i : i + 1]) for i in range(4)]
    assert value == pytest.approx(np.mean(per_sample), rel=1e-14)


def test_gradients_shapes(net):
    X, T = ds.xor()
    dW, db = net.gradients(X, T)
    assert isinstance(dW, list)
    assert isinstance(db, list)
    assert [g.shape for g in dW] == [W.shape for W in net.weights]
    assert [g.shape for g in db] == [b.shape for b in net.biases]
    backward = net.backward(net.feedforward(X), T)
    assert [d.shape for d in backward.delta] == [(4, 3), (4, 1)]


def test_fit_returns_history(net):
    X, T = ds.xor()
    history = net.fit(X, T, learning_rate=0.5, epochs=3, batch_size=2, seed=1)
    assert isinstance(history, History)
    assert len(history.loss) == 3


def test_predict(net):
    X, _ = ds.xor()
    labels = net.predict(X)
    assert labels.shape == (4,)
    np.testing.assert_array_equal(labels, (net.forward(X)[:, 0] > 0.5).astype(int))
    multi = Network([2, 4, 3], activations="tanh", loss="cross_entropy", seed=0)
    np.testing.assert_array_equal(multi.predict(X), multi.forward(X).argmax(axis=1))


@pytest.mark.parametrize(
    ("sizes", "loss", "expected"),
    [
        ([2, 3, 1], "sse", ["relu", "sigmoid"]),
        ([2, 3, 4, 5, 1], "sse", ["relu", "relu", "relu", "sigmoid"]),
        ([2, 3, 4, 5], "cross_entropy", ["relu", "relu", "softmax"]),
        ([2, 5], "sse", ["sigmoid"]),
        ([2, 5], "cross_entropy", ["softmax"]),
    ],
)
def test_single_activation_name_applies_to_hidden_layers(sizes, loss, expected):
    net = Network(sizes, activations="relu", loss=loss, seed=0)
    assert [act.name for act in net.activations] == expected


def test_output_activation_overrides_the_default():
    net = Network([1, 4, 4, 1], activations="tanh", output_activation="linear", seed=0)
    assert [act.name for act in net.activations] == ["tanh", "tanh", "linear"]


def test_default_activations_are_sigmoid():
    net = Network([2, 3, 1])
    assert [act.name for act in net.activations] == ["sigmoid", "sigmoid"]
    assert net.loss_function.name == "sse"


def test_repr_names_the_architecture(net):
    text = repr(net)
    assert "[2, 3, 1]" in text
    assert "tanh" in text and "sigmoid" in text and "sse" in text


def test_copy_is_independent(net):
    clone = net.copy()
    assert type(clone) is Network
    assert clone.sizes == net.sizes and clone.sizes is not net.sizes
    assert clone.activations == net.activations and clone.activations is not net.activations
    for W, V in zip(net.weights, clone.weights, strict=True):
        assert np.array_equal(W, V)
        assert W is not V
    clone.weights[0][0, 0] += 1.0
    clone.biases[0][0] += 1.0
    assert net.weights[0][0, 0] != clone.weights[0][0, 0]
    assert net.biases[0][0] == 0.0


def test_copy_keeps_the_subclass_and_shares_no_list():
    class Scaled(Network):
        def forward(self, X):
            return 2 * super().forward(X)

    net = Scaled([2, 3, 1], seed=0)
    clone = net.copy()
    assert type(clone) is Scaled
    np.testing.assert_array_equal(clone.forward(np.ones((1, 2))), net.forward(np.ones((1, 2))))
    clone.sizes.append(7)
    clone.activations.pop()
    assert net.sizes == [2, 3, 1] and len(net.activations) == 2


def test_fit_takes_keyword_arguments_after_x_and_t(net):
    X, T = ds.xor()
    with pytest.raises(TypeError, match="takes 3 positional arguments but 4 were given"):
        net.fit(X, T, 0.5)


def test_history_series_are_lists_empty_when_not_recorded():
    X, T = ds.sine(20, seed=0)
    net = Network([1, 3, 1], activations="tanh", output_activation="linear", seed=0)
    history = net.fit(X, T, learning_rate=0.05, epochs=2)
    assert (history.accuracy, history.val_loss, history.val_accuracy) == ([], [], [])
    assert History() == History(loss=[], accuracy=[], val_loss=[], val_accuracy=[])


def test_fit_trains_in_place(net):
    X, T = ds.xor()
    weights = net.weights
    before = net.weights[0].copy()
    net.fit(X, T, learning_rate=0.5, epochs=2)
    assert net.weights is weights
    assert not np.array_equal(net.weights[0], before)


def test_core_import_skips_plotting_and_sklearn():
    code = (
        "import sys, backprop, backprop.network, backprop.training, backprop.gradcheck, "
        "backprop.reference, backprop.datasets, backprop.activations, backprop.losses\n"
        "heavy = ('matplotlib', 'ipywidgets', 'sklearn')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
