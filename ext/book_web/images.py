"""WebP pictures: the figures of notebook outputs and the widgets' images.

Changes: each PNG figure a page shows (``<img src=".../_images/*.png">``) is
re-encoded as lossless WebP where that is smaller (the same pixels, fewer
bytes), the PNG removed, and the ``<img>`` pointed at the twin, with
``loading="lazy"``, ``decoding="async"`` and its width and height (no layout
shift when it arrives). :func:`smaller_webp` also serves the widget room.

Why: the figures are most of a chapter's bytes.

Depends on: myst-nb 1.4 writing notebook figures as ``<img>`` of files in
``_images/`` (IMG); Pillow with WebP. Reported (IMG) when no page of a full
build has such a figure.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import PIL.Image
from sphinx.application import Sphinx

from .patches import Page, Problems, page_patch, problems

IMG = re.compile(r'<img ([^>]*?)src="([^"]*_images/[^"]+\.png)"([^>]*)>')


def smaller_webp(png: bytes) -> bytes | None:
    """The picture as lossless WebP if that is smaller than ``png``, else None.

    Lossless: every pixel is kept, so nothing a reader could see changes.
    """
    image = PIL.Image.open(io.BytesIO(png))
    alpha = "A" in image.getbands() or "transparency" in image.info
    image = image.convert("RGBA" if alpha else "RGB")
    out = io.BytesIO()
    image.save(out, format="webp", lossless=True, method=2)
    webp = out.getvalue()
    return webp if len(webp) < len(png) else None


def webp_figures(text: str, images: Path, done: dict[str, tuple[str, int, int]]) -> str:
    """The page's PNG figures pointed at WebP twins (where smaller), lazily
    loaded and with their size. ``done`` remembers each picture's outcome
    (a picture shown on two pages is encoded once)."""

    def swap(match: re.Match[str]) -> str:
        before, src, after = match.groups()
        name = src.rsplit("/", 1)[-1]
        png = images / name
        twin = png.with_suffix(".webp")
        if name not in done and not png.is_file() and twin.is_file():  # an earlier build's
            done[name] = (twin.name, *PIL.Image.open(twin).size)
        if name not in done:
            webp = smaller_webp(png.read_bytes())
            width, height = PIL.Image.open(png).size
            if webp is not None:
                twin.write_bytes(webp)
                png.unlink()
                done[name] = (twin.name, width, height)
            else:
                done[name] = (name, width, height)
        new_name, width, height = done[name]
        attrs = before + after
        size = "" if "width=" in attrs else f' width="{width}" height="{height}"'
        lazy = "" if "loading=" in attrs else ' loading="lazy" decoding="async"'
        return f'<img {before}src="{src[: -len(name)]}{new_name}"{after}{size}{lazy}>'.replace(
            " >", ">"
        )

    return IMG.sub(swap, text)


def setup(app: Sphinx) -> None:
    done: dict[str, tuple[str, int, int]] = {}

    def figures(text: str, page: Page, problems: Problems) -> str:
        if IMG.search(text):
            problems.saw("images.IMG")
        return webp_figures(text, Path(app.outdir, "_images"), done)

    page_patch(app, "images.IMG", figures)
    problems(app).expect_somewhere(
        "images.IMG", 'no figure <img src=".../_images/*.png">: update IMG in images.py'
    )
