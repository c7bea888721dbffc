"""Print the built HTML book as one PDF: ``make pdf`` -> _build/pdf/backprop.pdf.

    python tools/make_pdf.py [HTML_FOLDER] [OUTPUT_PDF]
    # defaults: _build/html and _build/pdf/backprop.pdf

The book is printed as ONE document by Debian's Chromium (/usr/bin/chromium,
driven by Playwright), so that its pages are numbered straight through, its
table of contents gives page numbers and its links jump inside the PDF; an
outline (bookmarks) of the contents is added with pypdf. From the built HTML
(``make book``), in the order of _toc.yml:

- each page's article, its figures as images, its maths typeset again
  from the MathML the build keeps beside each SVG formula, by MathJax's
  CommonHTML output (node_modules/mathjax, pinned in package-lock.json):
  text in MathJax's fonts, with the numbers (1)-(18) of the labelled
  equations as text beside them, where the SVG would be drawn curve by curve
  (three times the size, and slower to print); links between pages, to
  sections and to equations rewritten to anchors of this document, every
  other link of the site made a web link to the published site
  (``html.baseurl`` in _config.yml), links to the outside left as they are;
- every widget as a picture of its starting state (rendered by the widget
  manager from the page's saved state, as a reader first sees it), with a
  caption that names its controls and gives the live page's address;
- folded solutions and hidden outputs unfolded where they stand, right
  after their exercise or cell, a solution marked "Solution";
- no navigation, buttons, header bars or heading links; nothing marked for
  the screen only: an element with the class ``only-screen`` or the
  attribute ``data-page-only`` is left out (for interactive additions that
  make no sense on paper);
- code wrapped at the margin (``white-space: pre-wrap``): the build fails if
  any code block is still wider than the page.

Before them: a title page (the title, the derivation the book follows with
its author and link, the licences, the version of ``backprop`` and the date)
and a table of contents with page numbers. The page numbers come from a
first printing: Chromium writes a named destination for every anchor a link
points to (the contents' entries are such links), pypdf reads on which page
each one lands, and the contents are filled in and printed again.

The look for print is tools/print-book.css. tests/test_pdf.py reads the
result.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import html
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_HTML = ROOT / "_build" / "html"
DEFAULT_PDF = ROOT / "_build" / "pdf" / "backprop.pdf"
STYLESHEET = Path(__file__).with_name("print-book.css")
CHROMIUM = "/usr/bin/chromium"
# MathJax 3 with MathML input and CommonHTML output (package-lock.json; `make
# vendor` installs it), which typesets the printed document's maths.
MATHJAX = ROOT / "node_modules" / "mathjax" / "es5"
MATHJAX_CONFIG = """MathJax = {
  loader: {paths: {mathjax: "%s"}},
  chtml: {fontURL: "%s/output/chtml/fonts/woff-v2"},
  options: {enableMenu: false},
  startup: {typeset: true}
};"""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATE_TYPE = "application/vnd.jupyter.widget-state+json"
# Interactive-only additions to a page, left out of the PDF (see the docstring).
SCREEN_ONLY = ".only-screen, [data-page-only]"
# What is never printed from an article: heading links, buttons, navigation,
# the dark-theme copies of images, scripts.
DROPPED = (
    "a.headerlink, button, nav, form, script, noscript, .only-dark, "
    ".sd-summary-state-marker, .toggle-button, .prev-next-area, .bd-header-article"
)
LICENCE = (
    "The text and figures are under the Creative Commons Attribution 4.0 International "
    'licence (<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>); '
    "the code is under the MIT License (the file LICENSE of the repository)."
)
# Widget models that are not controls a reader moves (ipywidgets 8.1 names).
NOT_CONTROLS = re.compile(r"(Box|Layout|Style|Link|Image|HTML|HTMLMath|Label|Output|Stack)Model$")
A4_MARGIN = {"top": "16mm", "bottom": "18mm", "left": "17mm", "right": "17mm"}
FOOTER = (
    '<div style="font-size: 8pt; width: 100%; text-align: center; color: #555; '
    'font-family: sans-serif;"><span class="pageNumber"></span></div>'
)


@dataclass
class TocItem:
    """A part caption or a page of _toc.yml, in reading order."""

    kind: str  # "part" or "page"
    title: str = ""  # a part's caption; a page's, once read
    docname: str = ""  # book/01_forward_pass
    depth: int = 1  # heading level of the page's title in the PDF
    anchor: str = ""
    title_html: str = ""  # the title with its maths, for the contents
    # The page's sections: (anchor, title as text, title as HTML).
    sections: list[tuple[str, str, str]] = field(default_factory=list)


def read_toc(root: Path) -> list[TocItem]:
    """_toc.yml as a flat list: the root page, then each part and its pages."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    items = [TocItem("page", docname=toc["root"], depth=1)]

    def pages(entries: list[dict[str, Any]], depth: int) -> None:
        for entry in entries:
            items.append(TocItem("page", docname=entry["file"], depth=depth))
            pages(entry.get("sections", []), depth + 1)

    for part in toc.get("parts", []):
        items.append(TocItem("part", title=part["caption"], depth=1))
        pages(part.get("chapters", []), 2)
    pages(toc.get("chapters", []), 1)
    for number, item in enumerate(items):
        item.anchor = f"pdf-{number}"
    return items


def site_url(config: dict[str, Any]) -> str:
    """The published site's address: ``html.baseurl`` in _config.yml."""
    url = (config.get("html") or {}).get("baseurl") or ""
    if not url:
        raise SystemExit("_config.yml sets no html.baseurl: the PDF needs the site's address")
    return url.rstrip("/") + "/"


def markdown_link(text: str) -> tuple[str, str]:
    """``[title](url)`` (the MyST substitution ``source``) as (title, url)."""
    match = re.fullmatch(r"\s*\[(?P<title>.*)\]\((?P<url>[^)]+)\)\s*", text, re.S)
    if match is None:
        raise SystemExit(f"myst_substitutions.source is not a Markdown link: {text!r}")
    return match["title"], match["url"]


def widget_state(html_root: Path, docname: str) -> dict[str, Any]:
    """The saved widget state of a page (ext/book_web/widget_state.py's side file)."""
    path = html_root / "_static" / "widget-state" / f"{docname}.js"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    match = re.search(r"s\.textContent = (\".*\");", text, re.S)
    if match is None:
        raise SystemExit(f"{path}: no widget state found")
    state: dict[str, Any] = json.loads(json.loads(match[1]))
    return state.get("state", {})


def controls(state: dict[str, Any], model_id: str) -> tuple[list[str], list[str]]:
    """The controls of a widget, by the name a reader sees: (in the page, with a kernel)."""
    static: list[str] = []
    live: list[str] = []

    def walk(ref: str, needs_kernel: bool) -> None:
        model = state.get(ref.removeprefix("IPY_MODEL_"))
        if model is None:
            return
        values = model["state"]
        needs_kernel = needs_kernel or "bp-needs-kernel" in values.get("_dom_classes", [])
        if not NOT_CONTROLS.search(model["model_name"]):
            name = (values.get("description") or values.get("tooltip") or "").strip()
            if name:
                labels = values.get("_options_labels")
                if labels:
                    name += " (" + ", ".join(labels) + ")"
                (live if needs_kernel else static).append(name)
        for child in values.get("children", []):
            walk(child, needs_kernel)

    walk(model_id, False)
    return static, live


def caption(static: list[str], live: list[str], address: str) -> str:
    """A widget's caption: its controls and the address of the live page."""
    parts = ["Interactive figure, printed in its starting state."]
    if static:
        parts.append("Its controls: " + "; ".join(html.escape(name) for name in static) + ".")
    if live:
        parts.append(
            "With a running Python kernel (Binder, Colab): "
            + "; ".join(html.escape(name) for name in live)
            + "."
        )
    parts.append(f'Live page: <a href="{address}">{address}</a>')
    return " ".join(parts)


# --- the browser -------------------------------------------------------------

RENDERED = f"""() => [...document.querySelectorAll('script[type="{WIDGET_VIEW}"]')].every(s => {{
    const area = s.parentElement;
    return area !== null && area.querySelector('.jupyter-widgets, .lm-Widget') !== null
        && [...area.querySelectorAll('img')].every(img => img.complete);
}})"""
MARK_WIDGETS = f"""() => [...document.querySelectorAll('script[type="{WIDGET_VIEW}"]')]
    .map(s => {{
        const id = JSON.parse(s.textContent).model_id;
        s.parentElement.dataset.pdfWidget = id;
        return id;
    }})"""
RENDER_ALL = "* { content-visibility: visible !important; }"


def widget_pictures(browser: Any, html_root: Path, docnames: list[str]) -> dict[str, bytes]:
    """Each widget of these pages rendered from its saved state: model id -> PNG."""
    pictures: dict[str, bytes] = {}
    context = browser.new_context(
        viewport={"width": 1200, "height": 1400}, device_scale_factor=2, color_scheme="light"
    )
    page = context.new_page()
    for docname in docnames:
        page.goto((html_root / f"{docname}.html").as_uri())
        page.add_style_tag(content=RENDER_ALL)
        page.evaluate("() => window.bookLoadWidgets && window.bookLoadWidgets()")
        page.wait_for_function(RENDERED, timeout=90_000)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        for model_id in page.evaluate(MARK_WIDGETS):
            area = page.locator(f'[data-pdf-widget="{model_id}"]')
            pictures[model_id] = area.screenshot(type="png", animations="disabled")
    context.close()
    return pictures


# --- one page's article -----------------------------------------------------


@dataclass
class Book:
    """What the pages share: where they are, and what the PDF collects from them."""

    html_root: Path
    url: str
    anchors: dict[str, str]  # docname -> the anchor of its page in the PDF
    pictures: dict[str, bytes]
    stylesheets: dict[str, str] = field(default_factory=dict)  # path -> file URI
    styles: dict[str, None] = field(default_factory=dict)
    widgets: int = 0
    problems: list[str] = field(default_factory=list)
    items: list[TocItem] = field(default_factory=list)


def collect_head(book: Book, soup: BeautifulSoup, page_path: str) -> None:
    """The page's stylesheets and inline styles."""
    for link in soup.select('head link[rel="stylesheet"]'):
        href = urlsplit(urljoin(page_path, str(link["href"]))).path
        book.stylesheets.setdefault(href, (book.html_root / href).as_uri())
    for style in soup.select("head style"):
        book.styles.setdefault(style.decode_contents(), None)


def link_target(book: Book, page_path: str, href: str, prefix: str) -> str:
    """Where a link of the page points in the PDF (an anchor or a web address)."""
    if href.startswith("#"):
        return f"#{prefix}{href[1:]}" if len(href) > 1 else f"#{book.anchors[page_path[:-5]]}"
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        return href  # the outside, mailto:
    resolved = urlsplit(urljoin(page_path, href))
    path = resolved.path
    docname = path[:-5] if path.endswith(".html") else None
    if docname in book.anchors:
        anchor = book.anchors[docname]
        return f"#{anchor}-{resolved.fragment}" if resolved.fragment else f"#{anchor}"
    # Another file of the site (a download, the index): the published one.
    return book.url + path + (f"#{resolved.fragment}" if resolved.fragment else "")


def mathml(article: Tag) -> None:
    """Each typeset formula back to its MathML (the build keeps it beside the
    SVG for screen readers), which MathJax typesets again in the printed
    document with its fonts (CommonHTML output): text, where the SVG's
    glyphs would be drawn as thousands of curves on every page, which made
    the PDF twice as large and its printing slow."""
    for container in article.select("mjx-container"):
        math = container.find("math")
        if not isinstance(math, Tag):
            continue
        container.replace_with(math.extract())


def article_html(book: Book, item: TocItem) -> str:
    """One page's article, ready to sit in the PDF's single document."""
    page_path = f"{item.docname}.html"
    soup = BeautifulSoup((book.html_root / page_path).read_text(encoding="utf-8"), "html.parser")
    collect_head(book, soup, page_path)
    article = soup.select_one("article.bd-article")
    if article is None:
        raise SystemExit(f"{page_path}: no article.bd-article")
    prefix = f"{item.anchor}-"
    address = book.url + page_path

    # Widgets: a picture of the starting state and a caption.
    state = None
    for view in article.select(f'script[type="{WIDGET_VIEW}"]'):
        model_id = json.loads(view.get_text())["model_id"]
        if state is None:
            state = widget_state(book.html_root, item.docname)
        picture = book.pictures.get(model_id)
        if picture is None:
            book.problems.append(f"{page_path}: widget {model_id} was not rendered")
            continue
        static, live = controls(state, model_id)
        figure = BeautifulSoup(
            '<figure class="pdf-widget">'
            f'<img alt="The interactive figure in its starting state" '
            f'src="data:image/png;base64,{base64.b64encode(picture).decode()}"/>'
            f"<figcaption>{caption(static, live, address)}</figcaption></figure>",
            "html.parser",
        )
        view.replace_with(figure)
        book.widgets += 1

    for element in article.select(DROPPED + ", " + SCREEN_ONLY):
        element.decompose()

    # Folded solutions and hidden outputs: unfolded where they stand, as
    # plain blocks (a <details> would print a disclosure triangle).
    for details in article.find_all("details"):
        summary = details.find("summary")
        text = summary.get_text(" ", strip=True) if isinstance(summary, Tag) else ""
        classes = [*details.get("class", []), "pdf-unfolded"]
        if "sd-dropdown" in classes and isinstance(summary, Tag):
            summary.name = "div"
            summary["class"] = [*summary.get("class", []), "pdf-summary"]
            if text.lower().startswith("solution"):
                classes.append("pdf-solution")
        elif isinstance(summary, Tag):
            summary.decompose()  # "Show code cell output": the output shows
        details.name = "div"
        details["class"] = classes
        if "open" in details.attrs:
            del details["open"]

    mathml(article)

    # Headings: the page's title one level below its part, its sections after.
    shift = item.depth - 1
    headings = article.find_all(re.compile(r"^h[1-6]$"))
    for heading in headings:
        heading.name = f"h{min(6, int(heading.name[1]) + shift)}"
    if not headings:
        raise SystemExit(f"{page_path}: no heading")
    title = headings[0]
    title["class"] = [*title.get("class", []), "pdf-page-title"]
    item.title = title.get_text(" ", strip=True)
    item.title_html = title.decode_contents()

    # Sections for the contents: the page's second-level sections.
    first = article.find("section")
    if isinstance(first, Tag):
        for section in first.find_all("section", recursive=False):
            heading = section.find(re.compile(r"^h[1-6]$"))
            if section.get("id") and isinstance(heading, Tag):
                item.sections.append(
                    (
                        f"{prefix}{section['id']}",
                        heading.get_text(" ", strip=True),
                        heading.decode_contents(),
                    )
                )

    for element in article.find_all(id=True):
        element["id"] = prefix + str(element["id"])
    for link in article.find_all("a", href=True):
        link["href"] = link_target(book, page_path, str(link["href"]), prefix)
    for image in article.find_all("img", src=True):
        source = str(image["src"])
        if not source.startswith("data:"):
            resolved = urlsplit(urljoin(page_path, source)).path
            image["src"] = (book.html_root / resolved).as_uri()
        for lazy in ("loading", "decoding"):
            if lazy in image.attrs:
                del image[lazy]
    depth_class = "pdf-chapter" if item.depth <= 2 else "pdf-section"
    return (
        f'<section class="pdf-page {depth_class}" id="{item.anchor}">'
        f"{article.decode_contents()}</section>"
    )


# --- the document ------------------------------------------------------------


def title_page(config: dict[str, Any], version: str, today: str) -> str:
    subs = config["parse"]["myst_substitutions"]
    source_title, source_url = markdown_link(subs["source"])
    by = re.sub(r"\*(.+?)\*", r"<em>\1</em>", html.escape(subs.get("source_by", "")))
    repository = config["repository"]["url"]
    return f"""
<section class="pdf-title-page">
  <p class="pdf-book-title">{html.escape(config["title"])}</p>
  <p class="pdf-book-author">{html.escape(config.get("author", ""))}</p>
  <p class="pdf-source">Following the derivation
    <a href="{source_url}">{html.escape(source_title)}</a>{", by " + by if by else ""},
    with its equation numbers (1)&ndash;(18):<br/>
    <a href="{source_url}">{source_url}</a></p>
  <p class="pdf-edition">Version {html.escape(version)} of the <code>backprop</code>
    package, printed {today}.<br/>
    The live book, with its widgets: <a href="{config["_site"]}">{config["_site"]}</a><br/>
    Source: <a href="{repository}">{repository}</a></p>
  <p class="pdf-licence">{LICENCE}</p>
</section>"""


def contents(items: list[TocItem]) -> str:
    rows = []
    for item in items:
        if item.kind == "part":
            rows.append(
                f'<li class="pdf-toc-part"><a href="#{item.anchor}">'
                f"{html.escape(item.title)}</a></li>"
            )
            continue
        level = "pdf-toc-chapter" if item.depth <= 2 else "pdf-toc-sub"
        entries = [(item.anchor, item.title_html, level)]
        if item.depth <= 2:
            entries += [(anchor, title, "pdf-toc-section") for anchor, _, title in item.sections]
        for anchor, title, css in entries:
            rows.append(
                f'<li class="{css}"><a href="#{anchor}"><span class="pdf-toc-title">'
                f'{title}</span><span class="pdf-toc-page" data-for="{anchor}">'
                "000</span></a></li>"
            )
    return (
        '<section class="pdf-contents"><h1 class="pdf-contents-title" id="pdf-contents">'
        f'Contents</h1><ul class="pdf-toc">{"".join(rows)}</ul></section>'
    )


def build_document(html_root: Path, pictures: dict[str, bytes]) -> tuple[str, Book]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    url = site_url(config)
    config["_site"] = url
    items = read_toc(ROOT)
    anchors = {item.docname: item.anchor for item in items if item.kind == "page"}
    book = Book(html_root=html_root, url=url, anchors=anchors, pictures=pictures, items=items)
    body = []
    for item in items:
        if item.kind == "part":
            body.append(
                f'<section class="pdf-part" id="{item.anchor}">'
                f"<h1>{html.escape(item.title)}</h1></section>"
            )
        else:
            body.append(article_html(book, item))
    sys.path.insert(0, str(ROOT / "src"))
    from backprop import __version__

    today = datetime.date.today().isoformat()
    links = "".join(f'<link rel="stylesheet" href="{uri}"/>' for uri in book.stylesheets.values())
    styles = "".join(f"<style>{style}</style>" for style in book.styles)
    mathjax = MATHJAX.as_uri()
    if not (MATHJAX / "mml-chtml.js").is_file():
        raise SystemExit(f"{MATHJAX} has no mml-chtml.js: run `make vendor` (npm ci)")
    document = f"""<!DOCTYPE html>
<html lang="en" data-theme="light" data-mode="light">
<head><meta charset="utf-8"/><title>{html.escape(config["title"])}</title>
{links}{styles}<style>{STYLESHEET.read_text(encoding="utf-8")}</style>
<script>{MATHJAX_CONFIG % (mathjax, mathjax)}</script>
<script src="{mathjax}/mml-chtml.js"></script></head>
<body>
<main class="pdf-book">
{title_page(config, __version__, today)}
{contents(items)}
{"".join(body)}
</main></body></html>"""
    return document, book


# --- printing ----------------------------------------------------------------

OVERFLOWING_CODE = """() => [...document.querySelectorAll('pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.textContent.split('\\n').sort((a, b) => b.length - a.length)[0])"""
FILL_PAGES = """numbers => document.querySelectorAll('.pdf-toc-page').forEach(span => {
    span.textContent = numbers[span.dataset.for] ?? '?';
})"""


def destination_pages(pdf: Path) -> dict[str, int]:
    """Each named destination (an anchor a link points to) -> its page, from 1."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return {
        name.lstrip("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def print_pdf(page: Any, path: Path) -> None:
    page.pdf(
        path=str(path),
        format="A4",
        margin=A4_MARGIN,
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
    )


def with_outline(printed: Path, output: Path, items: list[TocItem]) -> None:
    """The printed PDF with an outline (bookmarks) of the contents: parts,
    their chapters, and each chapter's sections, each at its heading.

    Chromium can write an outline itself, but only into a tagged PDF, whose
    structure tree (an object for every HTML element, every token of
    highlighted code) would be more than half the file, and it doubles the
    text of some headings. The links and their named destinations stay."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    reader = PdfReader(printed)
    writer = PdfWriter()
    writer.append(reader, import_outline=False)
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    destinations = {name.lstrip("/"): dest for name, dest in reader.named_destinations.items()}

    def add(title: str, anchor: str, parent: Any) -> Any:
        dest = destinations[anchor]
        return writer.add_outline_item(
            title=title,
            page_number=reader.get_destination_page_number(dest),
            parent=parent,
            fit=Fit.xyz(left=dest.left, top=dest.top),
        )

    writer.add_outline_item(title="Contents", page_number=1)
    part = chapter = None
    for item in items:
        if item.kind == "part":
            part = add(item.title, item.anchor, None)
            continue
        parent = None if item.depth == 1 else part if item.depth == 2 else chapter
        entry = add(item.title, item.anchor, parent)
        if item.depth <= 2:
            chapter = entry
        for anchor, title, _ in item.sections:
            add(title, anchor, entry)
    writer.page_mode = "/UseOutlines"
    with output.open("wb") as stream:
        writer.write(stream)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=DEFAULT_HTML)
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_PDF)
    args = parser.parse_args(argv)
    html_root: Path = args.html.resolve()
    output: Path = args.output.resolve()
    if not (html_root / "index.html").is_file():
        raise SystemExit(f"{html_root} holds no built book: run `make book` first")
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    items = read_toc(ROOT)
    with_widgets = [
        item.docname
        for item in items
        if item.kind == "page"
        and WIDGET_VIEW in (html_root / f"{item.docname}.html").read_text(encoding="utf-8")
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        pictures = widget_pictures(browser, html_root, with_widgets)
        print(f"{len(pictures)} widgets pictured in {time.monotonic() - started:.0f} s")
        document, book = build_document(html_root, pictures)
        if book.problems:
            raise SystemExit("\n".join(book.problems))
        source = Path(tmp, "book.html")
        source.write_text(document, encoding="utf-8")
        page = browser.new_page(color_scheme="light")
        page.goto(source.as_uri(), wait_until="load", timeout=120_000)
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
        print(f"laid out and typeset in {time.monotonic() - started:.0f} s")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.emulate_media(media="print")
        broken = page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.getAttribute('src').slice(0, 120))"
        )
        if broken:
            raise SystemExit("images that did not load:\n" + "\n".join(broken))
        overflowing = page.evaluate(OVERFLOWING_CODE)
        if overflowing:
            raise SystemExit(
                "code wider than the printed page (tools/print-book.css):\n"
                + "\n".join(overflowing)
            )
        printed = Path(tmp, "printed.pdf")
        numbers: dict[str, int] = {}
        for _ in range(3):  # the page numbers settle after one printing
            print_pdf(page, printed)
            print(f"printed in {time.monotonic() - started:.0f} s")
            found = destination_pages(printed)
            if found == numbers:
                break
            numbers = found
            page.evaluate(FILL_PAGES, {key: str(value) for key, value in numbers.items()})
        else:
            raise SystemExit("the contents' page numbers did not settle")
        unplaced = page.evaluate(
            "() => [...document.querySelectorAll('.pdf-toc-page')]"
            ".filter(span => !/^[0-9]+$/.test(span.textContent)).map(span => span.dataset.for)"
        )
        if unplaced:
            raise SystemExit(f"contents entries without a page: {unplaced}")
        with_outline(printed, output, book.items)
        browser.close()
    size = output.stat().st_size / 1e6
    print(f"{output}: {size:.1f} MB, {book.widgets} widgets, in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
