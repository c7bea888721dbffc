"""The exercises room of the book's extension (ext/book_web/exercises.py):
an answer box, with its data, after each code cell that checks an exercise."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

from book_web import exercises
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from backprop.book.page_exercises import page_exercise  # noqa: E402


def test_check_calls_name_the_key_and_the_context():
    source = 'from backprop.book.chapter_exercises import check\ncheck("k-1", answer, net, X, T)'
    assert exercises.check_calls(source) == [("k-1", ("net", "X", "T"))]
    assert exercises.check_calls('check("k-2", n_parameters)') == [("k-2", ())]
    # not an exercise check: other checks, keywords, expressions, broken code
    assert exercises.check_calls('check("tanh", loss="cross_entropy")') == []
    assert exercises.check_calls('check("k", answer, net.copy())') == []
    assert exercises.check_calls("selfcheck()") == []
    assert exercises.check_calls('check("k", answer\n') == []
    assert exercises.check_calls("%matplotlib inline\ncheck('k', a)") == [("k", ())]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script:
            self.data.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def test_a_box_has_a_label_a_live_verdict_and_the_data():
    data = page_exercise("hidden-weights-1")
    assert data is not None
    data = dict(data, name="a </script> name")  # the JSON cannot end its script
    html = exercises.box_html(data)
    parsed = _Tags()
    parsed.feed(html)
    tags = dict((tag, attrs) for tag, attrs in parsed.tags)
    assert tags["form"]["hidden"] is None and tags["form"]["data-exercise"] == data["key"]
    assert tags["label"]["for"] == tags["input"]["id"] == f"bp-answer-{data['key']}"
    verdicts = [a for t, a in parsed.tags if a.get("class") == "bp-verdict"]
    assert verdicts == [{"class": "bp-verdict", "role": "status", "aria-live": "polite"}]
    buttons = [a for t, a in parsed.tags if t == "button"]
    assert [b.get("type") for b in buttons] == ["submit", "button"]
    assert json.loads(parsed.data[0]) == json.loads(json.dumps(data))
    assert exercises.LAUNCH not in html  # a value exercise links nowhere


def test_a_function_box_asks_its_case_and_links_the_launch_buttons():
    data = page_exercise("forward-pass-2")
    assert data is not None
    html = exercises.box_html(data)
    assert "n_parameters([2, 3, 1])" in html and exercises.LAUNCH in html
    context = {
        "header_buttons": [
            {"label": "download-buttons", "buttons": [{"text": "Colab", "url": "no"}]},
            {
                "label": "launch-buttons",
                "buttons": [
                    {"text": "Binder", "url": "https://mybinder.org/v2/gh/o/r/main?x"},
                    {"text": "Colab", "url": "https://colab.research.google.com/github/o/r"},
                ],
            },
        ],
        "body": f"<p>text</p>{html}",
    }
    added: list[str] = []
    app = SimpleNamespace(add_js_file=lambda name, **kw: added.append(name))
    exercises.load_script(app, "book/x", "page.html", context, None)
    assert added == ["exercises-loader.js"]
    assert (
        ' on <a href="https://mybinder.org/v2/gh/o/r/main?x">Binder</a> or '
        '<a href="https://colab.research.google.com/github/o/r">Colab</a>.'
    ) in context["body"]
    # without launch buttons the sentence still reads, without links
    assert exercises.launch_links({}) == " on Binder or Colab"
    # a page without a box loads nothing
    plain = {"body": "<p>no exercise</p>"}
    exercises.load_script(app, "book/y", "page.html", plain, None)
    assert added == ["exercises-loader.js"]


def _doctree(cells: list[str]) -> nodes.document:
    document = new_document("test", get_default_settings(Parser))
    section = nodes.section()
    document += section
    for source in cells:
        cell = nodes.container(classes=["cell"])
        cell_input = nodes.container(classes=["cell_input"])
        cell_input += nodes.literal_block(source, source)
        cell_output = nodes.container(classes=["cell_output"])
        cell_output += nodes.literal_block('check("not-input", x)', 'check("not-input", x)')
        cell += [cell_input, cell_output]
        section += cell
    return document


def test_boxes_go_right_after_their_cells_and_only_where_there_is_data():
    doctree = _doctree(
        [
            'net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)',
            'check("forward-pass-1", answer, net)',
            'check("no-such-exercise", answer)',
            'check("forward-pass-1", answer, something_unknown)',
            'check("output-biases-3", answer)',
        ]
    )
    exercises.add_boxes(None, doctree, "book/test")
    kinds = [
        "box" if isinstance(child, nodes.raw) else child.astext().split("\n")[0]
        for child in doctree[0].children
    ]
    assert kinds == [
        'net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)',
        'check("forward-pass-1", answer, net)',
        "box",
        'check("no-such-exercise", answer)',
        'check("forward-pass-1", answer, something_unknown)',
        'check("output-biases-3", answer)',
        "box",
    ]
    keys = [
        re.search(r'data-exercise="([^"]+)"', child.astext()).group(1)  # type: ignore[union-attr]
        for child in doctree[0].children
        if isinstance(child, nodes.raw)
    ]
    assert keys == ["forward-pass-1", "output-biases-3"]
