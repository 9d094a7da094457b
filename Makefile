VENV ?= .venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint typecheck unit benchmark checkpoints clean

$(VENV)/.installed: requirements.txt
	test -x $(PYTHON) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PYTHON) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--browser.gatherUsageStats false --server.headless true

lint: $(VENV)/.installed-dev
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m ruff check .

typecheck: $(VENV)/.installed-dev
	$(PYTHON) -m mypy

unit: $(VENV)/.installed-dev
	$(PYTHON) -m pytest

test: lint typecheck unit

benchmark: $(VENV)/.installed-dev
	$(PYTHON) -m benchmarks.train_speed

checkpoints: $(VENV)/.installed-dev
	bash checkpoints/build.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
