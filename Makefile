# The README's two commands: `make run` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall when the project's metadata changes.
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint typecheck pytest soak clean clean-kernels browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/consortium warm-up
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/consortium build

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

pytest: $(STAMP_DEV) browser
	$(BIN)/pytest -n 2

# The web app's browser tests drive Debian's headless Chromium through its chromedriver; install
# them when missing (as root, with apt-get: CI's fresh machine), else say what to install.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and chromium-driver for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null \
		|| (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null); \
	else echo "the browser tests need chromium and chromedriver on PATH (Debian: apt-get install chromium chromium-driver)" >&2; fi

test: lint typecheck pytest

# The property suite at 15 times its CI size (over 10,000 examples); prints how many ran and passed.
soak: $(STAMP_DEV)
	HYPOTHESIS_PROFILE=soak $(BIN)/pytest -n 2 -q tests/test_properties.py tests/test_bad_input_properties.py \
		tests/test_importing.py \
		tests/test_designs.py

clean: clean-kernels
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# numba's cache of compiled kernels, to free the disk (an edit needs no cleaning: every kernel is
# cached under one hash of all the kernel sources, core/native.py).
clean-kernels:
	find consortium_solver -name '*.nbi' -delete -o -name '*.nbc' -delete
