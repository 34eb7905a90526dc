"""Hostile case 23: an ArchiMate model built to make the derivation of links explode.

- A serving chain 20,000 business processes long ending at a capability, with application components serving
  its head and its last ten processes: only the chains of at most four relationships are derived (three of them),
  whatever the length of the chain.
- A dense cycle: 60 processes each serving every other, each served by its own component, one of them realising a
  capability: every component gets exactly one derived link (60), each walk passes the cycle once.

The import finishes with exactly 63 derived links, and the server stays up and within its memory ceiling.
"""

from __future__ import annotations

import httpx

from tests.hostile.conftest import Survivor

CHAIN, TAIL, CYCLE = 20_000, 10, 60
GRAPH = "https://w3id.org/vskg/graph/archimate/id-bomb"
MODEL = "https://w3id.org/vskg/archimate/model/id-bomb/"
VSKG = "https://w3id.org/vskg/ontology#"


def bomb() -> bytes:
    elements = ['<element identifier="cap" xsi:type="Capability"><name>Chained</name></element>']
    elements.append('<element identifier="cap2" xsi:type="Capability"><name>Cycled</name></element>')
    rels = []
    for i in range(CHAIN):
        elements.append(f'<element identifier="p{i}" xsi:type="BusinessProcess"><name>p{i}</name></element>')
        if i:
            rels.append(f'<relationship identifier="rp{i}" source="p{i - 1}" target="p{i}" xsi:type="Serving"/>')
    rels.append(f'<relationship identifier="rcap" source="p{CHAIN - 1}" target="cap" xsi:type="Realization"/>')
    for j, target in enumerate([0] + [CHAIN - 1 - k for k in range(TAIL)]):
        elements.append(f'<element identifier="c{j}" xsi:type="ApplicationComponent"><name>c{j}</name></element>')
        rels.append(f'<relationship identifier="rc{j}" source="c{j}" target="p{target}" xsi:type="Serving"/>')
    for a in range(CYCLE):
        elements.append(f'<element identifier="q{a}" xsi:type="BusinessProcess"><name>q{a}</name></element>')
        elements.append(f'<element identifier="k{a}" xsi:type="ApplicationComponent"><name>k{a}</name></element>')
        rels.append(f'<relationship identifier="rk{a}" source="k{a}" target="q{a}" xsi:type="Serving"/>')
        rels += [
            f'<relationship identifier="rq{a}-{b}" source="q{a}" target="q{b}" xsi:type="Serving"/>'
            for b in range(CYCLE)
            if a != b
        ]
    rels.append('<relationship identifier="rcap2" source="q0" target="cap2" xsi:type="Realization"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-bomb"><name>Bomb</name>'
        f"<elements>{''.join(elements)}</elements><relationships>{''.join(rels)}</relationships></model>"
    ).encode()


def count(survivor: Survivor, where: str) -> int:
    answer = httpx.post(
        f"{survivor.url}/sparql",
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ {where} }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_a_long_serving_chain_and_a_dense_cycle_derive_a_bounded_number_of_links(survivor: Survivor) -> None:
    answer = httpx.post(
        f"{survivor.url}/import/archimate",
        params={"name": "bomb.xml"},
        content=bomb(),
        headers={"Content-Type": "application/xml", **survivor.auth()},
        timeout=600,
    )
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert (summary["element_count"], summary["relationship_count"]) == (20_133, 23_612)
    assert summary["warnings"] == []
    assert summary["vocabulary_added"] == []  # the served store was initialised
    survivor.check(unchanged=False)
    assert count(survivor, "?d a <https://w3id.org/vskg/archimate#Derivation>") == 63
    assert count(survivor, f"?s <{VSKG}supportsCapability> <{MODEL}cap>") == 3
    assert count(survivor, f"?s <{VSKG}supportsCapability> <{MODEL}cap2>") == CYCLE
