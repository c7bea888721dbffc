"""The built book in a real browser: Chromium, driven by Playwright.

For every HTML page in _build/html: no page errors, console errors or failed
requests (fonts included), nothing fetched from anywhere but the local server,
every equation typeset at build time (SVG whose glyphs the page defines, with
MathML for screen readers; ext/typeset_math.mjs), no MathJax script and no
TeX left showing, and every embedded widget rendered. On pages whose widgets
switch precomputed figures, changing a Dropdown or moving a SelectionSlider
must change the picture, with no kernel.
A screenshot of every page, light and dark, goes to _build/screenshots/.

The tests need the built book (`make book`; `make test` builds it first) and
Debian's Chromium at /usr/bin/chromium (or the path in $CHROMIUM). Without
the book they skip, or fail when $CI or REQUIRE_BROWSER=1 is set; without
Chromium they skip, or fail when REQUIRE_BROWSER=1 is set.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import PIL.Image
import pytest
from book_server import serve
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
# BOOK_HTML tests a book built elsewhere (jupyter-book build --path-output DIR: DIR/_build/html).
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
REQUIRE_BOOK = REQUIRE_BROWSER or bool(os.environ.get("CI"))
# Sphinx's generated pages, not the book's.
NOT_BOOK_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT_MS = 30_000

pytestmark = pytest.mark.browser


def _is_redirect(path: Path) -> bool:
    """Jupyter Book's index.html only forwards to the root page."""
    return 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:2000]


def book_pages() -> list[str]:
    """Every page of the built book, as a path relative to _build/html."""
    if not HTML.is_dir():
        return []
    pages = []
    for path in sorted(HTML.rglob("*.html")):
        rel = path.relative_to(HTML)
        # lite/ is the JupyterLite site, JupyterLab's own pages (tests/test_lite_browser.py)
        if rel.parts[0] in {"_sources", "_static", "lite"} or rel.name in NOT_BOOK_PAGES:
            continue
        if not _is_redirect(path):
            pages.append(rel.as_posix())
    return pages


def _read(page: str) -> str:
    return HTML.joinpath(page).read_text(encoding="utf-8")


# Collected when pytest imports this file; without a built book the single
# placeholder lets the fixtures skip (or fail) with a clear message.
PAGES = book_pages() or ["(no built book)"]
WIDGET_PAGES = [p for p in book_pages() if WIDGET_VIEW in _read(p)]


# ---------------------------------------------------------------- fixtures


def _skip_or_fail(message: str, required: bool) -> None:
    if required:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def built_book() -> Path:
    if not HTML.joinpath("index.html").is_file():
        _skip_or_fail(
            f"no built book in {HTML}: run `make book` (or `make test`, which builds it)",
            REQUIRE_BOOK,
        )
    return HTML


@pytest.fixture(scope="session")
def server(built_book: Path) -> Iterator[str]:
    """Serve the built book on 127.0.0.1, gzipped as a static host would."""
    with serve(built_book) as base:
        yield base


@pytest.fixture(scope="session")
def browser(built_book: Path, chromium: Any) -> Any:
    """conftest's Chromium, once the book is known to be built."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    return chromium


class Visit:
    """One page loaded in a fresh browser context, with everything that went wrong."""

    def __init__(self, browser: Any, base: str, page_path: str) -> None:
        self.path = page_path
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", functools.partial(self._only_local, base + "/"))
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.goto(f"{base}/{page_path}", wait_until="load")

    def _only_local(self, prefix: str, route: Any) -> None:
        url = route.request.url
        if url.startswith(prefix):
            route.continue_()
        else:
            self.problems.append(f"blocked a request to another host: {url}")
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request: Any) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def check(self) -> None:
        """Fail with one line per problem, if there were any."""
        if self.problems:
            lines = "\n  ".join(self.problems)
            pytest.fail(f"{self.path}:\n  {lines}", pytrace=False)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Callable[[str], Visit]]:
    """Open pages of the book; their browser contexts close after the test."""
    visits: list[Visit] = []

    def open_page(page_path: str) -> Visit:
        opened = Visit(browser, server, page_path)
        visits.append(opened)
        return opened

    yield open_page
    for opened in visits:
        opened.close()


# ------------------------------------------------------------------ helpers

RENDERED_WIDGETS = """() => [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')].every(script => {
        const area = script.previousElementSibling;
        return area !== null && area.classList.contains('widget-subarea')
            && area.querySelector('.jupyter-widgets, .lm-Widget') !== null;
    })"""

UNRENDERED_WIDGETS = """() => [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')].filter(script => {
        const area = script.previousElementSibling;
        return !(area && area.classList.contains('widget-subarea')
                 && area.querySelector('.jupyter-widgets, .lm-Widget'));
    }).map(script => JSON.parse(script.textContent).model_id)"""

MATH_REPORT = r"""() => {
    const defined = new Set([...document.querySelectorAll('#MJX-SVG-global-cache [id]')]
        .map(e => e.id));
    const hidden = ['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA', 'MJX-ASSISTIVE-MML'];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, node =>
        node.parentElement.closest(hidden.join(',')) ? NodeFilter.FILTER_REJECT
                                                     : NodeFilter.FILTER_ACCEPT);
    const raw = [];
    while (walker.nextNode()) {
        const text = walker.currentNode.nodeValue;
        const at = text.search(/\\\(|\\\[|\$\$|\\begin\{/);
        if (at >= 0) raw.push(text.slice(Math.max(0, at - 20), at + 40).trim());
    }
    const typeset = c => c !== null && c.getAttribute('jax') === 'SVG'
        && c.querySelector(':scope > svg') !== null
        && c.querySelector(':scope > mjx-assistive-mml > math') !== null;
    return {
        mathjax_scripts: [...document.scripts].filter(s => /mathjax/i.test(s.src)).length,
        display: document.querySelectorAll('mjx-container[display="true"]').length,
        blocks_untypeset: [...document.querySelectorAll('div.math')]
            .filter(div => div.querySelectorAll('mjx-container[display="true"]').length !== 1
                           || !typeset(div.querySelector('mjx-container')))
            .map(div => div.textContent.trim().slice(0, 80)),
        inline_untypeset: [...document.querySelectorAll('span.math')]
            .filter(span => !typeset(span.querySelector('mjx-container')))
            .map(span => span.textContent.trim().slice(0, 80)),
        missing_glyphs: [...new Set([...document.querySelectorAll('mjx-container use')]
            .map(use => (use.getAttribute('xlink:href') || use.getAttribute('href')).slice(1))
            .filter(id => !defined.has(id)))],
        raw_tex: raw,
        errors: [...document.querySelectorAll('[data-mjx-error]')]
            .map(e => e.getAttribute('data-mjx-error')),
    };
}"""


# static/book.css draws an equation only when it comes near the screen
# (content-visibility: auto on its SVG), which clips the drawing to the SVG's
# box widened by its overflow-clip-margin. Each such equation's drawing, and
# the pixel of antialiasing around its edge, must fit in that.
CLIPPED_EQUATIONS = r"""() => {
    const svgs = [...document.querySelectorAll('mjx-container > svg')]
        .filter(svg => getComputedStyle(svg).contentVisibility === 'auto');
    const margins = svgs.map(svg => parseFloat(getComputedStyle(svg).overflowClipMargin) || 0);
    const drawAll = document.createElement('style');
    drawAll.textContent = 'mjx-container > svg { content-visibility: visible !important; }';
    document.head.append(drawAll);
    const clipped = [];
    svgs.forEach((svg, i) => {
        const rect = svg.getBoundingClientRect();
        if (rect.height === 0) return;  // not shown at all (a closed block)
        // a numbered equation's SVG (width 100%) has no viewBox: its units are px
        const ink = svg.getBBox(), view = svg.getAttribute('viewBox') ? svg.viewBox.baseVal
            : {x: 0, y: 0, width: rect.width, height: rect.height};
        const px = Math.min(rect.width / view.width, rect.height / view.height);
        const beyond = px * Math.max(0, view.x - ink.x, view.y - ink.y,
            ink.x + ink.width - view.x - view.width, ink.y + ink.height - view.y - view.height);
        if (beyond + 1 > margins[i]) {
            const math = svg.parentElement.querySelector('math').textContent.slice(0, 40);
            clipped.push(`${math} (${beyond.toFixed(2)} px past its box,`
                         + ` clip margin ${margins[i]} px)`);
        }
    });
    drawAll.remove();
    return clipped;
}"""


def settle(visit: Visit, source: str) -> None:
    """Wait for the widgets, fonts and the network."""
    page = visit.page
    if WIDGET_VIEW in source:
        # The widget manager loads when a widget comes near the viewport
        # (static/widgets-loader.js): scroll to the first one.
        page.evaluate(
            f"() => document.querySelector('script[type=\"{WIDGET_VIEW}\"]')"
            ".parentElement.scrollIntoView()"
        )
        try:
            page.wait_for_function(RENDERED_WIDGETS)
        except Exception:  # a timeout: name the widgets that never appeared
            missing = page.evaluate(UNRENDERED_WIDGETS)
            visit.problems.append(f"widgets not rendered (model ids): {missing}")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")


# static/book.css leaves maths off screen unrendered until a reader scrolls
# near it (content-visibility: auto). A full-page screenshot and
# axe, which read the whole page at once, see it the way a reader who has
# scrolled through it does.
RENDER_ALL = ".bd-article * { content-visibility: visible !important; }"


def screenshot(visit: Visit, page_path: str) -> None:
    """Full-page screenshots: light (PNG) and, as the theme follows the
    reader's preference, dark (JPEG, which is twice as quick to write)."""
    visit.page.add_style_tag(content=RENDER_ALL)
    for scheme, suffix in (("light", ".png"), ("dark", ".jpg")):
        visit.page.emulate_media(color_scheme=scheme)
        visit.page.wait_for_function(
            "scheme => document.documentElement.dataset.theme === scheme", arg=scheme
        )
        target = SCREENSHOTS / scheme / Path(page_path).with_suffix(suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(target), full_page=True)


def display_math_in_source(source: str) -> int:
    """Display equations as Sphinx writes them: one div.math per equation."""
    return len(BeautifulSoup(source, "html.parser").select("div.math"))


# -------------------------------------------------------------------- tests


def test_index_redirects_to_a_page(built_book: Path) -> None:
    index = (built_book / "index.html").read_text(encoding="utf-8")
    match = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', index)
    assert match, "index.html should forward to the book's first page"
    assert (built_book / match.group(1)).is_file(), f"index.html forwards to {match.group(1)}"


def test_the_book_has_pages(built_book: Path) -> None:
    assert len(book_pages()) >= 2, f"expected the chapters in {built_book}"


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_cleanly(
    page_path: str, built_book: Path, visit: Callable[[str], Visit]
) -> None:
    """Loads without errors, maths typeset, widgets rendered; screenshots saved."""
    source = _read(page_path)
    opened = visit(page_path)
    # Before the widgets arrive: the equations are in the page as it came.
    math = opened.page.evaluate(MATH_REPORT)
    clipped = opened.page.evaluate(CLIPPED_EQUATIONS)
    settle(opened, source)
    screenshot(opened, page_path)
    widget_errors = opened.page.get_by_text("Error displaying widget").count()

    expected = display_math_in_source(source)
    if math["mathjax_scripts"]:
        opened.problems.append("the page loads MathJax: its equations should come typeset")
    if math["errors"]:
        opened.problems.append(f"MathJax errors: {math['errors']}")
    if math["blocks_untypeset"]:
        opened.problems.append(f"display maths not typeset: {math['blocks_untypeset']}")
    if math["inline_untypeset"]:
        opened.problems.append(f"inline maths not typeset: {math['inline_untypeset']}")
    if math["display"] != expected:
        opened.problems.append(
            f"{math['display']} display equations typeset, {expected} in the HTML source"
        )
    if math["missing_glyphs"]:
        opened.problems.append(f"equations use undefined glyphs: {math['missing_glyphs'][:5]}")
    if math["raw_tex"]:
        opened.problems.append(f"TeX shows as text: {math['raw_tex'][:5]}")
    if clipped:
        opened.problems.append(f"equations clipped when drawn near the screen: {clipped[:5]}")
    if widget_errors:
        opened.problems.append(f"{widget_errors} widgets show 'Error displaying widget'")
    opened.check()


VISIBLE_IMAGES = """area => [...area.querySelectorAll('img.widget-image')]
    .filter(img => img.checkVisibility()).map(img => img.src)"""


def _changes_picture(visit: Visit, area: Any, action: Any) -> bool:
    before = area.evaluate(VISIBLE_IMAGES)
    action()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if area.evaluate(VISIBLE_IMAGES) != before:
            return True
        visit.page.wait_for_timeout(50)
    return False


@pytest.mark.parametrize("page_path", WIDGET_PAGES or ["(no page with widgets)"])
def test_controls_switch_the_picture(
    page_path: str, built_book: Path, visit: Callable[[str], Visit]
) -> None:
    """Precomputed-figure widgets respond in the static page, without a kernel.

    A widget area with an ``Image`` widget holds precomputed figures (an
    explorer or a stepper from backprop.book.widgets); every Dropdown and slider in
    it must change the visible picture, and every picture must carry its alt
    text (the Image's tooltip, which static/widgets-setup.js makes the
    ``alt`` of the ``<img>``). Figures in an
    ``Output`` widget need a kernel and are left alone.
    """
    if page_path not in WIDGET_PAGES:
        pytest.skip("no page of the book has widgets yet")
    opened = visit(page_path)
    settle(opened, _read(page_path))
    areas = opened.page.locator(".widget-subarea:has(img.widget-image)")
    tried: list[str] = []
    stuck: list[str] = []
    for i in range(areas.count()):
        area = areas.nth(i)
        area.scroll_into_view_if_needed()
        live_only = area.locator(".bp-needs-kernel")
        for j in range(live_only.count()):
            # Controls that need a kernel: visibly disabled, with the note.
            enabled = live_only.nth(j).evaluate(
                "box => [...box.querySelectorAll('select, input, button')]"
                ".filter(c => !c.disabled).length"
            )
            note = live_only.nth(j).locator(".bp-kernel-note").inner_text()
            tried.append(f"area {i}, live-only box {j}")
            if enabled or "kernel" not in note:
                stuck.append(f"area {i}, live-only box {j}: {enabled} enabled, note {note!r}")
        selects = area.locator(".widget-dropdown:not(.bp-needs-kernel *) select")
        for j in range(selects.count()):
            select = selects.nth(j)
            n = select.locator("option").count()
            if n < 2:
                continue
            current = select.evaluate("s => s.selectedIndex")
            label = f"area {i}, dropdown {j}"
            tried.append(label)
            if not _changes_picture(
                opened, area, lambda s=select, k=(current + 1) % n: s.select_option(index=k)
            ):
                stuck.append(label)
        handles = area.locator(".widget-hslider:not(.bp-needs-kernel *) .noUi-handle")
        for j in range(handles.count()):
            handle = handles.nth(j)
            at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            key = "ArrowLeft" if at_end else "ArrowRight"
            label = f"area {i}, slider {j} ({key})"
            tried.append(label)
            if not _changes_picture(opened, area, lambda h=handle, k=key: h.press(k)):
                stuck.append(label)
    if not tried:
        pytest.skip("the widgets on this page show no precomputed figures")
    assert not stuck, f"these controls did not change the picture: {stuck}"
    no_alt = opened.page.evaluate(
        "() => [...document.querySelectorAll('img.widget-image')].filter(i => !i.alt).length"
    )
    assert no_alt == 0, f"{no_alt} widget pictures have no alt text"
    opened.check()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(result =>
    result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(node => node.target.join(' '))})))"""
SERIOUS = {"serious", "critical"}


def _show_theme(visit: Visit, scheme: str) -> None:
    """Follow the reader's preference for ``scheme`` and let the page repaint."""
    visit.page.emulate_media(color_scheme=scheme)
    visit.page.wait_for_function(
        "scheme => document.documentElement.dataset.theme === scheme", arg=scheme
    )
    # ... and let the theme's colour transitions finish (axe reads colours).
    # Transitions only (an endless animation never finishes), and at most 3 s:
    # page.evaluate has no timeout of its own, and a promise that never
    # settles (seen on a page whose figures were scrolled to) would hang here.
    visit.page.evaluate(
        "() => Promise.race([new Promise(r => setTimeout(r, 3000)),"
        " new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        ".then(() => Promise.all(document.getAnimations()"
        ".filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => null))))])"
        ".then(() => true)"
    )


@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_nothing_serious(
    page_path: str, built_book: Path, visit: Callable[[str], Visit]
) -> None:
    """axe-core (pinned in package-lock.json), light theme and dark, with the
    widgets rendered and the whole page laid out: no serious or critical
    violation."""
    if not AXE.is_file():
        _skip_or_fail(f"no {AXE}: run `make vendor`", REQUIRE_BROWSER)
    opened = visit(page_path)
    settle(opened, _read(page_path))
    # A keyboard reader's first key gives the blocks that scroll their tab
    # stops (static/tab-stops.js), which axe checks (scrollable-region-focusable).
    opened.page.keyboard.press("Shift")
    opened.page.add_style_tag(content=RENDER_ALL)
    opened.page.add_script_tag(path=str(AXE))
    found = []
    for scheme in ("light", "dark"):
        _show_theme(opened, scheme)
        for v in opened.page.evaluate(AXE_RUN):
            if v["impact"] in SERIOUS:
                found.append(
                    f"{scheme} theme: {v['id']} ({v['impact']}, {v['help']}): {v['nodes']}"
                )
    assert not found, f"{page_path}:\n  " + "\n  ".join(found)
    opened.check()


FIGURE_PAGES = [p for p in book_pages() if "cell_output" in _read(p) and "<img" in _read(p)]


def _background(png: bytes) -> float:
    """Luminance (0 black .. 1 white) of a picture's most common colour: its
    background, as the reader sees it on the screen."""
    image = PIL.Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return histogram.index(max(histogram)) / 255


@pytest.mark.parametrize("page_path", FIGURE_PAGES or ["(no page with figures)"])
def test_figures_follow_the_theme(
    page_path: str, built_book: Path, visit: Callable[[str], Visit]
) -> None:
    """Figures are dark in the dark theme and light in the light one,
    measured on screen (the first three figures of the page)."""
    if page_path not in FIGURE_PAGES:
        pytest.skip("no page of the book has figures")
    opened = visit(page_path)
    figures = opened.page.locator(".bd-content div.cell_output img")
    wrong = []
    for i in range(min(3, figures.count())):
        figure = figures.nth(i)
        # Scroll until the lazy image has loaded: cells above it that skip
        # layout off screen (content-visibility) take their real height as
        # they come into view, and can push it out of view again.
        opened.page.wait_for_function(
            "img => (img.complete && img.naturalWidth > 0)"
            " || (img.scrollIntoView({block: 'center'}), false)",
            arg=figure.element_handle(),
            polling=250,
        )
        for scheme, ok in (("dark", lambda y: y < 0.25), ("light", lambda y: y > 0.75)):
            _show_theme(opened, scheme)
            luminance = _background(figure.screenshot())
            if not ok(luminance):
                wrong.append(
                    f"figure {i} in the {scheme} theme: background luminance {luminance:.2f}"
                )
    assert not wrong, f"{page_path}:\n  " + "\n  ".join(wrong)
    opened.check()


def test_widgets_work_from_file_url(built_book: Path, browser: Any) -> None:
    """Opened as a local file (file://, where fetch() of a side file is
    refused), a page still loads its widget state and manager, lazily, and
    its controls switch the picture."""
    if not WIDGET_PAGES:
        pytest.skip("no page of the book has widgets yet")
    page_path = min(WIDGET_PAGES, key=lambda p: len(_read(p)))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(built_book.joinpath(page_path).as_uri(), wait_until="load")
        assert page.evaluate("() => window.require === undefined"), (
            "the widget manager loaded before a reader came near a widget"
        )
        page.evaluate(
            f"() => document.querySelector('script[type=\"{WIDGET_VIEW}\"]')"
            ".parentElement.scrollIntoView()"
        )
        page.wait_for_function(RENDERED_WIDGETS)
        area = page.locator(".widget-subarea:has(img.widget-image)").first
        select = area.locator(".widget-dropdown select")
        before = area.evaluate(VISIBLE_IMAGES)
        if select.count():
            select.first.select_option(
                index=(select.first.evaluate("s => s.selectedIndex") + 1) % 2
            )
        else:
            area.locator(".noUi-handle").first.press("ArrowRight")
        deadline = time.monotonic() + 5
        while area.evaluate(VISIBLE_IMAGES) == before and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert area.evaluate(VISIBLE_IMAGES) != before, f"{page_path}: the picture did not change"
        assert not errors, f"{page_path} from file://: {errors}"
    finally:
        context.close()


BLOCK_TAB_STOPS = """() => [...document.querySelectorAll(
    'pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon,'
    + ' .pst-scrollable-table-container, mjx-container[display="true"]')].map(block => ({
        scrolls: block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight,
        tabindex: block.getAttribute('tabindex')}))"""


def test_blocks_that_scroll_get_a_tab_stop_from_the_keyboard(
    built_book: Path, visit: Callable[[str], Visit]
) -> None:
    """On a phone-sized screen, code blocks and outputs that scroll sideways
    can be reached with Tab, and no other block can (static/tab-stops.js).
    Nothing is measured before the reader uses the keyboard: the page loads
    without laying out its sections off screen."""
    page_path = max(PAGES, key=lambda p: _read(p).count("<pre"))
    opened = visit(page_path)
    opened.page.set_viewport_size({"width": 360, "height": 740})
    opened.page.wait_for_load_state("networkidle")
    before = opened.page.evaluate(BLOCK_TAB_STOPS)
    assert before and all(b["tabindex"] is None for b in before), (
        f"{page_path}: blocks got tab stops before any key was pressed"
    )
    opened.page.keyboard.press("Tab")
    blocks = opened.page.evaluate(BLOCK_TAB_STOPS)
    scrolling = [b for b in blocks if b["scrolls"]]
    assert scrolling, f"{page_path}: no block scrolls at 360 px, nothing to check"
    wrong = [b for b in blocks if b["tabindex"] != ("0" if b["scrolls"] else "-1")]
    assert not wrong, f"{page_path}: {len(wrong)} of {len(blocks)} blocks have the wrong tab stop"
    opened.check()


def test_widget_labels_with_maths_are_typeset(
    built_book: Path, visit: Callable[[str], Visit]
) -> None:
    """Pages load no MathJax, but a widget label holding maths still gets it
    typeset: ipywidgets' MathJax 2 call loads MathJax 3 when it is needed
    (static/widgets-setup.js)."""
    if not WIDGET_PAGES:
        pytest.skip("no page of the book has widgets yet")
    page_path = min(WIDGET_PAGES, key=lambda p: len(_read(p)))
    opened = visit(page_path)
    settle(opened, _read(page_path))
    assert opened.page.evaluate("() => window.MathJax.version === undefined"), (
        "MathJax was loaded before any label needed it"
    )
    opened.page.evaluate(
        """() => { const label = document.createElement('label');
            label.id = 'maths-label'; label.textContent = 'rate $\\eta^2$';
            document.body.append(label);
            MathJax.Hub.Queue(['Typeset', MathJax.Hub, label]); }"""
    )
    opened.page.wait_for_selector("#maths-label mjx-container")
    text = opened.page.evaluate("() => document.getElementById('maths-label').textContent")
    assert "$" not in text, f"the label still shows its TeX: {text!r}"
    opened.check()


# The theme's scripts wait for the reader's first move (static/theme-loader.js).
THEME_PAGES = [p for p in book_pages() if 'id="pst-page-toc-nav"' in _read(p)]
THEME_PAGE = THEME_PAGES[0] if THEME_PAGES else "(no page with a table of contents)"
THEME_LOADED = "() => typeof window.bootstrap === 'object'"


def _theme_page(visit: Callable[[str], Visit], width: int = 1280) -> Visit:
    """The page, loaded and idle, with the theme's scripts not run yet."""
    if THEME_PAGE not in PAGES:
        pytest.skip("no page of the book has a table of contents")
    opened = visit(THEME_PAGE)
    if width != 1280:
        opened.page.set_viewport_size({"width": width, "height": 740})
    opened.page.wait_for_load_state("networkidle")
    scripts = opened.page.evaluate("() => [...document.scripts].map(s => s.src)")
    loaded = [s for s in scripts if "bootstrap.js" in s or "pydata-sphinx-theme.js" in s]
    assert not loaded and not opened.page.evaluate(THEME_LOADED), (
        f"{THEME_PAGE}: the theme's scripts ran before the reader did anything: {loaded}"
    )
    return opened


def test_theme_follows_the_preference_before_its_scripts(visit: Callable[[str], Visit]) -> None:
    """Before the theme's scripts run, the page follows the reader's light or
    dark preference (mode "auto"), also over a theme an earlier visit saved."""
    if THEME_PAGE not in PAGES:
        pytest.skip("no page of the book has a table of contents")
    opened = visit(THEME_PAGE)
    page = opened.page
    page.wait_for_load_state("networkidle")  # nothing in flight when it reloads
    page.evaluate(
        "() => { localStorage.setItem('mode', 'auto'); localStorage.setItem('theme', 'dark'); }"
    )
    page.emulate_media(color_scheme="light")
    page.reload(wait_until="networkidle")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "light", (
        "a theme saved in mode auto overrode the reader's light preference"
    )
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    assert not page.evaluate(THEME_LOADED), "the theme's scripts ran without the reader"
    opened.check()


def test_header_dropdown_opens_on_the_first_click(visit: Callable[[str], Visit]) -> None:
    """The reader's very first action, a click on a header dropdown, opens it:
    the click that came before the theme's scripts is replayed."""
    opened = _theme_page(visit)
    toggle = opened.page.locator('.article-header-buttons [data-bs-toggle="dropdown"]').first
    toggle.click()
    opened.page.wait_for_function(THEME_LOADED)
    menu = toggle.locator("xpath=following-sibling::*[contains(@class, 'dropdown-menu')]")
    opened.page.wait_for_timeout(300)
    assert toggle.get_attribute("aria-expanded") == "true" and "show" in (
        menu.get_attribute("class") or ""
    ), "the first click on a header dropdown did not open it"
    opened.check()


def test_theme_switch_and_search_after_the_first_move(visit: Callable[[str], Visit]) -> None:
    """After the reader's first move, the colour-mode button switches the
    theme and the search button opens the search."""
    opened = _theme_page(visit)
    page = opened.page
    page.emulate_media(color_scheme="light")
    page.mouse.move(600, 400)
    page.wait_for_function(THEME_LOADED)
    page.locator(".theme-switch-button:visible").first.click()
    page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    page.locator(".search-button__button:visible").first.click()
    page.wait_for_function("() => document.getElementById('pst-search-dialog').open")
    opened.check()


def test_keyboard_reaches_the_theme_controls(visit: Callable[[str], Visit]) -> None:
    """From the keyboard alone: Ctrl+K as the first key opens the search,
    and a header dropdown opens with Enter."""
    opened = _theme_page(visit)
    page = opened.page
    page.keyboard.press("Control+k")
    page.wait_for_function("() => document.getElementById('pst-search-dialog').open")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('pst-search-dialog').open")
    toggle = page.locator('.article-header-buttons [data-bs-toggle="dropdown"]').first
    for _ in range(60):  # Tab until the dropdown has the focus
        page.keyboard.press("Tab")
        if toggle.evaluate("t => t === document.activeElement"):
            break
    else:
        pytest.fail(f"{THEME_PAGE}: Tab never reached the header dropdown")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "t => t.getAttribute('aria-expanded') === 'true'", arg=toggle.element_handle()
    )
    opened.check()


def test_copy_buttons_arrive_with_the_first_move(visit: Callable[[str], Visit]) -> None:
    """The code blocks' copy buttons (copybutton.js) are put in on the
    reader's first move (static/theme-loader.js), one per code block."""
    page_path = max(PAGES, key=lambda p: _read(p).count('<div class="highlight">'))
    opened = visit(page_path)
    page = opened.page
    page.wait_for_load_state("networkidle")
    assert page.locator("button.copybtn").count() == 0, f"{page_path}: copy buttons at load"
    blocks = page.locator("div.highlight pre").count()
    page.mouse.move(300, 300)
    page.wait_for_function(
        f"() => document.querySelectorAll('div.highlight pre + button.copybtn').length === {blocks}"
    )
    opened.check()


def test_table_of_contents_follows_the_scrolling(visit: Callable[[str], Visit]) -> None:
    """The page's table of contents marks the section the reader scrolled to."""
    opened = _theme_page(visit)
    page = opened.page
    links = page.locator("#pst-page-toc-nav a.nav-link")
    target = links.nth(links.count() // 2)
    anchor = target.get_attribute("href")
    page.mouse.wheel(0, 300)
    # Scrolled to again until it stays put: sections above it that were
    # skipped (static/book.css) take their real height as they come near.
    page.wait_for_function(
        "([a, id]) => { document.getElementById(id).scrollIntoView();"
        " return a.classList.contains('active'); }",
        arg=[target.element_handle(), anchor[1:]],
        polling=300,
    )
    opened.check()


@pytest.mark.parametrize("side", ["primary", "secondary"])
def test_sidebar_toggles_work_on_a_phone(visit: Callable[[str], Visit], side: str) -> None:
    """On a phone, the article header's sidebar toggle opens its sidebar on
    the reader's first tap (the themes' scripts bind the first toggle of the
    page, so the hidden navbar's toggles must not come first)."""
    opened = _theme_page(visit, width=360)
    page = opened.page
    page.locator(f".bd-header-article .{side}-toggle").click()
    page.wait_for_function(THEME_LOADED)
    page.wait_for_function(f"() => document.getElementById('pst-{side}-sidebar-modal').open")
    opened.check()


def test_primary_sidebar_toggle_hides_the_sidebar_on_a_desktop(
    visit: Callable[[str], Visit],
) -> None:
    """On a wide screen, the article header's toggle hides the site navigation."""
    opened = _theme_page(visit)
    page = opened.page
    assert page.locator("#pst-primary-sidebar").is_visible()
    page.locator(".bd-header-article .primary-toggle").click()
    page.wait_for_function(THEME_LOADED)
    page.wait_for_function(
        "() => document.getElementById('pst-primary-sidebar').classList"
        ".contains('pst-sidebar-hidden')"
    )
    opened.check()


def test_one_search_box_on_a_desktop(visit: Callable[[str], Visit]) -> None:
    """On a desktop the page shows one search box, the sidebar's: the theme's
    header, which held only a second one above it, is hidden (book.css); on a
    phone that header is left as the theme draws it."""
    opened = _theme_page(visit)
    page = opened.page
    boxes = page.locator(".search-button__button:visible")
    assert boxes.count() == 1, f"{boxes.count()} search boxes on a desktop"
    assert boxes.first.evaluate("b => b.closest('#pst-primary-sidebar') !== null")
    assert not page.locator("#pst-header").is_visible()
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.locator("#pst-header").evaluate("h => getComputedStyle(h).display") != "none"
    opened.check()


# The chapter with the most equations.
MATH_PAGE = max(
    (p for p in PAGES if p.startswith("book/")),
    key=lambda p: _read(p).count("<mjx-container"),
    default="(no chapter)",
)


def test_equations_are_drawn_when_the_reader_comes_near(visit: Callable[[str], Visit]) -> None:
    """On a phone, the equations of a long chapter that are off screen are not
    drawn when the page opens (static/book.css), and one is drawn once the
    reader scrolls to it, in the box it had, so nothing moves."""
    page_path = MATH_PAGE
    opened = visit(page_path)
    page = opened.page
    page.set_viewport_size({"width": 412, "height": 823})
    page.wait_for_load_state("networkidle")
    # content-visibility skips what is inside an element, not its box
    drawn = "svg => svg.firstElementChild.checkVisibility({contentVisibilityAuto: true})"
    size = "svg => [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height]"
    svgs = page.locator("article mjx-container > svg")
    states = svgs.evaluate_all(f"all => all.map({drawn})")
    far = svgs.evaluate_all(
        "all => all.map(svg => svg.getBoundingClientRect().top > 2 * innerHeight)"
    )
    drawn_far = [i for i, state in enumerate(states) if far[i] and state]
    assert far.count(True) > 10 and not drawn_far, (
        f"{page_path}: {len(drawn_far)} of the {far.count(True)} equations two screens"
        " or more below the top are drawn when the page opens"
    )
    # the last one that waits and is shown (not in a closed dropdown)
    shown = svgs.evaluate_all("all => all.map(svg => svg.checkVisibility())")
    waiting = [i for i, state in enumerate(states) if shown[i] and not state]
    last = svgs.nth(waiting[-1])
    before = last.evaluate(size)
    last.evaluate("svg => svg.scrollIntoView({block: 'center'})")
    page.wait_for_function(drawn, arg=last.element_handle())
    assert last.evaluate(size) == pytest.approx(before, abs=0.01), (
        f"{page_path}: an equation's box changed when it was drawn"
    )
    opened.check()


def _mathml_in_accessibility_tree(page: Any) -> dict[str, int]:
    """How many nodes of each MathML role the page's accessibility tree
    exposes, once Chromium has finished building it (two reads agree)."""
    cdp = page.context.new_cdp_session(page)

    def read() -> dict[str, int]:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        roles = [n.get("role", {}).get("value", "") for n in nodes if not n.get("ignored")]
        return dict(Counter(role for role in roles if role.startswith("MathML")))

    try:
        last, now = None, read()
        deadline = time.monotonic() + 10
        while now != last and time.monotonic() < deadline:
            page.wait_for_timeout(500)
            last, now = now, read()
    finally:
        cdp.detach()
    return now


def test_screen_readers_get_every_equation(
    built_book: Path, server: str, chromium_for_screen_readers: Any
) -> None:
    """static/book.css, which leaves what is off screen undrawn, hides no
    equation from a screen reader: on a phone, the accessibility tree holds
    the same MathML with the book's styles as without them."""
    page_path = MATH_PAGE
    page = chromium_for_screen_readers.new_page(viewport={"width": 412, "height": 823})
    page.goto(f"{server}/{page_path}", wait_until="networkidle")
    with_styles = _mathml_in_accessibility_tree(page)
    page.evaluate(
        "() => new Promise(done => {"
        " document.querySelector('link[href*=\"_static/book.css\"]').disabled = true;"
        " requestAnimationFrame(() => requestAnimationFrame(done)); })"
    )
    without_styles = _mathml_in_accessibility_tree(page)
    assert without_styles.get("MathMLMath", 0) > 10, f"{page_path}: {without_styles}"
    assert with_styles == without_styles, (
        f"{page_path}: MathML in the accessibility tree with static/book.css {with_styles},"
        f" without it {without_styles}"
    )
