"""A chapter in the project's own JupyterLab: solutions stay folded until the reader unfolds them.

The test starts ``jupyter lab`` from this environment (with jupyterlab-myst,
pinned in requirements.txt) on a free localhost port with a random token,
opens chapter 1 in Debian's Chromium through Playwright, waits until every
markdown cell has rendered, and checks for each solution (a
``:::{dropdown} Solution`` of the chapter) that a phrase of its text is
hidden, and visible once its "Solution" summary is clicked. (The check
fails on a copy of the chapter whose first solution is stored unfolded,
``:open:``, naming that solution, and when jupyterlab-myst is disabled; both
were tried when the test was written, and are left out of the suite to keep
it under a minute.)

Lab reaches for no network: news and update checks are off on the command
line, the extension manager is read-only, and a request to another host
fails the test. Settings and workspaces go to a temporary folder.

Needs Debian's Chromium at /usr/bin/chromium (or $CHROMIUM); without it the
test skips, or fails when REQUIRE_BROWSER=1 is set.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "01_forward_pass.ipynb"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 45_000
SOLUTION = re.compile(r"^:{3,}\{dropdown\} Solution\s*$")
INLINE = re.compile(r"\$[^$]*\$|`[^`]*`|\{[a-z:]+\}")
"""Inline maths, code and role names: the page does not show them as plain text."""
MARKUP = re.compile(r"[$`*_\\\[\]{}()<>|#:;\"'\u2018\u2019\u201c\u201d\u2014]")
"""Where the page may split a text or typeset it otherwise (quotes, dashes)."""

pytestmark = pytest.mark.browser


@dataclass
class Lab:
    url: str
    token: str
    folder: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings(folder: Path) -> None:
    """User settings: every cell attached to the page (no windowing, so a
    folded solution far down is in the DOM), and no news or update checks."""
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        target = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    home = tmp_path_factory.mktemp("lab")
    notebooks = home / "notebooks"
    notebooks.mkdir()
    _settings(home / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        MPLBACKEND="Agg",
    )
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.allow_root=True",  # CI containers run as root
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(f"{base}/api/status?token={token}"):
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                log_text = (home / "lab.log").read_text(encoding="utf-8")
                pytest.fail(f"jupyter lab did not start:\n{log_text[-3000:]}", pytrace=False)
            time.sleep(0.3)
        yield Lab(base, token, notebooks)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    """conftest's Chromium (one Playwright per session)."""
    return chromium


def solution_phrases(notebook: dict[str, Any]) -> list[str]:
    """For each ``{dropdown} Solution``, the longest run of plain words in its
    text (no maths, code, markup or quotes, so the page shows it as one piece
    of text) that occurs nowhere else in the notebook, at most eight words."""
    cells = ["".join(cell["source"]) for cell in notebook["cells"]]
    everything = " ".join(" ".join(cell.split()) for cell in cells)
    phrases = []
    for cell, text in zip(notebook["cells"], cells, strict=True):
        if cell["cell_type"] != "markdown":
            continue
        body: list[str] | None = None
        code = False
        for line in text.splitlines():
            if line.strip().startswith("```"):
                code = not code
            elif SOLUTION.match(line.strip()):
                body = []
            elif body is not None and re.fullmatch(r":{3,}", line.strip()):
                pieces = MARKUP.split(INLINE.sub("|", " ".join(body)))
                runs = [" ".join(p.strip(" .,").split()[:8]) for p in pieces]
                unique = [r for r in runs if len(r.split()) >= 2 and everything.count(r) == 1]
                assert unique, f"no plain phrase in the solution {body}"
                phrases.append(max(unique, key=len))
                body = None
            elif body is not None and not code:
                body.append(line)
    return phrases


@dataclass
class Reader:
    """One browser context for the module (Lab's scripts load from its cache
    the second time) and every request it made to another host."""

    context: Any
    elsewhere: list[str]


@pytest.fixture(scope="module")
def reader(browser: Any, lab: Lab) -> Iterator[Reader]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []
    # watched, not routed: routing would switch the browser's cache off
    context.on(
        "request",
        lambda request: (
            None if request.url.startswith(lab.url + "/") else elsewhere.append(request.url)
        ),
    )
    yield Reader(context, elsewhere)
    context.close()


def folded_and_unfolded(reader: Reader, lab: Lab, name: str) -> tuple[list[str], list[str]]:
    """Open ``name`` in Lab; return the solution phrases visible before the
    summaries are clicked, and those still hidden after."""
    notebook = json.loads((lab.folder / name).read_text(encoding="utf-8"))
    phrases = solution_phrases(notebook)
    assert phrases, f"{name} has no solutions"
    n_markdown = sum(cell["cell_type"] == "markdown" for cell in notebook["cells"])
    page = reader.context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        # ?reset: a fresh workspace, without the tabs of an earlier test
        page.goto(f"{lab.url}/lab/tree/{name}?reset&token={lab.token}")
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-MarkdownCell.jp-mod-rendered').length >= n",
            arg=n_markdown,
        )
        # rendered markdown, not the cells' hidden editors, which hold the source
        rendered = page.locator(".jp-MarkdownCell .jp-InputArea > :not(.jp-InputArea-editor)")

        def shown(phrase: str) -> bool:
            return rendered.get_by_text(phrase).filter(visible=True).count() > 0

        try:
            page.wait_for_function(
                "n => document.querySelectorAll('.jp-MarkdownCell summary').length >= n",
                arg=len(phrases),
            )
        except Exception:  # a timeout: no folds, e.g. MyST rendered as plain Markdown
            in_sight = [p for p in phrases if shown(p)]
            raise AssertionError(
                f"{name}: the solutions are not rendered as folds (is jupyterlab-myst"
                f" installed and enabled?); in plain sight: {in_sight}"
            ) from None
        visible = [p for p in phrases if shown(p)]
        hidden = []
        for phrase in phrases:
            # one at a time, as a reader would: (selecting another cell
            # re-renders the notebook, and a fold opened there closes again)
            summary = rendered.locator("details", has_text=phrase).locator(
                "summary", has_text="Solution"
            )
            if summary.count() != 1:
                hidden.append(phrase)
                continue
            if not summary.evaluate("s => s.parentElement.open"):
                summary.scroll_into_view_if_needed()
                summary.click()
            if not shown(phrase):
                hidden.append(phrase)
    finally:
        page.close()
    assert not reader.elsewhere, f"JupyterLab reached for another host: {reader.elsewhere}"
    return visible, hidden


def test_solutions_are_folded_in_jupyterlab(reader: Reader, lab: Lab) -> None:
    shutil.copy(CHAPTER, lab.folder / CHAPTER.name)
    visible, hidden = folded_and_unfolded(reader, lab, CHAPTER.name)
    assert not visible, f"solution text in plain sight before unfolding: {visible}"
    assert not hidden, f"solution text still hidden after clicking its summary: {hidden}"
