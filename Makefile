# vskg developer commands. `make test` is all CI runs; it builds the virtual environment on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Where `make serve` listens: `make serve PORT=9000 HOST=0.0.0.0` (the README's examples use the defaults).
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: test serve lint check install clean wheel bench bench-hostile bench-store shapes owl cli-reference

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

serve: $(STAMP)
	$(BIN)/vskg init
	$(BIN)/vskg serve --host $(HOST) --port $(PORT)

# Regenerate docs/cli.md and the README's command table from the commands (after changing a command's options).
cli-reference: $(STAMP)
	$(BIN)/python tools/cli_reference.py

# Regenerate the committed ArchiMate relationship shapes from Archi's table (a build-time tool, not in the package).
shapes: $(STAMP)
	$(BIN)/python tools/archimate_rules.py

# Regenerate ontology/vskg.owl, the committed RDF/XML twin of ontology/vskg.ttl (after every edit of the Turtle).
owl: $(STAMP)
	$(BIN)/python tools/ontology_rdfxml.py

bench: $(STAMP)
	$(BIN)/python bench/http_queries.py
	$(BIN)/python bench/workbench.py

# The store at about 100k triples next to Oxigraph server on the same quads (a few minutes; --streams 5000 is ~1M).
bench-store: $(STAMP)
	$(BIN)/python bench/store_scale.py --streams 500

# The long runs behind the hostile-input corpus (about half an hour together): SPARQL smuggling, kill -9 during
# writes, and the schema fuzzer.
bench-hostile: $(STAMP)
	$(BIN)/python bench/sparql_smuggling.py
	$(BIN)/python bench/crash_consistency.py
	$(BIN)/python bench/schema_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check vskg tests

check: $(STAMP)
	$(BIN)/vskg check

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) dist build .pytest_cache
