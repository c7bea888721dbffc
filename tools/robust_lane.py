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

One nudge is one sample: a run at the edge of chaos may land on the stored
side by luck (about one time in three for the sigmoid run at eta = 100 that
chapter 5 used to print). So the lane makes two passes, with nudge seeds 1 and
2 (``BACKPROP_NUDGE_SEEDS="1 2 3"`` asks for others), and fails if either
fails. The ``OPENBLAS_*`` variables are left alone. Usage::

    python tools/robust_lane.py book      # what `make test-robust` runs

Extra pytest options may follow the paths. The exit code is 0 when every pass
passed, else the first failing pass's pytest exit code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IPYTHONDIR = ROOT / "tests" / "robust" / "ipython"


def dispatched_features() -> list[str]:
    """NumPy's dispatch targets that this CPU has (empty on a baseline-only CPU)."""
    from numpy._core import _multiarray_umath as umath

    return [name for name in umath.__cpu_dispatch__ if umath.__cpu_features__.get(name)]


def lane_environment(seed: str, ipythondir: Path) -> dict[str, str]:
    """The environment of one pass: the start-up file, its seed, fewer SIMD kernels."""
    env = dict(os.environ)
    env["IPYTHONDIR"] = str(ipythondir)
    env["BACKPROP_NUDGE_SEED"] = seed
    env["NPY_DISABLE_CPU_FEATURES"] = " ".join(dispatched_features())
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run_pass(seed: str, args: list[str]) -> int:
    """One pass of strict nbval over ``args`` with the nudge seeded by ``seed``."""
    # IPython writes its history and run files into IPYTHONDIR: use a copy.
    scratch = Path(tempfile.mkdtemp(prefix="robust-lane-"))
    ipythondir = scratch / "ipython"
    shutil.copytree(IPYTHONDIR, ipythondir)
    env = lane_environment(seed, ipythondir)
    disabled = env["NPY_DISABLE_CPU_FEATURES"] or "none (baseline-only CPU)"
    print(
        f"perturbation lane, nudge seed {seed}: weights nudged by 1e-12; "
        f"SIMD kernels disabled: {disabled}",
        flush=True,
    )
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
    try:
        return subprocess.call(command, env=env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(args: list[str]) -> int:
    seeds = os.environ.get("BACKPROP_NUDGE_SEEDS", "1 2").split()
    codes = [run_pass(seed, args) for seed in seeds]
    failed = [seed for seed, code in zip(seeds, codes, strict=True) if code]
    if failed:
        print(f"perturbation lane: FAILED with nudge seed(s) {', '.join(failed)}")
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
