"""The chapters run in the book's JupyterLite site, in Chromium, offline.

Needs the site (`make lite`, or LITE_HTML pointing at a built one) and
Debian's Chromium; runs only with RUN_LITE=1 (as `make test` sets it) or
LITE_HTML set (about 40 s per chapter on two cores). Every request that
leaves 127.0.0.1 is blocked: the site must serve everything itself. Each
chapter is opened in JupyterLite, all its cells run, and the test finds no
error output, a rendered widget and a checker's verdict. It prints the time
from "run all" to the first output and to the end, and the bytes downloaded
(README, "Run in the browser").
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from book_server import serve

ROOT = Path(__file__).resolve().parent.parent
LITE = Path(os.environ.get("LITE_HTML", ROOT / "_build" / "html" / "lite"))
CHAPTERS = ["01_forward_pass.ipynb", "autograd.ipynb", "playground.ipynb"]
VERDICTS = ("not answered yet", "Correct", "correct", "not quite", "Not quite")

pytestmark = pytest.mark.browser

RUN_ALL = """async () => {
  const app = window.jupyterapp;
  const start = performance.now();
  await app.commands.execute('notebook:run-all-cells');
  return performance.now() - start;
}"""
CELLS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = [];
  for (const cell of panel.content.model.cells) cells.push(cell.toJSON());
  return cells;
}"""
READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return Boolean(kernel && kernel.status === 'idle');
}"""
FIRST_OUTPUT = """() => document.querySelector('.jp-Notebook .jp-OutputArea-output') !== null"""


@pytest.fixture(scope="module")
def lite_url() -> Any:
    if not (os.environ.get("LITE_HTML") or os.environ.get("RUN_LITE") == "1"):
        pytest.skip("JupyterLite tests run with RUN_LITE=1 (make test) or LITE_HTML")
    if not (LITE / "jupyter-lite.json").exists():
        pytest.skip(f"no JupyterLite site at {LITE}: run `make lite`")
    with serve(LITE) as url:
        yield url


def run_chapter(chromium: Any, url: str, notebook: str) -> dict[str, Any]:
    context = chromium.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    downloaded = [0]

    def block(route: Any) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    page.on(
        "requestfinished",
        lambda request: downloaded.__setitem__(
            0, downloaded[0] + max(0, request.sizes()["responseBodySize"])
        ),
    )
    try:
        opened = time.monotonic()
        page.goto(f"{url}/lab/index.html?path={notebook}", wait_until="load")
        page.wait_for_function(READY, timeout=180_000, polling=500)
        start = time.monotonic()
        ready = start - opened
        page.evaluate(
            "() => { window.__run = window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
        )
        page.wait_for_function(FIRST_OUTPUT, timeout=180_000, polling=100)
        first = time.monotonic() - start
        page.evaluate("() => window.__run")
        page.wait_for_function(READY, timeout=600_000, polling=500)
        total = time.monotonic() - start
        cells = page.evaluate(CELLS)
        widgets = page.locator(".jp-OutputArea .jupyter-widgets, .jp-OutputArea .widget-box")
        return {
            "cells": cells,
            "widgets": widgets.count(),
            "ready": ready,
            "first": first,
            "total": total,
            "outside": outside,
            "bytes": downloaded[0],
        }
    finally:
        context.close()


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_chapter_runs_in_the_browser(chromium: Any, lite_url: str, notebook: str) -> None:
    result = run_chapter(chromium, lite_url, notebook)
    code = [c for c in result["cells"] if c["cell_type"] == "code"]
    errors = [
        f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, c in enumerate(code)
        for o in c["outputs"]
        if o["output_type"] == "error"
    ]
    assert not errors, errors
    not_run = [i for i, c in enumerate(code) if c["execution_count"] is None]
    assert not not_run, f"cells not run: {not_run}"
    texts = ["".join(o.get("text", "")) for c in code for o in c["outputs"] if "text" in o]
    assert any(v in t for t in texts for v in VERDICTS), "no checker's verdict"
    assert result["widgets"] > 0, "no rendered widget"
    print(
        f"\n{notebook}: kernel ready {result['ready']:.1f} s after opening, "
        f"first output {result['first']:.1f} s, all cells {result['total']:.1f} s, "
        f"{result['bytes'] / 1e6:.1f} MB downloaded, blocked outside: {len(result['outside'])}"
    )
