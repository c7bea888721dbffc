"""Answer boxes under the exercises: the static page checks an answer, no kernel.

Changes: under each code cell that calls ``check("<key>", answer, *context)``
(the registry of backprop.book.chapter_exercises), the page gets a box: a
label, an input, a Check button and a verdict that screen readers hear, and
the exercise's data as ``<script type="application/json">`` (embedded, so
it works from file://): the right answer for the chapter's context, the
precision, each named mistake's value, all computed by
backprop.book.page_exercises when the book is built. A function exercise's
box asks what the function returns on one stated input and links the
chapter's Binder and Colab launch buttons, where the whole function is
checked. A page with a box loads ``static/exercises-loader.js`` (deferred),
which shows the boxes and brings ``static/exercises.js``, the judge, when a
reader nears one. An exercise the page cannot judge (no data) gets no box.

Why: most readers read the HTML book, where no checker ran.

Depends on: myst-nb's code cells as ``container`` nodes of class ``cell``
holding a ``literal_block`` (the cell's source); sphinx-book-theme 1.3's
launch buttons in ``context["header_buttons"]`` (the group labelled
``launch-buttons``, buttons with the text "Binder" and "Colab") at
``html-page-context`` priority 501. Nothing here is reported as a patch:
a cell it does not find gets no box, which tests/test_browser.py finds.
"""

from __future__ import annotations

import ast
import html
import json
from functools import cache
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

BOX_CLASS = "bp-exercise"
LAUNCH = "<!--bp-exercise-launch-->"
LAUNCH_TEXTS = ("Binder", "Colab")


def check_calls(source: str) -> list[tuple[str, tuple[str, ...]]]:
    """(key, context names) of each ``check("key", answer, *names)`` in a cell."""
    if "check(" not in source:
        return []
    # IPython's magics and shell lines are not Python: leave them out
    python = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return []
    calls = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
            continue
        if call.func.id != "check" or not call.args or call.keywords:
            continue
        key = call.args[0]
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            continue
        context = call.args[2:]
        if all(isinstance(arg, ast.Name) for arg in context):
            calls.append((key.value, tuple(arg.id for arg in context)))  # type: ignore[attr-defined]
    return calls


@cache
def exercise_data(key: str, names: tuple[str, ...]) -> dict[str, Any] | None:
    """The page's data of exercise ``key`` (once per build and context)."""
    from backprop.book.page_exercises import page_exercise

    return page_exercise(key, names)


def box_html(data: dict[str, Any]) -> str:
    """The answer box of one exercise, hidden until exercises-loader.js runs."""
    key = data["key"]
    field = f"bp-answer-{key}"
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    ask = ""
    note = "Checked in this page; your answers stay in this browser."
    if data["kind"] == "function":
        ask = f'<p class="bp-exercise-ask">{html.escape(data["ask"])}</p>\n'
        note = (
            f"This checks one case; the chapter's check runs your whole function on "
            f"{data['cases']} cases when you run the chapter{LAUNCH}. {note}"
        )
    return (
        f'<form class="{BOX_CLASS}" data-exercise="{html.escape(key)}" '
        f'data-kind="{data["kind"]}" hidden>\n'
        f'<script type="application/json" class="bp-exercise-data">{payload}</script>\n'
        f'<p class="bp-exercise-title">Check your answer</p>\n{ask}'
        f'<label for="{html.escape(field)}">{html.escape(data["label"])}</label>\n'
        f'<span class="bp-exercise-row"><input id="{html.escape(field)}" name="answer" '
        'type="text" autocomplete="off" autocapitalize="off" spellcheck="false"> '
        '<button type="submit">Check</button></span>\n'
        '<p class="bp-verdict" role="status" aria-live="polite"></p>\n'
        f'<p class="bp-exercise-note">{note}</p>\n'
        '<button type="button" class="bp-exercise-clear" hidden>Forget my answers</button>\n'
        "</form>\n"
    )


def add_boxes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put a box after every code cell that checks an exercise it has data for."""
    for cell in list(doctree.findall(nodes.container)):
        if "cell" not in cell.get("classes", []):
            continue
        calls = check_calls(_cell_source(cell))
        boxes = [data for key, names in calls if (data := exercise_data(key, names))]
        if not boxes:
            continue
        raw = nodes.raw("", "".join(box_html(data) for data in boxes), format="html")
        cell.parent.insert(cell.parent.index(cell) + 1, raw)


def _cell_source(cell: nodes.container) -> str:
    # the cell's input only (its outputs are literal blocks too)
    for part in cell.findall(nodes.container):
        if "cell_input" in part.get("classes", []):
            return "\n".join(block.astext() for block in part.findall(nodes.literal_block))
    return ""


def launch_links(context: dict[str, Any]) -> str:
    """' on Binder or Colab' with the page's own launch links (the theme's)."""
    found: dict[str, str] = {}
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("text") in LAUNCH_TEXTS and button.get("url"):
                found[button["text"]] = button["url"]
    names = [
        f'<a href="{html.escape(found[text])}">{text}</a>' if text in found else text
        for text in LAUNCH_TEXTS
    ]
    return " on " + " or ".join(names)


def load_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """A page with a box loads exercises-loader.js and gets its launch links."""
    body = context.get("body", "")
    if f'class="{BOX_CLASS}"' not in body:
        return
    context["body"] = body.replace(LAUNCH, launch_links(context))
    app.add_js_file("exercises-loader.js", defer="defer")


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", add_boxes)
    # After the theme's launch buttons (priority 501).
    app.connect("html-page-context", load_script, priority=900)
