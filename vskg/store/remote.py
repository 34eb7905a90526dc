"""A SPARQL server as the store: the SPARQL 1.1 Protocol for queries and updates, the Graph Store Protocol for
whole graphs, over one httpx client.

Answers are parsed into pyoxigraph's result objects, so code above the `Backend` interface cannot tell this store
from the embedded one. Servers differ in small ways; a `Dialect` holds the differences that matter to vskg
(`vskg.store.dialects`): how a query is sent, how the union of all graphs is asked for, which graphs are the
server's own, how large one INSERT DATA may be, and whether the Graph Store Protocol is there at all.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pyoxigraph
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
)

from vskg.rdfio import GuardedReader, InputError, Limits, file_format
from vskg.sparql_lexer import IRI, WORD, has_scheme, tokenize
from vskg.store.base import BackendError, GraphStats, QueryTimeout, StoreStats
from vskg.store.dialects import GENERIC, OXIGRAPH, Dialect
from vskg.store.server_text import (
    as_boolean,
    boolean_variables,
    data_batches,
    drop_all_as_graphs,
    named_graph_values,
    query_dataset,
)

RESULTS_JSON = "application/sparql-results+json"
RETRY_AFTER = 0.5  # seconds before a query that lost its connection is sent again
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# Results formats in which the engine's document is handed on as it is: Oxigraph writes them exactly as vskg's own
# writers do (`vskg.sparql_results`), so a client cannot tell which of the two wrote its answer.
HANDED_ON = (RESULTS_JSON,)


@dataclass(frozen=True)
class ResultsDocument:
    """A SELECT or ASK answer as the server wrote it."""

    form: str  # "SELECT" or "ASK"
    media_type: str
    body: bytes


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them the query says (SELECT if it cannot be read)."""
    for token in tokenize(text).tokens:
        if token.kind == WORD and token.upper in FORMS:
            return token.upper
    return "SELECT"


def with_base(text: str, base_iri: str | None) -> tuple[str, int]:
    """The text with ``BASE <base_iri>`` in front when it has relative IRIs (the protocol has no parameter for
    the base, the prologue has), and the number of characters added to its first line.

    The BASE goes on the first line, so the server's error positions keep their line numbers; `with_position`
    puts the columns of line 1 back.
    """
    if not base_iri or not any(
        token.kind == IRI and not has_scheme(token.text[1:-1]) for token in tokenize(text).tokens
    ):
        return text, 0
    prefix = f"BASE {NamedNode(base_iri)} "
    return prefix + text, len(prefix)


def with_position(message: str, shift: int) -> str:
    """The server's message with a column on line 1 told as in the text the caller sent."""
    if not shift:
        return message
    return _LINE_ONE.sub(lambda m: f"{m.group(1)}{max(1, int(m.group(2)) - shift)}", message, count=1)


_LINE_ONE = re.compile(r"(\bat 1:)(\d+)")


class RemoteStore:
    """A `Backend` over a SPARQL server's query, update and Graph Store endpoints."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        dialect: Dialect = GENERIC,
        timeout: float = 60.0,
        write_timeout: float | None = None,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.store_url = store_url
        self.dialect = dialect
        self.timeout = timeout  # for queries: each also gets its own deadline
        self.write_timeout = write_timeout  # for writes: none by default (a large load takes as long as it takes)
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(write_timeout, connect=10.0), limits=limits, transport=transport, trust_env=False
        )
        self._graphs_cache: list[str] | None = None  # the user's graphs, for dialects that spell the dataset out
        # Writes move this on before and after they run, and are counted while they run: a list of graphs read by
        # another thread meanwhile (the standing validation reads while the service writes) is never kept.
        self._graphs_generation = 0
        self._writes_running = 0

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, dialect={self.dialect.name!r})"

    def close(self) -> None:
        self.client.close()

    # --- reading -------------------------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        timeout: float | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list | NamedNode | DefaultGraph | None = None,
        named_graphs: list | None = None,
        base_iri: str | None = None,
        substitutions: dict | None = None,
        _internal: bool = False,
    ):
        if substitutions:
            raise ValueError("a remote store takes no substitutions: bind values as constants in the query text")
        form = query_form(text)
        params, shift = self._query_params(
            text, use_default_graph_as_union, default_graph, named_graphs, base_iri, _internal
        )
        accept = RESULTS_JSON if form in ("SELECT", "ASK") else N_TRIPLES
        body = self._send_with_position(params, accept, timeout, shift)
        if form == "ASK":
            return _results(body, self.dialect.ask_variable)
        if form == "SELECT":
            booleans = set() if self.dialect.has_booleans else boolean_variables(text)
            return _results(body, booleans=booleans)
        return _triples(body)

    def query_document(
        self,
        text: str,
        media_for: Callable[[str], str | None],
        *,
        timeout: float | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list | NamedNode | DefaultGraph | None = None,
        named_graphs: list | None = None,
        base_iri: str | None = None,
    ) -> ResultsDocument | None:
        """The server's own answer to a SELECT or ASK, in the media type ``media_for("select" | "ask")`` picks, to
        be handed on without parsing and writing it again; None when that is not possible here (another form, a
        format not in `HANDED_ON`, or a server whose documents vskg rewrites: only Oxigraph's are handed on).

        The options are those of `query`; the caller still reads the document (to count its rows, for example).
        """
        if self.dialect != OXIGRAPH:
            return None
        form = query_form(text)
        if form not in ("SELECT", "ASK"):
            return None
        media = media_for(form.lower())
        if media not in HANDED_ON:
            return None
        params, shift = self._query_params(text, use_default_graph_as_union, default_graph, named_graphs, base_iri)
        return ResultsDocument(form, media, self._send_with_position(params, media, timeout, shift))

    def _query_params(
        self,
        text: str,
        use_default_graph_as_union: bool,
        default_graph: list | NamedNode | DefaultGraph | None,
        named_graphs: list | None,
        base_iri: str | None,
        internal: bool = False,
    ) -> tuple[list[tuple[str, str]], int]:
        """The protocol parameters of a query (the text, with BASE if needed, and its dataset), and the BASE shift.

        For a server that binds nothing in ``GRAPH ?g {}``, the text names the dataset's named graphs itself."""
        dataset: list[tuple[str, str]] = []
        if default_graph is None and not named_graphs and self.dialect.default_graph_iri and not internal:
            dataset.extend(self._own_dataset(text, base_iri) or self._explicit_dataset(use_default_graph_as_union))
        elif default_graph is not None:
            for graph in default_graph if isinstance(default_graph, list) else [default_graph]:
                if iri := self._graph_iri(graph):
                    dataset.append(("default-graph-uri", iri))
        elif use_default_graph_as_union:
            dataset.extend(self.dialect.union_params)
        for graph in named_graphs or ():
            dataset.append(("named-graph-uri", graph.value))
        named = [value for key, value in dataset if key == "named-graph-uri"]
        if not self.dialect.binds_empty_graph_pattern and named:
            text = named_graph_values(text, [g for g in named if g != self.dialect.no_graph_iri])
        sent, shift = with_base(text, base_iri)
        return [("query", sent), *dataset], shift

    def _send_with_position(self, params: list[tuple[str, str]], accept: str, timeout: float | None, shift: int):
        try:
            return self._send_query(params, accept, timeout)
        except SyntaxError as problem:
            raise SyntaxError(with_position(str(problem), shift)) from None

    def _explicit_dataset(self, union: bool) -> list[tuple[str, str]]:
        """For servers whose own dataset is not Oxigraph's (Virtuoso: its system graphs are in the union and in
        ``GRAPH ?g``, and it has no plain default graph), the dataset spelled out: the user's graphs as named
        graphs, and as default graph the stand-in default graph, plus every user graph for the union."""
        graphs = self._user_graphs()
        defaults = [*graphs, self.dialect.default_graph_iri] if union else [self.dialect.default_graph_iri]
        named = graphs or [self.dialect.no_graph_iri]
        return [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named if g]

    def _own_dataset(self, text: str, base_iri: str | None) -> list[tuple[str, str]]:
        """The query's FROM / FROM NAMED as protocol parameters (empty if it has none), for servers that take the
        protocol's named graphs over the query's: a query with FROM but no FROM NAMED has no named graphs."""
        own = query_dataset(text, base_iri)
        if own is None:
            return []
        default, named = own
        named = named or [self.dialect.no_graph_iri]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named if g]

    def _user_graphs(self) -> list[str]:
        cached = self._graphs_cache
        if cached is not None:
            return cached
        generation = self._graphs_generation
        found = self.graphs()
        if generation == self._graphs_generation and not self._writes_running:
            self._graphs_cache = found
        return found

    @contextmanager
    def _changing_graphs(self) -> Iterator[None]:
        """Around a write: the cached list of graphs is dropped before it and after it, and not refilled during it."""
        self._writes_running += 1
        self._graphs_generation += 1
        self._graphs_cache = None
        try:
            yield
        finally:
            self._writes_running -= 1
            self._graphs_generation += 1
            self._graphs_cache = None

    def _graph_iri(self, graph) -> str:
        """The IRI a dataset parameter names for ``graph``: the default graph is the dialect's stand-in, if any,
        else it cannot be named (and is left out)."""
        return graph.value if isinstance(graph, NamedNode) else self.dialect.default_graph_iri

    def _send_query(self, params: list[tuple[str, str]], accept: str, timeout: float | None) -> bytes:
        limit = self.timeout if timeout is None else timeout
        headers = {"Accept": accept}
        if self.dialect.timeout_param:
            params = [*params, (self.dialect.timeout_param, str(max(1, int(limit * 1000))))]
        for attempt in (1, 2):
            try:
                if self.dialect.query_by_get:
                    response = self.client.get(self.query_url, params=params, headers=headers, timeout=limit + 5)
                else:
                    response = self.client.post(self.query_url, data=_form(params), headers=headers, timeout=limit)
                break
            except httpx.TimeoutException:
                raise QueryTimeout(f"the query ran past {limit:g} s") from None
            except httpx.ConnectError as problem:
                # The query never reached the server (it may be restarting): ask once more, after a moment. A query
                # whose connection broke while it ran is not sent again here: it may be what stopped the server.
                if attempt == 2:
                    raise BackendError(f"the SPARQL server at {self.query_url} stopped answering: {problem}") from None
                time.sleep(RETRY_AFTER)
            except httpx.HTTPError as problem:
                raise BackendError(f"the SPARQL server at {self.query_url} could not be reached: {problem}") from None
        _raise_for(response, "query")
        if self.dialect.cancelled_marker and self.dialect.cancelled_marker in response.content[-200:]:
            raise QueryTimeout("the server stopped the query at its time limit")
        header, value = self.dialect.timeout_header
        if header and response.headers.get(header, "").startswith(value):
            raise QueryTimeout(f"the server stopped the query at its time limit ({limit:g} s)")
        return response.content

    def graphs(self) -> list[str]:
        # GROUP BY rather than DISTINCT: the same answer, but Virtuoso 7 reads DISTINCT ?g by scanning every quad
        # (about 7 s on an almost empty store) and GROUP BY ?g from its graph index (20 ms)
        pattern = "{ }" if self.dialect.empty_graphs else "{ ?s ?p ?o }"
        rows = self.query(f"SELECT ?g WHERE {{ GRAPH ?g {pattern} }} GROUP BY ?g", _internal=True)
        return sorted(
            row["g"].value
            for row in rows
            if isinstance(row["g"], NamedNode) and not self.dialect.is_system_graph(row["g"].value)
        )

    def has_graph(self, graph: str | None) -> bool:
        if graph is None:
            return True
        if self.dialect.is_system_graph(graph):
            return False
        pattern = "{ }" if self.dialect.empty_graphs else "{ ?s ?p ?o }"
        return bool(self.query(f"ASK {{ GRAPH {NamedNode(graph)} {pattern} }}", _internal=True))

    def quads(self, graph: str | None) -> Iterator[Quad]:
        target = NamedNode(graph) if graph else DefaultGraph()
        where = f"GRAPH {target} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        return (Quad(t.subject, t.predicate, t.object, target) for t in triples)

    def serialize_graph(self, graph: str | None, fmt: RdfFormat) -> bytes:
        triples = [q.triple for q in self.quads(graph)]
        return pyoxigraph.serialize(triples, format=fmt) or b""

    def dump(self, output: IO[bytes] | Path, fmt: RdfFormat = RdfFormat.N_QUADS) -> None:
        def every_quad() -> Iterator[Quad]:
            yield from self.quads(None)
            if fmt.supports_datasets:
                for graph in self.graphs():
                    yield from self.quads(graph)

        target = str(output) if isinstance(output, Path) else output
        pyoxigraph.serialize(every_quad(), target, format=fmt)

    def stats(self) -> StoreStats:
        per_graph = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        graphs = [
            GraphStats(row["g"].value, int(row["n"].value))
            for row in per_graph
            if not self.dialect.is_system_graph(row["g"].value)
        ]
        default = int(next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
        if default:
            graphs.insert(0, GraphStats("(default graph)", default))
        classes = self.query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class",
            use_default_graph_as_union=True,
        )
        return StoreStats(graphs, [(row["class"].value, int(row["n"].value)) for row in classes])

    # --- writing -------------------------------------------------------------------------------------------

    def update(self, text: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update on the server.

        For a server that limits the size of one update (`Dialect.insert_batch`, Virtuoso), an update that is only
        `INSERT DATA` / `DELETE DATA` operations with more triples than that is sent as several updates in order,
        each at most that size. The server applies each batch as its own change: if a later batch fails, the
        batches before it stay written and the error is raised (the update is then partly applied; sending it again
        is safe, as adding or removing the same data twice has no further effect). Any other update is sent whole.
        """
        batches = data_batches(text, self.dialect.insert_batch) if self.dialect.insert_batch else None
        for batch in batches or [text]:
            self._update_once(batch, base_iri)

    def _update_once(self, text: str, base_iri: str | None) -> None:
        form: list[tuple[str, str]] = []
        if self.dialect.default_graph_iri:
            # an update's own USING / USING NAMED give its WHERE the dataset; named graphs sent beside them would
            # take their place on Virtuoso, so only the stand-in default graph is named then
            own = any(t.kind == WORD and t.upper == "USING" for t in tokenize(text).tokens)
            form += [("default-graph-uri", self.dialect.default_graph_iri)] if own else self._explicit_dataset(False)
            text = drop_all_as_graphs(
                text, self._user_graphs(), self.dialect.default_graph_iri, self.dialect.no_graph_iri
            )
        sent, shift = with_base(text, base_iri)
        form.insert(0, ("update", sent))
        try:
            with self._changing_graphs():
                response = self.client.post(self.update_url, data=_form(form))
        except httpx.HTTPError as problem:
            raise BackendError(f"the SPARQL server at {self.update_url} could not be reached: {problem}") from None
        try:
            _raise_for(response, "update")
        except SyntaxError as problem:
            raise SyntaxError(with_position(str(problem), shift)) from None

    def replace_graph(self, graph: str | None, quads: Iterable[Quad]) -> None:
        """Make ``graph`` hold exactly ``quads``: one Graph Store PUT, which the server applies as one change."""
        body = pyoxigraph.serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES) or b""
        if self.store_url:
            self._graph_request("PUT", graph, body, N_TRIPLES)
        else:
            self._insert_batches(graph, body, replace=True)

    def add_to_graph(self, graph: str | None, quads: Iterable[Quad]) -> None:
        body = pyoxigraph.serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES) or b""
        if self.store_url:
            self._graph_request("POST", graph, body, N_TRIPLES)
        else:
            self._insert_batches(graph, body, replace=False)

    def drop_graph(self, graph: str | None) -> None:
        self.update(self._drop(graph))

    def _drop(self, graph: str | None) -> str:
        if graph is None and not self.dialect.default_graph_iri:
            return "DROP SILENT DEFAULT"
        return f"DROP SILENT GRAPH {NamedNode(graph or self.dialect.default_graph_iri)}"

    def load_file(self, path: Path, graph: str | None = None, progress=None) -> tuple[str, int]:
        """Replace the file's graph with the file: the file is streamed through the guard to the server's Graph
        Store endpoint, which parses it (nothing is written when it is malformed)."""
        path = Path(path)
        fmt = file_format(path)
        target = graph or path.resolve().as_uri()
        if fmt.supports_datasets or not self.store_url or not self.dialect.parses_uploads:
            from vskg.rdfio import parse_file

            self.replace_graph(target, parse_file(path, target))
        else:
            try:
                size = path.stat().st_size
                with path.open("rb") as raw:
                    reader = GuardedReader(raw, fmt, str(path), Limits.from_env())
                    self._graph_request("PUT", target, _chunks(reader, size, progress), fmt.media_type, name=str(path))
            except OSError as err:
                raise InputError(path, err.strerror or str(err)) from None
        count = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {NamedNode(target)} {{ ?s ?p ?o }} }}")
        return target, int(next(iter(count))["n"].value)

    def _graph_request(self, method: str, graph: str | None, body, media: str, *, name: str = "") -> None:
        graph = graph or self.dialect.default_graph_iri or None
        params = {"default": ""} if graph is None else {"graph": graph}
        try:
            with self._changing_graphs():
                response = self.client.request(
                    method, self.store_url or "", params=params, content=body, headers={"Content-Type": media}
                )
        except InputError:
            raise
        except httpx.HTTPError as problem:
            raise BackendError(f"the Graph Store at {self.store_url} could not be reached: {problem}") from None
        if name and response.status_code == 400:
            raise InputError(name, _message(response))
        _raise_for(response, "graph store request")

    def _insert_batches(self, graph: str | None, ntriples: bytes, *, replace: bool) -> None:
        """Write through SPARQL Update when the server has no Graph Store endpoint: one update, or for servers that
        limit its size (Virtuoso), batches of the dialect's size after the first."""
        lines = [line for line in ntriples.decode("utf-8").splitlines() if line.strip()]
        size = self.dialect.insert_batch or max(1, len(lines))
        target = f"GRAPH {NamedNode(graph)} " if graph else ""
        clear = self._drop(graph) + " ;\n"
        first = True
        for start in range(0, max(1, len(lines)), size):
            chunk = "\n".join(lines[start : start + size])
            prefix = clear if (replace and first) else ""
            self.update(f"{prefix}INSERT DATA {{ {target}{{ {chunk} }} }}")
            first = False
        if graph is not None and self.dialect.empty_graphs:
            self.update(f"CREATE SILENT GRAPH {NamedNode(graph)}")


def _form(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for key, value in params:
        merged.setdefault(key, []).append(value)
    return merged


def _chunks(reader: GuardedReader, size: int, progress) -> Iterator[bytes]:
    done = 0
    while chunk := reader.read(1 << 20):
        done += len(chunk)
        if progress:
            progress(done, size)
        yield chunk


def _message(response: httpx.Response) -> str:
    text = response.text.strip()
    return text[:500] if text else f"HTTP {response.status_code}"


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.status_code < 400:
        return
    if response.status_code == 400:
        raise SyntaxError(_message(response))
    raise BackendError(f"the SPARQL server refused the {what}: {response.status_code} {_message(response)}")


def _results(body: bytes, ask_variable: str = "", booleans: set[str] = frozenset()) -> QuerySolutions | QueryBoolean:
    """The parsed answer; with ``ask_variable``, an ASK that the server answered as one row of 1 or 0 (Virtuoso)
    becomes the boolean it means; the integers 1 and 0 in the variables named in ``booleans`` become booleans."""
    try:
        results = pyoxigraph.parse_query_results(body, format=QueryResultsFormat.JSON)
    except SyntaxError as problem:
        raise BackendError(f"the SPARQL server answered results vskg cannot read: {problem}") from None
    if booleans and isinstance(results, QuerySolutions):
        variables = list(results.variables)
        rows = [[as_boolean(row[v]) if v.value in booleans else row[v] for v in variables] for row in results]
        return _solutions(variables, rows)
    if ask_variable and isinstance(results, QuerySolutions):
        rows = list(results)
        truth = bool(rows) and rows[0][ask_variable] is not None and rows[0][ask_variable].value in ("1", "true")
        return pyoxigraph.parse_query_results(
            b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false"), format=QueryResultsFormat.JSON
        )
    return results


def _solutions(variables: list, rows: list[list]) -> QuerySolutions:
    """Solutions as pyoxigraph's own result object (it has no public constructor: written and read back)."""
    bindings = []
    for row in rows:
        bindings.append({v.value: _json_term(term) for v, term in zip(variables, row, strict=True) if term is not None})
    body = json.dumps({"head": {"vars": [v.value for v in variables]}, "results": {"bindings": bindings}})
    return pyoxigraph.parse_query_results(body.encode("utf-8"), format=QueryResultsFormat.JSON)


def _json_term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    return {"type": "bnode", "value": term.value}


def _triples(body: bytes) -> list:
    try:
        return [q.triple for q in pyoxigraph.parse(io.BytesIO(body), format=RdfFormat.N_TRIPLES)]
    except SyntaxError as problem:
        raise BackendError(f"the SPARQL server answered triples vskg cannot read: {problem}") from None
