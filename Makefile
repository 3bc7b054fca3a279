# Two entry points, both from a fresh clone with only Python 3.11 and pip:
#   make run   — set up a virtual environment and open the assistant on the bundled corpus
#   make test  — set up and run the whole test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint bench vectors clean

$(BIN)/jixiao: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11) on PATH, or run: make PYTHON=python3 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build; anything looser pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

setup: $(BIN)/jixiao

run: setup
	$(BIN)/jixiao

test: setup
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .

lint: setup
	$(BIN)/ruff check .

# the vectors of the bundled corpus shipped in corpus/vectors.npz (after a change to ingestion or passages)
vectors: setup
	$(BIN)/python -m index.prebuilt

bench: setup
	$(BIN)/python bench/retrieval.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
