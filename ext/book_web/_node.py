"""Running the book's Node.js scripts (ext/*.mjs) with the pinned packages.

Changes nothing itself: the maths room (ext/typeset_math.mjs, mathjax-full)
and the CSS room (ext/purge_css.mjs, PurgeCSS) call :func:`run_node`. Depends
on Node.js and on node_modules installed from package-lock.json (`make vendor`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sphinx.errors import ExtensionError

EXT = Path(__file__).resolve().parents[1]  # ext/, where the scripts are


def run_node(script: Path, payload: dict[str, Any], root: Path) -> dict[str, Any]:
    """Run one of the book's Node.js scripts with its packages from
    ``root``/node_modules: ``payload`` as JSON in, JSON out."""
    node = shutil.which("node")
    if node is None or not (root / "node_modules" / ".package-lock.json").is_file():
        raise ExtensionError(
            f"{script.name} needs Node.js and the packages of package-lock.json in "
            "node_modules: run `make vendor` (or build with `make book`)"
        )
    run = subprocess.run(
        [node, str(script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    if run.returncode != 0:
        raise ExtensionError(f"{script.name} failed:\n{run.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(run.stdout)
    return result
