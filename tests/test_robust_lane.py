"""The perturbation lane (tools/robust_lane.py) catches what it exists to catch.

A planted notebook prints one number that depends on the last bits of the
arithmetic (a weight, all 17 digits) and one that holds under any rounding
(the same weight to 6 decimals). The lane must fail on the first, report the
stored number, and pass the second. Its passes run side by side; each pass's
output must still come whole, under its own heading, and a failure in one
pass alone must fail the lane and name that pass's seed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import robust_lane  # noqa: E402

SENSITIVE = """\
from backprop import Network
net = Network([2, 3, 1], seed=0)
print("weight:", repr(float(net.weights[0][0, 0])))"""

ROBUST = """print("rounded:", round(float(net.weights[0][0, 0]), 6))"""

SECOND_SEED = """\
import os
print("second seed:", os.environ.get("BACKPROP_NUDGE_SEED") == "2")"""
"""Stored as False (executed outside the lane); differs only in the pass with seed 2."""


def planted_notebook(folder: Path, *sources: str) -> Path:
    """Execute a notebook of ``sources`` normally (no lane) and store it with its outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    path = folder / "planted.ipynb"
    nbformat.write(nb, path)
    return path


def run_lane(path: Path, **env: str) -> tuple[int, str]:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "robust_lane.py"),
            str(path),
            "--rootdir",
            str(path.parent),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=path.parent,
        env={**os.environ, **env},
    )
    return result.returncode, result.stdout + result.stderr


def passes(report: str) -> dict[str, str]:
    """Each pass's output by its seed: from its heading to the next heading."""
    blocks = report.split("perturbation lane, nudge seed ")[1:]
    return {block.split(":", 1)[0]: block for block in blocks}


def test_lane_fails_on_a_rounding_sensitive_number_and_reports_it(tmp_path: Path) -> None:
    path = planted_notebook(tmp_path, SENSITIVE, ROBUST)
    stored = nbformat.read(path, as_version=4).cells[0].outputs[0]["text"].split()[-1]
    code, report = run_lane(path)
    assert code == 1, report
    by_seed = passes(report)
    assert list(by_seed) == ["1", "2"], report  # in seed order, each once
    for block in by_seed.values():  # each pass whole: its failure, its number, its summary
        assert "planted.ipynb::Cell 0" in block, report
        assert stored in block, report  # the stored, now different, number is named
        assert "1 failed, 1 passed" in block, report
    assert report.rstrip().endswith("FAILED with nudge seed(s) 1, 2"), report


def test_one_failing_pass_fails_the_lane_and_is_named(tmp_path: Path) -> None:
    path = planted_notebook(tmp_path, SECOND_SEED)
    # one pass at a time here, so that the sequential path is exercised too
    code, report = run_lane(path, BACKPROP_LANE_JOBS="1")
    assert code == 1, report
    by_seed = passes(report)
    assert "1 passed" in by_seed["1"] and "failed" not in by_seed["1"], report
    assert "1 failed" in by_seed["2"] and "second seed: True" in by_seed["2"], report
    assert report.rstrip().endswith("FAILED with nudge seed(s) 2"), report


def test_passes_run_one_per_core_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKPROP_LANE_JOBS", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert robust_lane.jobs(["1", "2", "3"]) == min(cores, 3)
    assert robust_lane.jobs(["1"]) == 1
    monkeypatch.setenv("BACKPROP_LANE_JOBS", "1")
    assert robust_lane.jobs(["1", "2"]) == 1
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("BACKPROP_LANE_JOBS", bad)
        with pytest.raises(ValueError, match="BACKPROP_LANE_JOBS must be a positive whole number"):
            robust_lane.jobs(["1", "2"])
