# Katapult for QGIS. Every target does its own set-up (scripts/setup.sh is idempotent).
SHELL := /bin/bash
PY := .venv/bin/python
PLUGIN_NAME := katapult_qgis
PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
export QT_QPA_PLATFORM ?= offscreen
export PROJ_DATA ?= /usr/share/proj
PYTEST_ARGS ?=

.PHONY: setup test test-unit demo demo-gui bench package install translations lint clean

setup:
	@bash scripts/setup.sh

## Every test, headless: unit (pure), qgis (pytest-qgis), desktop (real QGIS under Xvfb).
test: setup
	$(PY) -m pytest tests $(PYTEST_ARGS)

## Only the fast pure-Python tests.
test-unit: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

## The main job on the built-in sandbox: download, QA, edit, push, pull, render.
demo: setup
	@bash scripts/demo.sh

## QGIS desktop with the plugin installed in a throwaway profile, pointed at the sandbox.
demo-gui: setup
	@bash scripts/demo_gui.sh

## Speed and memory figures as ratios against baselines measured in the same run.
bench: setup
	$(PY) -m tests.bench.run_all

## A zip the QGIS Plugin Manager installs (no tests, venv or caches).
package: setup
	$(PY) scripts/package.py --output dist/$(PLUGIN_NAME).zip

## Link this folder into a QGIS profile's plugin folder.
install:
	mkdir -p "$(PROFILE_DIR)/python/plugins"
	ln -sfn "$(CURDIR)" "$(PROFILE_DIR)/python/plugins/$(PLUGIN_NAME)"
	@echo "installed: $(PROFILE_DIR)/python/plugins/$(PLUGIN_NAME) -> $(CURDIR)"

## Refresh i18n/*.ts from the sources and compile them to .qm.
translations: setup
	bash scripts/translations.sh

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf dist build test-artifacts .pytest_cache .ruff_cache
