# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := sqlite:///demo/realreview-demo.db
EXPORTS := tests/data/exports
RR := $(BIN)/realreview --db $(DEMO_DB)

.PHONY: install run test lint benchmark benchmark-dedup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# A demo review on SQLite: four logged database searches, their real exports, the per-database table.
run: $(STAMP)
	rm -rf demo && mkdir -p demo
	$(RR) init "Demo review: real database exports from tests/data"
	$(RR) search add --database MEDLINE --platform PubMed --date 2023-01-15 --query "dinosaur[ti]" --hits 52
	$(RR) import $(EXPORTS)/medline_nbib/cff_pubmed_medline.ris --search 1
	$(RR) search add --database Embase --platform Embase.com --date 2023-01-15 --query "dinosaur:ti" --hits 10
	$(RR) import $(EXPORTS)/ris/cff_embase.ris --search 2
	$(RR) import $(EXPORTS)/scopus_csv/cff_scopus.csv
	$(RR) import $(EXPORTS)/wos_plaintext/wosfile_wos_plaintext.txt
	$(RR) import $(EXPORTS)/ris/cff_psycinfo_ovid.ris
	$(RR) searches
	$(RR) records --count
	@echo "Demo database: demo/realreview-demo.db  (try: $(RR) records)"

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
