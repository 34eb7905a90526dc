"""The portfolio analysis is computed once per store state, and a write makes every page see the new state."""

from __future__ import annotations

import threading
import time

import httpx

from vskg.service.memo import Memo

NEW_STREAM = """
@prefix vskg: <https://w3id.org/vskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/memo/> .
ex:claims a vskg:OperationalValueStream ; rdfs:label "Claims handling"@en ;
    vskg:hasStage ex:notify, ex:settle ; vskg:hasHandoff ex:h .
ex:notify a vskg:ValueStreamStage ; rdfs:label "Notify"@en ; vskg:stageOrder 1 ; vskg:nextStage ex:settle ;
    vskg:processTimeHours 1.0 ; vskg:leadTimeHours 4.0 ; vskg:percentCompleteAccurate 90.0 .
ex:settle a vskg:ValueStreamStage ; rdfs:label "Settle"@en ; vskg:stageOrder 2 ;
    vskg:processTimeHours 2.0 ; vskg:leadTimeHours 20.0 ; vskg:percentCompleteAccurate 80.0 .
ex:h a vskg:Handoff ; vskg:fromStage ex:notify ; vskg:toStage ex:settle ; vskg:waitTimeHours 6.0 .
"""


def test_a_value_is_computed_once_per_generation() -> None:
    memo, calls = Memo(), []
    assert memo.get("k", lambda: calls.append(1) or len(calls)) == 1
    assert memo.get("k", lambda: calls.append(1) or len(calls)) == 1
    memo.advance()
    assert memo.get("k", lambda: calls.append(1) or len(calls)) == 2
    assert len(calls) == 2


def test_a_value_computed_across_a_write_is_not_kept() -> None:
    memo = Memo()
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "stale"

    worker = threading.Thread(target=lambda: memo.get("k", slow))
    worker.start()
    started.wait(5)
    memo.advance()  # a write lands while the old state is being analysed
    release.set()
    worker.join(5)
    assert memo.get("k", lambda: "fresh") == "fresh"


def test_a_write_reaches_the_overview_the_map_and_the_api(live_server) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        before = client.get("/api/streams").json()
        client.get("/portfolio/map.svg").raise_for_status()  # fills the memo with the old state
        written = client.put(
            "/store",
            params={"graph": "https://example.org/memo/graph"},
            content=NEW_STREAM.encode(),
            headers={"Content-Type": "text/turtle", **live_server.auth()},
        )
        assert written.status_code == 201
        after = client.get("/api/streams").json()
        assert len(after) == len(before) + 1
        claims = next(entry for entry in after if entry["iri"] == "https://example.org/memo/claims")
        # process 1 + 2 = 3 h; lead 4 + 20 = 24 h (the 6 h wait before settling is part of its 20 h)
        assert claims["process_time"] == {"value": 3.0, "unit": "hours"}
        assert claims["lead_time"] == {"value": 24.0, "unit": "hours"}
        assert 'data-stream="https://example.org/memo/claims"' in client.get("/portfolio/map.svg").text
        overview = client.get("/", headers={"Accept": "text/html"}).text
        assert 'data-stream="https://example.org/memo/claims"' in overview


def test_a_write_starts_a_new_validation_for_the_stream_pages(live_server) -> None:
    """The report before the write knows nothing of the new stream; the page says it is checking until the next
    report, which has the new stream's findings, is there."""
    html = {"Accept": "text/html"}
    with httpx.Client(base_url=live_server.url, timeout=30, headers=html) as client:
        written = client.put(
            "/store",
            params={"graph": "https://example.org/memo/second"},
            content=NEW_STREAM.replace("memo/", "memo2/").encode(),
            headers={"Content-Type": "text/turtle", **live_server.auth()},
        )
        assert written.status_code == 201
        deadline, page = time.monotonic() + 120, "/streams/https%3A%2F%2Fexample.org%2Fmemo2%2Fclaims"
        while 'data-checking="true"' in (body := client.get(page).text):
            assert time.monotonic() < deadline, "the validation did not finish within two minutes"
            time.sleep(1)
        # The new stream lacks what the shapes ask of a stream (owner, trigger, outcome...): its page says so.
        assert 'data-state="ready"' in body
        assert 'data-focus="https://example.org/memo2/claims"' in body


def test_a_write_the_analyses_never_read_keeps_the_portfolio(bundled_store_template, tmp_path, monkeypatch) -> None:
    import shutil

    from fastapi.testclient import TestClient

    from vskg.analytics.live import LivePortfolio
    from vskg.service.app import create_app
    from vskg.service.settings import Settings

    runs = []
    real = LivePortfolio.analysis
    monkeypatch.setattr(LivePortfolio, "analysis", lambda *args: runs.append(1) or real(*args))
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    settings = Settings(store=folder, write_token="t", allowed_hosts=("testserver",))
    auth = {"Authorization": "Bearer t", "Content-Type": "application/sparql-update"}
    with TestClient(create_app(settings)) as client:
        first = client.get("/api/portfolio").json()
        note = client.post("/update", content=b'INSERT DATA { <urn:memo:x> <urn:memo:note> "kept" }', headers=auth)
        assert note.status_code == 204
        assert client.get("/api/portfolio").json() == first
        assert len(runs) == 1  # the note names nothing the analysis reads: the analysis was kept
        turtle = {"Authorization": "Bearer t", "Content-Type": "text/turtle"}
        added = client.put("/store", params={"graph": "https://example.org/memo/g"}, content=NEW_STREAM, headers=turtle)
        assert added.status_code == 201
        after = client.get("/api/portfolio").json()
        assert len(runs) == 2
        assert after != first and "Claims handling" in str(after)


def test_the_portfolio_after_each_kind_of_write_shows_the_changed_figure(live_server) -> None:
    graph = "https://example.org/memo-live/graph"  # its own resources: another test writes the memo/ ones
    auth = live_server.auth()

    def claims(client: httpx.Client) -> dict | None:
        body = client.get("/api/portfolio").json()
        return next((s for s in body["streams"] if s["stream"]["iri"] == "https://example.org/memo-live/claims"), None)

    def update(client: httpx.Client, text: str) -> None:
        sent = client.post("/update", content=text, headers={"Content-Type": "application/sparql-update", **auth})
        assert sent.status_code == 204, sent.text

    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        put = client.put(
            "/store",
            params={"graph": graph},
            content=NEW_STREAM.replace("/memo/", "/memo-live/"),
            headers={"Content-Type": "text/turtle", **auth},
        )
        assert put.status_code in (201, 204)
        assert claims(client)["lead_time"]["value"] == 24.0
        # INSERT DATA / DELETE DATA: the settle stage takes 50 h instead of 20 h
        update(
            client,
            f"DELETE DATA {{ GRAPH <{graph}> {{ <https://example.org/memo-live/settle> "
            "<https://w3id.org/vskg/ontology#leadTimeHours> 20.0 } } ; "
            f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/memo-live/settle> "
            "<https://w3id.org/vskg/ontology#leadTimeHours> 50.0 } }",
        )
        assert claims(client)["lead_time"]["value"] == 4 + 50
        # a pattern update: the handoff waits 1 h (inside the 50 h of settling: the lead time stays)
        update(
            client,
            "PREFIX vskg: <https://w3id.org/vskg/ontology#> DELETE { GRAPH ?g { ?h vskg:waitTimeHours ?w } } "
            "INSERT { GRAPH ?g { ?h vskg:waitTimeHours 1.0 } } "
            "WHERE { GRAPH ?g { ?h vskg:waitTimeHours ?w FILTER(?h = <https://example.org/memo-live/h>) } }",
        )
        changed = claims(client)
        assert [h["wait_hours"] for h in changed["handoffs"]] == [1.0]
        assert changed["lead_time"]["value"] == 4 + 50
        # the label, merged in by a Graph Store POST
        posted = client.post(
            "/store",
            params={"graph": graph},
            content='<https://example.org/memo-live/claims> <http://www.w3.org/2000/01/rdf-schema#label> "Claims"@en .',
            headers={"Content-Type": "text/turtle", **auth},
        )
        assert posted.status_code == 204
        assert claims(client)["stream"]["label"] == "Claims"
        assert client.delete("/store", params={"graph": graph}, headers=auth).status_code == 204
        assert claims(client) is None


def test_a_one_triple_write_rebuilds_one_stream(bundled_store_template, tmp_path) -> None:
    import shutil

    from fastapi.testclient import TestClient

    from vskg.service.app import create_app
    from vskg.service.settings import Settings

    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    settings = Settings(store=folder, write_token="t", allowed_hosts=("testserver",))
    auth = {"Authorization": "Bearer t", "Content-Type": "text/turtle"}
    with TestClient(create_app(settings)) as client:
        graph = "https://example.org/memo/g"
        assert client.put("/store", params={"graph": graph}, content=NEW_STREAM, headers=auth).status_code == 201
        streams = len(client.get("/api/portfolio").json()["streams"])
        live = client.app.state.memo.live
        assert live.rebuilt == streams  # the first analysis builds every stream
        update = (
            f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/memo/h> "
            "<https://w3id.org/vskg/ontology#waitTimeHours> 2.0 } }"
        )
        sent = client.post("/update", content=update, headers={**auth, "Content-Type": "application/sparql-update"})
        assert sent.status_code == 204
        body = client.get("/api/portfolio").json()
        claims = next(s for s in body["streams"] if s["stream"]["iri"] == "https://example.org/memo/claims")
        assert [h["wait_hours"] for h in claims["handoffs"]] == [2.0]  # the smaller of the two waits counts
        assert claims["lead_time"]["value"] == 4 + 20  # and is inside the stage lead times
        assert live.rebuilt == 1
