"""Lighthouse, mobile preset, on every page of the built book.

The book is served from 127.0.0.1 with gzip (tests/book_server.py), as a
static host would serve it, and Lighthouse (pinned in package-lock.json)
drives Debian's Chromium ($CHROME_PATH, default /usr/bin/chromium) through
tests/lighthouse_pages.mjs: one run per page, performance and accessibility
only. Every page must score 100 for accessibility; a failure names the page
and the audits. The goal for speed is a performance score of at least 90 and
a first contentful paint within 2 s on every page (issue 14). First paint is
now 1.5-2.0 s (2.6 s once under load) and pages weigh 0.07-0.16 MB (equations typeset at build
time, no MathJax, theme CSS and icon fonts cut to what the book uses, the
theme's scripts loaded on the reader's first move: static/theme-loader.js).
What still blocks the main thread is the first style and layout of a long
chapter (7000 elements styled, 12000 boxes laid out on chapter 6, 0.5 s here
before Lighthouse scales it by 4), which takes total blocking time to 0.4-1.7 s
on a busy 2-core machine: the long chapters score 66-87, short pages 93-99.
The speed test therefore stays an expected failure that names every page and
what it misses, and turns into an unexpected pass on the pages that meet the
goal. The numbers of the last run are written to _build/lighthouse.json.

Needs the built book (`make book`), `make vendor` (node_modules) and
Chromium; without them the test skips, or fails under REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from book_server import serve
from test_browser import HTML, PAGES, REQUIRE_BOOK, REQUIRE_BROWSER, ROOT, _skip_or_fail

CHROME_PATH = Path(os.environ.get("CHROME_PATH", os.environ.get("CHROMIUM", "/usr/bin/chromium")))
SCRIPT = ROOT / "tests" / "lighthouse_pages.mjs"
RESULTS = ROOT / "_build" / "lighthouse.json"
MIN_PERFORMANCE = 90
MAX_FCP_MS = 2000
MIN_ACCESSIBILITY = 100

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lighthouse() -> dict[str, dict[str, Any]]:
    """Lighthouse's numbers for every page, from one run of the script."""
    if not HTML.joinpath("index.html").is_file():
        _skip_or_fail(f"no built book in {HTML}: run `make book`", REQUIRE_BOOK)
    if not CHROME_PATH.is_file():
        _skip_or_fail(f"no Chromium at {CHROME_PATH}: set CHROME_PATH", REQUIRE_BROWSER)
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "lighthouse").is_dir():
        _skip_or_fail("no node or no node_modules/lighthouse: run `make vendor`", REQUIRE_BROWSER)
    with serve(HTML) as base:
        run = subprocess.run(
            [str(node), str(SCRIPT), *(f"{base}/{page}" for page in PAGES)],
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
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def speed_problems(result: dict[str, Any]) -> list[str]:
    """Each speed threshold the page misses, with its largest downloads."""
    found = []
    if result["performance"] is None or result["performance"] < MIN_PERFORMANCE:
        heavy = ", ".join(
            f"{url.rsplit('/', 1)[-1]} {size / 1e3:.0f} kB" for url, size in result["heavy"]
        )
        found.append(
            f"performance {result['performance']} < {MIN_PERFORMANCE} "
            f"({result['bytes'] / 1e6:.2f} MB transferred; largest: {heavy})"
        )
    if result["fcp_ms"] is None or result["fcp_ms"] > MAX_FCP_MS:
        found.append(
            f"first-contentful-paint {result['fcp_ms'] / 1e3:.1f} s > {MAX_FCP_MS / 1e3:.0f} s"
        )
    return found


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
def test_lighthouse_accessibility(page_path: str, lighthouse: dict[str, dict[str, Any]]) -> None:
    """Lighthouse accessibility 100 on the mobile preset."""
    assert page_path in lighthouse, f"{page_path}: Lighthouse gave no result"
    found = accessibility_problems(lighthouse[page_path])
    if found:
        pytest.fail(f"{page_path}:\n  " + "\n  ".join(found), pytrace=False)


@pytest.mark.xfail(
    strict=False,
    reason=(
        "issue 14 is open: under CPU load, the first style and layout of a long chapter"
        " keep total blocking time above 200 ms, so long chapters score below 90"
    ),
)
@pytest.mark.parametrize("page_path", PAGES)
def test_lighthouse_speed(page_path: str, lighthouse: dict[str, dict[str, Any]]) -> None:
    """Performance >= 90 and first contentful paint <= 2 s (the goal of issue 14)."""
    assert page_path in lighthouse, f"{page_path}: Lighthouse gave no result"
    found = speed_problems(lighthouse[page_path])
    if found:
        pytest.fail(f"{page_path}:\n  " + "\n  ".join(found), pytrace=False)
