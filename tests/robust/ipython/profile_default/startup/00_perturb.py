"""Perturbation lane: disturb the last bits of every network's initial weights.

IPython runs this file when a kernel starts with ``IPYTHONDIR`` pointing at
``tests/robust/ipython`` (``tools/robust_lane.py`` sets it). Every
``backprop.Network`` built in that kernel has its initial weights multiplied by
``1 + 1e-12 u`` with u uniform in [-1, 1), drawn from one generator seeded
with ``BACKPROP_NUDGE_SEED`` (the lane sets it; 1 if unset).

That is the size of the differences another CPU's SIMD kernels or another BLAS
build make. An output that changes under this nudge depends on rounding and
must be given a margin (see the README's "When the perturbation lane fails").
This file is test-only: it lives under ``tests/`` and never in the package.
"""

import functools
import os

import numpy as np

import backprop.network

_RELATIVE_NUDGE = 1e-12
_rng = np.random.default_rng(int(os.environ.get("BACKPROP_NUDGE_SEED", "1")))
_original_init = backprop.network.Network.__init__


@functools.wraps(_original_init)
def _nudged_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    for W in self.weights:
        W *= 1 + _RELATIVE_NUDGE * _rng.uniform(-1.0, 1.0, size=W.shape)


backprop.network.Network.__init__ = _nudged_init  # type: ignore[method-assign]
