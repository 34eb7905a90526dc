"""The Python API: what `import vskg` offers a script or a notebook (see docs/python-api.md for a worked example).

The command line and the service already do everything below; this module gives the same verbs to Python with
Python results, so that an architect can go from a store to a pandas DataFrame in three lines:

- `open_store` (a store folder, read-only unless asked otherwise; never created by reading) or `open_bundled`
  (the bundled ontology, schemes and industry examples in memory) give a `KnowledgeGraph`;
- `KnowledgeGraph.query` runs a catalogue query by name, with parameters as keyword arguments, short keys
  (``stream="banking/mortgage-lending"``) accepted wherever an IRI is expected; `KnowledgeGraph.sparql` runs
  SPARQL text; both give `Rows` (a list of dicts, `.to_dataframe()`), with labels beside IRIs on request;
- `KnowledgeGraph.validate` runs the compiled SHACL engine over the store, `validate_files` over model files;
  both give a `Validation` (verdict, counts, findings as rows);
- `KnowledgeGraph.analyse` gives the flow figures of one value stream as an `Analysis` (figures, stages,
  handoffs and bottlenecks as rows, and the full `vskg.analytics.StreamAnalysis`);
- `queries` lists the catalogue.

The package's `__init__` imports this module on first use only, so `import vskg` stays instant.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import QuerySolutions

from vskg import analytics
from vskg.analytics.model import Ref, StreamAnalysis
from vskg.catalogue import CatalogueQuery, ParameterError, catalogue
from vskg.graphs import bundled_sources
from vskg.keys import data_iri
from vskg.resources import locate
from vskg.rows import Rows, select_rows
from vskg.store import LocalStore, StoreInUse, check_not_served, store_path
from vskg.store.base import Backend
from vskg.validation.findings import SEVERITY_ORDER, Report

__all__ = [
    "Analysis",
    "KnowledgeGraph",
    "Rows",
    "StoreNotFound",
    "Validation",
    "open_bundled",
    "open_store",
    "queries",
    "validate_files",
]

STAGE_COLUMNS = [
    "order",
    "stage",
    "label",
    "process_hours",
    "lead_hours",
    "wait_hours",
    "pca_percent",
    "capabilities",
    "systems",
]
FINDING_COLUMNS = ["severity", "focus_node", "source_shape", "message", "path", "value", "constraint"]


class StoreNotFound(FileNotFoundError):
    """The folder given to `open_store` holds no store (reading never creates one)."""


@dataclass
class Validation:
    """A SHACL validation: the verdict, the number of findings by severity, and the findings as rows."""

    conforms: bool
    counts: dict[str, int]
    findings: Rows
    report: Report = field(repr=False)  # the engine's report (its `graph` is the SHACL report graph)

    def to_dataframe(self):
        """The findings as a pandas DataFrame (needs pandas)."""
        return self.findings.to_dataframe()


@dataclass
class Analysis:
    """The flow figures of one value stream (`vskg.analytics.analyse_stream`), as values and rows."""

    stream: str  # its IRI
    label: str
    figures: dict[str, float | None]  # process and lead time (hours), activity ratio, rolled %C&A (percent)
    stages: Rows
    handoffs: Rows
    bottlenecks: Rows
    analysis: StreamAnalysis = field(repr=False)  # everything, with the method and inputs of each figure

    def to_json(self) -> dict:
        """The analysis as the API's JSON (`GET /api/streams/{key}`)."""
        return analytics.to_json(self.analysis)


class KnowledgeGraph:
    """An opened store (or the bundled in-memory graph): queries, validation and analytics over it."""

    def __init__(self, store: Backend, *, name: str, writable: bool) -> None:
        self.store = store
        self.name = name
        self.writable = writable

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.name}, {'writable' if self.writable else 'read-only'})"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (another process can then open it for writing)."""
        self.store.close()

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs in the store."""
        return self.store.graphs()

    def query(self, name: str, /, *, labels: bool = False, **params: str | int | float | bool) -> Rows:
        """Run the catalogue query ``name`` with its parameters (see `queries`); IRIs may be given as short keys."""
        known = catalogue()
        if name not in known:
            raise KeyError(f"there is no catalogue query named {name!r}; vskg.queries() lists them")
        chosen = known[name]
        solutions = self.store.query(chosen.render(_raw_params(chosen, params)), use_default_graph_as_union=True)
        return select_rows(self.store, solutions, labels=labels)

    def sparql(self, text: str, *, labels: bool = False) -> Rows:
        """Run a SPARQL SELECT over the union of the store's graphs."""
        solutions = self.store.query(text, use_default_graph_as_union=True)
        if not isinstance(solutions, QuerySolutions):
            raise ValueError("sparql() runs SELECT queries; ASK, CONSTRUCT and DESCRIBE are not rows")
        return select_rows(self.store, solutions, labels=labels)

    def validate(self, *, timeout: float | None = None) -> Validation:
        """Validate the store's data with the bundled shapes (the compiled engine, as ``vskg validate --store``)."""
        from vskg.validation.fullrun import validate_store

        return validation_of(validate_store(self.store, timeout=timeout))

    def streams(self) -> Rows:
        """Every value stream that has stages: its IRI, short key and label, sorted by label."""
        from vskg.keys import data_key

        refs = analytics.list_streams(self.store)
        rows = ({"stream": r.iri, "key": data_key(r.iri), "label": r.label} for r in refs)
        return Rows(["stream", "key", "label"], rows)

    def analyse(self, stream: str) -> Analysis:
        """The flow figures of one value stream, given by IRI or short key; StreamNotFound if it is none."""
        return analysis_of(analytics.analyse_stream(self.store, data_iri(stream)))

    def load(self, path: str | Path, graph: str | None = None) -> tuple[str, int]:
        """Load an RDF file into its own named graph (replacing it); the graph IRI and its triple count."""
        if not self.writable:
            raise PermissionError(f"{self.name} was opened read-only; open_store(path, writable=True) to load files")
        return self.store.load_file(Path(path), graph)


def open_store(path: str | Path | None = None, *, writable: bool = False) -> KnowledgeGraph:
    """Open a store folder (default: $VSKG_STORE, else ./.vskg/store), read-only unless ``writable``.

    Reading never creates a store: a folder without one raises `StoreNotFound`. A store that `vskg serve` is
    serving can be read, not written (`StoreInUse`).
    """
    folder = store_path(Path(path) if path is not None else None)
    if not (folder / "CURRENT").is_file():  # RocksDB's marker: every store folder has it
        raise StoreNotFound(f"there is no store at {folder}; create one with `vskg init --store {folder}`")
    if writable:
        check_not_served(folder)
    try:
        store = LocalStore(folder, read_only=not writable)
    except OSError as problem:
        if isinstance(problem, StoreInUse) or "lock" in str(problem).lower():
            raise StoreInUse(f"the store {folder} is in use by another process (is `vskg serve` running?)") from None
        raise
    return KnowledgeGraph(store, name=str(folder), writable=writable)


def open_bundled() -> KnowledgeGraph:
    """The bundled ontology, schemes and industry examples in an in-memory store (what ``vskg query`` reads
    without a store); writable, and gone once closed."""
    store = LocalStore.in_memory()
    for source, graph in bundled_sources(locate()):
        store.load_file(source, graph)
    return KnowledgeGraph(store, name="the bundled graph", writable=True)


def queries() -> Rows:
    """The catalogue: each query's name, title and parameters (``name: type``, defaults after ``=``)."""

    def described(query: CatalogueQuery) -> str:
        return ", ".join(
            f"{p.name}: {p.type}" + (f" = {p.default}" if p.default is not None else "") for p in query.parameters
        )

    rows = ({"name": q.name, "title": q.title, "parameters": described(q)} for q in catalogue().values())
    return Rows(["name", "title", "parameters"], sorted(rows, key=lambda row: row["name"]))


def validate_files(*paths: str | Path) -> Validation:
    """Validate model files (Turtle, RDF/XML, JSON-LD ...) as one model against the bundled ontology and shapes."""
    from vskg.validation.engine import validate_files as validate

    if not paths:
        raise ValueError("give at least one file to validate")
    return validation_of(validate([Path(p) for p in paths]))


# --- conversions -----------------------------------------------------------------------------------------------


def _raw_params(query: CatalogueQuery, params: dict[str, Any]) -> dict[str, str]:
    """Keyword values as the catalogue's text values; a short key where the parameter is an IRI names its IRI."""
    types = {p.name: p.type for p in query.parameters}
    raw = {}
    for name, value in params.items():
        if name not in types:
            names = ", ".join(types) or "none"
            raise ParameterError(name, f"not a parameter of {query.name} (its parameters: {names})")
        text = str(value).lower() if isinstance(value, bool) else str(value)
        raw[name] = data_iri(text) if types[name] == "iri" and ":" not in text else text
    return raw


def validation_of(report: Report) -> Validation:
    findings = Rows(FINDING_COLUMNS, (asdict(finding) for finding in report.findings))
    return Validation(report.conforms, {s: report.count(s) for s in SEVERITY_ORDER}, findings, report)


def _refs(refs: tuple[Ref, ...]) -> str:
    return "; ".join(ref.label for ref in refs)


def analysis_of(found: StreamAnalysis) -> Analysis:
    stages = Rows(
        STAGE_COLUMNS,
        (
            {
                "order": s.order,
                "stage": s.stage.iri,
                "label": s.stage.label,
                "process_hours": s.process_hours,
                "lead_hours": s.lead_hours,
                "wait_hours": s.wait_hours,
                "pca_percent": s.pca_percent,
                "capabilities": _refs(s.capabilities),
                "systems": _refs(s.systems),
            }
            for s in found.stages
        ),
    )
    handoffs = Rows(
        ["from_stage", "to_stage", "wait_hours", "queue_length", "pca_percent"],
        (
            {
                "from_stage": h.from_stage.label,
                "to_stage": h.to_stage.label,
                "wait_hours": h.wait_hours,
                "queue_length": h.queue_length,
                "pca_percent": h.pca_percent,
            }
            for h in found.handoffs
        ),
    )
    bottlenecks = Rows(
        ["kind", "subject", "reason", "value", "unit"],
        (
            {
                "kind": b.kind,
                "subject": b.subject.label,
                "reason": b.reason,
                "value": b.figure.value,
                "unit": b.figure.unit,
            }
            for b in found.bottlenecks
        ),
    )
    figures = {
        "process_hours": found.process_time.value,
        "lead_hours": found.lead_time.value,
        "activity_ratio": found.activity_ratio.value,
        "rolled_pca_percent": found.rolled_pca.value,
    }
    return Analysis(found.stream.iri, found.stream.label, figures, stages, handoffs, bottlenecks, found)
