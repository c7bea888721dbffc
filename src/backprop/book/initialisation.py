"""Why the initial weights have the scale they have: predicted and measured Var(z).

Chapter 6 derives the variance argument of Glorot & Bengio (2010) and He et
al. (2015). For one layer with zero biases, weights drawn independently with
mean zero and variance Var(w), independent of the layer's inputs,

    Var(z_j) = n_in Var(w) E[a_i^2],

where E[a^2] is the second moment of the inputs (equal to Var(a) when a has
mean zero). A linear unit passes E[a^2] = Var(z) of the layer below; a relu
unit, whose z is symmetric about zero, passes half of it. So the forward
signal keeps its size with Var(w) = 1/n_in (linear) or 2/n_in (relu).

* :data:`SCHEMES` and :func:`weight_variance`: the three weight variances of
  the chapter, ``"package"`` (1/n_in, what :class:`backprop.Network` draws),
  ``"glorot"`` (2/(n_in + n_out)) and ``"he"`` (2/n_in);
* :func:`predicted_z_variance`: Var(z) of every layer that the argument
  predicts, for linear and relu networks;
* :func:`measured_z_variance`: the same, measured on seeded networks and
  seeded standard-normal inputs.

Only NumPy and the package's ``Network``; it lives in ``backprop.book``
because only chapter 6 needs it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .. import _checks
from ..network import Network

SCHEMES = ("package", "glorot", "he")
"""Weight variances: 1/n_in (the package), 2/(n_in + n_out) (Glorot), 2/n_in (He)."""

PASSED_SECOND_MOMENT = {"linear": 1.0, "relu": 0.5}
"""E[g(z)^2] / E[z^2] for z symmetric about zero: the share of Var(z) a unit passes on."""


def weight_variance(scheme: str, n_in: int, n_out: int) -> float:
    """The variance Var(w) of the initial weights of one layer under ``scheme``.

    ``"package"``: 1/n_in, ``"glorot"``: 2/(n_in + n_out), ``"he"``: 2/n_in.
    Any other name raises ``ValueError``.
    """
    n_in = _checks.positive_int("n_in", n_in)
    n_out = _checks.positive_int("n_out", n_out)
    if scheme == "package":
        return 1.0 / n_in
    if scheme == "glorot":
        return 2.0 / (n_in + n_out)
    if scheme == "he":
        return 2.0 / n_in
    raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")


def _check_activation(activation: str) -> float:
    if activation not in PASSED_SECOND_MOMENT:
        raise ValueError(
            f"the prediction is exact for {sorted(PASSED_SECOND_MOMENT)} only; got {activation!r}"
        )
    return PASSED_SECOND_MOMENT[activation]


def predicted_z_variance(
    sizes: list[int], activation: str, scheme: str, input_second_moment: float = 1.0
) -> np.ndarray:
    """Var(z^(l)) for l = 1, ..., L that the variance argument predicts.

    ``sizes`` are the layer widths, input first (L = len(sizes) - 1 weight
    layers, every layer with the same ``activation``, "linear" or "relu");
    ``input_second_moment`` is E[x^2] of the inputs. Layer 1 gets
    n_0 Var(w) E[x^2]; each layer above multiplies by n_in Var(w) times the
    share of Var(z) the activation passes on (1 for linear, 1/2 for relu).
    Returns shape (L,).
    """
    passed = _check_activation(activation)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs an input and at least one layer; got {sizes}")
    moment = _checks.positive_float("input_second_moment", input_second_moment)
    variances = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        variance = n_in * weight_variance(scheme, n_in, n_out) * moment
        variances.append(variance)
        moment = passed * variance  # E[a^2] that this layer hands to the next
    return np.array(variances)


def measured_z_variance(
    sizes: list[int],
    activation: str,
    scheme: str,
    n_samples: int = 256,
    seeds: Iterable[int] = range(30),
) -> np.ndarray:
    """Var(z^(l)) for l = 1, ..., L measured on seeded networks, shape (L,).

    For each seed: a ``Network(sizes, activations=activation, seed=seed)``
    (every layer ``activation``, zero biases), its weights rescaled from the
    package's variance 1/n_in to ``weight_variance(scheme, ...)``, and
    ``n_samples`` standard-normal inputs (E[x^2] = 1) drawn from
    ``default_rng((seed, 1))``. A layer's variance is the mean of z^2 over
    its samples and units, then averaged over the seeds (z has mean zero in
    expectation, so this is Var(z)).
    """
    _check_activation(activation)
    n_samples = _checks.positive_int("n_samples", n_samples)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds is empty; expected at least one seed")
    per_seed = []
    for seed in seeds:
        net = Network(list(sizes), activations=[activation] * (len(sizes) - 1), seed=seed)
        for W in net.weights:
            n_in, n_out = W.shape
            W *= np.sqrt(weight_variance(scheme, n_in, n_out) * n_in)
        X = np.random.default_rng((seed, 1)).normal(size=(n_samples, sizes[0]))
        cache = net.feedforward(X)
        per_seed.append([float(np.mean(z**2)) for z in cache.z])
    return np.mean(per_seed, axis=0)
