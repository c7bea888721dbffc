"""A small reverse-mode automatic-differentiation engine on NumPy arrays.

A :class:`Node` holds an array computed in the forward pass (``value``), its
adjoint ``grad`` = dE/d(value) of the same shape, and a rule that passes the
adjoint on to the nodes it was computed from. Each operation below computes
its value and defines that rule right next to it, with the local derivatives
the book derived. :func:`backward` runs the rules from E down to the inputs,
each once, children before parents: that sweep is backpropagation. The adjoint
of each z is the book's delta (eqs. (5) and (14)); the adjoints of W and b are
the gradients of eqs. (6), (15) and (8), (18).

>>> from backprop import Network
>>> net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
>>> dW, db = gradients(net, [[0.5, -1.0]], [[1.0]])
>>> [g.shape for g in dW]
[(2, 3), (3, 1)]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from .activations import Activation
from .losses import LOSSES
from .network import Network


class Node:
    """One array of the computational graph.

    Attributes:
        value: the array the forward pass computed.
        grad: its adjoint dE/d(value), same shape; zero until :func:`backward`.
        parents: the nodes ``value`` was computed from.
        local: per parent, its local derivative d(value)/d(parent), as
            matplotlib mathtext (for drawing the graph).
        name: a label: ``"a0"`` for X, ``"W0"``, ``"b0"``, ``"z0"``, ``"a1"``,
            ... as in :class:`~backprop.network.ForwardPass`, and ``"E"``.
    """

    def __init__(
        self,
        value: ArrayLike,
        parents: tuple[Node, ...] = (),
        local: tuple[str, ...] = (),
        name: str = "",
    ) -> None:
        self.value = np.asarray(value)
        self.grad = np.zeros_like(self.value)
        self.parents, self.local, self.name = parents, local, name
        self.rule: Callable[[], None] = lambda: None  # a leaf passes nothing on

    def __repr__(self) -> str:
        return f"Node({self.name!r}, shape={self.value.shape})"


def matmul(a: Node, W: Node, name: str = "") -> Node:
    """a @ W, (n_samples, n_in) @ (n_in, n_out): the weighted sums of eq. (11)."""
    out = Node(a.value @ W.value, (a, W), (r"W^\top", r"a^\top"), name)

    def rule() -> None:
        a.grad += out.grad @ W.value.T  # sum_k delta_k w_jk, as in eq. (14)
        W.grad += a.value.T @ out.grad  # delta_j a_i summed over samples, eqs. (6), (15)

    out.rule = rule
    return out


def add_bias(u: Node, b: Node, name: str = "") -> Node:
    """u + b, with b (n_out,) added to every row: z = b + sum a w, eq. (11)."""
    out = Node(u.value + b.value, (u, b), ("1", "1"), name)

    def rule() -> None:
        u.grad += out.grad
        b.grad += out.grad.sum(axis=0)  # dz/db = 1, summed over samples: eqs. (8), (18)

    out.rule = rule
    return out


def activate(z: Node, act: Activation, name: str = "") -> Node:
    """a = g(z) for any activation of the registry.

    The rule multiplies by g'(z), the factor of eqs. (5) and (14); softmax,
    whose a_k depends on every z_k', applies its Jacobian a_k([k = k'] - a_k').
    """
    out = Node(act.g(z.value), (z,), ("g'(z)",), name)

    def rule() -> None:
        if act.g_prime is not None:
            z.grad += out.grad * act.g_prime(z.value)
        else:
            a = out.value
            z.grad += a * (out.grad - np.sum(out.grad * a, axis=1, keepdims=True))

    out.rule = rule
    return out


def _t_log(T: np.ndarray, a: np.ndarray) -> np.ndarray:
    """t log a, taken as 0 where t = 0 (also when a = 0)."""
    return T * np.log(a, out=np.zeros_like(a), where=T != 0)


def _loss_node(a: Node, value: float, error: Callable[[], np.ndarray], local: str) -> Node:
    out = Node(value, (a,), (local,), "E")

    def rule() -> None:
        a.grad += out.grad * error()

    out.rule = rule
    return out


def sse(a: Node, T: np.ndarray) -> Node:
    """E = mean over the N samples of 1/2 sum_k (a_k - t_k)^2, eq. (1);
    dE/da_k = (a_k - t_k) / N, the first factor of eqs. (2) and (5)."""
    N = len(T)
    return _loss_node(a, 0.5 * np.sum((a.value - T) ** 2) / N, lambda: (a.value - T) / N, "a - t")


def cross_entropy(a: Node, T: np.ndarray) -> Node:
    """E = mean of -sum_k t_k log a_k; dE/da_k = -t_k / (N a_k). After the
    softmax rule of :func:`activate` the adjoint of z is (a - t) / N."""
    N = len(T)

    def error() -> np.ndarray:
        return -np.divide(T, a.value, out=np.zeros_like(a.value), where=T != 0) / N

    return _loss_node(a, -np.sum(_t_log(T, a.value)) / N, error, "-t / a")


def binary_cross_entropy(a: Node, T: np.ndarray) -> Node:
    """E = mean of -sum_k [t_k log a_k + (1 - t_k) log(1 - a_k)];
    dE/da_k = (a_k - t_k) / (N a_k (1 - a_k)). After the sigmoid's g' the
    adjoint of z is (a - t) / N."""
    N, v = len(T), a.value
    value = -np.sum(_t_log(T, v) + _t_log(1.0 - T, 1.0 - v)) / N
    return _loss_node(a, value, lambda: (v - T) / (v * (1.0 - v)) / N, "(a - t) / a(1 - a)")


LOSS_OPS: dict[str, Callable[[Node, np.ndarray], Node]] = {name: globals()[name] for name in LOSSES}
"""The engine's operation for each loss of :data:`backprop.losses.LOSSES`: the
function above named after it (a loss without one stops this import)."""


def forward_graph(net: Network, X: ArrayLike, T: ArrayLike) -> tuple[Node, list[Node], list[Node]]:
    """Build ``net``'s forward pass and mean loss from engine operations.

    Returns ``(E, W_nodes, b_nodes)``: the loss node and the parameter leaves
    (holding ``net.weights`` and ``net.biases`` themselves, not copies).
    """
    X = net.check_inputs(X)
    T = net.check_targets(T, X.shape[0])
    a = Node(X, name="a0")
    W_nodes, b_nodes = [], []
    for l, (W, b, act) in enumerate(zip(net.weights, net.biases, net.activations, strict=True)):  # noqa: E741
        W_nodes.append(Node(W, name=f"W{l}"))
        b_nodes.append(Node(b, name=f"b{l}"))
        u = matmul(a, W_nodes[-1], f"a{l}W{l}")
        a = activate(add_bias(u, b_nodes[-1], f"z{l}"), act, f"a{l + 1}")
    return LOSS_OPS[net.loss_function.name](a, T), W_nodes, b_nodes


def backward(E: Node) -> list[Node]:
    """One backward sweep from the scalar E: set dE/dE = 1, then run each
    node's rule once, every node after all nodes computed from it.

    Returns the nodes in the order the forward pass computed them.
    """
    order: list[Node] = []
    seen: set[int] = set()

    def visit(node: Node) -> None:
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(E)
    E.grad = np.ones_like(E.value)
    for node in reversed(order):
        node.rule()
    return order


def gradients(
    net: Network, X: ArrayLike, T: ArrayLike
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Gradients of the mean loss by the engine: (list of dW, list of db),
    shaped like ``net.weights`` and ``net.biases``; equal to ``net.gradients``."""
    E, W_nodes, b_nodes = forward_graph(net, X, T)
    backward(E)
    return [W.grad for W in W_nodes], [b.grad for b in b_nodes]
