"""A bounded sample of the grammar-driven generator in bench/sparql_smuggling.py: what the engine acts on when
unguarded is refused by the live server, and nothing reaches the loopback listener through it."""

from __future__ import annotations

import random
from pathlib import Path

import httpx

from bench.sparql_smuggling import control, generate, guarded
from tests.server import TOKEN, Listener, running_server
from vskg.store import LocalStore

SAMPLE = 200


def test_generated_smuggling_never_reaches_the_listener(tmp_path: Path) -> None:
    texts = generate()
    assert len(texts) >= 10_000
    sample = random.Random(9).sample(texts, SAMPLE)
    listener = Listener()
    try:
        effective = [text for text in sample if control(text, listener)]
        assert len(effective) >= SAMPLE * 0.8  # the control proves the engine would really fetch these
        assert listener.settle() >= len(effective)
        LocalStore(tmp_path / "store").close()
        with running_server(tmp_path / "store") as server, httpx.Client(timeout=30) as client:
            before = listener.connections
            statuses = {id(text): guarded(text, server.url, TOKEN, listener, client) for text in sample}
            reached = listener.settle() - before
    finally:
        listener.close()
    assert reached == 0
    assert [text.text for text in effective if statuses[id(text)] != 400] == []
