"""How a room of the extension patches the built pages, and says when it can't.

Changes nothing itself. Every room registers its page patches here
(:func:`page_patch`); after the build, :func:`rewrite_pages` runs them, in the
order the rooms registered them, over every HTML page. A patch that finds no
target does not stop the build there: it reports a :class:`Problem` (the
patch, the page, what is missing) and the build goes on, so that a build
after an upgrade shows every patch that needs work at once. The last handler
of the build (:func:`fail_on_problems`) fails it with all of them, grouped by
patch.

Why: most patches match the pinned themes' HTML by regular expression; a
new version of a theme moves their targets, and a patch that then matches
nothing would otherwise do nothing, silently.

Depends on: Sphinx's ``build-finished`` event (Sphinx 7.4) and on the
theme's pages linking ``styles/pydata-sphinx-theme.css`` (pydata-sphinx-theme
0.17.1), which tells a page of the theme from Jupyter Book's redirect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

THEME_PAGE = "styles/pydata-sphinx-theme.css"
# Left in a theme page by theme_scripts: a page that has it was rewritten by
# an earlier, incremental build, and its patches' targets are gone already.
REWRITTEN = "theme-loader.js"


class TargetMissingError(Exception):
    """Raised by a patch whose target is not there: reported under the
    patch's name and the page, which is left as it was before the patch."""


@dataclass(frozen=True)
class Problem:
    patch: str  # "<room>.<NAME>", NAME as in the room's module
    page: str  # relative to the output folder, or what else was looked at
    message: str


@dataclass
class Problems:
    """Every patch's failures in one build, and which patches found their
    target at least once."""

    found: list[Problem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    somewhere: dict[str, str] = field(default_factory=dict)  # patch -> message
    every_page_fresh: bool = True

    def add(self, patch: str, page: str, message: str) -> None:
        self.found.append(Problem(patch, page, message))

    def saw(self, patch: str) -> None:
        self.seen.add(patch)

    def expect_somewhere(self, patch: str, message: str) -> None:
        """The patch must find its target on some page of a full build (a
        target that only some pages have, such as a hidden output's fold)."""
        self.somewhere[patch] = message

    def check_somewhere(self) -> None:
        """Report each :meth:`expect_somewhere` patch that found nothing. Only
        when every page was written by this build: in an incremental build,
        the pages that had the target may be the earlier build's."""
        if not self.every_page_fresh:
            return
        for patch, message in self.somewhere.items():
            if patch not in self.seen:
                self.add(patch, "(every page)", message)

    def report(self) -> str:
        """The problems grouped by patch and message, each with its pages."""
        groups: dict[tuple[str, str], list[str]] = {}
        for problem in self.found:
            groups.setdefault((problem.patch, problem.message), []).append(problem.page)
        lines = [f"{len(groups)} patch failure(s) of ext/book_web (docs/upgrading.md):"]
        for (patch, message), pages in groups.items():
            shown = ", ".join(pages[:6]) + (f" and {len(pages) - 6} more" if len(pages) > 6 else "")
            lines.append(f"  {patch} on {shown}: {message}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Page:
    """A built page, as a patch sees it."""

    name: str  # relative to the output folder, e.g. "book/01_forward_pass.html"
    theme: bool  # a page of the theme (not Jupyter Book's redirect index.html)
    fresh: bool  # written by this build (not an earlier build's, rewritten already)
    search: bool  # search.html


PagePatch = Callable[[str, Page, Problems], str]


@dataclass
class Build:
    """One build's page patches, in the order the rooms registered them, and
    its problems."""

    patches: list[tuple[str, PagePatch]] = field(default_factory=list)
    steps: list[tuple[int, Callable[[Sphinx, Path], None]]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def build(app: Sphinx) -> Build:
    """This Sphinx application's :class:`Build`."""
    found: Build | None = getattr(app, "_book_web", None)
    if found is None:
        found = Build()
        app._book_web = found  # type: ignore[attr-defined]
    return found


def problems(app: Sphinx) -> Problems:
    return build(app).problems


def page_patch(app: Sphinx, name: str, patch: PagePatch) -> None:
    """Run ``patch`` (``(text, page, problems) -> text``) on every page after
    the build, under ``name``, after the patches registered before it."""
    build(app).patches.append((name, patch))


# The steps after the build, in this order (after_build):
TYPESET = 10  # maths: the equations typeset
PAGES = 20  # the page patches (rewrite_pages)
THEME_FILES = 30  # files of the theme changed or left out
PURGE = 40  # the stylesheets purged
ICONS = 50  # the icon fonts cut to what the purged stylesheets draw


def after_build(app: Sphinx, order: int, step: Callable[[Sphinx, Path], None]) -> None:
    """Run ``step(app, output folder)`` after an HTML build, by ``order``
    (TYPESET, PAGES, THEME_FILES, PURGE, ICONS; registration order within one)."""
    build(app).steps.append((order, step))


def substitute(
    text: str,
    page: Page,
    problems: Problems,
    patch: str,
    target: re.Pattern[str] | str,
    replacement: str | Callable[[re.Match[str]], str],
    what: str,
    *,
    needed: bool,
) -> str:
    """``text`` with every match of ``target`` replaced; a fresh theme page
    without one is reported (if ``needed``) as ``patch`` not finding ``what``."""
    if isinstance(target, str):
        assert isinstance(replacement, str)
        count, new = text.count(target), text.replace(target, replacement)
    else:
        new, count = target.subn(replacement, text)
    if count:
        problems.saw(patch)
    elif needed and page.theme and page.fresh:
        problems.add(patch, page.name, f"{what} not found")
    return new


def built_html(app: Sphinx, exception: Exception | None) -> Path | None:
    """The output folder of a finished HTML build, else None."""
    if exception is not None or app.builder.format != "html":
        return None
    return Path(app.outdir)


NOT_PAGES = {"_static", "lite"}
"""Folders of the output whose HTML is not the book's: Sphinx's static files,
and the JupyterLite site that tools/build_lite.py writes into lite/ after the
build (still there when a later build runs into the same folder)."""


def pages_of(out: Path) -> list[Path]:
    return [
        html
        for html in sorted(out.rglob("*.html"))
        if not NOT_PAGES & set(html.relative_to(out).parts)
    ]


def rewrite_page(
    html: Path, out: Path, patches: list[tuple[str, PagePatch]], problems: Problems
) -> None:
    """Run the page ``patches`` on one page, in order, in place."""
    text = html.read_text(encoding="utf-8")
    theme = THEME_PAGE in text
    page = Page(
        name=html.relative_to(out).as_posix(),
        theme=theme,
        fresh=theme and REWRITTEN not in text,
        search=html == out / "search.html",
    )
    if theme and not page.fresh:
        problems.every_page_fresh = False
    new = text
    for name, patch in patches:
        try:
            new = patch(new, page, problems)
        except TargetMissingError as missing:
            problems.add(name, page.name, str(missing))
    if new != text:
        html.write_text(new, encoding="utf-8")


def rewrite_pages(app: Sphinx, out: Path) -> None:
    """Every page of the output folder through the page patches."""
    state = build(app)
    for html in pages_of(out):
        rewrite_page(html, out, state.patches, state.problems)
    state.problems.check_somewhere()


def run_steps(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: the rooms' steps, in order."""
    out = built_html(app, exception)
    if out is None:
        return
    for _, step in sorted(build(app).steps, key=lambda pair: pair[0]):
        step(app, out)


def fail_on_problems(app: Sphinx, exception: Exception | None) -> None:
    """The build's last step: fail it with every patch failure found."""
    found = problems(app)
    if exception is None and found.found:
        raise ExtensionError(found.report())


def setup(app: Sphinx) -> dict[str, Any]:
    after_build(app, PAGES, rewrite_pages)
    # At 500, registered after myst-nb's and sphinx-external-toc's handlers
    # (their CSS and index.html are in place) and before pydata-sphinx-theme's,
    # which writes pygments.css again afterwards: that file is kept whole.
    app.connect("build-finished", run_steps, priority=500)
    app.connect("build-finished", fail_on_problems, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
