"""Every sentence that says what a run does is backed by a value the page glues.

A sentence of a chapter that describes a run ("plateaus", "diverges", "is
best", "always", "never", "faster", a count) must rest on something the
chapter's code computed, not on the author's memory of a run: a number or a
verdict that a code cell above it glues (``glue_and_show``), so that when the
run changes, nbval fails on the printed verdict and the prose cannot drift.

The claims are listed per chapter in ``tests/claims/<notebook stem>.toml``:

.. code-block:: toml

    [[claim]]                       # a sentence about a run
    words = "then sits near the loss of a straight boundary"
    glue = "pg_plateau"            # glued by a code cell above the sentence

    [[math]]                        # a sentence that restates mathematics
    words = "each overshoot is larger than the last"
    why = "gradient descent on a parabola, eq. (7), multiplies the distance by 1 - eta c"

    [[plain]]                       # a sentence that only sounds like a claim
    words = "uses the smallest network that shows everything"
    why = "a choice of the book, not a run"

``words`` is a piece of the sentence, as it stands in the markdown cell
(line breaks count as spaces). The tests:

* every listed claim's words stand in a markdown cell of its chapter, and
  its glue name is glued by a code cell *above* that markdown cell; a glued
  verdict (a bool) is True, and a glued number is finite;
* every sentence of a chapter that holds one of the words of :data:`RUN_WORDS`
  contains the words of a listed claim or of a listed ``math`` sentence, so a
  new sentence about a run cannot slip in unlisted;
* a ``[[plain]]`` sentence only sounds like a claim ("the smallest network
  that shows everything"); it too needs a ``why``;
* every listed entry is still used (no stale entries).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
CLAIMS = ROOT / "tests" / "claims"
GLUE_RECORD = "application/papermill.record/text/plain"

RUN_WORDS = re.compile(
    r"\b(plateau\w*|diverg\w*|best|fastest|faster|slower|slowest|always|never|"
    r"largest|smallest|blows? up|blew up|stall\w*|overfit\w*|beats?|wins?|"
    r"converg\w*|times as|every run|no run|all runs)\b",
    re.IGNORECASE,
)
"""Words that mark a sentence about what a run does (or mathematics that
sounds like it): each such sentence must be listed."""


KINDS = ("claim", "math", "plain")
"""A listed sentence is a claim about a run (backed by a glue name), a
restatement of mathematics, or plain prose that only sounds like a claim
(the last two with a ``why``)."""


def _norm(text: str) -> str:
    return " ".join(text.split())


def _sentences(markdown: str) -> list[str]:
    # Fenced code and MyST directives' option lines are not prose.
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    return [_norm(s) for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z*$(`])", text) if s.strip()]


def _cells(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _glued_above(cells: list[dict[str, Any]], index: int) -> dict[str, str]:
    glued: dict[str, str] = {}
    for cell in cells[:index]:
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            if GLUE_RECORD in output.get("data", {}):
                glued[output["metadata"]["scrapbook"]["name"]] = output["data"][GLUE_RECORD]
    return glued


def _listed(stem: str) -> dict[str, list[dict[str, str]]]:
    path = CLAIMS / f"{stem}.toml"
    if not path.exists():
        return {kind: [] for kind in KINDS}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - set(KINDS)
    assert not unknown, f"{path.name}: unknown tables {sorted(unknown)}; expected {KINDS}"
    return {kind: data.get(kind, []) for kind in KINDS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_claim_is_glued_above_and_holds(path: Path) -> None:
    cells = _cells(path)
    markdown = [
        (i, _norm("".join(c["source"])))
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown"
    ]
    for claim in _listed(path.stem)["claim"]:
        words, name = _norm(claim["words"]), claim["glue"]
        where = [i for i, text in markdown if words in text]
        assert where, f"{path.name}: the claim {words!r} is in no markdown cell"
        glued = _glued_above(cells, where[0])
        assert name in glued, (
            f"{path.name}: {words!r} rests on {name!r}, which no cell above it glues"
        )
        value = glued[name]
        if value in ("True", "False"):
            assert value == "True", f"{path.name}: {words!r}: its verdict {name} is False"
        else:
            try:
                number = float(value.strip("'\""))
            except ValueError:
                continue  # a glued text (e.g. a dataset's name) backs a ranking
            assert math.isfinite(number), f"{path.name}: {words!r}: {name} = {value}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_sentence_about_a_run_is_listed(path: Path) -> None:
    listed = _listed(path.stem)
    entries = [entry for kind in KINDS for entry in listed[kind]]
    pieces = [_norm(entry["words"]) for entry in entries]
    for entry in listed["math"] + listed["plain"]:
        assert entry.get("why"), f"{path.name}: entry {entry['words']!r} needs a why"
    unlisted = []
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        for sentence in _sentences("".join(cell["source"])):
            if RUN_WORDS.search(sentence) and not any(piece in sentence for piece in pieces):
                unlisted.append(sentence)
    assert not unlisted, (
        f"{path.name}: sentences about a run that tests/claims/{path.stem}.toml does not list "
        "(a [[claim]] with the glue name behind it, or a [[math]] or [[plain]] with why):\n  "
        + "\n  ".join(unlisted)
    )


@pytest.mark.parametrize("path", sorted(CLAIMS.glob("*.toml")), ids=lambda p: p.stem)
def test_no_stale_entries(path: Path) -> None:
    notebook = ROOT / "book" / f"{path.stem}.ipynb"
    assert notebook.exists(), f"{path.name} names no chapter (book/{path.stem}.ipynb)"
    text = " ".join(
        _norm("".join(c["source"])) for c in _cells(notebook) if c["cell_type"] == "markdown"
    )
    listed = _listed(path.stem)
    for entry in (entry for kind in KINDS for entry in listed[kind]):
        assert _norm(entry["words"]) in text, (
            f"{path.name}: {entry['words']!r} is no longer in the chapter"
        )
