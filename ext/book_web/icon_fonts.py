"""Font Awesome: no script, and fonts with only the icons the book shows.

Changes: the pages lose the theme's Font Awesome script (FONTAWESOME_JS,
1.5 MB; the theme's CSS already draws its icons with the Font Awesome web
fonts), which is not copied out; after the CSS room has purged the
stylesheets, each Font Awesome font (.ttf) is cut down to the icons the
remaining rules draw, saved as WOFF, and the stylesheets' @font-face rules
(ICON_FONT_SOURCE) point at it; the .ttf and .woff2 go.

Why: the pages would carry about 244 kB of icon fonts for a few dozen icons
(about 6 kB).

Depends on: pydata-sphinx-theme 0.17.1 shipping Font Awesome 6 as .woff2
and .ttf in ICON_FONTS, with @font-face ``src:url(...woff2)
format("woff2"),url(...ttf) format("truetype")``, and its page template's
script tag (FONTAWESOME_JS); fontTools. Reported: a page without the
script tag, fonts without a .ttf to cut, and a stylesheet still pointing at
the whole fonts afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path

import fontTools.subset
from sphinx.application import Sphinx

from .patches import (
    ICONS,
    THEME_FILES,
    Page,
    Problems,
    after_build,
    page_patch,
    problems,
    substitute,
)
from .purge_css import theme_stylesheets

ICON_FONTS = "vendor/fontawesome/webfonts"
ICON_FONT_SOURCE = re.compile(
    r'src:url\((?P<folder>[^)]*/)(?P<font>fa-[a-z]+-\d+)\.woff2\) format\("woff2"\),'
    r'url\([^)]*\.ttf\) format\("truetype"\)'
)
# What still points at a whole font after the cut.
WHOLE_FONT = re.compile(r"url\([^)]*fontawesome/webfonts/fa-[a-z]+-\d+\.(?:woff2|ttf)\)")
# Icons are Private Use Area characters, in CSS as "\f0c9" or as themselves.
ICON_ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,5})")
PRIVATE_USE = range(0xE000, 0xF900)
FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)


def subset_icon_fonts(static: Path, stylesheets: list[Path]) -> list[str]:
    """The Font Awesome fonts cut down to the icons the stylesheets still
    draw, as WOFF, and the stylesheets pointed at them. Returns what went
    wrong (fonts without a .ttf, stylesheets still pointing at a whole
    font); empty if nothing did."""
    wrong = []
    styles = "".join(path.read_text(encoding="utf-8") for path in stylesheets)
    icons = {int(code, 16) for code in ICON_ESCAPE.findall(styles)}
    icons |= {ord(char) for char in styles if ord(char) in PRIVATE_USE}
    icons &= set(PRIVATE_USE)
    fonts = static / ICON_FONTS
    ttfs = sorted(fonts.glob("*.ttf"))
    # Without a .ttf, the fonts are cut already (an incremental build, whose
    # theme files are not copied again: only .woff left) or cannot be.
    if not ttfs and (list(fonts.glob("*.woff2")) or not list(fonts.glob("*.woff"))):
        wrong.append(
            f"no .ttf font in {ICON_FONTS} to cut down (found "
            f"{sorted(p.name for p in fonts.glob('*'))}): update subset_icon_fonts in "
            "icon_fonts.py for the fonts this theme ships"
        )
    for ttf in ttfs:
        options = fontTools.subset.Options(flavor="woff")
        font = fontTools.subset.load_font(str(ttf), options)
        subsetter = fontTools.subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(icons & set(font.getBestCmap())))
        subsetter.subset(font)
        fontTools.subset.save_font(font, str(ttf.with_suffix(".woff")), options)
        ttf.unlink()
        ttf.with_suffix(".woff2").unlink(missing_ok=True)
    for path in stylesheets:
        text = path.read_text(encoding="utf-8")
        new = ICON_FONT_SOURCE.sub(r'src:url(\g<folder>\g<font>.woff) format("woff")', text)
        if new != text:
            path.write_text(new, encoding="utf-8")
        whole = sorted(set(WHOLE_FONT.findall(new)))
        if whole:
            wrong.append(
                f"{path.relative_to(static).as_posix()} still points at the whole fonts "
                f"{whole}: update ICON_FONT_SOURCE in icon_fonts.py"
            )
    return wrong


def no_script(text: str, page: Page, problems: Problems) -> str:
    return substitute(
        text,
        page,
        problems,
        "icon_fonts.FONTAWESOME_JS",
        FONTAWESOME_JS,
        "",
        "the theme's Font Awesome script tag (FONTAWESOME_JS)",
        needed=True,
    )


def drop_script(app: Sphinx, out: Path) -> None:
    (out / "_static" / "scripts" / "fontawesome.js").unlink(missing_ok=True)


def subset(app: Sphinx, out: Path) -> None:
    static = out / "_static"
    for message in subset_icon_fonts(static, theme_stylesheets(static)):
        problems(app).add("icon_fonts.ICON_FONT_SOURCE", f"_static/{ICON_FONTS}", message)


def setup(app: Sphinx) -> None:
    page_patch(app, "icon_fonts.FONTAWESOME_JS", no_script)
    after_build(app, THEME_FILES, drop_script)
    # After the CSS room's purge: only the icons the kept rules draw.
    after_build(app, ICONS, subset)
