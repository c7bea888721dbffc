"""The icon_fonts room of the book's extension (ext/book_web/icon_fonts.py):
Font Awesome cut to the icons the book shows, and a theme it cannot cut is
reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import fontTools.ttLib
import pydata_sphinx_theme
from book_web import icon_fonts
from book_web.patches import Page, Problems

WEBFONTS = (
    Path(pydata_sphinx_theme.__file__).parent
    / "theme/pydata_sphinx_theme/static/vendor/fontawesome/webfonts"
)
FACE = (
    "@font-face{font-family:x;src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) "
    'format("woff2"),url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}'
)
ICONS = '.fa-bars:before{content:"\\f0c9"}:root{--icon:"\uf002"}'


def _static(tmp_path: Path, face: str) -> tuple[Path, Path]:
    fonts = tmp_path / icon_fonts.ICON_FONTS
    shutil.copytree(WEBFONTS, fonts)
    css = tmp_path / "styles" / "theme.css"
    css.parent.mkdir()
    css.write_text(face + ICONS, "utf-8")
    return fonts, css


def test_icon_fonts_keep_only_the_icons_the_styles_draw(tmp_path: Path) -> None:
    fonts, css = _static(tmp_path, FACE)
    assert icon_fonts.subset_icon_fonts(tmp_path, [css]) == []
    assert sorted(p.name for p in fonts.iterdir()) == [
        "fa-brands-400.woff",
        "fa-regular-400.woff",
        "fa-solid-900.woff",
    ]
    solid = fontTools.ttLib.TTFont(fonts / "fa-solid-900.woff")
    assert set(solid.getBestCmap()) == {0xF0C9, 0xF002}  # bars, magnifying glass
    assert solid.flavor == "woff"
    assert 'src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff) format("woff")}' in (
        css.read_text(encoding="utf-8")
    )
    # An incremental build: the theme's fonts are not copied again, nothing to do.
    assert icon_fonts.subset_icon_fonts(tmp_path, [css]) == []


def test_a_theme_with_only_woff2_fonts_is_reported(tmp_path: Path) -> None:
    """A theme that ships only .woff2 (no .ttf to cut, a @font-face without
    the .ttf) leaves the pages with the whole fonts: that is reported, by
    what is missing and by the stylesheet still pointing at them."""
    only_woff2 = FACE.split(",url(")[0] + "}"  # the .woff2 alone
    fonts, css = _static(tmp_path, only_woff2)
    for ttf in fonts.glob("*.ttf"):
        ttf.unlink()
    wrong = icon_fonts.subset_icon_fonts(tmp_path, [css])
    assert len(wrong) == 2, wrong
    assert "no .ttf font" in wrong[0]
    assert "styles/theme.css still points at the whole fonts" in wrong[1]
    assert "fa-solid-900.woff2" in wrong[1] and "ICON_FONT_SOURCE" in wrong[1]


def test_a_page_without_the_font_awesome_script_is_reported() -> None:
    problems = Problems()
    page = Page(name="book/ch.html", theme=True, fresh=True, search=False)
    tag = '\n<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>'
    assert icon_fonts.no_script(f"<head>{tag}</head>", page, problems) == "<head></head>"
    assert problems.found == []
    icon_fonts.no_script("<head></head>", page, problems)
    assert [(p.patch, p.page) for p in problems.found] == [
        ("icon_fonts.FONTAWESOME_JS", "book/ch.html")
    ]
