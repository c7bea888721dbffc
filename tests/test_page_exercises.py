"""The HTML book's answer boxes judge as the kernel's checker does.

Every checked exercise of the book, with the context its chapter's check call
passes, is exported for the page (backprop.book.page_exercises); the page's
judge (static/exercises.js) runs here under Node.js on the same typed answers
that the Python checker judges: the right answers (computed, as the page
displays them, and at the stated precision) and wrong ones (each named
mistake, the common mistakes of tests/test_exercises.py, a flipped sign, a
factor, too few digits, a wrong shape). Both must give the same verdict and
the same sentence. The browser tests at the end type into the built pages.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from book_server import serve
from test_browser import HTML, REQUIRE_BOOK, Visit, _skip_or_fail
from test_exercises import RIGHT, WRONG

from backprop.book.chapter_exercises import EXERCISES, FunctionExercise, judge
from backprop.book.exercises import judge_function, judge_value
from backprop.book.page_exercises import (
    CONTEXT,
    PAGE_CASES,
    chapter_context,
    function_terms,
    page_exercise,
    page_judge_args,
)

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
JUDGE = ROOT / "static" / "exercises.js"
sys.path.insert(0, str(ROOT / "ext"))
from book_web.exercises import check_calls  # noqa: E402


def check_cells() -> dict[str, tuple[str, tuple[str, ...], list[str]]]:
    """key -> (notebook, context names, the code of the cells above the check)."""
    found = {}
    for path in sorted(BOOK.glob("*.ipynb")):
        above: list[str] = []
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            for key, names in check_calls(source):
                found[key] = (path.name, names, list(above))
            above.append(source)
    return found


CELLS = check_cells()


def typed(value: Any, fmt: str = "r") -> str:
    """An answer as a reader types it: one number, or numbers with commas."""
    flat = np.asarray(value, dtype=float).ravel()
    text = [repr(float(v)) if fmt == "r" else format(float(v), fmt) for v in flat]
    return ", ".join(text)


def as_python(text: str) -> float | list[float]:
    """What the page reads from such a text (one number, or a flat list)."""
    numbers = [float(part) for part in text.split(",")]
    return numbers[0] if len(numbers) == 1 else numbers


def stated(value: Any, data: dict[str, Any]) -> str:
    """The value at the precision the question states (as the page shows it)."""
    if data["decimals"] is not None:
        return typed(value, f".{data['decimals']}f")
    if data["digits"] is not None:
        return typed(value, f".{data['digits'] - 1}e")
    return typed(value)


def answers(key: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, typed answer): right ones first, then wrong ones."""
    want = np.asarray(data["want"]["data"]).reshape(data["want"]["shape"])
    out = [("right, computed", typed(want)), ("right, as stated", stated(want, data))]
    if not isinstance(EXERCISES[key], FunctionExercise):
        out += [
            (f"right, {label}", typed(value))
            for label, make in RIGHT[key]
            if not callable(value := make())
        ]
        out += [
            (f"wrong, {label}", typed(value))
            for label, make, _ in WRONG[key]
            if not callable(value := make())
        ]
    for hint, wrong in data["mistakes"]:
        value = np.asarray(wrong["data"])
        out += [
            (f"mistake {hint!r}", typed(value)),
            (f"mistake {hint!r}, as stated", stated(value, data)),
        ]
    unit = 10.0 ** -(data["decimals"] or 4)
    out += [
        ("sign flipped", typed(-want)),
        ("twice", typed(2 * want)),
        ("a tenth", typed(want / 10)),
        ("three units off", typed(want + 3 * unit * np.maximum(np.abs(want), 1))),
        ("one digit less", typed(np.round(want, (data["decimals"] or 4) - 1))),
        ("first entry only", typed(want.ravel()[:1])),
        ("one entry too many", typed(np.append(want.ravel(), 1.0))),
    ]
    return out


def python_verdict(key: str, data: dict[str, Any], text: str) -> tuple[bool, str]:
    """The kernel's checker on that answer: judge() with the chapter's context
    for a value; for a function, judge_value on the page's case (the result
    the reader's function gives there)."""
    answer = as_python(text)
    if data["kind"] == "value":
        verdict = judge(key, answer, *chapter_context(CELLS[key][1]))
    else:
        want, options = page_judge_args(data)
        verdict = judge_value(answer, want, **options)
    return verdict.correct, verdict.message


def node_verdicts(cases: list[tuple[dict[str, Any], str]]) -> list[dict[str, Any]]:
    """The page's judge, static/exercises.js, under Node.js."""
    driver = (
        f"const page = require({json.dumps(str(JUDGE))});\n"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf-8'));\n"
        "process.stdout.write(JSON.stringify(cases.map(([d, t]) => page.judge(d, t))));\n"
    )
    run = subprocess.run(
        [shutil.which("node") or "node", "-e", driver],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[dict[str, Any]] = json.loads(run.stdout)
    return result


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def test_every_checked_exercise_of_the_book_gets_a_box():
    assert set(CELLS) == set(EXERCISES)
    for key, (notebook, names, _) in CELLS.items():
        data = page_exercise(key, names)
        assert data is not None, f"{notebook}: {key} would get no box"
        assert data["key"] == key and data["label"].startswith("Your answer (")


def test_the_context_is_the_chapters_own():
    # Each statement that makes a context object stands, verbatim, in a cell
    # of the chapter above its check, and no cell in between makes it again.
    for key, (notebook, names, above) in CELLS.items():
        for name in names:
            statement = CONTEXT[name]
            where = [i for i, source in enumerate(above) if statement in source]
            assert where, f"{notebook}, {key}: no cell says {statement!r}"
            later = "\n".join(above[where[-1] + 1 :])
            again = re.compile(rf"^\s*(\w+\s*,\s*)*{name}\s*(,\s*\w+\s*)*=[^=]", re.M)
            assert not again.search(later), f"{notebook}, {key}: {name} is made again"


def test_function_exercises_ask_about_one_small_case_whose_mistakes_differ():
    for key, exercise in EXERCISES.items():
        if not isinstance(exercise, FunctionExercise):
            continue
        assert exercise.name in PAGE_CASES, key
        case, want, mistakes = function_terms(key)
        data = page_exercise(key)
        assert data is not None and "{" not in data["ask"] and data["cases"] >= 3
        named = [np.asarray(w) for _, w in mistakes if np.asarray(w).size == want.size]
        assert len(named) >= 2, key
        for wrong in named:
            assert np.abs(wrong.ravel() - want.ravel()).max() > 1e-3 or np.allclose(wrong, want), (
                key
            )


@needs_node
def test_the_page_judges_as_the_kernel_does():
    cases, expected, labels = [], [], []
    for key, (_, names, _) in CELLS.items():
        data = page_exercise(key, names)
        assert data is not None
        for label, text in answers(key, data):
            cases.append((data, text))
            expected.append(python_verdict(key, data, text))
            labels.append(f"{key}, {label}: {text}")
    page = node_verdicts(cases)
    differ = [
        f"{label}\n  python: {want}\n  page:   {got['correct'], got['message']}"
        for label, want, got in zip(labels, expected, page, strict=True)
        if (got["correct"], got["message"]) != want
    ]
    assert not differ, "\n".join(differ[:20])
    # every exercise: its right answers pass, and at least three wrong ones get
    # a named hint (its registry's mistakes, or sign, factor, digits, shape)
    for key in CELLS:
        mine = [
            (label, verdict)
            for label, verdict in zip(labels, expected, strict=True)
            if label.startswith(f"{key}, ")
        ]
        assert all(v[0] for label, v in mine if label.startswith(f"{key}, right")), key
        named = {v[1] for label, v in mine if not v[0] and ": " in v[1].split(" ", 1)[-1]}
        assert len(named) >= 3, (key, named)


def test_a_function_mistake_gets_the_hint_the_kernel_gives_it():
    # The kernel's judge_function, on a function that returns a mistake's
    # result on the page's case, names the same mistake as the page.
    for key, exercise in EXERCISES.items():
        if not isinstance(exercise, FunctionExercise):
            continue
        case, want, mistakes = function_terms(key)
        data = page_exercise(key)
        assert data is not None
        reference, options = page_judge_args(data)
        for hint, wrong in mistakes:
            if np.asarray(wrong).size != want.size or np.allclose(wrong, want):
                continue
            kernel = judge_function(
                lambda *args, w=wrong: w,
                exercise.reference,
                [case.args],
                mistakes=exercise.mistakes,
            )
            page = judge_value(as_python(typed(wrong)), reference, **options)
            assert hint in kernel.message and hint in page.message, (key, hint)


@needs_node
def test_typed_forms_the_page_reads():
    data = page_exercise("hidden-weights-1") or page_exercise(next(iter(EXERCISES)))
    assert data is not None
    driver = (
        f"const page = require({json.dumps(str(JUDGE))});\n"
        "const texts = JSON.parse(require('fs').readFileSync(0, 'utf-8'));\n"
        "process.stdout.write(JSON.stringify(texts.map((t) => page.parse(t))));\n"
    )
    texts = [
        "-0.036, -0.042",
        "[-0.036, -0.042]",
        "\u22120.036 -0.042",
        "(1e-3; 2)",
        "[[1, 2], [3, 4]]",
        "",
        "abc",
        "[[1], [2, 3]]",
        "0.5.1",
    ]
    run = subprocess.run(
        ["node", "-e", driver], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    parsed = json.loads(run.stdout)
    assert parsed[:5] == [
        {"shape": [2], "data": [-0.036, -0.042]},
        {"shape": [2], "data": [-0.036, -0.042]},
        {"shape": [2], "data": [-0.036, -0.042]},
        {"shape": [2], "data": [0.001, 2]},
        {"shape": [2, 2], "data": [1, 2, 3, 4]},
    ]
    assert parsed[5:] == [None, None, None, None]


# ---- in the built book (pytest -m browser; BOOK_HTML points at a build) -------------

in_browser = pytest.mark.browser


@pytest.fixture(scope="module")
def book_base(chromium: Any) -> Any:
    """The built book served on 127.0.0.1 (conftest's Chromium will visit it)."""
    if not HTML.joinpath("index.html").is_file():
        _skip_or_fail(f"no built book in {HTML}: run `make book`", REQUIRE_BOOK)
    with serve(HTML) as base:
        yield base


@pytest.fixture
def visit(chromium: Any, book_base: str) -> Any:
    """Open pages of the book as tests/test_browser.py does (its Visit)."""
    visits: list[Visit] = []

    def open_page(page_path: str) -> Visit:
        visits.append(Visit(chromium, book_base, page_path))
        return visits[-1]

    yield open_page
    for opened in visits:
        opened.close()


@pytest.fixture
def box_page(visit):
    """Open a chapter and bring its box for ``key`` into view (the judge loads)."""

    def open_box(page_path: str, key: str) -> tuple[Any, Any]:
        opened = visit(page_path)
        box = opened.page.locator(f'form.bp-exercise[data-exercise="{key}"]')
        box.scroll_into_view_if_needed()
        opened.page.wait_for_function(
            "key => document.querySelector(`form[data-exercise='${key}']`).dataset.ready", arg=key
        )
        return opened, box

    return open_box


def _answer(box: Any, text: str) -> str:
    box.locator("input").fill(text)
    box.get_by_role("button", name="Check").click()
    verdict = box.locator(".bp-verdict")
    verdict.filter(has_text=re.compile(".")).wait_for()
    return str(verdict.inner_text())


# (page, key, a wrong answer, the hint it must get): three chapters, a value,
# a list of two and a function's result
TRIED = [
    ("book/02_output_weights.html", "output-weights-1", "0.0543"),
    ("book/04_hidden_weights.html", "hidden-weights-1", "-0.15, -0.2"),
    ("book/01_forward_pass.html", "forward-pass-2", "9"),
]


@in_browser
@pytest.mark.parametrize(("page_path", "key", "wrong"), TRIED)
def test_a_box_answers_right_and_wrong_as_the_kernel(page_path, key, wrong, box_page):
    data = page_exercise(key, CELLS[key][1])
    assert data is not None
    opened, box = box_page(page_path, key)
    assert box.locator("label").is_visible()
    assert box.locator(".bp-verdict").get_attribute("aria-live") == "polite"
    said = _answer(box, wrong)
    correct, message = python_verdict(key, data, wrong)
    assert not correct and said == message and ": " in message
    right = stated(np.asarray(data["want"]["data"]), data)
    assert _answer(box, right) == python_verdict(key, data, right)[1]
    assert "correct" in box.locator(".bp-verdict").inner_text()
    opened.check()


@in_browser
def test_solved_answers_stay_on_the_device_until_cleared(box_page):
    key = "output-biases-3"
    opened, box = box_page("book/03_output_biases.html", key)
    assert box.locator(".bp-exercise-clear").is_hidden()  # nothing stored yet
    _answer(box, "4")
    opened.page.reload()
    box.scroll_into_view_if_needed()
    box.locator(".bp-verdict").filter(has_text="correct").wait_for()
    assert box.locator("input").input_value() == "4"
    assert "bp-solved" in (box.get_attribute("class") or "")
    box.get_by_role("button", name="Forget my answers").click()
    assert box.locator("input").input_value() == ""
    assert opened.page.evaluate("localStorage.getItem('backprop-book-exercises')") is None
    opened.page.reload()
    box.scroll_into_view_if_needed()
    opened.page.wait_for_function("document.querySelector('form.bp-exercise').dataset.ready")
    assert box.locator("input").input_value() == ""
    assert box.locator(".bp-verdict").inner_text() == ""
    opened.check()


@in_browser
def test_the_keyboard_alone_completes_an_exercise(visit):
    key = "real-data-1"
    opened = visit("book/real_data.html")
    page = opened.page
    for _ in range(600):  # Tab through the page to the box's input
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"bp-answer-{key}":
            break
    else:
        pytest.fail("Tab never reached the answer box")
    page.keyboard.type("2.303")
    page.keyboard.press("Enter")
    verdict = page.locator(f'form[data-exercise="{key}"] .bp-verdict')
    verdict.filter(has_text="correct").wait_for()
    page.keyboard.press("Tab")  # on to the Check button
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    verdict.filter(has_text="is not right").wait_for()
    opened.check()


@in_browser
def test_a_box_works_from_a_file_url(chromium, book_base):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto((HTML / "book" / "06_deep_networks.html").as_uri())
        box = page.locator('form.bp-exercise[data-exercise="deep-networks-1"]')
        box.scroll_into_view_if_needed()
        assert _answer(box, "0.5").endswith("the question asks for its slope g'(0).")
    finally:
        context.close()
