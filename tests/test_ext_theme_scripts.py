"""The theme_scripts room of the book's extension (ext/book_web/theme_scripts.py):
the theme's scripts wait for the reader, and say when their targets moved."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from book_web import patches, theme_scripts
from book_web.patches import Page, Problems, TargetMissingError

THEME_STATIC = (
    Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
)
PAGE = Page(name="book/ch.html", theme=True, fresh=True, search=False)
HEAD = (
    '<head>\n<script defer="defer" src="../_static/clipboard.min.js?v=a7894cd8"></script>\n'
    '<script defer="defer" src="../_static/copybutton.js?v=f281be69"></script>\n'
    '<script defer="defer" src="../_static/scripts/sphinx-book-theme.js?v=fab101a9">'
    "</script>\n</head>"
)
TAGS = (
    '<script defer src="../_static/scripts/bootstrap.js?digest=55c26ed4"></script>\n'
    '<script defer src="../_static/scripts/pydata-sphinx-theme.js?digest=55c26ed4"></script>'
)


def test_the_theme_tab_stop_pass_is_taken_out_once(tmp_path: Path) -> None:
    """The pinned theme's script has the load-time tab-stop function that
    static/tab-stops.js replaces; it is emptied, once, and a script without
    it is reported instead of being left as it is."""
    script = tmp_path / "pydata-sphinx-theme.js"
    shutil.copy(THEME_STATIC / "scripts" / "pydata-sphinx-theme.js", script)
    original = script.read_text(encoding="utf-8")
    assert "scrollWidth>" in original
    theme_scripts.drop_theme_tab_stops(script)
    dropped = script.read_text(encoding="utf-8")
    assert "scrollWidth>" not in dropped and theme_scripts.TAB_STOPS_MOVED in dropped
    assert len(original) - len(dropped) < 600  # that function and nothing else
    theme_scripts.drop_theme_tab_stops(script)  # a second build: nothing to do
    assert script.read_text(encoding="utf-8") == dropped
    script.write_text("function I(){}", encoding="utf-8")
    with pytest.raises(TargetMissingError, match="update THEME_TAB_STOPS"):
        theme_scripts.drop_theme_tab_stops(script)


def test_the_theme_scripts_wait_for_the_reader() -> None:
    """The theme's two script tags, and those of sphinx-book-theme.js and the
    copy buttons from the head, become the loader's, which names them in the
    order they must run; without one of them the patch says which."""
    page = theme_scripts.theme_on_demand(f"{HEAD}<body><p>text</p>\n{TAGS}\n</body>", "1a2b3c4d")
    assert page == (
        "<head>\n</head><body><p>text</p>\n"
        '<script defer src="../_static/theme-loader.js?v=1a2b3c4d"'
        ' data-scripts="../_static/scripts/bootstrap.js?digest=55c26ed4'
        " ../_static/scripts/pydata-sphinx-theme.js?digest=55c26ed4"
        " ../_static/scripts/sphinx-book-theme.js?v=fab101a9"
        " ../_static/clipboard.min.js?v=a7894cd8"
        ' ../_static/copybutton.js?v=f281be69"></script>\n</body>'
    )
    with pytest.raises(TargetMissingError, match="update LATER_SCRIPT_TAGS"):
        theme_scripts.theme_on_demand(f"<body><p>text</p>\n{TAGS}\n</body>", "1a2b3c4d")
    with pytest.raises(TargetMissingError, match="update THEME_SCRIPT_TAGS"):
        theme_scripts.theme_on_demand(f"{HEAD}<body><p>text</p></body>", "1a2b3c4d")


def test_a_changed_theme_script_is_reported_with_its_new_hash(tmp_path: Path) -> None:
    assert theme_scripts.check_theme_scripts(THEME_STATIC / "scripts") == []
    scripts = tmp_path / "scripts"
    shutil.copytree(THEME_STATIC / "scripts", scripts)
    with (scripts / "pydata-sphinx-theme.js").open("a", encoding="utf-8") as script:
        script.write("\nwindow.addEventListener('load', () => {});\n")
    (scripts / "bootstrap.js").unlink()
    wrong = theme_scripts.check_theme_scripts(scripts)
    assert len(wrong) == 2, wrong  # both, not the first only
    assert "no bootstrap.js" in wrong[0]
    new = hashlib.sha256((scripts / "pydata-sphinx-theme.js").read_bytes()).hexdigest()
    assert "pydata-sphinx-theme.js is not the one" in wrong[1] and new in wrong[1]


def test_missing_preloads_and_colour_mode_are_reported_by_name() -> None:
    problems = Problems()
    text = theme_scripts.preloads("<head></head>", PAGE, problems)
    assert text == "<head></head>"
    assert [(p.patch, p.page) for p in problems.found] == [
        ("theme_scripts.THEME_PRELOADS", "book/ch.html")
    ]
    with pytest.raises(TargetMissingError, match="update THEME_AUTO"):
        theme_scripts.colour_mode("<head></head>", PAGE, problems)
    done = theme_scripts.colour_mode(f"<script>{theme_scripts.THEME_AUTO}</script>", PAGE, problems)
    assert theme_scripts.THEME_RESOLVED in done
    # An earlier build's page (rewritten already) has no targets left: not a problem.
    old = Page(name="book/old.html", theme=True, fresh=False, search=False)
    theme_scripts.preloads("<head></head>", old, problems)
    assert len(problems.found) == 1
    assert patches.REWRITTEN == "theme-loader.js"
