"""Root pytest configuration, so that plain `pytest --nbval` runs as `make test` does.

Notebook kernels inherit this process's environment: with the Agg backend they
draw figures the way `make notebooks` stored them (tools/execute_notebooks.py
sets the same backend), whatever backend the reader's machine defaults to.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
