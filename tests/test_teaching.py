"""What a teacher adopting the book relies on (issue 24): the licences on every
page, a valid CITATION.cff at the package's version, exercises with stable
names and anchors, the edition without solutions, the student's requirements."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "ext"))
sys.path.insert(0, str(ROOT / "tools"))

from book_web import edition  # noqa: E402

from backprop import __version__  # noqa: E402
from backprop.book.chapter_exercises import (  # noqa: E402
    EXERCISES,
    exercise_anchor,
    exercise_slug,
)

# The one labelling style: the target line, then **Exercise N (`name`). Title.**
TARGET = re.compile(r"^\(exercise-([a-z0-9-]+)\)=$")
LABEL = re.compile(r"^\*\*Exercise (\d+) \(`([a-z0-9-]+)`\)\.(?: [^*]+\.)?\*\*")
LOOSE_LABEL = re.compile(r"^\*\*(Exercise )?\d+[ .]")


def _config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


# Licence and citation -------------------------------------------------------------


def test_the_footer_names_and_links_both_licences() -> None:
    footer = _config()["html"]["extra_footer"]
    assert "MIT License" in footer and "CC BY 4.0" in footer
    assert 'href="https://opensource.org/license/mit"' in footer
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in footer
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "CC BY 4.0" in licence


def test_a_built_page_shows_the_footer() -> None:
    """On the built book that BOOK_HTML names (`make test` sets none: the
    footer comes from _config.yml, checked above)."""
    if "BOOK_HTML" not in os.environ:
        pytest.skip("set BOOK_HTML to a built book's html folder")
    html = Path(os.environ["BOOK_HTML"])
    pages = sorted(html.glob("*.html")) + sorted((html / "book").glob("*.html"))
    if not pages:
        pytest.skip(f"no built book in {html}")
    texts = {p.name: p.read_text() for p in pages}
    missing = [
        name
        for name, text in texts.items()
        if "creativecommons.org/licenses/by/4.0" not in text
        and 'http-equiv="refresh"' not in text.lower()  # index.html: a redirect
    ]
    assert not missing, f"pages without the licence footer: {missing}"


def test_citation_cff_is_valid_and_at_the_package_version() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):  # required by CFF 1.2.0
        assert citation.get(key), f"CITATION.cff has no {key}"
    assert citation["cff-version"] == "1.2.0"
    assert citation["title"] == _config()["title"]
    assert all(
        isinstance(author, dict) and (author.get("name") or author.get("family-names"))
        for author in citation["authors"]
    ), "each author needs a name (an entity) or family-names (a person)"
    assert citation["version"] == __version__, "run `make repository` after a version bump"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))
    assert str(citation["date-released"])[:4] == str(_config()["copyright"])
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}
    assert citation["type"] == "software"


def test_the_preface_cites_through_substitutions() -> None:
    preface = (BOOK / "preface.md").read_text(encoding="utf-8")
    section = preface.split("## Licence, credits and how to cite", 1)[1]
    for name in ("version", "year", "repository", "source"):
        assert f"{{{{ {name} }}}}" in section, name
    assert __version__ not in section, "the version comes from backprop.__version__"


# Exercises ----------------------------------------------------------------------


def _exercises() -> list[tuple[str, int, str, str, int]]:
    """(notebook, number, name, target name, cell index) of every exercise label."""
    found = []
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "markdown":
                continue
            lines = "".join(cell["source"]).split("\n")
            for i, line in enumerate(lines):
                match = LABEL.match(line)
                if match is None:
                    assert not LOOSE_LABEL.match(line), (
                        f"{path.name}: an exercise not in the book's style: {line[:60]!r}"
                    )
                    continue
                target = TARGET.match(lines[i - 1]) if i else None
                found.append(
                    (
                        path.name,
                        int(match.group(1)),
                        match.group(2),
                        target.group(1) if target else "",
                        index,
                    )
                )
    return found


def test_every_exercise_has_its_name_and_anchor() -> None:
    exercises = _exercises()
    assert len(exercises) >= 40
    for notebook, number, name, target, _ in exercises:
        assert name == f"{exercise_slug(Path(notebook).stem)}-{number}", (notebook, name)
        assert target and exercise_anchor(target.removeprefix("exercise-")) == exercise_anchor(
            name
        ), f"{notebook}: put ({exercise_anchor(name)})= on the line above exercise {number}"
        assert target == name


def test_exercise_names_are_unique_and_numbered_in_order() -> None:
    exercises = _exercises()
    names = [name for _, _, name, _, _ in exercises]
    assert len(names) == len(set(names)), "two exercises share a name"
    for path in NOTEBOOKS:
        numbers = [number for notebook, number, *_ in exercises if notebook == path.name]
        assert numbers == list(range(1, len(numbers) + 1)), (path.name, numbers)


def test_exercise_slugs_do_not_hold_chapter_numbers() -> None:
    assert exercise_slug("02_output_weights") == "output-weights"
    assert exercise_slug("appendix_activations") == "activations"
    assert exercise_slug("real_data") == "real-data"
    with pytest.raises(ValueError, match="not a notebook stem"):
        exercise_slug("../x")


def test_every_checked_exercise_is_keyed_by_its_name() -> None:
    """The registry's keys and the exercises map one to one: key == name, and the
    notebook's check(name, ...) sits under that exercise's label."""
    exercises = _exercises()
    names = {name for _, _, name, _, _ in exercises}
    assert set(EXERCISES) <= names, f"keys that are no exercise: {set(EXERCISES) - names}"
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        labels = [
            (index, name) for notebook, _, name, _, index in exercises if notebook == path.name
        ]
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            for key in re.findall(r'check\("([a-z-]+-\d+)"', "".join(cell["source"])):
                above = [name for at, name in labels if at < index]
                assert above and above[-1] == key, f"{path.name}: check({key!r}) under {above[-1:]}"


# The edition without solutions ---------------------------------------------------


def test_the_switch_reads_the_environment() -> None:
    assert edition.solutions_wanted({})
    assert edition.solutions_wanted({"BOOK_SOLUTIONS": "1"})
    for off in ("0", "no", "False", " off "):
        assert not edition.solutions_wanted({"BOOK_SOLUTIONS": off})


def _dropdown(title: str, body: str) -> Any:
    """A dropdown as sphinx-design's directive reads it."""
    from docutils import nodes
    from sphinx_design.shared import create_component

    node = create_component("dropdown", has_title=True)
    node += nodes.rubric(title, title)
    node += nodes.paragraph(body, body)
    return node


def test_the_room_removes_solution_dropdowns_only() -> None:
    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("page")
    section = nodes.section()
    section += nodes.paragraph("Exercise 1.", "Exercise 1.")
    section += _dropdown("Solution", "secret answer")
    section += _dropdown("Why it works", "kept")
    document += section
    assert edition.remove_solutions(document) == 1
    assert "secret answer" not in document.astext()
    assert "kept" in document.astext() and "Exercise 1." in document.astext()


def test_the_sources_lose_their_solutions() -> None:
    text = "**Exercise 1.** Do it.\n\n:::{dropdown} Solution\nsecret\n:::\n"
    assert edition.strip_markdown(text) == "**Exercise 1.** Do it.\n\n"
    nested = "a\n::::{dropdown} Solution\n:::{note}\nsecret\n:::\n::::\nb\n"
    assert edition.strip_markdown(nested) == "a\nb\n"


def test_a_build_without_solutions_has_no_solution_text(tmp_path: Path) -> None:
    """A small Sphinx project with the book's MyST and this room: with
    BOOK_SOLUTIONS=0 neither the page, nor the search index, nor the copied
    source holds the solution; by default all do. (About 3 s.)"""
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'ext')!r})\n"
        "extensions = ['myst_parser', 'sphinx_design', 'book_web.edition']\n"
        "myst_enable_extensions = ['colon_fence', 'substitution']\n"
        "html_theme_options = {'repository_url': 'https://example.org/r'}\n"
        "copyright = '2026'\n"
    )
    (source / "index.md").write_text(
        "# Page\n\n(exercise-page-1)=\n**Exercise 1 (`page-1`).** Find x.\n\n"
        ":::{dropdown} Solution\nThe zebrafish answer.\n:::\n\nVersion {{ version }}.\n"
    )
    for solutions, present in (("0", False), ("1", True)):
        out = tmp_path / f"html{solutions}"
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(out)],
            env={**os.environ, "BOOK_SOLUTIONS": solutions},
            check=True,
        )
        texts = [p.read_text() for p in out.rglob("*") if p.suffix in {".html", ".js", ".txt"}]
        assert any("zebrafish" in text for text in texts) == present, solutions
        page = (out / "index.html").read_text()
        assert f"Version {__version__}." in page
        assert 'id="exercise-page-1"' in page


# The student's laptop ------------------------------------------------------------


def test_student_requirements_are_current_and_pinned() -> None:
    import student_requirements

    text = (ROOT / "requirements-student.txt").read_text(encoding="utf-8")
    assert text == student_requirements.render(), "run python tools/student_requirements.py"
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[-1] == ".[book,digits]"
    names = {line.split("==")[0] for line in lines[:-1]}
    assert {"jupyterlab", "jupyterlab_myst", "myst-nb", "numpy"} <= names
    assert not {"jupyter-book", "pytest", "playwright", "ruff"} & names
