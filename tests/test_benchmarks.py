"""The benchmark's peers do the same work as backprop (benchmarks/bench.py).

Speed is not tested here (ratios live in benchmarks/RESULTS.md); what is
tested is that the ratios compare like with like: every peer, trained one
epoch from the same weights on the same data, ends at the same weights.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
import bench


def test_every_peer_ends_at_backprops_weights() -> None:
    differences = bench.check_peers(n=64)
    assert {"sklearn", "loop"} <= differences.keys()  # torch too, where installed
    assert all(d <= bench.AGREEMENT for d in differences.values())


def test_a_peer_that_does_other_work_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    run_loop = bench.run_loop

    def off_by_a_little(*args: object) -> bench.Params:
        return [(W + 1e-6, b) for W, b in run_loop(*args)]

    monkeypatch.setattr(bench, "run_loop", off_by_a_little)
    with pytest.raises(AssertionError, match="peers disagree.*loop"):
        bench.check_peers(n=64)


def test_the_loop_is_the_textbook_per_sample_backprop() -> None:
    """One sample's gradients from the loop equal Network.gradients on it."""
    X, T = bench.mnist_like(1, np.float64)
    net = bench.Network([784, 16, 8, 10], activations="sigmoid", loss="cross_entropy", seed=1)
    weights = [W.T for W in net.weights]
    biases = [b.reshape(-1, 1) for b in net.biases]
    nabla_b, nabla_w = bench.loop_backprop(
        weights, biases, net.activations[0], X[0].reshape(-1, 1), T[0].reshape(-1, 1)
    )
    dWs, dbs = net.gradients(X, T)
    for nw, nb, dW, db in zip(nabla_w, nabla_b, dWs, dbs, strict=True):
        np.testing.assert_allclose(nw.T, dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(nb.ravel(), db, rtol=1e-12, atol=1e-15)


def test_the_targets_are_the_peers_and_float32_not_the_blas_floor() -> None:
    """The BLAS-floor bound was retired (issue 22); its ratio is still a column."""
    names = [what for what, _, _ in bench.TARGETS]
    assert not any("BLAS floor" in name for name in names)
    assert any("PyTorch" in name for name in names)
    assert any("scikit-learn" in name for name in names)
    assert "epoch time / BLAS floor" in [heading for heading, _, _ in bench.COLUMNS]
    table = bench.target_table({"float64, batch 64: samples/s vs scikit-learn": [1.3, 1.1]})
    assert "| float64, batch 64: samples/s vs scikit-learn | >= 1 | 1.10 (of 2) | yes |" in table
    assert "BLAS floor" not in table
