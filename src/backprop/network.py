"""A fully connected network of any depth: forward pass, backward pass, gradients.

Conventions (the book's notation):

* samples are rows: ``X`` has shape (n_samples, n_in);
* ``weights[l][i, j]`` is the weight from node i of layer l to node j of
  layer l + 1 (the text's w_ij, w_jk), shape (n_in, n_out); ``biases[l]`` has
  shape (n_out,);
* a layer computes z = a_prev @ W + b and a = g(z);
* the error of one sample is the loss's value (eq. (1) for ``"sse"``); over a
  batch the network reports and differentiates the **mean** over samples.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from . import _checks
from .activations import HIDDEN_ACTIVATIONS, Activation, get_activation
from .losses import get_loss

if TYPE_CHECKING:
    from .history import History


@dataclass
class ForwardPass:
    """Everything the forward pass computed.

    ``a[0]`` is the input X; for l >= 1, ``z[l - 1]`` and ``a[l]`` are layer
    l's pre-activations and activations, shape (n_samples, sizes[l]).
    """

    z: list[np.ndarray]
    a: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        """The network output a_k, shape (n_samples, n_out)."""
        return self.a[-1]


@dataclass
class BackwardPass:
    """Per-sample deltas and batch-mean gradients, one entry per layer.

    ``delta[l]`` has shape (n_samples, sizes[l + 1]) (eqs. (5) and (14));
    ``dW[l]`` and ``db[l]`` have the shapes of ``weights[l]`` and
    ``biases[l]`` (eqs. (6), (15) and (8), (18), averaged over samples).
    """

    delta: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]


class Network:
    """A feedforward network trained by backpropagation and gradient descent.

    Args:
        sizes: nodes per layer, input first, e.g. ``[2, 3, 1]``.
        activations: one name per weight layer (hidden layers, then the
            output layer), or a single name for every hidden layer. With a
            single name the output layer gets ``output_activation``, which
            defaults to ``"softmax"`` for ``loss="cross_entropy"`` and to
            ``"sigmoid"`` otherwise.
        loss: ``"sse"`` (eq. (1)), ``"cross_entropy"`` (softmax output) or
            ``"binary_cross_entropy"`` (sigmoid output).
        seed: seed of the generator that draws the initial weights.
        output_activation: the output layer's activation when
            ``activations`` is a single name.
        dtype: ``np.float64`` (default) or ``np.float32``.

    The initial weights are normal with standard deviation 1/sqrt(n_in) of
    their layer; biases start at zero.
    """

    def __init__(
        self,
        sizes: list[int],
        activations: str | list[str] = "sigmoid",
        loss: str = "sse",
        seed: int = 0,
        output_activation: str | None = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths; got {sizes!r}")
        if len(sizes) < 2:
            raise ValueError(
                f"sizes must list at least an input and an output width, "
                f"e.g. [2, 3, 1]; got {list(sizes)}"
            )
        self.sizes = [_checks.positive_int(f"sizes[{i}]", n) for i, n in enumerate(sizes)]
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"dtype must be float64 or float32; got {dtype!r}") from None
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float64 or float32; got {self.dtype}")
        self.loss_function = get_loss(loss)
        self.activations = self._resolve_activations(activations, output_activation)
        self.loss_function.check_pairing(self.activations[-1])
        rng = np.random.default_rng(_checks.seed("seed", seed))
        self.weights = [
            rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)).astype(self.dtype)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True)
        ]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in self.sizes[1:]]

    def _resolve_activations(
        self, activations: str | list[str], output_activation: str | None
    ) -> list[Activation]:
        n_layers = len(self.sizes) - 1
        if isinstance(activations, str):
            if output_activation is None:
                cross_entropy = self.loss_function.name == "cross_entropy"
                output_activation = "softmax" if cross_entropy else "sigmoid"
            names = [activations] * (n_layers - 1) + [output_activation]
        else:
            if output_activation is not None:
                raise ValueError(
                    "output_activation is only used with a single activation "
                    "name; with a list, put the output activation last"
                )
            names = list(activations)
            if len(names) != n_layers:
                raise ValueError(
                    f"got {len(names)} activations for {n_layers} weight layers "
                    f"(sizes {self.sizes}); give one per layer after the input, "
                    "or a single name for every hidden layer"
                )
        resolved = [get_activation(name) for name in names]
        hidden = resolved[:-1]
        if isinstance(activations, str):
            hidden = [get_activation(activations)]  # checked even with no hidden layer
        for act in hidden:
            if not act.elementwise:
                raise ValueError(
                    f"{act.name!r} is an output activation; hidden layers take "
                    f"one of: {', '.join(HIDDEN_ACTIVATIONS)}"
                )
        return resolved

    @property
    def n_in(self) -> int:
        """Width of the input layer."""
        return self.sizes[0]

    @property
    def n_out(self) -> int:
        """Width of the output layer."""
        return self.sizes[-1]

    def __repr__(self) -> str:
        names = [act.name for act in self.activations]
        return (
            f"Network({self.sizes}, activations={names}, "
            f"loss={self.loss_function.name!r}, dtype={self.dtype.name})"
        )

    # --- input checks -------------------------------------------------------

    def check_inputs(self, X: ArrayLike, name: str = "X") -> np.ndarray:
        """Return X as a finite array of shape (n_samples, n_in) or raise;
        ``name`` is the argument's name in the error message."""
        return _checks.as_matrix(name, X, self.n_in, self.dtype, "input")

    def check_targets(
        self, T: ArrayLike, n_rows: int, name: str = "T", inputs_name: str = "X"
    ) -> np.ndarray:
        """Return T as a finite array of shape (n_rows, n_out) or raise;
        ``name`` and ``inputs_name`` name T and its inputs in the messages."""
        T = _checks.as_matrix(name, T, self.n_out, self.dtype, "output")
        _checks.same_rows(n_rows, T, name, inputs_name)
        self.loss_function.check_targets(T)
        return T

    # --- the forward pass -----------------------------------------------------
    #
    # The ways in: feedforward (every layer's z and a), forward (the output),
    # backward (deltas and gradients of a forward pass) and gradients (both
    # passes). feedforward and backward check their arguments, then run the
    # private bodies _feedforward and _backward, which only this module calls;
    # fit trains through feedforward and backward, so replacing either (on a
    # subclass or an instance) changes how the network trains.

    def feedforward(self, X: ArrayLike) -> ForwardPass:
        """Run the forward pass and keep every layer's z and a.

        For each layer: z = a_prev @ W + b (the text's z_j = b_j + sum_i a_i
        w_ij), then a = g(z).
        """
        a = self.check_inputs(X)
        return self._feedforward(a)

    def _feedforward(self, X: np.ndarray) -> ForwardPass:
        zs: list[np.ndarray] = []
        activations = [X]
        for W, b, act in zip(self.weights, self.biases, self.activations, strict=True):
            z = activations[-1] @ W + b
            zs.append(z)
            activations.append(act.g(z))
        return ForwardPass(zs, activations)

    def forward(self, X: ArrayLike) -> np.ndarray:
        """Network output for inputs X (n_samples, n_in) -> (n_samples, n_out)."""
        return self.feedforward(X).output

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class labels, shape (n_samples,): the argmax of the outputs, or for
        a single sigmoid output (the probability of class 1) a > 0.5.

        A single output of any other activation is a regression, with no
        classes to predict: that raises ValueError (use :meth:`forward`).
        """
        if self.n_out == 1 and self.activations[-1].name != "sigmoid":
            raise ValueError(
                f"predict gives class labels, which a single {self.activations[-1].name!r} "
                "output does not have; give the network a 'sigmoid' output (the probability "
                "of class 1) or several outputs, or use forward(X) for its values"
            )
        a = self.forward(X)
        if self.n_out == 1:
            return (a[:, 0] > 0.5).astype(int)
        return a.argmax(axis=1)

    def loss(self, X: ArrayLike, T: ArrayLike) -> float:
        """Mean over samples of the per-sample error (eq. (1) for ``"sse"``)."""
        cache = self.feedforward(X)
        T = self.check_targets(T, cache.output.shape[0])
        return float(np.mean(self.loss_function.value(cache.z[-1], cache.output, T)))

    # --- the backward pass ----------------------------------------------------

    def backward(self, cache: ForwardPass, T: ArrayLike) -> BackwardPass:
        """Backpropagate from a forward pass: deltas and gradients per layer.

        * output delta, eq. (5): delta_k = (a_k - t_k) g_k'(z_k) for SSE
          (a_k - t_k for softmax with cross-entropy);
        * hidden deltas, eq. (14): delta_j = g_j'(z_j) sum_k delta_k w_jk,
          i.e. ``delta_l = g'(z_l) * (delta_{l+1} @ W_{l+1}.T)``;
        * weight gradients, eqs. (6), (15): dE/dw_ij = delta_j a_i, i.e.
          ``a_prev.T @ delta / n_samples``;
        * bias gradients, eqs. (8), (18): dE/db_j = delta_j, averaged.
        """
        T = self.check_targets(T, cache.output.shape[0])
        return self._backward(cache, T)

    def _backward(self, cache: ForwardPass, T: np.ndarray) -> BackwardPass:
        n_samples = T.shape[0]
        n_layers = len(self.weights)
        deltas: list[np.ndarray] = [np.empty(0)] * n_layers
        # eq. (5): delta_k = (a_k - t_k) g_k'(z_k), the output layer's delta
        deltas[-1] = self.loss_function.delta(cache.z[-1], cache.output, T, self.activations[-1])
        for l in range(n_layers - 2, -1, -1):  # noqa: E741 (a list position: deltas[l] is layer l + 1)
            # eq. (14): delta_j = g_j'(z_j) sum_k delta_k w_jk, one layer back
            error = deltas[l + 1] @ self.weights[l + 1].T
            deltas[l] = self.activations[l].delta(cache.z[l], cache.a[l + 1], error)
        # eqs. (6), (15): dE/dw_ij = a_i delta_j, averaged over the samples
        dW = [cache.a[l].T @ deltas[l] / n_samples for l in range(n_layers)]  # noqa: E741
        # eqs. (8), (18): dE/db_j = delta_j, averaged over the samples
        db = [delta.mean(axis=0) for delta in deltas]
        return BackwardPass(deltas, dW, db)

    def gradients(self, X: ArrayLike, T: ArrayLike) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Gradients of the mean loss: (list of dW, list of db), shaped like
        ``weights`` and ``biases``."""
        cache = self.feedforward(X)
        grads = self.backward(cache, T)
        return grads.dW, grads.db

    # --- training -------------------------------------------------------------

    def fit(
        self,
        X: ArrayLike,
        T: ArrayLike,
        *,
        learning_rate: float = 0.5,
        epochs: int = 100,
        batch_size: int | None = None,
        seed: int = 0,
        validation: tuple[ArrayLike, ArrayLike] | None = None,
    ) -> History:
        """Train by minibatch gradient descent, eq. (7): a delegate of
        :func:`backprop.training.fit`, which documents the arguments.

        The import is deferred to the call: ``training`` sits a floor above
        this module and imports it, so this is the one import that runs the
        other way (``tests/test_imports.py`` allows exactly this one).
        """
        from .training import fit

        return fit(
            self,
            X,
            T,
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            validation=validation,
        )

    def copy(self) -> Network:
        """An independent copy: the same class, architecture and parameters,
        sharing no list or array with the original (the activation and loss
        objects themselves are immutable and shared)."""
        clone = copy.copy(self)
        clone.sizes = list(self.sizes)
        clone.activations = list(self.activations)
        clone.weights = [W.copy() for W in self.weights]
        clone.biases = [b.copy() for b in self.biases]
        return clone
