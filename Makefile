# The course's commands. Each sets up its own virtual environment (.venv) first.
#
#   make lab         set up, then open JupyterLab on the start page
#   make lab-es      the same in Spanish: JupyterLab's menus (its language pack) and the Spanish start page
#   make test        set up, then run the whole test suite
#   make notebooks   regenerate the student notebooks from grading/source/
#   make data        regenerate the simulated datasets and the datasheets' column tables
#   make bench       measure notebook run times, widget callback latency and kernel memory
#   make site        build the static website of the course in build/site/
#   make bench-grade time parallel sandboxed autograding against stock serial nbgrader (100 submissions)
#   make bundle      rebuild dpdlab/static/vega.js (the charts' Vega libraries) from the pinned npm packages

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# JupyterLab refuses to run as root unless told to (containers, CI machines)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab lab-es test notebooks data bench bench-grade site bundle clean

$(VENV)/.runtime: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

lab: $(VENV)/.runtime
	$(BIN)/jupyter lab $(ROOT_FLAG) --notebook-dir=. course/00_start_here.ipynb

# JupyterLab's settings for the Spanish edition (dpdlab/lab_settings/es: the interface's language), copied
# where JupyterLab may write its other settings without touching the checkout
LAB_ES := build/lab-es/settings
lab-es: $(VENV)/.runtime
	mkdir -p $(LAB_ES) && cp -rn dpdlab/lab_settings/es/. $(LAB_ES)/
	JUPYTERLAB_SETTINGS_DIR=$(LAB_ES) $(BIN)/jupyter lab $(ROOT_FLAG) --notebook-dir=. course/es/00_start_here.ipynb

test: $(VENV)/.test
	$(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder

notebooks: $(VENV)/.runtime
	$(BIN)/dpdlab notebooks build

data: $(VENV)/.runtime
	$(BIN)/dpdlab data rebuild

bench: $(VENV)/.runtime
	$(BIN)/python bench/run.py

site: $(VENV)/.runtime
	$(BIN)/dpdlab site build

bench-grade: $(VENV)/.runtime
	$(BIN)/python bench/autograde.py

bundle:
	npm ci --prefix js --no-audit --no-fund
	node js/build.mjs

clean:
	rm -rf $(VENV) test-artifacts bench/results build/site build/lab-es
