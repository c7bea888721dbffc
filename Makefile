# Two commands do everything on a fresh machine (Python 3.11, make, Node.js):
#   make book   set up .venv, build the HTML book into _build/html
#   make test   set up .venv, run lint, the package tests and every notebook (nbval)
# Both are idempotent: the venv is rebuilt only when requirements change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup book test lint pytest lab notebooks freeze clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: setup
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src

pytest: setup
	MPLBACKEND=Agg $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=300

test: lint pytest

# Open the chapters in JupyterLab.
lab: setup
	$(BIN)/jupyter lab book

# Re-execute every chapter top to bottom in a fresh kernel, storing outputs and
# widget state (what the HTML book shows and nbval compares against).
notebooks: setup
	$(BIN)/python tools/execute_notebooks.py book/*.ipynb

# Regenerate the pins after changing a dependency (in a throwaway venv).
freeze:
	rm -rf /tmp/backprop-freeze && $(PYTHON) -m venv /tmp/backprop-freeze
	/tmp/backprop-freeze/bin/pip install --quiet -r requirements.txt
	/tmp/backprop-freeze/bin/pip freeze --exclude-editable | grep -v '^backprop' > /tmp/freeze.txt
	@echo "New pins in /tmp/freeze.txt; merge them into requirements.txt"

clean:
	rm -rf _build
