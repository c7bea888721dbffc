"""The JupyterLite build takes only Pyodide files that match the official
pyodide-lock.json (tools/build_lite.py): a planted file fails it, with a
message that says what to do. Runs without the network: the lock comes from
npm's pyodide package (node_modules, `make vendor`)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("build_lite", ROOT / "tools" / "build_lite.py")
assert spec is not None and spec.loader is not None
build_lite = importlib.util.module_from_spec(spec)
sys.modules["build_lite"] = build_lite
spec.loader.exec_module(build_lite)


def fake_lock(tmp_path: Path, files: dict[str, bytes]) -> dict:
    """A lock in the official format for ``files``, with their true hashes."""
    packages = {}
    for file_name, data in files.items():
        name = file_name.split("-")[0]
        path = tmp_path / file_name
        path.write_bytes(data)
        packages[name] = {
            "name": name,
            "file_name": file_name,
            "sha256": build_lite.sha256(path),
            "depends": [],
        }
    return {"info": {"version": build_lite.PYODIDE_VERSION}, "packages": packages}


def test_matching_files_pass(tmp_path: Path) -> None:
    lock = fake_lock(tmp_path, {"numpy-2.0.2-x.whl": b"numpy", "six-1.16.0-x.whl": b"six"})
    files = {p.name: p for p in tmp_path.iterdir()}
    build_lite.verify(files, lock, ["numpy", "six"])


def test_a_planted_file_fails_the_build(tmp_path: Path) -> None:
    lock = fake_lock(tmp_path, {"numpy-2.0.2-x.whl": b"numpy", "six-1.16.0-x.whl": b"six"})
    (tmp_path / "numpy-2.0.2-x.whl").write_bytes(b"numpy, with something planted")
    files = {p.name: p for p in tmp_path.iterdir()}
    with pytest.raises(build_lite.LiteBuildError) as error:
        build_lite.verify(files, lock, ["numpy", "six"])
    message = str(error.value)
    assert "numpy-2.0.2-x.whl: SHA-256" in message and "six" not in message
    assert "make lite" in message and build_lite.SOURCE_SETTING in message


def test_a_missing_file_fails_the_build(tmp_path: Path) -> None:
    lock = fake_lock(tmp_path, {"numpy-2.0.2-x.whl": b"numpy"})
    with pytest.raises(build_lite.LiteBuildError, match="missing from the source"):
        build_lite.verify({}, lock, ["numpy"])


NPM_LOCK = build_lite.NPM_PYODIDE / "pyodide-lock.json"
needs_npm = pytest.mark.skipif(not NPM_LOCK.exists(), reason="npm's pyodide: run `make vendor`")


@needs_npm
def test_the_official_lock_is_the_pinned_version() -> None:
    lock = build_lite.official_lock()
    assert lock["info"]["version"] == build_lite.PYODIDE_VERSION
    pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert pins["pyodide"] == build_lite.PYODIDE_VERSION


@needs_npm
def test_only_what_the_chapters_need() -> None:
    names = build_lite.closure(build_lite.official_lock(), build_lite.NEEDED)
    assert {"numpy", "matplotlib", "ipython", "scikit-learn"} <= set(names)
    assert not {"pandas", "pyarrow", "jedi"} & set(names)


@needs_npm
def test_a_planted_file_in_the_source_fails_the_build(tmp_path: Path, monkeypatch) -> None:
    """The whole step, with the source replaced by a folder holding the true
    files but one: build_pyodide refuses it and writes nothing."""
    lock = build_lite.official_lock()
    names = build_lite.closure(lock, ["six"])
    source = tmp_path / "pyodide-wheel"
    source.mkdir()
    planted = lock["packages"][names[0]]["file_name"]
    (source / planted).write_bytes(b"not the official file")
    monkeypatch.setattr(build_lite, "NEEDED", ["six"])
    monkeypatch.setattr(
        build_lite, "source_files", lambda _s, _c, wanted: {planted: source / planted}
    )
    stage = tmp_path / "stage"
    with pytest.raises(build_lite.LiteBuildError, match="do not match the official"):
        build_lite.build_pyodide(stage, "wheel", tmp_path, [])
    assert not (stage / "static" / "pyodide").exists()


def test_the_backprop_wheel_holds_the_package(tmp_path: Path) -> None:
    import zipfile

    wheel = build_lite.backprop_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "backprop/__init__.py" in names and "backprop/book/widgets.py" in names
    assert any(n.endswith(".dist-info/RECORD") for n in names)
    assert not any("__pycache__" in n for n in names)
