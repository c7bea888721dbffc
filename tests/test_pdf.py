"""The book as one PDF (tools/make_pdf.py, ``make pdf``), read back with pypdf.

What a reader of the PDF gets, checked against the built HTML book it was
printed from and against _toc.yml: every chapter in order, with an outline
entry; the equation numbers (1)-(18) as text; no unresolved reference; no
widget in its text form, and a caption with the live page's address for
every widget; links inside the PDF that land on its pages; code in full.

The PDF is _build/pdf/backprop.pdf and the HTML _build/html, or BOOK_PDF and
BOOK_HTML. Without a PDF the tests are skipped, unless REQUIRE_BROWSER is set
(as .ci/run sets it): ``make test`` prints the book before it runs them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parents[1]
PDF = Path(os.environ.get("BOOK_PDF", ROOT / "_build" / "pdf" / "backprop.pdf"))
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_MEGABYTES = 20
# How a widget shows when it is not rendered: its repr, or the manager's message.
WIDGET_TEXT = re.compile(
    r"\b(?:VBox|HBox|Box|GridBox|Tab|Accordion|Stack|IntSlider|FloatSlider|SelectionSlider|"
    r"Dropdown|Button|Output|Image|interactive)\(|Error displaying widget|Loading widget"
)


def squeeze(text: str) -> str:
    """Text without whitespace, ligatures as their letters: a wrapped line of
    the PDF still matches."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def reader() -> Any:
    if not PDF.is_file():
        message = f"no PDF at {PDF}: run `make pdf` (after `make book`)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return pypdf.PdfReader(PDF)


@pytest.fixture(scope="module")
def pages(reader: Any) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@cache
def toc_pages() -> list[str]:
    """The docnames of _toc.yml, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            names.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return names


@cache
def article(docname: str) -> Tag:
    soup = BeautifulSoup((HTML / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("article.bd-article")
    assert found is not None, f"{docname}.html has no article"
    for link in found.select("a.headerlink"):
        link.decompose()
    return found


def title(docname: str) -> str:
    heading = article(docname).find("h1")
    assert isinstance(heading, Tag)
    return heading.get_text(" ", strip=True)


def site_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return str(config["html"]["baseurl"]).rstrip("/") + "/"


def body_start(pages: list[str]) -> int:
    """The first page after the title page and the contents."""
    first = squeeze(title(toc_pages()[0]))
    for number, text in enumerate(pages):
        if number > 0 and squeeze(text).startswith(first):
            return number
    raise AssertionError(f"no page starts with the first page's title {first!r}")


def test_size(reader: Any) -> None:
    megabytes = PDF.stat().st_size / 1e6
    assert megabytes <= MAX_MEGABYTES, f"the PDF is {megabytes:.1f} MB"
    assert len(reader.pages) > 50


def test_title_page(pages: list[str]) -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    first = squeeze(pages[0])
    source_url = re.search(r"\]\(([^)]+)\)", config["parse"]["myst_substitutions"]["source"])
    assert source_url is not None
    for expected in (config["title"], "Stansbury", source_url[1], "CC BY 4.0", "MIT License"):
        assert squeeze(expected) in first, f"the title page does not say {expected!r}"
    assert re.search(r"Version\d+\.\d+", first), "the title page gives no version"


def test_contents_have_page_numbers(pages: list[str]) -> None:
    start = body_start(pages)
    contents = unicodedata.normalize("NFKC", "\n".join(pages[1:start]))
    assert "Contents" in contents
    for docname in toc_pages():
        # Each chapter's line ends with its page number, a page of the body.
        words = r"\s+".join(re.escape(word) for word in title(docname).split())
        line = re.search(words + r"\s*(\d+)", contents)
        assert line is not None, f"no page number for {title(docname)!r} in the contents"
        assert start < int(line[1]) <= len(pages)


def test_chapters_in_toc_order(pages: list[str]) -> None:
    """Each page of _toc.yml starts a PDF page, in the order of _toc.yml."""
    squeezed = [squeeze(text) for text in pages]
    at = body_start(pages)
    for docname in toc_pages():
        heading = squeeze(title(docname))
        found = next((n for n in range(at, len(pages)) if squeezed[n].startswith(heading)), None)
        assert found is not None, f"{title(docname)!r} starts no page after page {at + 1}"
        at = found


def flat_outline(reader: Any, outline: list[Any] | None = None) -> list[str]:
    titles = []
    for entry in reader.outline if outline is None else outline:
        if isinstance(entry, list):
            titles += flat_outline(reader, entry)
        else:
            titles.append(squeeze(entry.title))
    return titles


def test_outline_has_every_chapter(reader: Any) -> None:
    titles = flat_outline(reader)
    missing = [title(name) for name in toc_pages() if squeeze(title(name)) not in titles]
    assert not missing, f"chapters without an outline entry: {missing}"
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        assert squeeze(part["caption"]) in titles, f"no outline entry for {part['caption']!r}"


@cache
def prose() -> str:
    """The text of the book's pages outside the maths."""
    texts = []
    for docname in toc_pages():
        copy = BeautifulSoup(str(article(docname)), "html.parser")
        for maths in copy.select("mjx-container"):
            maths.decompose()
        texts.append(copy.get_text(" "))
    return "\n".join(texts)


def test_equation_numbers(pages: list[str]) -> None:
    """(1)-(18) each stand beside their equation: the PDF holds each number more
    often than the prose and code (references such as "eq. (5)") do."""
    body = "\n".join(pages[body_start(pages) :])
    counts = Counter(re.findall(r"\(\d+\)", body))
    for number in range(1, 19):
        tag = f"({number})"
        assert counts[tag] > prose().count(tag), f"equation number {tag} is not in the PDF"


def test_no_unresolved_reference(pages: list[str]) -> None:
    """No reference left as "??", and every page number of the contents filled in."""
    text = "\n".join(pages)
    assert "??" not in text
    contents = "\n".join(pages[1 : body_start(pages)])
    assert not re.search(r"\b000\b", contents), "a contents entry without its page number"


def test_no_widget_as_text(pages: list[str]) -> None:
    found = [
        (number + 1, match[0])
        for number, text in enumerate(pages)
        for match in WIDGET_TEXT.finditer(text)
    ]
    assert not found, f"widgets in their text form (page, text): {found[:10]}"


def test_every_widget_has_a_caption_with_its_live_page(pages: list[str]) -> None:
    text = squeeze("\n".join(pages))
    checked = 0
    for docname in toc_pages():
        widgets = len(article(docname).select(f'script[type="{WIDGET_VIEW}"]'))
        if not widgets:
            continue
        address = f"Livepage:{site_url()}{docname}.html"
        assert text.count(address) >= widgets, (
            f"{docname}: {widgets} widgets but {text.count(address)} captions with {address}"
        )
        checked += widgets
    assert checked > 0, "the book has no widget"
    # Each caption says what the picture is and names the widget's controls.
    assert text.count("Interactivefigure,printedinitsstartingstate.") == checked
    assert text.count("Itscontrols:") + text.count("WitharunningPythonkernel") >= checked


def test_links_stay_inside_the_pdf(reader: Any) -> None:
    """Links between pages, to sections and equations jump inside the PDF; links
    to the outside stay web links."""
    destinations = {name.lstrip("/") for name in reader.named_destinations}
    internal = external = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                name = str(annotation["/Dest"]).lstrip("/")
                assert name in destinations, f"a link to {name}, which is not in the PDF"
                dest = reader.named_destinations["/" + name]
                assert 0 <= reader.get_destination_page_number(dest) < len(reader.pages)
                internal += 1
            else:
                uri = str(annotation["/A"]["/URI"])
                assert uri.startswith(("https://", "http://", "mailto:")), uri
                external += 1
    references = sum(
        1
        for docname in toc_pages()
        for link in article(docname).select("a.reference.internal")
        if not str(link.get("href", "")).startswith(("http", "_", "../_"))
    )
    assert internal >= references, f"{internal} links inside the PDF, {references} in the book"
    # Every equation the book links to is a destination inside the PDF.
    cited = {
        str(link["href"]).rsplit("#", 1)[1]
        for docname in toc_pages()
        for link in article(docname).select('a.reference.internal[href*="#eq-"]')
    }
    landed = {match[1] for name in destinations if (match := re.search(r"-(eq-\d+)$", name))}
    assert cited and cited <= landed, f"equations cited but not linked in the PDF: {cited - landed}"
    assert external > 0


def code_blocks() -> list[tuple[str, str]]:
    blocks = []
    for docname in toc_pages():
        for pre in article(docname).select("div.highlight pre, div.cell_output pre"):
            lines = pre.get_text().splitlines()
            if lines:
                blocks.append((docname, max(lines, key=len)))
    return blocks


def test_no_code_line_is_cut(pages: list[str]) -> None:
    """Every code block's longest line is in the PDF whole (wrapped, not clipped)."""
    text = squeeze("\n".join(pages))
    blocks = code_blocks()
    assert len(blocks) > 50
    cut = [(docname, line) for docname, line in blocks if squeeze(line) not in text]
    assert not cut, f"{len(cut)} code lines not whole in the PDF, e.g. {cut[:3]}"
