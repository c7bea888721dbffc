"""Minibatch gradient descent, the update rule of eq. (7), and its history.

Every parameter takes the step theta <- theta - learning_rate * dE/dtheta,
where dE/dtheta is the gradient of the mean loss over one minibatch. The loss
and accuracy recorded for an epoch are the means over the minibatches as they
were seen during that epoch (before each one's update), so recording costs
no second pass over the data.

:func:`fit` takes each step one of two ways, with the same results up to
rounding (about 1e-15 relative; ``tests/test_fast_path.py`` checks it):

* the **plain path** calls ``Network._feedforward`` and ``Network._backward``,
  the code the chapters derive, and allocates fresh arrays as it goes. fit
  uses it for a network whose class or instance overrides either pass, so an
  override is always honoured;
* the **fast path**, :class:`_Workspace`, does the same arithmetic in buffers
  allocated once per call, so a step allocates nothing. It is what plain
  :class:`~backprop.network.Network` objects train with.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from . import _checks
from .activations import ACTIVATIONS, Activation
from .losses import CrossEntropy, SumSquaredError

if TYPE_CHECKING:
    from .network import BackwardPass, ForwardPass, Network

DIVERGENCE_FACTOR = 1e4
"""Training stops as diverged when a minibatch loss exceeds this factor times
the first minibatch's loss (or 1, whichever is larger), or is not finite."""


@dataclass
class History:
    """What :func:`fit` recorded, one entry per completed epoch.

    Attributes:
        loss: mean training loss per epoch.
        accuracy: training accuracy per epoch, or ``None`` when the targets
            are not class labels (0/1 or one-hot).
        val_loss, val_accuracy: the same on the validation set, if given.
        diverged: True when training stopped because the loss blew up.
        diverged_at: the epoch (counting from 0) in which it stopped, or None.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] | None = None
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] | None = None
    diverged: bool = False
    diverged_at: int | None = None

    @property
    def message(self) -> str:
        """A sentence for a reader: how training ended."""
        if self.diverged:
            return (
                f"Diverged in epoch {self.diverged_at}: the loss blew up, so "
                "training stopped. Try a smaller learning rate."
            )
        if not self.loss:
            return "No epochs run."
        return f"Trained {len(self.loss)} epochs; final loss {self.loss[-1]:.4g}."


def is_classification(T: np.ndarray) -> bool:
    """True when every target is 0 or 1 (binary labels or one-hot rows)."""
    return bool(np.isin(T, (0.0, 1.0)).all())


def count_correct(a: np.ndarray, T: np.ndarray) -> int:
    """Number of rows whose predicted class matches the target's.

    One output: a > 0.5 against t; several: argmax against argmax.
    """
    if a.shape[1] == 1:
        return int(np.sum((a[:, 0] > 0.5) == (T[:, 0] > 0.5)))
    return int(np.sum(a.argmax(axis=1) == T.argmax(axis=1)))


def fit(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    learning_rate: float = 0.5,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int = 0,
    validation: tuple[ArrayLike, ArrayLike] | None = None,
) -> History:
    """Train ``net`` in place by minibatch gradient descent, eq. (7).

    Args:
        net: the network to train.
        X: inputs, shape (n_samples, n_in).
        T: targets, shape (n_samples, n_out).
        learning_rate: the step size eta (> 0).
        epochs: passes over the data (>= 0).
        batch_size: samples per step; ``None`` (or anything >= n_samples)
            means full-batch gradient descent.
        seed: seeds the shuffling of samples into minibatches each epoch.
        validation: optional (X_val, T_val) scored after every epoch.

    Returns:
        The :class:`History`. If the loss becomes non-finite or explodes,
        training stops before applying the offending step, so the weights
        stay finite, and ``history.diverged`` is set.
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    learning_rate = _checks.positive_float("learning_rate", learning_rate)
    epochs = _checks.positive_int("epochs", epochs, allow_zero=True)
    n_samples = X.shape[0]
    if batch_size is None:
        batch_size = n_samples
    batch_size = min(_checks.positive_int("batch_size", batch_size), n_samples)
    if validation is not None:
        X_val = net.check_inputs(validation[0])
        T_val = net.check_targets(validation[1], X_val.shape[0])

    rng = np.random.default_rng(seed)
    history = History()
    track_accuracy = is_classification(T)
    if track_accuracy:
        history.accuracy = []
    if validation is not None and is_classification(T_val):
        history.val_accuracy = []
    limit: float | None = None

    steps: _PlainSteps | _Workspace
    if _overrides_passes(net):
        steps = _PlainSteps(net, X, T)
    else:
        steps = _Workspace(net, X, T, batch_size, track_accuracy)
    try:
        with np.errstate(all="ignore"):
            for epoch in range(epochs):
                order = rng.permutation(n_samples) if batch_size < n_samples else None
                total_loss, correct = 0.0, 0
                for start in range(0, n_samples, batch_size):
                    rows = None if order is None else order[start : start + batch_size]
                    batch_loss = steps.forward(rows)
                    if limit is None:
                        limit = DIVERGENCE_FACTOR * max(batch_loss, 1.0)
                    # Short-circuit: the gradient is only computed for a sane loss.
                    ok = math.isfinite(batch_loss) and batch_loss <= limit
                    if not (ok and steps.backward(learning_rate)):
                        history.diverged, history.diverged_at = True, epoch
                        return history
                    steps.apply()  # eq. (7)
                    total_loss += batch_loss * steps.n_rows
                    if track_accuracy:
                        correct += steps.count_correct()
                history.loss.append(total_loss / n_samples)
                if history.accuracy is not None:
                    history.accuracy.append(correct / n_samples)
                if validation is not None:
                    steps.write_back()
                    cache = net._feedforward(X_val)
                    errors = net.loss_function.value(cache.z[-1], cache.output, T_val)
                    history.val_loss.append(float(errors.mean()))
                    if history.val_accuracy is not None:
                        n_val = X_val.shape[0]
                        history.val_accuracy.append(count_correct(cache.output, T_val) / n_val)
    finally:
        steps.write_back()
    return history


def _overrides_passes(net: Network) -> bool:
    """True when ``net`` replaces Network's ``_feedforward`` or ``_backward``
    (in a subclass or on the instance); fit then trains through them."""
    from .network import Network  # here: network.py imports this module

    return (
        type(net)._feedforward is not Network._feedforward
        or type(net)._backward is not Network._backward
        or "_feedforward" in vars(net)
        or "_backward" in vars(net)
    )


class _PlainSteps:
    """Training steps through ``net._feedforward`` and ``net._backward``."""

    def __init__(self, net: Network, X: np.ndarray, T: np.ndarray) -> None:
        self.net, self.X, self.T = net, X, T

    def forward(self, rows: np.ndarray | None) -> float:
        """Forward pass on the minibatch ``rows`` (None: all); its mean loss."""
        if rows is None:
            self.X_batch, self.T_batch = self.X, self.T
        else:
            self.X_batch, self.T_batch = self.X[rows], self.T[rows]
        self.n_rows = self.X_batch.shape[0]
        self.cache: ForwardPass = self.net._feedforward(self.X_batch)
        output = self.cache.output
        return float(self.net.loss_function.value(self.cache.z[-1], output, self.T_batch).mean())

    def backward(self, learning_rate: float) -> bool:
        """Backward pass; True when every gradient is finite."""
        self.learning_rate = learning_rate
        self.grads: BackwardPass = self.net._backward(self.cache, self.T_batch)
        return all(np.isfinite(g.sum()) for g in self.grads.dW + self.grads.db)

    def apply(self) -> None:
        """The step of eq. (7) on every weight and bias."""
        grads = self.grads
        for W, b, dW, db in zip(self.net.weights, self.net.biases, grads.dW, grads.db, strict=True):
            W -= self.learning_rate * dW
            b -= self.learning_rate * db

    def count_correct(self) -> int:
        """Correct predictions in the last forward pass."""
        return count_correct(self.cache.output, self.T_batch)

    def write_back(self) -> None:
        """Nothing to do: the plain path updates ``net`` directly."""


# --- the fast path ----------------------------------------------------------------
#
# The same step as the plain path, with four changes that save time but not
# accuracy (the results agree to rounding, about 1e-15 relative):
#
# * every array a step needs is allocated once, and every NumPy call writes
#   into one of them (``out=``); a partial last minibatch uses their first rows;
# * the output delta is multiplied by learning_rate / n_rows up front. Every
#   later delta and gradient is linear in it, so the backward pass produces
#   learning_rate * gradient, the step of eq. (7), ready to subtract;
# * all weights and biases live in one flat vector ``theta`` (``W[l]`` and
#   ``b[l]`` are views into it) and all steps in one flat vector ``step``, so a
#   single call checks the step for NaN and inf and a single call applies it.
#   fit copies theta back into ``net.weights`` and ``net.biases`` (the same
#   array objects as before) whenever it returns or validates;
# * layer kernels work in place: they write g(z) into ``a``, or multiply an
#   error by g'(z) (eqs. (5) and (14)), reading g'(z) from a = g(z) as
#   Activation.g_prime_of_a does. sigmoid and tanh are written with exp, their
#   textbook form: NumPy's float64 tanh, which the plain path's formulas use,
#   takes 2-3x as long as exp on common x86 CPUs. exp overflows to inf for
#   very negative z (silenced by fit's errstate), which gives the correct
#   limits 0 and -1.


def _sigmoid(z: np.ndarray, a: np.ndarray) -> None:
    """a = 1 / (1 + e^-z)."""
    np.negative(z, out=a)
    np.exp(a, out=a)
    a += 1.0
    np.divide(1.0, a, out=a)


def _tanh(z: np.ndarray, a: np.ndarray) -> None:
    """a = tanh z = 2 / (1 + e^-2z) - 1."""
    np.multiply(z, -2.0, out=a)
    np.exp(a, out=a)
    a += 1.0
    np.divide(2.0, a, out=a)
    a -= 1.0


def _relu(z: np.ndarray, a: np.ndarray) -> None:
    """a = max(0, z)."""
    np.maximum(z, 0.0, out=a)


def _linear(z: np.ndarray, a: np.ndarray) -> None:
    """a = z."""
    np.copyto(a, z)


def _times_sigmoid_prime(
    z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray
) -> None:
    """error *= a (1 - a)."""
    np.subtract(1.0, a, out=scratch)
    scratch *= a
    error *= scratch


def _times_tanh_prime(z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray) -> None:
    """error *= 1 - a^2."""
    np.multiply(a, a, out=scratch)
    np.subtract(1.0, scratch, out=scratch)
    error *= scratch


def _times_relu_prime(z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray) -> None:
    """error *= [a > 0], which is [z > 0]."""
    np.greater(a, 0.0, out=scratch)
    error *= scratch


def _times_linear_prime(
    z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray
) -> None:
    """error *= 1: nothing to do."""


Kernel = Callable[[np.ndarray, np.ndarray], None]
PrimeKernel = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]

_KERNELS: dict[str, tuple[Kernel, PrimeKernel]] = {
    "sigmoid": (_sigmoid, _times_sigmoid_prime),
    "tanh": (_tanh, _times_tanh_prime),
    "relu": (_relu, _times_relu_prime),
    "linear": (_linear, _times_linear_prime),
}
"""In-place g and g' for the common elementwise activations."""


def _kernels(act: Activation) -> tuple[Kernel, PrimeKernel] | None:
    """In-place g and g' for ``act``: a table entry above, or (other
    elementwise activations) its own functions with a copy; None for softmax."""
    if act is ACTIVATIONS.get(act.name) and act.name in _KERNELS:
        return _KERNELS[act.name]
    if not act.elementwise:
        return None

    def g(z: np.ndarray, a: np.ndarray) -> None:
        np.copyto(a, act.g(z))

    def times_g_prime(z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray) -> None:
        np.copyto(error, act.delta(z, a, error))

    return g, times_g_prime


class _Batch:
    """The fast path's arrays for minibatches of one size, ``n_rows``.

    ``a[0]`` is the minibatch's inputs and ``t`` its targets (gathered, or X
    and T themselves for full-batch training); ``z[l]``, ``a[l + 1]``,
    ``delta[l]`` and ``scratch[l]`` are layer l's, shape
    (n_rows, sizes[l + 1]). All are views of the workspace's buffers.
    """

    def __init__(self, ws: _Workspace, n_rows: int, full: bool) -> None:
        self.n_rows = n_rows
        if full:
            x, self.t, self.labels = ws.X, ws.T, ws.labels
        else:
            x, self.t, self.labels = ws.x_buf[:n_rows], ws.t_buf[:n_rows], ws.labels_buf[:n_rows]
        self.z = [z[:n_rows] for z in ws.z_buf]
        self.a = [x] + [a[:n_rows] for a in ws.a_buf]
        self.a_T = [a.T for a in self.a]  # for dW = a_prev^T delta
        self.delta = [d[:n_rows] for d in ws.delta_buf]
        self.scratch = [s[:n_rows] for s in ws.scratch_buf]
        self.ones = ws.ones_buf[:n_rows]
        self.row_values = ws.row_values_buf[:n_rows]  # one number per sample
        self.output_column = self.a[-1][:, 0]
        self.predicted = ws.predicted_buf[:n_rows]
        self.match = ws.match_buf[:n_rows]


class _Workspace:
    """The fast path: one fit call's buffers and the step that uses them.

    Args:
        net: the network; its parameters are copied into ``theta`` and back.
        X, T: the checked training data.
        batch_size: the largest minibatch (n_samples for full batch).
        track_accuracy: whether to count correct predictions.
    """

    def __init__(
        self, net: Network, X: np.ndarray, T: np.ndarray, batch_size: int, track_accuracy: bool
    ) -> None:
        self.net = net
        dtype, sizes = net.dtype, net.sizes
        n_samples = X.shape[0]
        full = batch_size == n_samples
        # Full-batch steps read X and T directly, so make them contiguous once
        # (a no-op for the usual arrays); minibatches are gathered into x_buf.
        self.X = np.ascontiguousarray(X) if full else X
        self.T = np.ascontiguousarray(T) if full else T

        # theta = every W and b, flat; step = learning_rate * their gradients.
        shapes = [
            s
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
            for s in ((n_in, n_out), (n_out,))
        ]
        self.theta = np.zeros(sum(math.prod(s) for s in shapes), dtype)
        self.step = np.zeros_like(self.theta)
        self.theta_ones = np.ones_like(self.theta)
        theta_views, step_views, offset = [], [], 0
        for shape in shapes:
            size = math.prod(shape)
            theta_views.append(self.theta[offset : offset + size].reshape(shape))
            step_views.append(self.step[offset : offset + size].reshape(shape))
            offset += size
        self.W, self.b = theta_views[0::2], theta_views[1::2]
        self.W_T = [W.T for W in self.W]  # for the error of eq. (14)
        self.dW, self.db = step_views[0::2], step_views[1::2]
        for W, b, W_net, b_net in zip(self.W, self.b, net.weights, net.biases, strict=True):
            np.copyto(W, W_net)
            np.copyto(b, b_net)

        kernels = [_kernels(act) for act in net.activations]
        hidden = [k for k in kernels[:-1] if k is not None]
        assert len(hidden) == len(kernels) - 1  # Network allows no softmax there
        self.g = [g for g, _ in hidden]
        self.times_g_prime = [times_g_prime for _, times_g_prime in hidden]
        loss, output = net.loss_function, net.activations[-1]
        self.output_kernels = kernels[-1]
        if isinstance(loss, CrossEntropy) and output is ACTIVATIONS["softmax"]:
            self.output_kind = "softmax_cross_entropy"
        elif isinstance(loss, SumSquaredError) and self.output_kernels is not None:
            self.output_kind = "sse"
        else:  # e.g. SSE with softmax: the Activation and loss objects do it
            self.output_kind = "general"

        # The targets' classes as count_correct compares them.
        self.binary = T.shape[1] == 1
        self.track_accuracy = track_accuracy
        if not track_accuracy:
            self.labels = np.zeros(0, bool)
        elif self.binary:
            self.labels = T[:, 0] > 0.5
        else:
            self.labels = T.argmax(axis=1)

        rows, gathered = batch_size, 0 if full else batch_size
        self.x_buf = np.empty((gathered, sizes[0]), dtype)
        self.t_buf = np.empty((gathered, sizes[-1]), dtype)
        self.labels_buf = np.empty(gathered if track_accuracy else 0, self.labels.dtype)
        self.z_buf = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.a_buf = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.delta_buf = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.scratch_buf = [np.empty((rows, n), dtype) for n in sizes[1:]]
        self.ones_buf = np.ones(rows, dtype)
        self.row_values_buf = np.empty((rows, 1), dtype)
        self.predicted_buf = np.empty(rows, bool if self.binary else np.intp)
        self.match_buf = np.empty(rows, bool)

        # Views for full minibatches and, if batch_size does not divide
        # n_samples, for the smaller last one.
        self.batches = {batch_size: _Batch(self, batch_size, full)}
        if n_samples % batch_size:
            self.batches[n_samples % batch_size] = _Batch(self, n_samples % batch_size, full)
        self.batch = self.batches[batch_size]
        self.n_samples = n_samples

    @property
    def n_rows(self) -> int:
        """Samples in the current minibatch."""
        return self.batch.n_rows

    def write_back(self) -> None:
        """Copy theta into the network's own weight and bias arrays."""
        net = self.net
        for W, b, W_net, b_net in zip(self.W, self.b, net.weights, net.biases, strict=True):
            np.copyto(W_net, W)
            np.copyto(b_net, b)

    def forward(self, rows: np.ndarray | None) -> float:
        """Forward pass on the minibatch ``rows`` (None: all); its mean loss.

        Leaves the output delta of eq. (5), not yet scaled, in ``delta[-1]``.
        """
        batch = self.batch = self.batches[self.n_samples if rows is None else rows.shape[0]]
        a, z = batch.a, batch.z
        if rows is not None:
            # mode="wrap" (never needed: rows are valid) lets take write
            # straight into the buffer; the default mode copies via a temporary.
            np.take(self.X, rows, axis=0, out=a[0], mode="wrap")
            np.take(self.T, rows, axis=0, out=batch.t, mode="wrap")
            if self.track_accuracy:
                np.take(self.labels, rows, axis=0, out=batch.labels, mode="wrap")
        for l, g in enumerate(self.g):  # noqa: E741 (the text's layer index)
            np.dot(a[l], self.W[l], out=z[l])  # z = a_prev W + b
            z[l] += self.b[l]
            g(z[l], a[l + 1])
        np.dot(a[-2], self.W[-1], out=z[-1])
        z[-1] += self.b[-1]
        return self._output_layer(batch)

    def _output_layer(self, batch: _Batch) -> float:
        """Output activation, the batch's mean loss (returned) and the output
        delta of eq. (5) in ``delta[-1]``."""
        z, a, delta, t = batch.z[-1], batch.a[-1], batch.delta[-1], batch.t
        if self.output_kind == "softmax_cross_entropy":
            # softmax from shifted logits; log a = shifted - log(sum e^shifted)
            # for the loss, as activations.softmax and CrossEntropy.value do.
            np.maximum.reduce(z, axis=1, keepdims=True, out=batch.row_values)
            z -= batch.row_values
            np.exp(z, out=a)
            np.add.reduce(a, axis=1, keepdims=True, out=batch.row_values)
            a /= batch.row_values
            np.log(batch.row_values, out=batch.row_values)
            z -= batch.row_values  # now log a
            loss = -float(np.vdot(t, z)) / batch.n_rows  # mean of -sum_k t_k log a_k
            np.subtract(a, t, out=delta)  # a - t
        elif self.output_kind == "sse":
            assert self.output_kernels is not None
            g, times_g_prime = self.output_kernels
            g(z, a)
            np.subtract(a, t, out=delta)  # a - t
            loss = 0.5 * float(np.vdot(delta, delta)) / batch.n_rows  # mean of eq. (1)
            times_g_prime(z, a, delta, batch.scratch[-1])  # (a - t) g'(z)
        else:
            loss_function, output = self.net.loss_function, self.net.activations[-1]
            np.copyto(a, output.g(z))
            loss = float(loss_function.value(z, a, t).mean())
            np.copyto(delta, loss_function.delta(z, a, t, output))
        return loss

    def backward(self, learning_rate: float) -> bool:
        """Fill ``step`` with learning_rate times the gradient (eqs. (6), (8),
        (14), (15), (18)); True when it is finite."""
        batch = self.batch
        a_T, z, delta, scratch = batch.a_T, batch.z, batch.delta, batch.scratch
        delta[-1] *= learning_rate / batch.n_rows  # the mean, and eta, once
        for l in range(len(self.W) - 1, -1, -1):  # noqa: E741 (the text's layer index)
            np.dot(a_T[l], delta[l], out=self.dW[l])  # a_prev^T delta
            np.dot(batch.ones, delta[l], out=self.db[l])  # sum of delta's rows
            if l:
                np.dot(delta[l], self.W_T[l], out=delta[l - 1])  # error, eq. (14)
                self.times_g_prime[l - 1](z[l - 1], batch.a[l], delta[l - 1], scratch[l - 1])
        # The sum of the step is finite only if every entry is; a dot product
        # with ones computes it faster than np.add.reduce.
        return math.isfinite(np.dot(self.step, self.theta_ones))

    def apply(self) -> None:
        """The step of eq. (7) on every parameter at once."""
        np.subtract(self.theta, self.step, out=self.theta)

    def count_correct(self) -> int:
        """Correct predictions in the last forward pass (as :func:`count_correct`)."""
        batch = self.batch
        if self.binary:
            np.greater(batch.output_column, 0.5, out=batch.predicted)
        else:
            batch.a[-1].argmax(axis=1, out=batch.predicted)
        np.equal(batch.predicted, batch.labels, out=batch.match)
        return int(np.count_nonzero(batch.match))
