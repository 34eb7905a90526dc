"""/api/capabilities, /api/systems, /api/elements and /api/models on the bundled data plus an imported model.

The module's server holds the bundled store and tests/fixtures/archimate/value-streams.xml, imported once over
HTTP. Bundled totals are counted here with plain queries on the session's in-memory store; the imported rows are
read off the fixture file (its capabilities, systems, folders).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from tests.server import LiveServer, assert_error

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "archimate" / "value-streams.xml"
M = "https://w3id.org/vskg/archimate/model/id-fixture-model"
DATA = "https://w3id.org/vskg/data/"
ONTOLOGY = "https://w3id.org/vskg/ontology#"


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        answer = http.post(
            "/import/archimate?name=value-streams.xml", content=FIXTURE.read_bytes(), headers=live_server.auth()
        )
        assert answer.status_code == 200, answer.text
        yield http


def count(store: pyoxigraph.Store, classes: str) -> int:
    text = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"
    return int(next(iter(store.query(text, use_default_graph_as_union=True)))["n"].value)


def ref(iri: str, key: str, label: str, href: str | None) -> dict:
    return {"iri": iri, "key": key, "label": label, "href": href}


def rows(client: httpx.Client, path: str) -> list[dict]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["next_offset"] is None
    return body["rows"]


def by_key(found: list[dict]) -> dict[str, dict]:
    return {row["key"]: row for row in found}


def test_capabilities_lists_bundled_and_imported_ones(client: httpx.Client, store: pyoxigraph.Store) -> None:
    found = rows(client, "/api/capabilities?limit=1000")
    assert len(found) == count(store, f"<{ONTOLOGY}Capability>") + 2  # Risk management, Credit scoring
    assert [r["label"].casefold() for r in found] == sorted(r["label"].casefold() for r in found)
    rows_by_key = by_key(found)
    assert rows_by_key["banking/customer-onboarding"] == {
        "iri": DATA + "banking/customer-onboarding",
        "key": "banking/customer-onboarding",
        "label": "Customer onboarding",
        "type": "vskg:Capability",
        "href": "/capabilities/banking/customer-onboarding",
        "level": "2",
        "parent": [
            ref(
                DATA + "banking/customer-management",
                "banking/customer-management",
                "Customer management",
                "/capabilities/banking/customer-management",
            )
        ],
        "maturity": {"current": "2", "target": "4"},
    }
    assert rows_by_key["archimate/id-fixture-model/id-cap-scoring"] == {
        "iri": M + "/id-cap-scoring",
        "key": "archimate/id-fixture-model/id-cap-scoring",
        "label": "Credit scoring",
        "type": "vskg:Capability",
        "href": "/capabilities/archimate/id-fixture-model/id-cap-scoring",
        "level": None,
        "parent": [
            ref(
                M + "/id-cap-risk",
                "archimate/id-fixture-model/id-cap-risk",
                "Risk management",
                "/capabilities/archimate/id-fixture-model/id-cap-risk",
            )
        ],
        "maturity": None,
    }


def test_systems_list_kind_and_supported_capabilities(client: httpx.Client, store: pyoxigraph.Store) -> None:
    classes = " ".join(f"<{ONTOLOGY}{c}>" for c in ("System", "ApplicationSystem", "TechnologyPlatform"))
    found = rows(client, "/api/systems?limit=1000")
    assert len(found) == count(store, classes) + 2  # the application component and the node
    rows_by_key = by_key(found)
    application = ref(
        ONTOLOGY + "ApplicationSystem",
        ONTOLOGY + "ApplicationSystem",
        "Application system",
        "/id/ontology#ApplicationSystem",
    )
    assert rows_by_key["banking/credit-bureau-gateway"]["kind"] == [application]
    assert rows_by_key["banking/credit-bureau-gateway"]["capabilities"] == [
        ref(
            DATA + "banking/credit-risk-assessment",
            "banking/credit-risk-assessment",
            "Credit risk assessment",
            "/capabilities/banking/credit-risk-assessment",
        )
    ]
    assert rows_by_key["archimate/id-fixture-model/id-app"] == {
        "iri": M + "/id-app",
        "key": "archimate/id-fixture-model/id-app",
        "label": "Loan origination system",
        "type": "vskg:System",
        "href": "/systems/archimate/id-fixture-model/id-app",
        "kind": [application],
        "capabilities": [
            ref(
                M + "/id-cap-scoring",
                "archimate/id-fixture-model/id-cap-scoring",
                "Credit scoring",
                "/capabilities/archimate/id-fixture-model/id-cap-scoring",
            )
        ],
    }
    assert rows_by_key["archimate/id-fixture-model/id-node"]["kind"][0]["label"] == "Technology platform"


def test_pages_follow_each_other(client: httpx.Client) -> None:
    whole = client.get("/api/systems?limit=5").json()
    assert (whole["limit"], whole["offset"], whole["next_offset"]) == (5, 0, 5)
    first, second = client.get("/api/systems?limit=2").json(), client.get("/api/systems?limit=3&offset=2").json()
    assert first["rows"] + second["rows"] == whole["rows"]
    assert client.get("/api/systems?offset=1000000").json() == {
        "limit": 100,
        "offset": 1000000,
        "next_offset": None,
        "rows": [],
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit must be a whole number from 1 to 1000, got 0"),
        ("limit=1001", "limit must be a whole number from 1 to 1000, got 1001"),
        ("limit=-1", "limit must be a whole number from 1 to 1000, got '-1'"),
        ("offset=x", "offset must be a whole number from 0 to 1000000, got 'x'"),
        ("offset=1000001", "offset must be a whole number from 0 to 1000000, got 1000001"),
    ],
)
def test_bad_paging_is_a_400(client: httpx.Client, query: str, message: str) -> None:
    assert_error(client.get(f"/api/capabilities?{query}"), 400, message)


def test_elements_of_an_archimate_type(client: httpx.Client) -> None:
    assert rows(client, "/api/elements?type=am:BusinessActor") == [
        {
            "iri": M + "/id-actor",
            "key": "archimate/id-fixture-model/id-actor",
            "label": "Lending operations",
            "type": "am:BusinessActor",
            "href": "/id/archimate/model/id-fixture-model/id-actor",
            "model": [ref(M, "archimate/id-fixture-model", "Lending model", "/id/archimate/model/id-fixture-model")],
        }
    ]
    flows = rows(client, "/api/elements?type=am:Flow")
    # unnamed Flow relationships between stages are handoffs, labelled by the import "<from> to <to>"
    assert [(r["key"], r["label"]) for r in flows] == [
        ("archimate/id-fixture-model/id-r-flow1", "application handed over"),
        ("archimate/id-fixture-model/id-r-aflow1", "P to Q"),
        ("archimate/id-fixture-model/id-r-bflow", "X to Y"),
    ]


def test_elements_of_a_class_link_to_their_pages(client: httpx.Client, store: pyoxigraph.Store) -> None:
    found = rows(client, "/api/elements?type=vskg:Capability&limit=1000")
    assert len(found) == count(store, f"<{ONTOLOGY}Capability>") + 2
    assert {r["href"].split("/")[1] for r in found} == {"capabilities"}
    answer = client.get("/api/elements", params={"type": ONTOLOGY + "Capability", "limit": "1000"})
    assert answer.json()["rows"] == found


def test_elements_without_a_type_counts_the_types(client: httpx.Client, store: pyoxigraph.Store) -> None:
    types = {t["type"]: t["count"] for t in client.get("/api/elements").json()["types"]}
    assert types["vskg:Capability"] == count(store, f"<{ONTOLOGY}Capability>") + 2
    assert (types["am:ValueStream"], types["am:Capability"], types["am:BusinessActor"], types["am:Model"]) == (
        12,
        2,
        1,
        1,
    )
    assert types["am:Element"] == 22 and types["am:Relationship"] == 24


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "x:y",
            "type 'x:y' uses the unknown prefix 'x'; known prefixes: am, dcterms, org, owl, prov, rdf, rdfs, sh, "
            "skos, vskg",
        ),
        ("Capability", "type 'Capability' is neither a prefixed name (such as vskg:Capability) nor an IRI"),
        ("", "type must name a class, such as vskg:Capability or am:BusinessProcess"),
    ],
)
def test_a_bad_type_is_a_400(client: httpx.Client, value: str, message: str) -> None:
    assert_error(client.get("/api/elements", params={"type": value}), 400, message)


def test_models_and_their_folders(client: httpx.Client) -> None:
    assert client.get("/api/models").json() == [
        {
            "iri": M,
            "key": "archimate/id-fixture-model",
            "label": "Lending model",
            "href": "/models/archimate/id-fixture-model",
            "elements": 22,
            "relationships": 24,
            "views": 1,
        }
    ]

    def item(ident: str, label: str, kind: str, root: str | None) -> dict:
        key = f"archimate/id-fixture-model/{ident}"
        page = f"/{root}/{key}" if root else f"/id/archimate/model/id-fixture-model/{ident}"
        return {"label": label, "folder": False, "iri": f"{M}/{ident}", "key": key, "type": kind, "href": page}

    streams_folder = {
        "label": "Streams",
        "folder": True,
        "iri": M + "/id-folder-streams",
        "key": "archimate/id-fixture-model/id-folder-streams",
        "items": [
            item("id-broken", "Broken stream", "ValueStream", "streams"),
            item("id-stream", "Mortgage lending", "ValueStream", "streams"),
        ],
    }
    assert client.get("/api/models/archimate/id-fixture-model").json() == {
        "iri": M,
        "key": "archimate/id-fixture-model",
        "label": "Lending model",
        "truncated": False,
        "folders": [
            {  # a folder without an identifier is named by its place (an import writes no blank nodes)
                "label": "Strategy",
                "folder": True,
                "iri": M + "/organization/1",
                "key": "archimate/id-fixture-model/organization/1",
                "items": [streams_folder, item("id-cap-risk", "Risk management", "Capability", "capabilities")],
            },
            {
                "label": "Relations",
                "folder": True,
                "iri": M + "/organization/2",
                "key": "archimate/id-fixture-model/organization/2",
                "items": [item("id-r-flow1", "application handed over", "Flow", None)],
            },
        ],
    }
    # the full IRI still works as a key
    assert client.get("/api/models/" + M).json()["label"] == "Lending model"


def test_an_unknown_model_is_a_404(client: httpx.Client) -> None:
    assert_error(
        client.get("/api/models/archimate/nothing"),
        404,
        "no imported ArchiMate model has the key 'archimate/nothing': the store holds no ArchiMate model "
        "<https://w3id.org/vskg/archimate/model/nothing>",
    )
