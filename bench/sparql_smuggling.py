"""Hiding SERVICE and LOAD in every lexical context the SPARQL grammar allows, and proving none gets through.

The generator puts the keyword right after each kind of token the grammar lets stand before it (with and without
space or a comment in between): punctuation, prefixed names ending in each PN_LOCAL escape and in a percent
escape, strings of the four kinds holding ``#``, quotes and escapes, language tags, datatypes, numbers such as
``1.`` and ``1.e3``, variables, blank nodes, IRIs with ``#`` and ``'``, FILTER and BIND expressions with ``<``;
it spells the keyword in mixed case, with SILENT, glued to SILENT, glued to ``true``, and with ``\\u`` escapes; and
it nests the call in OPTIONAL, UNION, MINUS, GRAPH, EXISTS and subqueries. Updates get LOAD after every kind of
operation (``;`` with and without space, after INSERT DATA holding the same tokens) and SERVICE in the WHERE of
INSERT/DELETE ... WHERE.

Each text names an endpoint on a loopback listener that counts connections. The control run executes every text
unguarded on an empty in-process pyoxigraph store: a text counts as effective when the engine really opened a
connection. The guarded run sends every text to a live `vskg serve` (/sparql, /update with the token). Run it::

    python bench/sparql_smuggling.py            # every text (more than 10,000)
    python bench/sparql_smuggling.py --sample 300

It prints how many texts were generated, how many the engine acts on (control connections), how many the server
refused, and how many reached the listener through the server, which must be 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.server import TOKEN, Listener, running_server

ENDPOINT = "EP"  # replaced by the listener's IRI
BASE = "http://example.org/base"  # relative IRIs resolve against the endpoint on the server; here against this
PROLOGUE = "PREFIX ex: <http://example.org/a/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
PN_LOCAL_ESC = "_~.-!$&'()*+,;=/?#@%"

# Separators between the token before the keyword and the keyword.
SEPARATORS = ["", " ", "\n", "\t", "#c\n", " #'\"\n"]

# Terms that may end a triple pattern (the object), each written the way it is hard to read.
OBJECTS = (
    ["?o", "$o", "?o1", "?_", "ex:o", "ex:", "ex:o.b", "ex:o:b", "ex:o%41", "ex:o%4a.b", "_:b", "[]", "[ ]"]
    + [f"ex:a\\{c}" for c in PN_LOCAL_ESC]
    + [f"ex:\\{c}b" for c in PN_LOCAL_ESC]
    + ["1", "1.5", ".5", "1e3", "1.e3", "1.E-3", "-1", "+1.5", "true", "false"]
    + ["'a'", '"a"', "'''a'''", '"""a"""', "'#'", '"#"', "'''#'''", '"""#"""']
    + ["'\\''", '"\\""', "'\"'", '"\'"', "'\\\\'", '"\\\\"', "'''a''b'''", '"""a""b"""', "'''\\''''", '"""\\""""']
    + ["'\\u0027'", '"\\u0022"', '"\\U00000022"', "'\\n#'", "'''\n#\n'''", '"""\n"\n"""']
    + ['"a"@en', '"a"@en-GB', '"a"@en--ltr', '"1"^^xsd:integer', '"a"^^<http://www.w3.org/2001/XMLSchema#string>']
    + ["<http://example.org/a#b>", "<http://example.org/a'b>", "<a#b>", "<#b>", "<http://e.org/a(b)>"]
    + ["(1 2)", "(ex:a\\#b)", "[ ex:p ?x ]", "[ ex:p '#' ]"]
)


def _fact(obj: str) -> str:
    """A triple for the control store that the pattern ``?s ?p obj`` matches (so the SERVICE after it runs)."""
    if obj.startswith(("?", "$")):
        return "ex:s ex:p ex:o"
    return "ex:s ex:p " + obj.replace("?x", "ex:x").replace("_:b", "[]")


# Things that may stand right before a SERVICE in a group (each ends with a token of a different kind), with a
# triple that makes them match in the control store.
def leads() -> Iterator[tuple[str, str]]:
    for obj in OBJECTS:
        yield f"?s ?p {obj}", _fact(obj)
        yield f"?s ?p {obj} .", _fact(obj)
    plain = "ex:s ex:p ex:o"
    for expr in ["1", "?o", "ex:a\\#b", "ex:a\\'b", "'#'", '"\\""', "<http://example.org/a#b>", "1.", "true"]:
        yield f"BIND({expr} AS ?k)", plain
        yield f"BIND({expr} AS ?k) .", plain
        yield f"FILTER(!sameTerm(1, {expr}))", plain
    yield "BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)", plain
    yield "BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b||'>')", plain
    yield "FILTER(1<2)", plain
    yield "OPTIONAL { ?s ?p ?o }", plain
    yield "{ ?s ?p ?o } UNION { ?s ?p ?o }", plain
    yield "MINUS { ?s ?p ?o }", plain
    yield "GRAPH ?g { ?s ?p ?o }", plain
    yield "VALUES ?v { ex:a\\#b '#' }", plain


SPELLINGS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERVICESILENT", "service silent"]
ESCAPED = ["\\u0053ERVICE", "SERVIC\\u0045", "\\U00000053ERVICE"]  # what SPARQL 1.1 section 19.2 would decode

# Where the group holding lead + SERVICE stands.
NESTINGS = [
    "SELECT * WHERE {{ {body} }}",
    "SELECT * {{ OPTIONAL {{ {body} }} }}",
    "SELECT * {{ {{ ?a ?b ?c }} UNION {{ {body} }} }}",
    "SELECT * {{ BIND(ex:o AS ?x) MINUS {{ {body} }} }}",
    "SELECT * {{ GRAPH ?g {{ {body} }} }}",
    "ASK {{ FILTER EXISTS {{ {body} }} }}",
    "SELECT * {{ {{ SELECT * WHERE {{ {body} }} }} }}",
]


def queries() -> Iterator[tuple[str, str]]:
    turn = 0  # cycles through the nestings, so every lead meets each of them
    for lead, fact in leads():
        for sep in SEPARATORS:
            for spelling in SPELLINGS:
                body = f"{lead}{sep}{spelling} {ENDPOINT} {{ ?x ?y ?z }}"
                turn += 1
                yield PROLOGUE + NESTINGS[turn % len(NESTINGS)].format(body=body), fact
    for nesting in NESTINGS:
        for spelling in SPELLINGS + ESCAPED:
            yield PROLOGUE + nesting.format(body=f"{spelling} {ENDPOINT} {{ }}"), "ex:s ex:p ex:o"
    yield PROLOGUE + "SELECT * { ?s ?p trueSERVICE " + ENDPOINT + " { } }", "ex:s ex:p true"
    yield PROLOGUE + "SELECT * { ?s ?p ex:a.b.SERVICE " + ENDPOINT + " { } }", "ex:s ex:p ex:a.b"


# Update operations that may come before a LOAD, each ending with a different kind of token.
def operations() -> Iterator[str]:
    for obj in OBJECTS:
        if obj.startswith(("?", "$")) or "?x" in obj:
            continue
        yield f"INSERT DATA {{ ex:s ex:p {obj} }}"
        yield f"DELETE DATA {{ ex:s ex:p {obj} }}"
        yield f"INSERT DATA {{ GRAPH ex:g {{ ex:s ex:p {obj} }} }}"
    yield "DELETE WHERE { ?s ex:p '#' }"
    yield "INSERT { ex:a ex:b ?o } WHERE { ?s ?p ?o }"
    yield "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x#' } WHERE { ?s ?p ?o }"
    yield "WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    yield "CLEAR SILENT GRAPH ex:g"
    yield "CREATE SILENT GRAPH <http://example.org/g#x>"
    yield "DROP SILENT GRAPH ex:a\\#b"


LOADS = ["LOAD", "load", "LoAd", "LOAD SILENT", "LOADSILENT"]
LOAD_TAILS = ["", " INTO GRAPH ex:g", " INTO GRAPH <http://example.org/g>"]


def updates() -> Iterator[tuple[str, str]]:
    turn = 0
    for operation in operations():
        for sep in [";", " ;", "; ", ";\n", " ;#c\n", ";#'\n"]:
            for spelling in LOADS:
                turn += 1
                tail = LOAD_TAILS[turn % len(LOAD_TAILS)]
                yield f"{PROLOGUE}{operation}{sep}{spelling} {ENDPOINT}{tail}", "ex:s ex:p ex:o"
    for lead, fact in leads():
        for sep in SEPARATORS:
            turn += 1
            spelling = SPELLINGS[turn % len(SPELLINGS)]
            body = f"{lead}{sep}{spelling} {ENDPOINT} {{ ?x ?y ?z }}"
            yield f"{PROLOGUE}INSERT {{ ex:a ex:b ?z }} WHERE {{ {body} }}", fact
            yield f"{PROLOGUE}DELETE {{ ex:a ex:b ?z }} WHERE {{ {body} }}", fact
    for spelling in ["\\u004cOAD", "LOA\\u0044"]:
        yield f"{PROLOGUE}{spelling} {ENDPOINT}", "ex:s ex:p ex:o"


@dataclass
class Text:
    text: str
    update: bool
    fact: str  # a triple that makes the patterns before the keyword match, for the control store


def generate() -> list[Text]:
    return [Text(q, False, f) for q, f in queries()] + [Text(u, True, f) for u, f in updates()]


def control(text: Text, listener: Listener) -> bool:
    """Run the text unguarded on an empty in-process store; True if the engine connected to the listener."""
    before = listener.connections
    store = pyoxigraph.Store()
    for fact in (text.fact, "ex:s ex:p ex:o"):  # a fact the engine cannot read (ex:a\\%) falls back to a plain one
        try:
            store.update(f"{PROLOGUE}INSERT DATA {{ {fact} GRAPH ex:g {{ {fact} }} }}", base_iri=BASE)
            break
        except SyntaxError:
            continue
    try:
        if text.update:
            store.update(text.text.replace(ENDPOINT, listener.iri), base_iri=BASE)
        else:
            result = store.query(text.text.replace(ENDPOINT, listener.iri), base_iri=BASE)
            if not isinstance(result, pyoxigraph.QueryBoolean):
                list(result)
    except SyntaxError:
        return False  # the engine parses the whole text before it runs any of it
    except (OSError, RuntimeError, ValueError):
        pass
    deadline = time.monotonic() + 0.2
    while listener.connections == before and time.monotonic() < deadline:
        time.sleep(0.002)  # the accept thread may count a moment after the engine gave up
    return listener.connections > before


def guarded(text: Text, url: str, token: str, listener: Listener, client: httpx.Client) -> int:
    body = text.text.replace(ENDPOINT, listener.iri).encode()
    if text.update:
        headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"}
        return client.post(f"{url}/update", content=body, headers=headers).status_code
    return client.post(f"{url}/sparql", content=body, headers={"Content-Type": "application/sparql-query"}).status_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="run only this many texts, chosen at random")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    texts = generate()
    generated = len(texts)
    if args.sample:
        texts = random.Random(args.seed).sample(texts, min(args.sample, len(texts)))
    listener = Listener(backlog=128)
    started = time.monotonic()
    effective = sum(control(text, listener) for text in texts)
    control_seconds = time.monotonic() - started
    control_connections = listener.settle()
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "store") as server:
        before = listener.connections
        with httpx.Client(timeout=30) as client:
            statuses = [guarded(text, server.url, TOKEN, listener, client) for text in texts]
        reached = listener.settle() - before
    listener.close()
    refused = statuses.count(400)
    print(f"generated texts:          {generated} ({sum(not t.update for t in generate())} queries)")
    print(f"run:                      {len(texts)}")
    print(
        f"control (unguarded) run:  {effective} texts made the engine connect, {control_connections} connections "
        f"in {control_seconds:.1f} s"
    )
    print(f"guarded (vskg serve):     {refused} refused with 400, other statuses {sorted(set(statuses) - {400})}")
    print(f"reached the listener:     {reached}")
    return 0 if reached == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
