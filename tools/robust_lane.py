"""The perturbation lane: run notebooks under strict nbval with the arithmetic disturbed.

Stored outputs come from one machine. Another CPU (other SIMD kernels, another
BLAS build, ARM) rounds differently, and an output that depends on that rounding
fails there. This lane re-executes notebooks with two disturbances and compares
every output with what is stored, exactly as ``pytest --nbval`` does:

1. every ``Network``'s initial weights are nudged by a seeded relative 1e-12
   (the IPython start-up file in ``tests/robust/ipython``, a test-only file
   activated through ``IPYTHONDIR``);
2. NumPy's dispatched SIMD kernels that this CPU has are switched off with
   ``NPY_DISABLE_CPU_FEATURES``, so NumPy falls back to its baseline kernels
   (on a CPU with no dispatched level only the first disturbance applies).

The ``OPENBLAS_*`` variables are left alone. Usage::

    python tools/robust_lane.py book/*.ipynb      # what `make test-robust` runs

Extra pytest options may follow the paths. The exit code is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IPYTHONDIR = ROOT / "tests" / "robust" / "ipython"


def dispatched_features() -> list[str]:
    """NumPy's dispatch targets that this CPU has (empty on a baseline-only CPU)."""
    from numpy._core import _multiarray_umath as umath

    return [name for name in umath.__cpu_dispatch__ if umath.__cpu_features__.get(name)]


def lane_environment() -> dict[str, str]:
    """The environment of the lane: the start-up file and fewer SIMD kernels."""
    env = dict(os.environ)
    env["IPYTHONDIR"] = str(IPYTHONDIR)
    env["NPY_DISABLE_CPU_FEATURES"] = " ".join(dispatched_features())
    env.setdefault("MPLBACKEND", "Agg")
    return env


def main(args: list[str]) -> int:
    env = lane_environment()
    disabled = env["NPY_DISABLE_CPU_FEATURES"] or "none (baseline-only CPU)"
    print(f"perturbation lane: weights nudged by 1e-12; SIMD kernels disabled: {disabled}")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        "-p",
        "no:cacheprovider",
        *args,
    ]
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
