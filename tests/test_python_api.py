"""The Python API (`import vskg`): each function on the bundled graph or a copy of the bundled store, exact results.

Expected values are the bundled examples' (the same figures tests/test_analytics.py and the catalogue tests pin).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import vskg
from vskg.analytics import StreamNotFound
from vskg.catalogue import ParameterError, catalogue
from vskg.store import StoreInUse, lock_for_service

REPO = Path(__file__).resolve().parent.parent
MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
DATA = "https://w3id.org/vskg/data/"
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def kg() -> Iterator[vskg.KnowledgeGraph]:
    graph = vskg.open_bundled()
    yield graph
    graph.close()


@pytest.fixture
def store_copy(bundled_store_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    return folder


# --- import vskg -----------------------------------------------------------------------------------------------


def test_import_vskg_loads_nothing_else_until_a_name_is_used() -> None:
    script = (
        "import json, sys; import vskg;"
        "before = sorted(m for m in sys.modules if m.split('.')[0] in ('vskg', 'pyoxigraph', 'pandas', 'rdflib'));"
        "vskg.open_store;"
        "after = 'vskg.python_api' in sys.modules and 'pyoxigraph' in sys.modules;"
        "print(json.dumps([before, after, vskg.__version__]))"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == [["vskg"], True, "0.1.0"]


def test_the_package_names_its_api() -> None:
    assert vskg.__all__ == [
        "Analysis",
        "KnowledgeGraph",
        "Rows",
        "StoreNotFound",
        "Validation",
        "__version__",
        "open_bundled",
        "open_store",
        "queries",
        "validate_files",
    ]
    assert set(vskg.__all__) <= set(dir(vskg))
    with pytest.raises(AttributeError, match=r"^module 'vskg' has no attribute 'open'$"):
        vskg.open  # noqa: B018


# --- open ------------------------------------------------------------------------------------------------------


def test_open_store_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    with pytest.raises(vskg.StoreNotFound) as raised:
        vskg.open_store(missing)
    assert str(raised.value) == f"there is no store at {missing}; create one with `vskg init --store {missing}`"
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(vskg.StoreNotFound):
        vskg.open_store(empty, writable=True)
    assert list(empty.iterdir()) == []


def test_open_store_reads_the_default_folder_of_vskg_store(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VSKG_STORE", str(store_copy))
    with vskg.open_store() as kg:
        assert repr(kg) == f"KnowledgeGraph({store_copy}, read-only)"
        assert "https://w3id.org/vskg/graph/data/banking-mortgage-lending" in kg.graphs()
        with pytest.raises(PermissionError) as raised:
            kg.load(FIXTURES / "valid" / "minimal.ttl")
    assert str(raised.value) == f"{store_copy} was opened read-only; open_store(path, writable=True) to load files"


def test_a_writable_store_loads_a_file_that_queries_then_see(store_copy: Path) -> None:
    model = FIXTURES / "valid" / "minimal.ttl"
    with vskg.open_store(store_copy, writable=True) as kg:
        assert kg.writable is True
        graph, triples = kg.load(model, "https://example.org/graph/minimal")
        assert graph == "https://example.org/graph/minimal"
        assert triples > 100
        found = kg.query("stream-stages", stream="test/lending")
    assert [row["stageLabel"] for row in found] == ["Application", "Credit decision", "Payout"]
    with vskg.open_store(store_copy) as kg:  # written to disk
        assert "https://example.org/graph/minimal" in kg.graphs()


def test_a_served_store_can_be_read_but_not_written(store_copy: Path) -> None:
    lock = lock_for_service(store_copy)
    try:
        with pytest.raises(StoreInUse):
            vskg.open_store(store_copy, writable=True)
        with vskg.open_store(store_copy) as kg:
            assert len(kg.query("stream-stages")) == 8
    finally:
        lock.close()


def test_the_bundled_graph_is_writable_and_in_memory(kg: vskg.KnowledgeGraph) -> None:
    assert repr(kg) == "KnowledgeGraph(the bundled graph, writable)"
    assert "https://w3id.org/vskg/graph/data/banking-mortgage-lending" in kg.graphs()
    assert not any("/shapes/" in graph for graph in kg.graphs())  # what `vskg query` reads: no shapes


# --- queries ---------------------------------------------------------------------------------------------------


def test_queries_lists_the_catalogue_with_parameters() -> None:
    listed = vskg.queries()
    assert listed.columns == ["name", "title", "parameters"]
    assert [row["name"] for row in listed] == sorted(catalogue())
    assert [row for row in listed if row["name"] == "stream-stages"] == [
        {
            "name": "stream-stages",
            "title": "Stages of a value stream, in order",
            "parameters": f"stream: iri = {MORTGAGE}",
        }
    ]


def test_a_short_key_names_the_same_stream_as_its_iri(kg: vskg.KnowledgeGraph) -> None:
    short = kg.query("stream-stages", stream="airline/passenger-journey")
    full = kg.query("stream-stages", stream=DATA + "airline/passenger-journey")
    assert short == full
    assert len(short) == 8
    assert short.columns == ["stream", "order", "stage", "stageLabel", "capabilities", "systems"]
    assert {row["stream"] for row in short} == {DATA + "airline/passenger-journey"}
    assert [row["order"] for row in short] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_labels_are_added_beside_iri_columns_that_have_none(kg: vskg.KnowledgeGraph) -> None:
    rows = kg.query("stream-stages", labels=True)
    assert rows.columns == ["stream", "streamLabel", "order", "stage", "stageLabel", "capabilities", "systems"]
    assert rows[0] == {
        "stream": MORTGAGE,
        "streamLabel": "Mortgage lending",
        "order": 1,
        "stage": DATA + "banking/explore-mortgage-options",
        "stageLabel": "Explore mortgage options",
        "capabilities": "Mortgage advice; Mortgage product marketing",
        "systems": "Digital banking channels; Marketing automation system",
    }


def test_query_errors_name_the_problem(kg: vskg.KnowledgeGraph) -> None:
    with pytest.raises(KeyError) as raised:
        kg.query("stream-stage")
    assert raised.value.args == ("there is no catalogue query named 'stream-stage'; vskg.queries() lists them",)
    with pytest.raises(ParameterError) as wrong:
        kg.query("stream-stages", strem="banking/mortgage-lending")
    assert str(wrong.value) == "parameter 'strem': not a parameter of stream-stages (its parameters: stream)"
    with pytest.raises(ParameterError) as bad:
        kg.query("stream-stages", stream="not an iri")
    assert str(bad.value) == (
        "parameter 'stream': 'https://w3id.org/vskg/data/not an iri' is not a valid iri (not an absolute IRI)"
    )


def test_sparql_rows_hold_python_values(kg: vskg.KnowledgeGraph) -> None:
    rows = kg.sparql(
        "SELECT ?i ?d ?f ?b ?day ?text ?iri ?none WHERE { VALUES (?i ?d ?f ?b ?day ?text ?iri ?none) { "
        '(42 1.50 2.5e0 true "2025-03-31"^^<http://www.w3.org/2001/XMLSchema#date> "x"@en <https://example.org/a> '
        "UNDEF) } }"
    )
    assert rows.columns == ["i", "d", "f", "b", "day", "text", "iri", "none"]
    assert rows == [
        {
            "i": 42,
            "d": 1.5,
            "f": 2.5,
            "b": True,
            "day": "2025-03-31",
            "text": "x",
            "iri": "https://example.org/a",
            "none": None,
        }
    ]
    labelled = kg.sparql(f"SELECT ?s WHERE {{ VALUES ?s {{ <{MORTGAGE}> <https://example.org/a> }} }}", labels=True)
    assert labelled == [
        {"s": MORTGAGE, "sLabel": "Mortgage lending"},
        {"s": "https://example.org/a", "sLabel": None},
    ]
    with pytest.raises(ValueError, match=r"^sparql\(\) runs SELECT queries; ASK, CONSTRUCT and DESCRIBE are not rows$"):
        kg.sparql("ASK { ?s ?p ?o }")


def test_rows_become_a_dataframe_with_pandas() -> None:
    import pandas  # the dev extra installs it (it is optional for users: the `dataframe` extra)

    rows = vskg.Rows(["a", "b"], [{"a": 1, "b": "x"}, {"a": 2, "b": None}])
    frame = rows.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["a", "b"]
    assert frame["a"].tolist() == [1, 2]
    assert frame["b"].tolist()[0] == "x" and pandas.isna(frame["b"].tolist()[1])
    assert vskg.Rows(["a"]).to_dataframe().shape == (0, 1)  # an empty result keeps its columns


def test_without_pandas_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    with pytest.raises(ImportError) as raised:
        vskg.Rows(["a"], [{"a": 1}]).to_dataframe()
    assert str(raised.value) == (
        "Rows.to_dataframe() needs pandas, which vskg does not install by itself: "
        "pip install pandas (or pip install 'vskg[dataframe]')"
    )


def test_rows_column_and_repr() -> None:
    rows = vskg.Rows(["a"], [{"a": 1}, {"a": 2}])
    assert rows.column("a") == [1, 2]
    assert repr(rows) == "Rows(columns=['a'], rows=2)"
    with pytest.raises(KeyError) as raised:
        rows.column("b")
    assert raised.value.args == ("no column 'b'; the columns are a",)


# --- validate --------------------------------------------------------------------------------------------------


def test_validating_the_bundled_graph_finds_only_notes(kg: vskg.KnowledgeGraph) -> None:
    result = kg.validate()
    assert (result.conforms, result.counts) == (True, {"Violation": 0, "Warning": 0, "Info": 12})
    assert result.findings.columns == [
        "severity",
        "focus_node",
        "source_shape",
        "message",
        "path",
        "value",
        "constraint",
    ]
    assert {row["severity"] for row in result.findings} == {"Info"}


def test_validating_a_store_gives_the_same_findings(store_copy: Path, kg: vskg.KnowledgeGraph) -> None:
    with vskg.open_store(store_copy) as stored:
        assert stored.validate().findings == kg.validate().findings


def test_validate_files_reports_a_broken_model() -> None:
    result = vskg.validate_files(FIXTURES / "invalid" / "strategic-stream-no-mca.ttl")
    assert result.conforms is False
    assert result.counts == {"Violation": 1, "Warning": 0, "Info": 0}
    (finding,) = result.findings
    assert (finding["severity"], finding["focus_node"]) == ("Violation", "https://w3id.org/vskg/data/test/lending")
    assert vskg.validate_files(str(FIXTURES / "valid" / "minimal.ttl")).counts == {
        "Violation": 0,
        "Warning": 0,
        "Info": 0,
    }
    with pytest.raises(ValueError, match=r"^give at least one file to validate$"):
        vskg.validate_files()


# --- analyse ---------------------------------------------------------------------------------------------------


def test_analyse_gives_the_flow_figures_as_rows(kg: vskg.KnowledgeGraph) -> None:
    flow = kg.analyse("banking/mortgage-lending")
    assert (flow.stream, flow.label) == (MORTGAGE, "Mortgage lending")
    assert flow.figures["process_hours"] == 17.0
    assert flow.figures["lead_hours"] == 574.0
    assert round(flow.figures["activity_ratio"], 6) == round(17 / 574, 6)
    assert len(flow.stages) == 8
    assert flow.stages[0] == {
        "order": 1,
        "stage": DATA + "banking/explore-mortgage-options",
        "label": "Explore mortgage options",
        "process_hours": 1.0,
        "lead_hours": 48.0,
        "wait_hours": 47.0,
        "pca_percent": 95.0,
        "capabilities": "Mortgage advice; Mortgage product marketing",
        "systems": "Digital banking channels; Marketing automation system",
    }
    assert len(flow.handoffs) == 7
    assert flow.handoffs[0] == {
        "from_stage": "Explore mortgage options",
        "to_stage": "Application submission",
        "wait_hours": 12.0,
        "queue_length": 30,
        "pca_percent": 95.0,
    }
    assert [(b["kind"], b["subject"], b["reason"]) for b in flow.bottlenecks] == [
        ("stage", "Legal completion", "largest wait"),
        ("stage", "Underwriting", "lowest %C&A"),
        ("handoff", "Legal completion to Release of funds", "largest wait"),
        ("handoff", "Property valuation to Underwriting", "lowest %C&A"),
    ]
    assert flow.to_json()["stream"] == {"iri": MORTGAGE, "label": "Mortgage lending"}
    assert kg.analyse(MORTGAGE).figures == flow.figures


def test_analyse_refuses_what_is_not_a_stream(kg: vskg.KnowledgeGraph) -> None:
    with pytest.raises(StreamNotFound, match=r"^<https://w3id.org/vskg/data/banking/credit-checks> is not a value"):
        kg.analyse("banking/credit-checks")


def test_streams_lists_every_stream_with_its_key(kg: vskg.KnowledgeGraph) -> None:
    streams = kg.streams()
    assert streams.columns == ["stream", "key", "label"]
    assert len(streams) == 12
    assert {"stream": MORTGAGE, "key": "banking/mortgage-lending", "label": "Mortgage lending"} in streams
    assert [row["label"] for row in streams] == sorted(row["label"] for row in streams)
