"""The repository's own promises: pinned dependencies, a complete table of
contents, notebooks that carry their widget state, JavaScript served locally."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
# Markdown pages, the API reference's in book/api/ too (not hidden folders).
MARKDOWN_PAGES = sorted(
    path
    for path in BOOK.rglob("*.md")
    if not any(part.startswith(".") for part in path.relative_to(BOOK).parts)
)
PINNED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?==[^=<>~!*\s]+")


def _config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def _toc_entries(node: Any) -> Iterator[str]:
    """Every `root` and `file` in _toc.yml, however deeply nested."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"root", "file"}:
                yield str(value)
            else:
                yield from _toc_entries(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_entries(item)


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return list(_toc_entries(toc))


def _source(entry: str) -> Path | None:
    """The file a _toc.yml entry names (the suffix may be left out)."""
    path = ROOT / entry
    if path.suffix in {".ipynb", ".md"}:
        return path if path.is_file() else None
    for suffix in (".ipynb", ".md"):
        if path.with_suffix(suffix).is_file():
            return path.with_suffix(suffix)
    return None


def test_requirements_are_pinned() -> None:
    loose = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line == "-e .[book,digits,test]":
            continue
        if not PINNED.fullmatch(line):
            loose.append(line)
    assert not loose, f"pin these with == in requirements.txt: {loose}"


def test_runtime_is_python_3_11() -> None:
    for runtime in (ROOT / "runtime.txt", ROOT / "binder" / "runtime.txt"):
        assert runtime.read_text(encoding="utf-8").strip() == "python-3.11", runtime


def test_binder_requirements_are_the_runtime_closure_of_the_pins() -> None:
    """binder/requirements.txt is what tools/binder_requirements.py writes now:
    the notebooks' runtime needs, pinned as in requirements.txt."""
    sys.path.insert(0, str(ROOT / "tools"))
    import binder_requirements

    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert text == binder_requirements.render(), "run python tools/binder_requirements.py"
    pinned = set((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[-1] == ".[book,digits]"  # the package itself, with the extras it needs
    assert set(lines[:-1]) <= pinned
    names = {line.split("==")[0] for line in lines}
    assert {"numpy", "ipywidgets", "myst-nb", "scikit-learn"} <= names
    assert not {"jupyter-book", "pytest", "playwright"} & names


def test_every_toc_entry_exists() -> None:
    missing = [entry for entry in _toc_files() if _source(entry) is None]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_every_chapter_is_in_the_toc() -> None:
    listed = {_source(entry) for entry in _toc_files()}
    pages = NOTEBOOKS + MARKDOWN_PAGES
    unlisted = [p.relative_to(ROOT).as_posix() for p in pages if p not in listed]
    assert not unlisted, f"add these to _toc.yml (the build skips them): {unlisted}"


def test_the_api_reference_lists_its_pages() -> None:
    """book/api.md links each page of the API reference (book/api/)."""
    overview = (BOOK / "api.md").read_text(encoding="utf-8")
    pages = sorted((BOOK / "api").glob("*.md"))
    assert pages, "no pages in book/api/"
    unlisted = [page.name for page in pages if f"{{doc}}`api/{page.stem}`" not in overview]
    assert not unlisted, f"book/api.md does not link these pages: {unlisted}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_widget_outputs_have_saved_state(notebook: Path) -> None:
    """A widget output renders in the HTML book only with its saved state."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    views = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    if not views:
        return
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert state, (
        f"{notebook.name} has widget outputs but no saved widget state: "
        "run `make notebooks` (it stores metadata.widgets)"
    )
    missing = [model_id for model_id in views if model_id not in state]
    assert not missing, f"{notebook.name}: widget views without saved models: {missing}"


def test_no_underscore_static_folder() -> None:
    """Jupyter Book 1 adds every .js and .css of a root `_static` to every page."""
    assert not (ROOT / "_static").exists(), "put static files in static/, not _static/"


def test_npm_packages_are_pinned_and_locked() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"pin {name} exactly, not {version!r}"
        locked = lock["packages"][f"node_modules/{name}"]["version"]
        assert locked == version, f"package-lock.json has {name} {locked}, package.json {version}"


def test_javascript_is_served_locally() -> None:
    """MathJax and the widget scripts are files of this site, not CDN URLs."""
    sphinx = _config()["sphinx"]["config"]
    scripts = [sphinx["mathjax_path"], *sphinx["nb_ipywidgets_js"]]
    remote = [s for s in scripts if "://" in s or s.startswith("//")]
    assert not remote, f"served from elsewhere: {remote}"
    assert "static" in sphinx["html_static_path"]
    if not (ROOT / "static" / "npm" / ".installed").is_file():
        pytest.skip("static/npm/ is filled by `make vendor` (part of `make book`)")
    absent = [s for s in scripts if not (ROOT / "static" / s).is_file()]
    assert not absent, f"not in static/: {absent}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_colab_cell_installs_from_the_repository(notebook: Path) -> None:
    """The guarded Colab cell installs this repository (the URL in _config.yml)."""
    url = _config()["repository"]["url"]
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    assert 'if "google.colab" in sys.modules:' in first, (
        f"{notebook.name}: the first code cell should be the guarded Colab install"
    )
    from backprop import __version__

    wanted = f'%pip install -q "backprop[book,digits] @ git+{url}@v{__version__}"'
    assert wanted in first, (
        f"{notebook.name}: the Colab cell should `{wanted}` (the extras the chapters import, "
        "the tagged release): run `make repository`"
    )
    assert not code[0].get("outputs"), f"{notebook.name}: the Colab cell prints nothing here"
    assert "remove-cell" in code[0]["metadata"].get("tags", []), "hidden in the HTML book"


def _set_repository() -> Any:
    sys.path.insert(0, str(ROOT / "tools"))
    import set_repository

    return set_repository


def test_every_place_agrees_with_the_repository_setting() -> None:
    """README, CITATION.cff and every Colab cell are what tools/set_repository.py
    writes from _config.yml's repository URL and backprop.__version__."""
    stale = _set_repository().stale()
    assert not stale, f"stale: {stale}; run `make repository` (tools/set_repository.py)"


def test_the_repository_url_is_written_only_in_the_setting() -> None:
    """Besides _config.yml, only the files tools/set_repository.py generates name
    the repository (as its URL, its OWNER/REPO or its GitHub Pages address)."""
    import subprocess

    tool = _set_repository()
    url, _ = tool.setting()
    slug = tool.slug_of(url)
    needles = {slug.lower(), tool.pages_url(slug).lower().split("://", 1)[1].rstrip("/")}
    allowed = {ROOT / "_config.yml", *tool.generated_files()}
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    found = []
    for name in filter(None, tracked):
        path = ROOT / name
        if path in allowed or not path.is_file() or path.suffix in {".png", ".webp", ".woff"}:
            continue
        try:
            text = path.read_text(encoding="utf-8").lower()
        except UnicodeDecodeError:
            continue
        if any(needle in text for needle in needles):
            found.append(name)
    assert not found, f"these files name the repository; derive it from _config.yml: {found}"


def _markdown_sources() -> dict[str, str]:
    """The markdown text of every page: .md files and notebooks' markdown cells."""
    texts = {path.relative_to(BOOK).as_posix(): path.read_text() for path in MARKDOWN_PAGES}
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        texts[path.name] = "\n\n".join(
            "".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"
        )
    return texts


def test_source_equations_are_tagged_exactly_once_with_a_target() -> None:
    """Each of eqs. (1)-(18) is one numbered display, preceded by its (eq-N)= target."""
    counts: dict[int, list[str]] = {n: [] for n in range(1, 19)}
    for name, text in _markdown_sources().items():
        for number in re.findall(r"\\tag\{(\d+)\}", text):
            counts.setdefault(int(number), []).append(name)
        for number in re.findall(r"\\tag\{(\d+)\}", text):
            target = f"(eq-{number})="
            assert target in text, f"{name}: \\tag{{{number}}} has no {target} target"
    wrong = {n: pages for n, pages in counts.items() if len(pages) != 1}
    assert not wrong, f"equations not tagged exactly once (number: pages): {wrong}"


def test_no_tag_inside_a_multiline_dollar_block() -> None:
    """Sphinx wraps a $$ block holding \\\\ in `split`, where MathJax refuses \\tag;
    multi-line tagged equations use \\begin{equation*} ... \\end{equation*}."""
    for name, text in _markdown_sources().items():
        for block in re.findall(r"\$\$(.*?)\$\$", text, re.S):
            assert not ("\\tag" in block and "\\\\" in block), f"{name}: {block[:60]!r}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_alt_text(notebook: Path) -> None:
    """Each stored figure carries alt text for screen readers (mystnb.image.alt)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        outputs = cell.get("outputs", [])
        if any("image/png" in out.get("data", {}) for out in outputs):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"{notebook.name}: cell {index} shows a figure without alt text"
