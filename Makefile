# Two commands a new clone needs: `make run` and `make test`. Both set up the environment
# first (a virtualenv with the pinned set in constraints.txt), so nothing else is required.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Dagster's instance (run history, schedules, sensor cursors) for `make dev` and `make serve`.
DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup run test lint chromium instance dev docs notebooks report-pages serve bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# The sample is SYNTHETIC: written only into an empty raw/, never by `wellbeing run` itself.
run: $(STAMP)
	$(BIN)/python -m sample_data $${WELLBEING_RAW_DIR:-raw}
	$(BIN)/wellbeing run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros

test: lint chromium
	$(BIN)/pytest

# Headless Chromium prints the report's PDF and lays it out for tests/e2e/test_report_layout.py.
# Installed from Debian's `chromium` package when apt-get can run (as root, or with sudo);
# otherwise those tests skip and say why.
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  { if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO=sudo; \
	    else echo "Chromium is not installed and apt-get needs root: the layout tests skip."; \
	    exit 0; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	      chromium >/dev/null || echo "Could not install chromium: the layout tests skip."; }

# The deployment's instance (deploy/dagster.yaml: runs queued, one at a time, as DuckDB has
# one writer) in DAGSTER_HOME, for the UI on its own (`dev`) and with the daemon (`serve`).
instance:
	mkdir -p $(DAGSTER_HOME)
	cp deploy/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

dev: $(STAMP) instance
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -w workspace.yaml

# dbt's docs site as one page that opens from disk (dbt_project/target/static_index.html,
# the manifest and catalogue inside it) and the measure catalogue page from the seeds.
docs: $(STAMP)
	cd dbt_project && ../$(BIN)/dbt docs generate --static --profiles-dir .
	$(BIN)/wellbeing catalogue
	@echo "dbt docs: open dbt_project/target/static_index.html"

# Run both notebooks top to bottom against the publication (WELLBEING_PUBLISHED, by default
# warehouse/published.duckdb: `make run` first); the executed copies, with their tables and
# charts, go to warehouse/notebooks/. To work in them: .venv/bin/jupyter lab notebooks/
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
	  --output-dir $(CURDIR)/warehouse/notebooks notebooks/*.ipynb

# The picture of the monitoring report's first pages in docs/, printed from the publication
# (`make run` first) by Chromium.
report-pages: $(STAMP) chromium
	$(BIN)/python -m pipelines.reporting.first_pages docs

serve: $(STAMP) instance
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster-webserver -w workspace.yaml & \
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster-daemon run -w workspace.yaml

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py

lock: $(STAMP)
	{ head -2 constraints.txt; $(BIN)/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
