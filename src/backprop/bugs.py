"""Deliberately broken backward passes, for the gradient-debugging lab.

:class:`Backward` is the network's backward pass (the same arithmetic as
:meth:`Network.backward <backprop.network.Network.backward>`) split into the
steps the book derives. Each bug is a subclass that gets one step wrong, in a
few lines. :class:`BrokenNetwork` runs a network with such a pass: its
``gradients``, and so :func:`~backprop.gradcheck.gradient_check`, use the
broken pass, while its loss, and so the finite differences, stay correct.

>>> from backprop import Network, gradient_check
>>> net = Network([3, 3, 3], activations=["tanh", "sigmoid"], seed=0)
>>> X, T = [[0.1, 0.2, 0.3]], [[0.0, 1.0, 0.0]]
>>> errors = gradient_check(BrokenNetwork(net, "forgotten_bias"), X, T)
>>> round(errors["b0"], 3), errors["W0"] < 1e-6
(1.0, True)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike

from ._checks import choice
from .activations import Activation
from .network import BackwardPass, ForwardPass, Network


class Backward:
    """The correct backward pass, one method per step of the derivation."""

    def activation(self, net: Network, l: int) -> Activation:  # noqa: E741 (the text's index)
        """The activation whose g' enters layer l's delta."""
        return net.activations[l]

    def output_delta(self, net: Network, cache: ForwardPass, T: np.ndarray) -> np.ndarray:
        """delta_k = (a_k - t_k) g'(z_k), eq. (5) (a - t for the cross-entropies)."""
        return net.loss_function.delta(cache.z[-1], cache.output, T, self.activation(net, -1))

    def hidden_error(self, net: Network, deltas: list[np.ndarray], l: int) -> np.ndarray:  # noqa: E741
        """sum_k delta_k w_jk of eq. (14): ``delta_{l+1} @ W_{l+1}.T``."""
        return deltas[l + 1] @ net.weights[l + 1].T

    def hidden_delta(
        self,
        net: Network,
        cache: ForwardPass,
        l: int,  # noqa: E741
        error: np.ndarray,
    ) -> np.ndarray:
        """delta_j = g'(z_j) * error, eq. (14)."""
        return self.activation(net, l).delta(cache.z[l], cache.a[l + 1], error)

    def weight_gradient(self, cache: ForwardPass, delta: np.ndarray, l: int) -> np.ndarray:  # noqa: E741
        """Mean over samples of delta_j a_i, eqs. (6) and (15)."""
        return cache.a[l].T @ delta / len(delta)

    def bias_gradient(self, delta: np.ndarray) -> np.ndarray:
        """Mean over samples of delta_j, eqs. (8) and (18)."""
        return delta.mean(axis=0)

    def __call__(self, net: Network, cache: ForwardPass, T: np.ndarray) -> BackwardPass:
        n_layers = len(net.weights)
        deltas = [np.empty(0)] * n_layers
        deltas[-1] = self.output_delta(net, cache, T)
        for l in range(n_layers - 2, -1, -1):  # noqa: E741
            deltas[l] = self.hidden_delta(net, cache, l, self.hidden_error(net, deltas, l))
        dW = [self.weight_gradient(cache, delta, l) for l, delta in enumerate(deltas)]  # noqa: E741
        return BackwardPass(deltas, dW, [self.bias_gradient(delta) for delta in deltas])


class MissingTranspose(Backward):
    """eq. (14) multiplies by W instead of W^T (runs only where W is square)."""

    def hidden_error(self, net: Network, deltas: list[np.ndarray], l: int) -> np.ndarray:  # noqa: E741
        return deltas[l + 1] @ net.weights[l + 1]


class GInsteadOfGPrime(Backward):
    """Every delta multiplies by g(z) where the book has g'(z)."""

    def activation(self, net: Network, l: int) -> Activation:  # noqa: E741
        act = net.activations[l]
        return replace(act, g_prime=act.g, g_prime_of_a=None)


class SumNotMean(Backward):
    """The gradients add over the samples where the book takes the mean."""

    def weight_gradient(self, cache: ForwardPass, delta: np.ndarray, l: int) -> np.ndarray:  # noqa: E741
        return cache.a[l].T @ delta

    def bias_gradient(self, delta: np.ndarray) -> np.ndarray:
        return delta.sum(axis=0)


class ForgottenBias(Backward):
    """The bias gradients are never filled in (left at zero)."""

    def bias_gradient(self, delta: np.ndarray) -> np.ndarray:
        return np.zeros(delta.shape[1], delta.dtype)


class FlippedSign(Backward):
    """The output delta uses t - a instead of a - t."""

    def output_delta(self, net: Network, cache: ForwardPass, T: np.ndarray) -> np.ndarray:
        return -super().output_delta(net, cache, T)


class WrongLayerGPrime(Backward):
    """A hidden delta multiplies by the g' of the layer above it."""

    def hidden_delta(
        self,
        net: Network,
        cache: ForwardPass,
        l: int,  # noqa: E741
        error: np.ndarray,
    ) -> np.ndarray:
        return net.activations[l + 1].delta(cache.z[l], cache.a[l + 1], error)


class OffByOneLayer(Backward):
    """eq. (14) sends the deltas back through W_l instead of W_{l+1}."""

    def hidden_error(self, net: Network, deltas: list[np.ndarray], l: int) -> np.ndarray:  # noqa: E741
        return deltas[l + 1] @ net.weights[l].T


BUGS: dict[str, Backward] = {
    "missing_transpose": MissingTranspose(),
    "g_instead_of_g_prime": GInsteadOfGPrime(),
    "sum_not_mean": SumNotMean(),
    "forgotten_bias": ForgottenBias(),
    "flipped_sign": FlippedSign(),
    "wrong_layer_g_prime": WrongLayerGPrime(),
    "off_by_one_layer": OffByOneLayer(),
}
"""Every planted bug by name."""

HINTS: dict[str, str] = {
    "missing_transpose": "a missing transpose leaves the output layer's blocks correct; "
    "it runs only because the matrices it multiplies by are square, and it does no harm "
    "where such a matrix happens to be symmetric",
    "g_instead_of_g_prime": "with g in place of g' even the output layer's W and b are "
    "wrong, and by different amounts in different blocks",
    "sum_not_mean": "a sum in place of the mean makes every gradient N times too large, "
    "so every block has the same error, (N - 1) / (N + 1)",
    "forgotten_bias": "a forgotten bias gradient leaves every W block correct and gives an "
    "error of exactly 1 on every b block",
    "flipped_sign": "a flipped sign turns every gradient around, so every block has an "
    "error of exactly 1",
    "wrong_layer_g_prime": "the wrong layer's g' leaves the output layer's blocks correct "
    "and does no harm where two neighbouring layers share an activation",
    "off_by_one_layer": "sending the deltas back through the wrong weight matrix leaves the "
    "output layer's blocks correct whatever the activations are, and runs only when "
    "neighbouring weight matrices have the same shape (a different input width stops it)",
}
"""What each bug does to the pattern of relative errors, for the checker's hints."""


MYSTERIES: dict[int, str] = {1: "sum_not_mean", 2: "wrong_layer_g_prime", 3: "missing_transpose"}
"""The bugs hidden behind the lab's "which bug is this?" exercises."""


class BrokenNetwork(Network):
    """A copy of ``net`` whose backward pass has the planted bug ``bug``.

    Its forward pass and loss are ``net``'s, so finite differences still
    measure the true gradient; ``gradients`` and ``backward`` use the bug.
    """

    def __init__(self, net: Network, bug: str) -> None:
        self.__dict__.update(net.copy().__dict__)
        self.bug = choice("bug", bug, list(BUGS))

    def backward(self, cache: ForwardPass, T: ArrayLike) -> BackwardPass:
        """The backward pass with the bug ``self.bug``."""
        return BUGS[self.bug](self, cache, self.check_targets(T, cache.output.shape[0]))


def check_bug(answer: str | None, bug: str, name: str = "which bug") -> bool:
    """The lab's checker: True only when ``answer`` names ``bug``.

    Prints "correct", or for a wrong (or unknown) name what that bug would
    have done to the relative errors instead, as a hint.
    """
    if answer is None:
        print(f"{name}: not answered yet (replace None with one of: {', '.join(BUGS)}).")
        return False
    if answer not in BUGS:
        print(f"{name}: {answer!r} is not a bug of the lab; choose one of: {', '.join(BUGS)}.")
        return False
    if answer == bug:
        print(f"{name}: correct, it is {bug!r}.")
        return True
    print(f"{name}: not {answer!r}. Hint: {HINTS[answer]}.")
    return False
