"""Lighthouse, mobile preset, on every page of the built book.

The book is served from 127.0.0.1 with gzip (tests/book_server.py), as a
static host would serve it, and Lighthouse (pinned in package-lock.json)
drives Debian's Chromium ($CHROME_PATH, default /usr/bin/chromium) through
tests/lighthouse_pages.mjs: performance and accessibility. Every page must
score 100 for accessibility, and at least 90 for performance with a first
contentful paint within 2 s (issue 14); a failure names the page, the audits
or every run's numbers, and the largest downloads. A page whose first run
misses a speed goal is run twice more and judged on the median (see the
`lighthouse` fixture for why). The numbers of the last run are written to
_build/lighthouse.json.

What makes the long chapters fast enough: equations typeset at build time
(no MathJax), theme CSS and icon fonts cut to what the book uses, the
theme's scripts loaded on the reader's first move (static/theme-loader.js),
what is off screen drawn only when the reader comes near it
(static/book.css), so a chapter's first style and layout covers its first
screens rather than its thousands of equation elements, and the API
reference in pages of one or two modules (book/api/), since a page of
signatures has nothing that could wait and is all laid out at load.

Needs the built book (`make book`), `make vendor` (node_modules) and
Chromium; without them the test skips, or fails under REQUIRE_BROWSER=1.

LIGHTHOUSE_GATE=report (for a fork whose pages score under the gate; in
GitHub Actions, a repository variable, see docs/teaching.md) turns a missed
score into a warning that names the page and its numbers, instead of a
failure. The default, and this repository's CI, is strict.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
from book_server import serve
from test_browser import HTML, PAGES, REQUIRE_BOOK, REQUIRE_BROWSER, ROOT, _skip_or_fail

CHROME_PATH = Path(os.environ.get("CHROME_PATH", os.environ.get("CHROMIUM", "/usr/bin/chromium")))
SCRIPT = ROOT / "tests" / "lighthouse_pages.mjs"
RESULTS = HTML.parent / "lighthouse.json"
MIN_PERFORMANCE = 90
MAX_FCP_MS = 2000
MIN_ACCESSIBILITY = 100
RETRIES = 2  # further runs of a page whose first run misses a speed goal

pytestmark = pytest.mark.browser


def _run(node: str, base: str, pages: list[str], *options: str) -> dict[str, dict[str, Any]]:
    """One Lighthouse run of each page: its record (see lighthouse_pages.mjs)."""
    run = subprocess.run(
        [node, str(SCRIPT), *options, *(f"{base}/{page}" for page in pages)],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": str(CHROME_PATH)},
        capture_output=True,
        text=True,
        timeout=1500,
    )
    if run.returncode != 0:
        pytest.fail(f"lighthouse failed ({run.returncode}):\n{run.stderr[-3000:]}", pytrace=False)
    results = {}
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            results[record["url"].split("/", 3)[3]] = record
    return results


@pytest.fixture(scope="module")
def lighthouse() -> dict[str, list[dict[str, Any]]]:
    """Lighthouse's runs of every page: one with accessibility, and, for a
    page whose first run misses a speed goal, RETRIES more for performance
    alone; the page is then judged on the median of its runs. Lighthouse's
    scores vary from run to run (its docs/variability.md advises the median
    of several), and headless Chromium sometimes holds back a page's first
    frames for a whole second or two (GoogleChrome/lighthouse#17148: viz's
    BeginFrame throttling), which inflates the speed index of a single run."""
    if not HTML.joinpath("index.html").is_file():
        _skip_or_fail(f"no built book in {HTML}: run `make book`", REQUIRE_BOOK)
    if not CHROME_PATH.is_file():
        _skip_or_fail(f"no Chromium at {CHROME_PATH}: set CHROME_PATH", REQUIRE_BROWSER)
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "lighthouse").is_dir():
        _skip_or_fail("no node or no node_modules/lighthouse: run `make vendor`", REQUIRE_BROWSER)
    assert node is not None
    with serve(HTML) as base:
        runs = {page: [record] for page, record in _run(node, base, PAGES).items()}
        again = [page for page, records in runs.items() if speed_problems(records)]
        for _ in range(RETRIES if again else 0):
            for page, record in _run(node, base, again, "--performance-only").items():
                runs[page].append(record)
    RESULTS.write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")
    return runs


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def speed_problems(runs: list[dict[str, Any]]) -> list[str]:
    """Each speed goal that the median of a page's runs misses, with every
    run's numbers and the largest downloads."""
    scores = [run["performance"] for run in runs]
    fcps = [run["fcp_ms"] for run in runs]
    found = []
    if _median([-1 if score is None else score for score in scores]) < MIN_PERFORMANCE:
        heavy = ", ".join(
            f"{url.rsplit('/', 1)[-1]} {size / 1e3:.0f} kB" for url, size in runs[0]["heavy"]
        )
        tbt = ", ".join(f"{run['tbt_ms']:.0f}" for run in runs)
        found.append(
            f"performance {scores} (median below {MIN_PERFORMANCE}; total blocking time"
            f" {tbt} ms; {runs[0]['bytes'] / 1e6:.2f} MB transferred; largest: {heavy})"
        )
    if _median([float("inf") if fcp is None else fcp for fcp in fcps]) > MAX_FCP_MS:
        shown = ", ".join("none" if fcp is None else f"{fcp / 1e3:.2f}" for fcp in fcps)
        found.append(f"first-contentful-paint {shown} s (median above {MAX_FCP_MS / 1e3:.0f} s)")
    return found


def _fail_or_report(page_path: str, found: list[str]) -> None:
    """Fail with ``found``, or only warn under LIGHTHOUSE_GATE=report."""
    message = f"{page_path}:\n  " + "\n  ".join(found)
    if os.environ.get("LIGHTHOUSE_GATE", "").strip().lower() == "report":
        warnings.warn(f"Lighthouse gate (reported only): {message}", stacklevel=2)
        return
    pytest.fail(message, pytrace=False)


def accessibility_problems(result: dict[str, Any]) -> list[str]:
    """A failed measurement, or an accessibility score below 100 and its audits."""
    found = []
    if result["runtime_error"]:
        found.append(f"Lighthouse could not measure the page: {result['runtime_error']}")
    if result["accessibility"] is None or result["accessibility"] < MIN_ACCESSIBILITY:
        audits = "; ".join(f"{audit_id} ({title})" for audit_id, title in result["failed"].items())
        found.append(f"accessibility {result['accessibility']} < {MIN_ACCESSIBILITY}: {audits}")
    return found


@pytest.mark.parametrize("page_path", PAGES)
def test_lighthouse_accessibility(
    page_path: str, lighthouse: dict[str, list[dict[str, Any]]]
) -> None:
    """Lighthouse accessibility 100 on the mobile preset."""
    assert lighthouse.get(page_path), f"{page_path}: Lighthouse gave no result"
    found = accessibility_problems(lighthouse[page_path][0])
    if found:
        _fail_or_report(page_path, found)


@pytest.mark.parametrize("page_path", PAGES)
def test_lighthouse_speed(page_path: str, lighthouse: dict[str, list[dict[str, Any]]]) -> None:
    """Performance >= 90 and first contentful paint <= 2 s (the goal of issue
    14): in the first run, or in the median of three when the first misses."""
    runs = lighthouse.get(page_path)
    assert runs, f"{page_path}: Lighthouse gave no result"
    assert len(runs) in (1, 1 + RETRIES), f"{page_path}: {len(runs)} runs"
    found = speed_problems(runs)
    if found:
        _fail_or_report(page_path, found)
