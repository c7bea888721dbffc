"""Root pytest configuration, so that plain `pytest --nbval` runs as `make test` does.

Notebook kernels inherit this process's environment: with the Agg backend they
draw figures the way `make notebooks` stored them (tools/execute_notebooks.py
sets the same backend), whatever backend the reader's machine defaults to.
"""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

# pytest-xdist modes that keep a notebook whole (its cells in order, in one
# worker's kernel); "no" is a run without workers, and every worker's own.
WHOLE_NOTEBOOK_DIST = {"no", "loadfile", "loadscope"}


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to spread one notebook's cells over pytest-xdist workers."""
    notebooks = config.getoption("nbval", False) or config.getoption("nbval_lax", False)
    dist = config.getoption("dist", "no")
    if notebooks and dist not in WHOLE_NOTEBOOK_DIST:
        raise pytest.UsageError(
            f"--dist {dist} would run a notebook's cells in different workers; "
            "add --dist loadfile, e.g. `pytest --nbval -n logical --dist loadfile`"
        )
