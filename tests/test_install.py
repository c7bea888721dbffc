"""A clean ``pip install .`` brings NumPy alone, and the core works with it.

Builds the package from a copy of the source into a throw-away virtual
environment (marked ``install``: up to a minute; it runs in ``make test``, not in
``make check``). pip fetches NumPy and the build backend from the package
index or its cache, as any user's install would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys
from importlib.metadata import distributions

import numpy as np

import backprop
from backprop import Network, gradient_check
from backprop.datasets import xor

X, T = xor()
net = Network([2, 4, 1], activations="tanh", seed=0)
history = net.fit(X, T, learning_rate=2.0, epochs=300)
errors = gradient_check(net, X, T)
print(json.dumps({
    "installed": sorted(d.metadata["Name"].lower() for d in distributions()),
    "modules": sorted({name.split(".")[0] for name in sys.modules}),
    "first_loss": history.loss[0],
    "last_loss": history.loss[-1],
    "worst_gradient_error": max(errors.values()),
    "typed": (__import__("pathlib").Path(backprop.__file__).parent / "py.typed").exists(),
}))
"""


@pytest.mark.install
def test_pip_install_brings_numpy_alone_and_the_core_works(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", source],
        check=True,
    )
    result = subprocess.run(
        [python, "-c", SCRIPT], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    report = json.loads(result.stdout)
    assert set(report["installed"]) - {"pip", "setuptools"} == {"backprop", "numpy"}
    assert not {"matplotlib", "ipywidgets", "sklearn", "scipy"} & set(report["modules"])
    assert report["last_loss"] < 0.1 * report["first_loss"]
    assert report["worst_gradient_error"] < 1e-6
    assert report["typed"]
