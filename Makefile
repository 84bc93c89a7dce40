# Two commands: `make run` and `make test`. Nothing else is needed but Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := data/sample
SAMPLE_DB := data/sample.duckdb
SAMPLE_END := 2026-03-31
PORT ?= 8501
# Local by default: the dashboard can hold data about children. Set ADDRESS=0.0.0.0 to serve others.
ADDRESS ?= 127.0.0.1

.PHONY: run test setup setup-test sample lint format bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -e . 
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -e '.[test]'
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

# The built-in synthetic authority: about 3 years and 5,000 children, made on first run.
$(SAMPLE_DB): | $(VENV)/.installed
	$(BIN)/frontdoor generate --out $(SAMPLE) --seed 2010 --children 5000 --start 2023-04-01 --end $(SAMPLE_END)
	$(BIN)/frontdoor load --extract $(SAMPLE) --db $(SAMPLE_DB) --synthetic --extract-date $(SAMPLE_END)

sample: $(SAMPLE_DB)

# A sample made by an older version of frontdoor (`frontdoor check` says why) is made again.
run: setup
	@[ ! -f $(SAMPLE_DB) ] || $(BIN)/frontdoor check --db $(SAMPLE_DB) \
		|| { echo "Making the built-in sample again."; rm -f $(SAMPLE_DB); }
	@$(MAKE) -s --no-print-directory $(SAMPLE_DB)
	$(BIN)/streamlit run serve.py --server.port $(PORT) --server.address $(ADDRESS)

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/frontdoor bench

# Every page as each role sees it (demo mode, built-in sample), 1440x900, into screenshots/.
screenshots: setup-test $(SAMPLE_DB)
	$(BIN)/python -m bench.screenshots --db $(SAMPLE_DB) --out screenshots

clean:
	rm -rf $(VENV) data/sample data/*.duckdb
