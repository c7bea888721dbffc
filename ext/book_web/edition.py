"""The edition: which version the pages cite, and whether they show the solutions.

Changes:

- the MyST substitutions ``{{ version }}``, ``{{ year }}`` and
  ``{{ repository }}`` (book/preface.md's "How to cite") come from
  ``backprop.__version__``, the ``copyright`` year and the repository URL of
  _config.yml, so none of them is typed twice;
- with ``BOOK_SOLUTIONS=0`` in the environment (``make book SOLUTIONS=0``),
  every dropdown titled "Solution" leaves the doctree as soon as a page is
  read, so neither its page, nor the search index, nor the page's
  downloadable source (``_sources/``, cut by :func:`strip_solutions` when
  the build ends) holds a solution. The default keeps them.

Why: a teacher who grades the exercises publishes an edition without the
answers (docs/teaching.md says what a determined student can still find).

Depends on: sphinx-design 0.6 reading ``:::{dropdown} Solution`` as a
``container`` (design_component "dropdown") whose first child is the title's
``rubric`` (its ``dropdown_main`` comes later, in a post-transform);
myst-parser reading ``myst_substitutions``
when the builder starts (we add ours at ``config-inited``, before). The
switch is the config value ``book_solutions`` (rebuild "env"), so an
incremental build that flips it reads every page again.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

SOLUTION_TITLE = "Solution"
FENCE = re.compile(r"^(:{3,})\{dropdown\} " + SOLUTION_TITLE + r"\s*$")


def solutions_wanted(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """True unless BOOK_SOLUTIONS is "0", "no", "false" or "off" (any case)."""
    value = environ.get("BOOK_SOLUTIONS", "1").strip().lower()
    return value not in {"0", "no", "false", "off"}


def _title(node: nodes.Element) -> str | None:
    """The title of a sphinx-design dropdown, as read (a container whose first
    child is its title's rubric) or after its HTML transform; None otherwise."""
    if isinstance(node, nodes.container) and node.get("design_component") == "dropdown":
        if node.get("has_title") and node.children and isinstance(node[0], nodes.rubric):
            return node[0].astext().strip()
        return None
    if type(node).__name__ == "dropdown_main":
        titles = [child for child in node.children if type(child).__name__ == "dropdown_title"]
        return titles[0].astext().strip() if titles else None
    return None


def remove_solutions(doctree: nodes.Node) -> int:
    """Take every dropdown titled "Solution" out of ``doctree``; how many."""
    removed = 0
    for node in list(doctree.findall(nodes.Element)):
        if node.parent is not None and _title(node) == SOLUTION_TITLE:
            node.parent.remove(node)
            removed += 1
    return removed


def strip_markdown(text: str) -> str:
    """``text`` without its ``:::{dropdown} Solution`` blocks (fence to closing fence)."""
    out: list[str] = []
    closing: str | None = None
    for line in text.splitlines(keepends=True):
        if closing is not None:
            if line.strip() == closing:
                closing = None
            continue
        match = FENCE.match(line.strip())
        if match:
            closing = match.group(1)
            continue
        out.append(line)
    return "".join(out)


def strip_solutions(sources: Path) -> int:
    """Cut the solutions out of the copied page sources in ``sources``
    (``_sources/``: .ipynb markdown cells and .md/.txt pages); files changed."""
    changed = 0
    for path in sorted(sources.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if "{dropdown} " + SOLUTION_TITLE not in text:
            continue
        if path.name.endswith(".ipynb"):
            nb = json.loads(text)
            for cell in nb["cells"]:
                if cell["cell_type"] == "markdown":
                    source = "".join(cell["source"])
                    cell["source"] = strip_markdown(source).splitlines(keepends=True)
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "utf-8")
        else:
            path.write_text(strip_markdown(text), encoding="utf-8")
        changed += 1
    return changed


def _substitutions(app: Sphinx, config: Config) -> None:
    from backprop import __version__

    options = config.html_theme_options or {}
    values = {
        "version": __version__,
        "year": str(config.copyright).split(",")[0].strip(),
        "repository": f"<{options.get('repository_url', '')}>",
    }
    substitutions = dict(config.myst_substitutions or {})
    for name, value in values.items():
        substitutions.setdefault(name, value)
    config.myst_substitutions = substitutions


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    if not app.config.book_solutions:
        remove_solutions(doctree)


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and not app.config.book_solutions and app.builder.format == "html":
        strip_solutions(Path(app.outdir) / "_sources")


def setup(app: Sphinx) -> None:
    app.add_config_value("book_solutions", solutions_wanted(), "env", [bool])
    # After Jupyter Book's own config-inited handlers (priority 500).
    app.connect("config-inited", _substitutions, priority=800)
    app.connect("doctree-read", _doctree_read)
    app.connect("build-finished", _build_finished)
