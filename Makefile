# Two commands a new clone needs: `make run` and `make test`. Both set up the environment
# first (a virtualenv with the pinned set in constraints.txt), so nothing else is required.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint dev docs serve bench lock clean

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

test: lint
	$(BIN)/pytest

dev: $(STAMP)
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} $(BIN)/dagster dev

# dbt's docs site (dbt_project/target/index.html) and the measure catalogue page from the seeds.
docs: $(STAMP)
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir .
	$(BIN)/wellbeing catalogue

serve: $(STAMP)
	mkdir -p $${DAGSTER_HOME:-$(CURDIR)/.dagster_home}
	cp deploy/dagster.yaml $${DAGSTER_HOME:-$(CURDIR)/.dagster_home}/dagster.yaml
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} $(BIN)/dagster-webserver -w workspace.yaml & \
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} $(BIN)/dagster-daemon run -w workspace.yaml

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py

lock: $(STAMP)
	{ head -2 constraints.txt; $(BIN)/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
