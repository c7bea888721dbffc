# Two commands do everything on a fresh machine (Python 3.11, make, Node.js):
#   make book   set up .venv and the book's JavaScript, build the HTML book into _build/html
#   make test   lint, build the book and print it as a PDF (make pdf), then run the
#               package tests, the PDF's tests and every notebook
#               (nbval) one pytest-xdist worker per core, the perturbation lane
#               (make test-robust, its passes side by side), and last, alone on the
#               machine, the browser tests of the built book (tests/test_browser.py:
#               rendering, axe-core in both themes; tests/test_lighthouse.py: Lighthouse
#               mobile on every page; both tools pinned in package-lock.json)
# Both are idempotent: the venv is rebuilt only when requirements change, and
# `npm ci` runs only when package.json or package-lock.json change.

PYTHON ?= python3
NPM ?= npm
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The book serves its own MathJax, RequireJS and ipywidgets manager (no CDN):
# pinned in package-lock.json, copied here, served as _static/npm/.
VENDOR := static/npm
VENDOR_STAMP := $(VENDOR)/.installed
MODULES := node_modules
WIDGETS_DIST := $(MODULES)/@jupyter-widgets/html-manager/dist
# The options nbval needs are in pyproject.toml and conftest.py, so plain
# `pytest --nbval` in the activated venv runs the same tests, one at a time.
PYTEST := $(BIN)/python -m pytest --nbval
# One pytest-xdist worker per core; --dist loadfile keeps a notebook's cells
# together, in order, in one worker's kernel (nbval needs that).
PARALLEL := -n logical --dist loadfile

.PHONY: setup vendor book pdf lite test test-robust lint check pytest lab notebooks freeze clean repository

setup: $(STAMP)

vendor: $(VENDOR_STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(VENDOR_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/mathjax $(VENDOR)/requirejs $(VENDOR)/html-manager
	cp -R $(MODULES)/mathjax/es5/. $(VENDOR)/mathjax/
	cp $(MODULES)/mathjax/LICENSE $(VENDOR)/mathjax/
	cd $(VENDOR)/mathjax && rm -rf output/svg output/svg.js mml-*.js tex-*svg*.js tex-chtml-full*.js \
	  tex-mml-chtml.js node-main.js latest.js
	cp $(MODULES)/requirejs/require.js $(VENDOR)/requirejs/
	cp $(WIDGETS_DIST)/embed-amd.js $(WIDGETS_DIST)/embed.js.LICENSE.txt $(VENDOR)/html-manager/
	cp $(WIDGETS_DIST)/*.woff2 $(WIDGETS_DIST)/*.woff $(WIDGETS_DIST)/*.ttf \
	  $(WIDGETS_DIST)/*.eot $(WIDGETS_DIST)/*.svg $(VENDOR)/html-manager/
	touch $(VENDOR_STAMP)

# `make book SOLUTIONS=0`: the edition without the solutions (ext/book_web/edition.py;
# docs/teaching.md says what a student can still find). The default keeps them.
SOLUTIONS ?= 1

# The HTML book, with its JupyterLite site in _build/html/lite (`make lite`),
# so that every chapter's "Run in the browser" link works in every build.
book: setup vendor
	BOOK_SOLUTIONS=$(SOLUTIONS) $(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python tools/build_lite.py
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

# The whole book as one PDF, _build/pdf/backprop.pdf, printed from the built
# HTML by Debian's Chromium (tools/make_pdf.py; about 2-3 minutes). The publish
# workflow copies it into the site as backprop.pdf, which every page's
# download menu and the preface link.
PDF := _build/pdf/backprop.pdf

pdf: book
	$(BIN)/python tools/make_pdf.py _build/html $(PDF)

# Where the book lives: `make repository URL=https://github.com/OWNER/REPO` sets
# _config.yml's repository URL and rewrites every place written from it (the
# README's badges and site address, each notebook's Colab cell, CITATION.cff);
# without URL, it rewrites them from the current setting and __version__
# (after a version bump). tools/set_repository.py; docs/teaching.md.
repository:
	$(PYTHON) tools/set_repository.py $(URL)

# The book's JupyterLite site alone, into _build/html/lite (`make book` builds it too): every
# chapter runs in the reader's browser (Pyodide), served by the book itself.
# tools/build_lite.py says where the Pyodide files come from and how they are
# checked (BACKPROP_PYODIDE_SOURCE=wheel|release); downloads are cached in
# _build/lite-cache/. Its browser test: tests/test_lite_browser.py.
lite: setup vendor
	$(BIN)/python tools/build_lite.py

lint: setup
	$(BIN)/ruff check src tests benchmarks tools ext conftest.py
	$(BIN)/ruff format --check src tests benchmarks tools ext conftest.py
	$(BIN)/mypy src
	$(BIN)/mypy --allow-untyped-defs --check-untyped-defs tests

# The quick loop (under a minute): lint and the package tests, no book build,
# no notebooks, no browser, no throw-away install.
check: lint
	MPLBACKEND=Agg $(BIN)/python -m pytest tests -q -m "not browser and not install"

pytest: setup
	$(PYTEST)

# The browser tests need the built book, so `test` builds it before pytest,
# and prints it as a PDF (`make pdf`), which tests/test_pdf.py reads.
# Everything else keeps every core busy first: the package tests and the
# notebooks in parallel, then the perturbation lane. The browser tests come
# last and alone, so that Lighthouse measures pages on a machine that our own
# tests do not load (its scores depend on the CPU time it sees).
test: lint book pdf
	$(PYTEST) $(PARALLEL) -m "not browser"
	$(MAKE) test-robust
	RUN_LITE=1 $(PYTEST) -m browser

# The perturbation lane: every notebook re-executed under strict nbval with the
# last bits of the arithmetic disturbed (tools/robust_lane.py says how), two
# passes side by side. A failure names a cell whose output depends on
# rounding: give it a margin.
test-robust: setup
	$(BIN)/python tools/robust_lane.py book

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
	@echo "New pins in /tmp/freeze.txt; merge them into requirements.txt,"
	@echo "then run: python tools/binder_requirements.py"

clean:
	rm -rf _build $(VENDOR)
