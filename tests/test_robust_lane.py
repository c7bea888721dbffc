"""The perturbation lane (tools/robust_lane.py) catches what it exists to catch.

A planted notebook prints one number that depends on the last bits of the
arithmetic (a weight, all 17 digits) and one that holds under any rounding
(the same weight to 6 decimals). The lane must fail on the first, report the
stored number, and pass the second.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

SENSITIVE = """\
from backprop import Network
net = Network([2, 3, 1], seed=0)
print("weight:", repr(float(net.weights[0][0, 0])))"""

ROBUST = """print("rounded:", round(float(net.weights[0][0, 0]), 6))"""


def planted_notebook(folder: Path) -> tuple[Path, str]:
    """Execute the planted notebook normally; return its path and stored weight."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SENSITIVE), nbformat.v4.new_code_cell(ROBUST)]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    path = folder / "planted.ipynb"
    nbformat.write(nb, path)
    stored = nb.cells[0].outputs[0]["text"].split()[-1]
    return path, stored


def test_lane_fails_on_a_rounding_sensitive_number_and_reports_it(tmp_path: Path) -> None:
    path, stored = planted_notebook(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "robust_lane.py"),
            str(path),
            "--rootdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "planted.ipynb::Cell 0" in report, report
    assert "1 failed, 1 passed" in report, report
    assert stored in report, report  # the stored, now different, number is named
