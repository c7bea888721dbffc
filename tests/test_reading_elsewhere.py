"""The chapters read right outside the HTML book: in JupyterLab, on Binder, on Colab.

There, myst-nb does not paste glued numbers into the prose (jupyterlab-myst
has no ``{glue:text}`` role; Colab renders no MyST at all), so:

* every glued number goes through :func:`backprop.book.quoted.glue_and_show`,
  which prints it, and nothing imports ``myst_nb`` itself (Colab has no
  myst-nb: the import would stop the chapter in its first code cell);
* every number the prose quotes is printed, by name and as the prose shows it,
  in the stored output of the cell that glues it (nbval checks that the
  stored outputs are what a fresh run prints);
* a solution's ``{dropdown}`` ends its markdown cell, so that where MyST is
  plain text the next exercise starts in a cell of its own.

The browser half (solutions folded in the project's own JupyterLab) is
tests/test_lab.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from myst_nb.core.variables import format_plain_text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
GLUE_RECORD = "application/papermill.record/text/plain"
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::([^`]*))?`")


def _cells(path: Path, kind: str) -> list[dict[str, Any]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == kind]


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"])


def _glued(cell: dict[str, Any]) -> dict[str, str]:
    """Name -> stored text/plain of every number a code cell glues."""
    return {
        output["metadata"]["scrapbook"]["name"]: output["data"][GLUE_RECORD]
        for output in cell.get("outputs", [])
        if GLUE_RECORD in output.get("data", {})
    }


def _printed(cell: dict[str, Any]) -> str:
    return "".join(
        "".join(output["text"])
        for output in cell.get("outputs", [])
        if output["output_type"] == "stream"
    )


def _shows(printed: str, name: str, text: str) -> bool:
    """``name = text`` as glue_and_show prints it: a whole entry, not a prefix."""
    return (
        re.search(rf"(?<!\w){re.escape(name)} = {re.escape(text)}(,|$)", printed, re.M) is not None
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glue_is_printed_by_glue_and_show(path: Path) -> None:
    direct = [
        _source(cell)[:80]
        for cell in _cells(path, "code")
        if re.search(r"(?<![\w.])glue\(|\bmyst_nb\b", _source(cell))
    ]
    assert not direct, f"use backprop.book.quoted.glue_and_show, not myst_nb.glue: {direct}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_quoted_number_is_printed_as_the_prose_shows_it(path: Path) -> None:
    """For each ``{glue:text}`name:fmt``` of the prose, the cell that glues
    ``name`` prints ``name = <what the prose shows>`` (or the glued number
    itself, of which the prose shows ``fmt``); every glued number is printed."""
    glued: dict[str, tuple[str, str]] = {}  # name -> (text/plain, printed output)
    for cell in _cells(path, "code"):
        for name, text in _glued(cell).items():
            glued[name] = (text, _printed(cell))
    problems = [
        f"{name} is glued but its cell does not print it"
        for name, (text, printed) in glued.items()
        if f"{name} = " not in printed
    ]
    for cell in _cells(path, "markdown"):
        for name, fmt in GLUE_ROLE.findall(_source(cell)):
            if name not in glued:
                problems.append(f"{name}: quoted in the prose, glued by no cell's stored output")
                continue
            text, printed = glued[name]
            shown = format_plain_text(text, fmt)
            if not (
                _shows(printed, name, shown) or _shows(printed, name, format_plain_text(text, ""))
            ):
                problems.append(f"{name}: the prose shows {shown!r}, its cell does not print it")
    assert not problems, "\n".join(problems)


def _after_last_dropdown(text: str) -> str:
    """What a markdown cell holds after the closing fence of its last top-level dropdown."""
    depth, rest = 0, list[str]()
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^:{3,}\{", stripped):
            depth += 1
            rest = []
        elif re.fullmatch(r":{3,}", stripped) and depth:
            depth -= 1
            rest = []
        elif depth == 0:
            rest.append(line)
    return "\n".join(rest).strip()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_dropdown_ends_its_cell(path: Path) -> None:
    shared = [
        _after_last_dropdown(_source(cell))[:60]
        for cell in _cells(path, "markdown")
        if ":::{dropdown}" in _source(cell) and _after_last_dropdown(_source(cell))
    ]
    assert not shared, f"move the text after a dropdown into a cell of its own: {shared}"


def test_the_dropdown_check_sees_text_after_a_solution() -> None:
    solution = ":::{dropdown} Solution\nIt is 4.\n:::\n"
    assert _after_last_dropdown(solution) == ""
    assert _after_last_dropdown(solution + "\n**Exercise 2.** Next.") == "**Exercise 2.** Next."
    nested = ":::{dropdown} Solution\n::::{note}\nx\n::::\n:::\n"
    assert _after_last_dropdown(nested) == ""
