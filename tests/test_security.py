"""The endpoint never reaches out on a query's behalf, stops runaway queries, and loses nothing to bad input.

Network access is observed with a real TCP listener on 127.0.0.1 that records every connection; file access with
a named pipe (FIFO), which the test can tell has been opened for reading because only then does a non-blocking
open of its write end succeed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server import Listener, LiveServer, running_server


@pytest.fixture()
def listener() -> Iterator[Listener]:
    watch = Listener()
    yield watch
    watch.close()


class FifoWatch:
    """A named pipe that reports whether anything opened it for reading."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "secret.ttl"
        os.mkfifo(self.path)
        self.opened = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as err:
                if err.errno != errno.ENXIO:  # ENXIO: no reader has the pipe open
                    raise
                time.sleep(0.01)
                continue
            self.opened = True
            os.write(fd, b"<urn:leak> <urn:leak> <urn:leak> .\n")
            os.close(fd)
            return

    def close(self) -> None:
        time.sleep(0.3)
        self._stop.set()
        self._thread.join()


@pytest.fixture()
def fifo(tmp_path: Path) -> Iterator[FifoWatch]:
    watch = FifoWatch(tmp_path)
    yield watch
    watch.close()


def query(server: LiveServer, text: str, **params: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/sparql",
        content=text.encode(),
        params=params,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=30,
    )


def update(server: LiveServer, text: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/update",
        content=text.encode(),
        headers={"Content-Type": "application/sparql-update", **server.auth()},
        timeout=30,
    )


def test_service_is_refused_and_never_connects(live_server: LiveServer, listener: Listener) -> None:
    for text in (
        f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{listener.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{listener.url}> {{ ?s ?q ?r }} }} }} LIMIT 1",
    ):
        answer = query(live_server, text)
        assert answer.status_code == 400
        assert "SERVICE (federated query) is disabled" in answer.json()["error"]["message"]
    assert listener.connections == 0


def test_load_is_refused_and_never_connects(live_server: LiveServer, listener: Listener, fifo: FifoWatch) -> None:
    for text in (
        f"LOAD <{listener.url}>",
        f"LOAD SILENT <{listener.url}> INTO GRAPH <urn:x>",
        f"LOAD <{fifo.path.as_uri()}>",
    ):
        answer = update(live_server, text)
        assert answer.status_code == 400
        assert "LOAD is disabled" in answer.json()["error"]["message"]
    assert listener.connections == 0
    assert not fifo.opened


def test_from_and_dataset_parameters_never_dereference(
    live_server: LiveServer, listener: Listener, fifo: FifoWatch
) -> None:
    remote, local = listener.url, fifo.path.as_uri()
    for text, params in (
        (f"SELECT * FROM <{remote}> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT * FROM NAMED <{remote}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        (f"SELECT * FROM <{local}> WHERE {{ ?s ?p ?o }}", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": remote}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": local}),
    ):
        answer = query(live_server, text, **params)
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["bindings"] == []  # a graph the store does not hold is empty
    assert listener.connections == 0
    assert not fifo.opened


def test_jsonld_upload_does_not_fetch_remote_or_local_contexts(
    live_server: LiveServer, listener: Listener, fifo: FifoWatch
) -> None:
    for context in (f"http://127.0.0.1:{listener.port}/context.jsonld", fifo.path.as_uri()):
        document = {"@context": context, "@id": "urn:vskg:test:doc", "name": "x"}
        answer = httpx.put(
            f"{live_server.url}/store",
            params={"graph": "urn:vskg:test:jsonld"},
            content=json.dumps(document).encode(),
            headers={"Content-Type": "application/ld+json", **live_server.auth()},
        )
        assert answer.status_code == 400, answer.text
    assert listener.connections == 0
    assert not fifo.opened


def test_rdfxml_with_doctype_is_refused(live_server: LiveServer) -> None:
    document = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x "expanded">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
        b'<rdf:Description rdf:about="urn:ex:a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n'
    )
    answer = httpx.put(
        f"{live_server.url}/store",
        params={"graph": "urn:vskg:test:doctype"},
        content=document,
        headers={"Content-Type": "application/rdf+xml", **live_server.auth()},
    )
    assert answer.status_code == 400
    assert "DOCTYPE is refused" in answer.json()["error"]["message"]


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def short_timeout_server(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("slow") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, timeout=2.0) as server:
        yield server


def test_runaway_query_is_stopped_while_health_answers(short_timeout_server: LiveServer) -> None:
    server = short_timeout_server
    result: dict = {}

    def runaway() -> None:
        started = time.monotonic()
        result["answer"] = query(server, CROSS_PRODUCT)
        result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    health_times = []
    while thread.is_alive():
        started = time.monotonic()
        assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200
        health_times.append(time.monotonic() - started)
        time.sleep(0.2)
    thread.join()
    answer = result["answer"]
    assert answer.status_code == 503
    assert answer.json()["error"]["message"].startswith("the query was stopped after 2 s")
    assert 1.9 < result["seconds"] < 6
    assert health_times and max(health_times) < 1.0
    # The server goes on answering, with a fresh worker in place of the stopped one.
    normal = query(server, "ASK { ?s ?p ?o }")
    assert (normal.status_code, normal.json()["boolean"]) == (200, True)


def test_client_can_ask_for_a_shorter_limit_but_not_a_longer_one(short_timeout_server: LiveServer) -> None:
    started = time.monotonic()
    shorter = query(short_timeout_server, CROSS_PRODUCT, timeout="0.5")
    assert shorter.status_code == 503
    assert shorter.json()["error"]["message"].startswith("the query was stopped after 0.5 s")
    assert time.monotonic() - started < 1.9
    longer = query(short_timeout_server, CROSS_PRODUCT, timeout="60")
    assert longer.status_code == 503
    assert longer.json()["error"]["message"].startswith("the query was stopped after 2 s")


def dump(folder: Path) -> bytes:
    return subprocess.run(
        [sys.executable, "-m", "vskg", "dump", "--store", str(folder)], check=True, capture_output=True
    ).stdout


def test_malformed_uploads_leave_the_store_byte_for_byte_unchanged(
    bundled_store_template: Path, tmp_path: Path
) -> None:
    reference, folder = tmp_path / "reference", tmp_path / "store"
    shutil.copytree(bundled_store_template, reference)
    shutil.copytree(bundled_store_template, folder)
    graph = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
    broken = b"@prefix ex: <http://e.org/> .\nex:a ex:b ex:c .\nex:d ex:e \n"
    with running_server(folder) as server:
        headers = {"Content-Type": "text/turtle", **server.auth()}
        replace = httpx.put(f"{server.url}/store", params={"graph": graph}, content=broken, headers=headers)
        assert replace.status_code == 400
        assert "line 3" in replace.json()["error"]["message"]
        merge = httpx.post(f"{server.url}/store", params={"graph": graph}, content=broken, headers=headers)
        assert merge.status_code == 400
        fresh = httpx.put(f"{server.url}/store", params={"graph": "urn:vskg:new"}, content=broken, headers=headers)
        assert fresh.status_code == 400
        bad_update = update(server, "INSERT DATA { GRAPH <urn:vskg:new> { <urn:a> <urn:b> } }")
        assert bad_update.status_code == 400
    assert dump(folder) == dump(reference)
