"""The fast path of :func:`backprop.training.fit`: the work on one minibatch,
allocation-free.

Private: :func:`backprop.training.fit` runs its one loop with a
:class:`Workspace` from here for the networks that :func:`handles` accepts,
plain :class:`~backprop.network.Network` objects, and with its own
``PlainSteps`` for every other. The arithmetic is eq. (7) on the gradients of
eqs. (5), (6), (8), (14), (15) and (18), exactly as ``PlainSteps`` does it;
the design notes below say what is arranged differently, and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import DTypeLike

from .activations import ACTIVATIONS, Activation
from .network import Network

_PASSES = ("feedforward", "backward")
_DEFAULT_PASSES = {name: vars(Network)[name] for name in _PASSES}
"""Network's own passes, as network.py defines them (this module is imported
with the package, before any user code can replace them)."""


def handles(net: Network) -> bool:
    """True when ``net`` is a plain Network: its class is ``Network`` itself
    and neither of its public passes is replaced, on the class or on the
    instance. Every other network trains through ``training.PlainSteps``."""
    return type(net) is Network and all(
        vars(Network)[name] is _DEFAULT_PASSES[name] and name not in vars(net) for name in _PASSES
    )


# --- design notes -------------------------------------------------------------
#
# The same step as training.PlainSteps, with changes that save time but not
# accuracy (the results agree to rounding, about 1e-15 relative):
#
# * samples are columns. Every per-sample array is stored transposed, shape
#   (units, n_rows), like the column vectors a^l of the text, and layer l
#   computes z^T = W^T a^T. Below each hidden layer's activations sits a row
#   of ones, and the bias is the last row of the layer's weight block, so one
#   matrix product gives z = a W + b, and one gives both dW and db (eqs. (8)
#   and (15) with (6) and (18)). Full-batch training puts that row under a
#   transposed copy of X, made once per call; a minibatch is gathered row by
#   row into a buffer instead, and its first layer adds b separately;
# * every array a step needs is allocated once, and every NumPy call writes
#   into one of them (``out=``). Constants are 0-d arrays of the network's
#   dtype, which NumPy takes in faster than Python floats;
# * the output delta is multiplied by learning_rate / n_rows up front. Every
#   later delta and gradient is linear in it, so the backward pass produces
#   learning_rate * gradient, the step of eq. (7), ready to subtract;
# * all weights and biases live in one flat vector ``theta`` and all steps in
#   one flat vector ``step``, so a single call checks the step for NaN and
#   inf and a single call applies it. write_back copies theta into
#   ``net.weights`` and ``net.biases`` (the same array objects as before);
#   fit calls it whenever it returns or validates;
# * layer kernels work in place: they write g(z) into ``a``, or multiply an
#   error by g'(z) (eqs. (5) and (14)), reading g'(z) from a = g(z) as
#   Activation.g_prime_of_a does. sigmoid is the formula of
#   activations.sigmoid, bit for bit: with e = e^-|z| (never overflows),
#   1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, accurate over the whole
#   float64 range, subnormal results included. tanh is written with exp,
#   2 / (1 + e^-2z) - 1: NumPy's float64 tanh, which the plain path uses,
#   takes 2-3x as long as exp on common x86 CPUs; exp overflows to inf for
#   very negative z (silenced by fit's errstate), which gives the limit -1.
#   Its error is at most a few units of the last place of 1 (tested), so the
#   fast and plain paths agree to ~1e-16 absolute; near z = 0 the final
#   subtraction cancels, so tiny activations (|z| < 1e-8, say) carry a large
#   relative error. Training never notices; a reader who wants g(z) itself
#   calls ``activations.get_activation("tanh").g``, which is np.tanh.
#   The sigmoid's "1 where z >= 0" comes from greater_equal, not heaviside:
#   the same values, and heaviside has no SIMD loop (12-20x slower on this CPU).
#   g kernels get the layer's scratch buffer, free during the forward pass.

Kernel = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
PrimeKernel = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]


class _Kernels:
    """In-place g(z) and error * g'(z) of the common activations, for one dtype.

    ``g(z, a, scratch)`` writes g(z) into ``a`` (``scratch``, of z's shape,
    may be overwritten); ``times_g_prime(z, a, error, scratch)`` multiplies
    ``error`` by g'(z) in place, given a = g(z).
    """

    NAMES = ("sigmoid", "tanh", "relu", "linear")

    def __init__(self, dtype: DTypeLike) -> None:
        self.zero, self.half, self.one, self.two, self.minus_two = (
            np.array(c, dtype) for c in (0, 0.5, 1, 2, -2)
        )

    def pair(self, name: str) -> tuple[Kernel, PrimeKernel]:
        """g and times_g_prime of the activation ``name`` (one of NAMES)."""
        return getattr(self, name), getattr(self, f"times_{name}_prime")

    def sigmoid(self, z: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
        """a = 1 / (1 + e^-z) as activations.sigmoid computes it: with
        e = e^-|z|, a = where(z >= 0, 1, e) / (1 + e)."""
        np.abs(z, out=scratch)
        np.negative(scratch, out=scratch)
        np.exp(scratch, out=scratch)  # e = e^-|z|, in (0, 1]
        np.greater_equal(z, self.zero, out=a)  # 1 where z >= 0, else 0
        np.maximum(scratch, a, out=a)  # the numerator: 1 where z >= 0, else e
        np.add(scratch, self.one, out=scratch)  # 1 + e
        np.divide(a, scratch, out=a)

    def tanh(self, z: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
        """a = tanh z = 2 / (1 + e^-2z) - 1, to a few units of 1's last place."""
        np.multiply(z, self.minus_two, out=a)
        np.exp(a, out=a)
        np.add(a, self.one, out=a)
        np.divide(self.two, a, out=a)
        np.subtract(a, self.one, out=a)

    def relu(self, z: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
        """a = max(0, z)."""
        np.maximum(z, self.zero, out=a)

    def linear(self, z: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
        """a = z."""
        np.copyto(a, z)

    def times_sigmoid_prime(
        self, z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray
    ) -> None:
        """error *= a (1 - a)."""
        np.subtract(self.one, a, out=scratch)
        np.multiply(scratch, a, out=scratch)
        np.multiply(error, scratch, out=error)

    def times_tanh_prime(
        self, z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray
    ) -> None:
        """error *= 1 - a^2."""
        np.multiply(a, a, out=scratch)
        np.subtract(self.one, scratch, out=scratch)
        np.multiply(error, scratch, out=error)

    def times_relu_prime(
        self, z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray
    ) -> None:
        """error *= [a > 0], which is [z > 0]."""
        np.greater(a, self.zero, out=scratch)
        np.multiply(error, scratch, out=error)

    def times_linear_prime(
        self, z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray
    ) -> None:
        """error *= 1: nothing to do."""


def _in_place(act: Activation, kernels: _Kernels) -> tuple[Kernel, PrimeKernel] | None:
    """In-place g and g' for ``act``: from ``kernels``, or (other elementwise
    activations) its own functions with a copy; None for softmax."""
    if act is ACTIVATIONS.get(act.name) and act.name in _Kernels.NAMES:
        return kernels.pair(act.name)
    if not act.elementwise:
        return None

    def g(z: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
        np.copyto(a, act.g(z))

    def times_g_prime(z: np.ndarray, a: np.ndarray, error: np.ndarray, scratch: np.ndarray) -> None:
        np.copyto(error, act.delta(z, a, error))

    return g, times_g_prime


class _Batch:
    """The fast path's arrays for minibatches of one size, ``n_rows``.

    All are transposed, one column per sample. ``A[l]`` is layer l's input
    (``A[0]`` the samples, gathered into ``x`` or the workspace's copy of X),
    shape (sizes[l] + 1, n_rows) with a last row of ones, except the
    gathered ``A[0]``, which has no such row; ``a[l]`` is A[l] without the
    ones, and ``a[-1]`` the output layer's activations. ``z[l]``,
    ``delta[l]`` and ``scratch[l]`` belong to layer l + 1,
    shape (sizes[l + 1], n_rows), and ``t`` holds the targets the same way.
    """

    def __init__(self, ws: Workspace, n_rows: int) -> None:
        dtype, sizes = ws.dtype, ws.sizes
        self.n_rows = n_rows
        self.scale = np.array(ws.learning_rate / n_rows, dtype)  # see backward
        if ws.full_batch:  # nothing to gather
            self.t, self.labels = ws.T_T, ws.labels
            self.A = [ws.X_T]
            inputs = ws.X_T[:-1]
        else:
            self.x = np.empty((n_rows, sizes[0]), dtype)  # gathered rows of X
            self.t_rows = np.empty((n_rows, sizes[-1]), dtype)  # and of T
            self.t = np.empty((sizes[-1], n_rows), dtype)
            self.labels = np.empty(n_rows if ws.track_accuracy else 0, ws.labels.dtype)
            self.A = [self.x.T]
            inputs = self.x.T
        self.A += [np.ones((n + 1, n_rows), dtype) for n in sizes[1:-1]]
        outputs = np.empty((sizes[-1], n_rows), dtype)
        self.a = [inputs] + [A[:-1] for A in self.A[1:]] + [outputs]
        self.z = [np.empty((n, n_rows), dtype) for n in sizes[1:]]
        self.delta = [np.empty_like(z) for z in self.z]
        self.scratch = [np.empty_like(z) for z in self.z]
        self.ones = np.ones(n_rows, dtype)  # for db = delta @ ones
        self.column_values = np.empty((1, n_rows), dtype)  # one number per sample
        self.predicted = np.empty(n_rows, bool if ws.binary else np.intp)
        self.match = np.empty(n_rows, bool)


class Workspace:
    """The fast path: one fit call's buffers and the step that uses them.

    Args:
        net: the network; its parameters are copied into ``theta`` and back.
        X, T: the checked training data.
        learning_rate: the step size of eq. (7).
        batch_size: the largest minibatch (n_samples for full batch).
        track_accuracy: whether to count correct predictions.
    """

    def __init__(
        self,
        net: Network,
        X: np.ndarray,
        T: np.ndarray,
        learning_rate: float,
        batch_size: int,
        track_accuracy: bool,
    ) -> None:
        self.net, self.X, self.T, self.learning_rate = net, X, T, learning_rate
        self.dtype, self.sizes = dtype, sizes = net.dtype, net.sizes
        n_samples = X.shape[0]
        self.full_batch = batch_size == n_samples
        if self.full_batch:  # [X^T; 1] and T^T, once
            self.X_T = np.ones((sizes[0] + 1, n_samples), dtype)
            np.copyto(self.X_T[:-1], X.T)
            self.T_T = np.ascontiguousarray(T.T)

        # theta = every W and b, flat. Layer l's block is W_aug[l] = [W; b],
        # shape (n_in + 1, n_out): W's rows, then b as the last row. step has
        # the same layout and holds learning_rate * the gradients.
        blocks = [(n_in + 1, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        self.theta = np.zeros(sum(math.prod(s) for s in blocks), dtype)
        self.step = np.zeros_like(self.theta)
        self.theta_ones = np.ones_like(self.theta)
        self.W_aug, self.dW_aug, offset = [], [], 0
        for shape in blocks:
            size = math.prod(shape)
            self.W_aug.append(self.theta[offset : offset + size].reshape(shape))
            self.dW_aug.append(self.step[offset : offset + size].reshape(shape))
            offset += size
        self.W_aug_T = [W_aug.T for W_aug in self.W_aug]  # for z^T = W_aug^T A
        self.W = [W_aug[:-1] for W_aug in self.W_aug]  # for the error of eq. (14)
        for W_aug, W_net, b_net in zip(self.W_aug, net.weights, net.biases, strict=True):
            np.copyto(W_aug[:-1], W_net)
            np.copyto(W_aug[-1], b_net)
        # A gathered minibatch has no row of ones: its first layer uses these.
        self.W0_T, self.b0_column = self.W[0].T, self.W_aug[0][-1:].T
        self.dW0, self.db0 = self.dW_aug[0][:-1], self.dW_aug[0][-1]

        self.kernels = _Kernels(dtype)
        pairs = [_in_place(act, self.kernels) for act in net.activations]
        hidden = [p for p in pairs[:-1] if p is not None]
        assert len(hidden) == len(pairs) - 1  # Network allows no softmax there
        self.g = [g for g, _ in hidden]
        self.times_g_prime = [times_g_prime for _, times_g_prime in hidden]
        self.output_kernels = pairs[-1]
        # The output layer: this class's kernel named after the loss in
        # losses.LOSSES (``_sse_output``, ``_cross_entropy_output``) where it
        # has one; for any other loss the loss and Activation objects do it.
        self.output_layer: Callable[[_Batch], float] = getattr(
            self, f"_{net.loss_function.name}_output", self._general_output
        )

        # The targets' classes as count_correct compares them.
        self.binary = T.shape[1] == 1
        self.track_accuracy = track_accuracy
        if not track_accuracy:
            self.labels = np.zeros(0, bool)
        elif self.binary:
            self.labels = T[:, 0] > 0.5
        else:
            self.labels = T.argmax(axis=1)

        # Arrays for full minibatches and, if batch_size does not divide
        # n_samples, for the smaller last one.
        self.batches = {batch_size: _Batch(self, batch_size)}
        if n_samples % batch_size:
            self.batches[n_samples % batch_size] = _Batch(self, n_samples % batch_size)
        self.batch = self.batches[batch_size]
        self.n_samples = n_samples

    @property
    def n_rows(self) -> int:
        """Samples in the current minibatch."""
        return self.batch.n_rows

    def write_back(self) -> None:
        """Copy theta into the network's own weight and bias arrays."""
        net = self.net
        for W_aug, W_net, b_net in zip(self.W_aug, net.weights, net.biases, strict=True):
            np.copyto(W_net, W_aug[:-1])
            np.copyto(b_net, W_aug[-1])

    def forward(self, rows: np.ndarray | None) -> float:
        """Forward pass on the minibatch ``rows`` (None: all); its mean loss.

        Leaves the output delta of eq. (5), not yet scaled, in ``delta[-1]``.
        """
        batch = self.batch = self.batches[self.n_samples if rows is None else rows.shape[0]]
        A, a, z = batch.A, batch.a, batch.z
        if self.full_batch:  # fit passes rows=None exactly then
            np.dot(self.W_aug_T[0], A[0], out=z[0])  # z = a_prev W + b, for all samples
        else:
            assert rows is not None
            # mode="wrap" (never needed: rows are valid) lets take write
            # straight into the buffer; the default mode copies via a temporary.
            np.take(self.X, rows, axis=0, out=batch.x, mode="wrap")
            np.take(self.T, rows, axis=0, out=batch.t_rows, mode="wrap")
            np.copyto(batch.t, batch.t_rows.T)
            if self.track_accuracy:
                np.take(self.labels, rows, axis=0, out=batch.labels, mode="wrap")
            np.dot(self.W0_T, A[0], out=z[0])
            np.add(z[0], self.b0_column, out=z[0])
        for l, g in enumerate(self.g, start=1):  # noqa: E741 (the text's layer index)
            g(z[l - 1], a[l], batch.scratch[l - 1])
            np.dot(self.W_aug_T[l], A[l], out=z[l])
        return self.output_layer(batch)

    # Each output layer kernel: the output activation, the batch's mean loss
    # (returned) and the output delta of eq. (5) in ``delta[-1]``.

    def _cross_entropy_output(self, batch: _Batch) -> float:
        """Softmax and cross-entropy, fused (the loss admits only a softmax output)."""
        z, a, delta, t = batch.z[-1], batch.a[-1], batch.delta[-1], batch.t
        # softmax from shifted logits; log a = shifted - log(sum e^shifted)
        # for the loss, as activations.softmax and CrossEntropy.value do.
        # Each sample is a column, so the sums run down axis 0.
        column = batch.column_values
        np.maximum.reduce(z, axis=0, keepdims=True, out=column)
        np.subtract(z, column, out=z)
        np.exp(z, out=a)
        np.add.reduce(a, axis=0, keepdims=True, out=column)
        np.divide(a, column, out=a)
        np.log(column, out=column)
        np.subtract(z, column, out=z)  # now log a
        np.subtract(a, t, out=delta)  # a - t
        return -float(np.vdot(t, z)) / batch.n_rows  # mean of -sum_k t_k log a_k

    def _sse_output(self, batch: _Batch) -> float:
        """Eq. (1) on an elementwise output activation's in-place kernels."""
        if self.output_kernels is None:  # softmax: no in-place kernel
            return self._general_output(batch)
        z, a, delta, t = batch.z[-1], batch.a[-1], batch.delta[-1], batch.t
        g, times_g_prime = self.output_kernels
        g(z, a, batch.scratch[-1])
        np.subtract(a, t, out=delta)  # a - t
        loss = 0.5 * float(np.vdot(delta, delta)) / batch.n_rows  # mean of eq. (1)
        times_g_prime(z, a, delta, batch.scratch[-1])  # (a - t) g'(z)
        return loss

    def _general_output(self, batch: _Batch) -> float:
        """Any loss: the plain path's objects, on row-per-sample views."""
        z, a, delta, t = batch.z[-1], batch.a[-1], batch.delta[-1], batch.t
        loss_function, output = self.net.loss_function, self.net.activations[-1]
        np.copyto(a.T, output.g(z.T))
        np.copyto(delta.T, loss_function.delta(z.T, a.T, t.T, output))
        return float(loss_function.value(z.T, a.T, t.T).mean())

    def backward(self) -> bool:
        """Fill ``step`` with learning_rate times the gradient (eqs. (6), (8),
        (14), (15), (18)); True when it is finite."""
        batch = self.batch
        A, a, z, delta, scratch = batch.A, batch.a, batch.z, batch.delta, batch.scratch
        np.multiply(delta[-1], batch.scale, out=delta[-1])  # the mean, and eta, once
        for l in range(len(self.W) - 1, 0, -1):  # noqa: E741 (the text's layer index)
            np.dot(A[l], delta[l].T, out=self.dW_aug[l])  # [a_prev, 1]^T delta: dW and db
            np.dot(self.W[l], delta[l], out=delta[l - 1])  # error, eq. (14)
            self.times_g_prime[l - 1](z[l - 1], a[l], delta[l - 1], scratch[l - 1])
        if self.full_batch:
            np.dot(A[0], delta[0].T, out=self.dW_aug[0])
        else:
            np.dot(A[0], delta[0].T, out=self.dW0)
            np.dot(delta[0], batch.ones, out=self.db0)  # sum over the samples
        # The sum of the step is finite only if every entry is; a dot product
        # with ones computes it faster than np.add.reduce.
        return math.isfinite(np.dot(self.step, self.theta_ones))

    def apply(self) -> None:
        """The step of eq. (7) on every parameter at once."""
        np.subtract(self.theta, self.step, out=self.theta)

    def count_correct(self) -> int:
        """Correct predictions in the last forward pass, as
        :func:`~backprop.history.count_correct` counts them."""
        batch = self.batch
        if self.binary:
            np.greater(batch.a[-1][0], self.kernels.half, out=batch.predicted)
        else:
            batch.a[-1].argmax(axis=0, out=batch.predicted)
        np.equal(batch.predicted, batch.labels, out=batch.match)
        return int(np.count_nonzero(batch.match))
