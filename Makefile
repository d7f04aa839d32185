# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := sqlite:///demo/realreview-demo.db
EXPORTS := tests/data/exports
RR := $(BIN)/realreview --db $(DEMO_DB)

.PHONY: install run demo-cli test lint benchmark benchmark-dedup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The web app on SQLite at http://127.0.0.1:8000: the worked example (a published realist review) as
# review 1 and the screening demo (real records, three accounts) as review 2; the logins are printed
# before the server starts. `make demo-cli` is the old command-line tour.
run: $(STAMP)
	rm -rf demo && mkdir -p demo
	$(RR) example load
	$(RR) demo
	$(RR) --review 1 prisma
	$(RR) serve --host 127.0.0.1 --port 8000

demo-cli: $(STAMP)
	rm -rf demo && mkdir -p demo
	$(RR) init "Demo review: real database exports from tests/data"
	$(RR) search add --database MEDLINE --platform PubMed --date 2023-01-15 --query "dinosaur[ti]" --hits 52
	$(RR) import $(EXPORTS)/medline_nbib/cff_pubmed_medline.ris --search 1
	$(RR) import $(EXPORTS)/scopus_csv/cff_scopus.csv
	$(RR) import $(EXPORTS)/wos_plaintext/wosfile_wos_plaintext.txt
	$(RR) searches
	$(RR) records --count

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

benchmark: $(STAMP)
	$(BIN)/python benchmarks/import_speed.py

benchmark-dedup: $(STAMP)
	$(BIN)/python benchmarks/dedup_benchmark.py --with-bib-dedupe --json docs/dedup_benchmark.json \
		--scale 100000 --scale 250000 --scale 1000000

clean:
	rm -rf $(VENV) demo .pytest_cache
