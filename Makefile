# Kerma's developer commands. Every target uses the project venv in .venv; see README.md.

PYTHON ?= python3.11
PY := .venv/bin/python
STAMP := .venv/.installed-requirements
PYTEST_ARGS ?=

.PHONY: venv demo test lint check fmt clean

venv: $(STAMP)
	@:

# Re-installs only when a requirements file is newer than the stamp; pip's log is shown only on failure.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv .venv
	@echo "Installing requirements into .venv ..."
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt > .venv/pip.log 2>&1 \
		|| { cat .venv/pip.log; exit 1; }
	@touch $@

# One demo site per synthetic site folder (five sites; the registry DRL needs several peers), its
# reports sent through `ingest`. A second run is quick: the reports are written once (the .complete
# stamp) and --new-only skips files a site has sent before.
demo: venv
	@$(PY) manage.py migrate --verbosity 0
	@test -f var/demo-rdsr/.complete || { \
		$(PY) manage.py synth_rdsr --out var/demo-rdsr --studies 750 --sites 5 --seed 1 \
		&& touch var/demo-rdsr/.complete; }
	@for dir in var/demo-rdsr/*/; do \
		site=$$(basename "$$dir"); \
		$(PY) manage.py add_site "$$site" --name "Demo hospital $$site" --country GB --exists-ok \
			&& LOG_LEVEL=WARNING $(PY) manage.py ingest "$$dir" --site "$$site" --new-only || exit 1; \
	done
	@$(PY) manage.py seed_demo_mappings
	@test -d ../shared/reference-levels && $(PY) manage.py load_reference_levels ../shared/reference-levels/ || true
	@$(PY) manage.py load_reference_levels registry/reference_levels/data/
	@$(PY) manage.py demo_setup  # last, so the login is the last thing printed before the server starts
	@# A demo's few hundred studies fall short of the real minimum samples, and its five synthetic sites do
	@# not all do every exam: lower both (synthetic data only) so registry DRLs show. Never in production.
	@KERMA_DRL_MIN_SAMPLE_CT=10 KERMA_DRL_MIN_SAMPLE_DX=10 KERMA_DRL_MIN_SAMPLE_RF=5 KERMA_DRL_MIN_SAMPLE_MG=5 \
		KERMA_REGISTRY_MIN_SITES=3 \
		$(PY) manage.py runserver 127.0.0.1:8000

test: venv
	@$(PY) -m pytest -q $(PYTEST_ARGS)

# The import rules of docs/architecture.md are import-linter contracts in pyproject.toml.
lint: venv
	@$(PY) -m ruff check --quiet .
	@$(PY) -m ruff format --check --quiet .
	@out=$$(.venv/bin/lint-imports --no-logo 2>&1) || { echo "$$out"; exit 1; }; echo "$$out" | tail -n 1

check: lint
	@$(PY) -m mypy .
	@$(PY) manage.py makemigrations --check --dry-run

fmt: venv
	@$(PY) -m ruff check --quiet --fix .
	@$(PY) -m ruff format --quiet .

clean:
	@rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis staticfiles .import_linter_cache
	@find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +
