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
fails. The ``OPENBLAS_*`` variables are left alone.

The passes are independent pytest processes (each with its own copy of the
start-up folder), and a notebook's kernel keeps about one core busy, so they
run side by side, as many at a time as the machine has cores
(``BACKPROP_LANE_JOBS=1`` runs them one after the other). Each pass's output is
collected and printed whole, in seed order, under its own heading. Usage::

    python tools/robust_lane.py book      # what `make test-robust` runs

Extra pytest options may follow the paths. The exit code is 0 when every pass
passed, else the first failing pass's pytest exit code (in seed order), and
the last line names every failing seed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
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


def heading(seed: str, env: dict[str, str]) -> str:
    """The line that opens a pass's output: its seed and its disturbances."""
    disabled = env["NPY_DISABLE_CPU_FEATURES"] or "none (baseline-only CPU)"
    return (
        f"perturbation lane, nudge seed {seed}: weights nudged by 1e-12; "
        f"SIMD kernels disabled: {disabled}"
    )


def run_pass(seed: str, args: list[str]) -> tuple[int, str]:
    """One pass of strict nbval over ``args`` with the nudge seeded by ``seed``:
    its pytest exit code and its whole output (stdout and stderr, under its heading)."""
    # IPython writes its history and run files into IPYTHONDIR: use a copy.
    scratch = Path(tempfile.mkdtemp(prefix="robust-lane-"))
    ipythondir = scratch / "ipython"
    shutil.copytree(IPYTHONDIR, ipythondir)
    env = lane_environment(seed, ipythondir)
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
        result = subprocess.run(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result.returncode, f"{heading(seed, env)}\n{result.stdout}"


def jobs(seeds: list[str]) -> int:
    """How many passes run at once: ``BACKPROP_LANE_JOBS``, else one per core."""
    wanted = os.environ.get("BACKPROP_LANE_JOBS", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise ValueError(
                f"BACKPROP_LANE_JOBS must be a positive whole number such as 1 or 2, got {wanted!r}"
            )
        count = int(wanted)
    elif hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))  # the cores this process may use
    else:
        count = os.cpu_count() or 1
    return min(count, len(seeds))


def main(args: list[str]) -> int:
    seeds = os.environ.get("BACKPROP_NUDGE_SEEDS", "1 2").split()
    if not seeds:
        raise ValueError('BACKPROP_NUDGE_SEEDS names no seed; expected e.g. "1 2"')
    workers = jobs(seeds)
    print(
        f"perturbation lane: {len(seeds)} pass(es), nudge seed(s) {', '.join(seeds)}, "
        f"{workers} at a time; each pass's output follows when it ends",
        flush=True,
    )
    codes = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # map yields in seed order, each pass as soon as it and those before it are done
        for code, output in pool.map(lambda seed: run_pass(seed, args), seeds):
            print(output, end="", flush=True)
            codes.append(code)
    failed = [seed for seed, code in zip(seeds, codes, strict=True) if code]
    if failed:
        print(f"perturbation lane: FAILED with nudge seed(s) {', '.join(failed)}")
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
