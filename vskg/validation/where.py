"""The quads an update with a WHERE clause would delete and insert, found by evaluating it on the store first.

A gated write (`vskg.validation.gate`) needs the exact effect of an update before it runs. For INSERT DATA and
DELETE DATA the quads are in the text (`vskg.analytics.live.data_operations`); for one ``DELETE/INSERT ... WHERE``
operation (or the short form ``DELETE WHERE``) they depend on the store. SPARQL Update evaluates the WHERE clause
once and instantiates both templates with each solution, skipping instantiations that are not valid triples; a
CONSTRUCT query does exactly that for triples. So each template is cut into its default-graph part and its
``GRAPH`` blocks, and each part becomes one CONSTRUCT over the same WHERE clause and dataset (``USING`` becomes
``FROM``, ``WITH`` the default graph); a block whose graph is a variable is asked for once per graph the variable
takes. The result is a `Change` of one delete and one insert step, which `vskg.validation.delta` measures like any
other.

What is not one such operation (several operations, a mix with DATA operations, CLEAR, DROP, COPY, MOVE, ADD,
CREATE) comes back as None: its effect is not worked out here, and a gated service refuses it with a message that
says how to send it instead. So does an operation whose WHERE clause has more than ``MAX_SOLUTIONS`` solutions (they
are counted first, with a LIMIT, so a cartesian product costs no more than that many rows) or whose templates would
produce more than ``MAX_QUADS`` quads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import DefaultGraph, NamedNode, Quad

from vskg.analytics.live import Change
from vskg.sparql_lexer import IRI, PNAME, PUNCT, VAR, WORD, Token, tokenize
from vskg.store import Backend

MAX_SOLUTIONS = 100_000  # an update whose WHERE clause has more solutions is not bounded here (the gate refuses it)
MAX_QUADS = 1_000_000  # nor one whose templates give more quads
GRAPH_VARIABLE = "?vskg_template_graph"


class TooLarge(Exception):
    """The update's templates give more quads than the gate works out before a write."""


@dataclass
class _Operation:
    prologue: str = ""
    with_graph: str | None = None
    delete: str | None = None  # the template's text inside its braces
    insert: str | None = None
    using: list[str] = field(default_factory=list)
    using_named: list[str] = field(default_factory=list)
    where: str = ""  # the group graph pattern, braces included


def where_change(store: Backend, text: str, base: str | None = None, timeout: float | None = None) -> Change | None:
    """The delete and insert steps of ``text`` when it is one DELETE/INSERT ... WHERE operation, else None."""
    operation = _parse(text, base)
    if operation is None:
        return None
    deleted = _instantiate(store, operation, operation.delete, base, timeout) if operation.delete else []
    inserted = _instantiate(store, operation, operation.insert, base, timeout) if operation.insert else []
    return Change([("delete", None, deleted), ("insert", None, inserted)])


# --- cutting the operation --------------------------------------------------------------------------------------


def _groups(tokens: list[Token], text: str) -> list[tuple[str, object]] | None:
    """The operation's top-level items: ("word", TOKEN), ("term", TOKEN) or ("group", (start, end)) of a {...}."""
    items: list[tuple[str, object]] = []
    depth, opened = 0, 0
    for token in tokens:
        word = token.upper if token.kind in (PUNCT, WORD) else ""
        if word in ("{", "{|"):
            if depth == 0:
                opened = token.start
            depth += 1
        elif word in ("}", "|}"):
            depth -= 1
            if depth == 0:
                items.append(("group", (opened, token.end)))
        elif depth == 0:
            items.append(("word" if token.kind == WORD else "term", token))
    return items if depth == 0 else None


def _parse(text: str, base: str | None) -> _Operation | None:
    tokens = tokenize(text, base)
    if not tokens.complete:
        return None
    items = _groups(tokens.tokens, text)
    if items is None:
        return None
    operation = _Operation()
    i, prologue = 0, []
    while i < len(items) and items[i][0] == "word" and items[i][1].upper in ("PREFIX", "BASE"):
        count = 3 if items[i][1].upper == "PREFIX" else 2
        if i + count > len(items):
            return None
        prologue.append(text[items[i][1].start : items[i + count - 1][1].end])
        i += count
    operation.prologue = "\n".join(prologue) + ("\n" if prologue else "")

    def word(at: int) -> str:
        return items[at][1].upper if at < len(items) and items[at][0] in ("word", "term") else ""

    def group(at: int) -> str | None:
        if at < len(items) and items[at][0] == "group":
            start, end = items[at][1]
            return text[start:end]
        return None

    def iri(at: int) -> str | None:
        if at < len(items) and items[at][0] == "term" and items[at][1].kind in (IRI, PNAME):
            return items[at][1].value
        return None

    if word(i) == "WITH":
        operation.with_graph = iri(i + 1)
        if operation.with_graph is None:
            return None
        i += 2
    if word(i) == "DELETE" and word(i + 1) == "WHERE" and operation.with_graph is None:
        pattern = group(i + 2)
        if pattern is None or i + 3 != len(items):
            return None
        operation.delete, operation.where = pattern[1:-1], pattern
        return operation
    if word(i) == "DELETE" and group(i + 1) is not None:
        operation.delete = group(i + 1)[1:-1]
        i += 2
    if word(i) == "INSERT" and group(i + 1) is not None:
        operation.insert = group(i + 1)[1:-1]
        i += 2
    if operation.delete is None and operation.insert is None:
        return None
    while word(i) == "USING":
        named = word(i + 1) == "NAMED"
        graph = iri(i + 2 if named else i + 1)
        if graph is None:
            return None
        (operation.using_named if named else operation.using).append(graph)
        i += 3 if named else 2
    if word(i) != "WHERE" or group(i + 1) is None:
        return None
    operation.where = group(i + 1)
    i += 2
    if i < len(items) and not (word(i) == ";" and i + 1 == len(items)):
        return None  # another operation follows
    return operation


def _blocks(prologue: str, template: str, base: str | None) -> list[tuple[Token | None, str]] | None:
    """A template cut into (graph term or None for the default graph, triples text) parts."""
    read = tokenize(prologue + template, base)
    if not read.complete:
        return None
    shift = len(prologue)
    template = prologue + template
    tokens = [t for t in read.tokens if t.start >= shift]
    last = shift
    parts: list[tuple[Token | None, str]] = []
    default: list[str] = []
    depth, i = 0, 0
    while i < len(tokens):
        token = tokens[i]
        word = token.upper if token.kind in (PUNCT, WORD) else ""
        if depth == 0 and word == "GRAPH":
            default.append(template[last : token.start])
            if i + 2 >= len(tokens) or tokens[i + 2].text != "{" or tokens[i + 1].kind not in (IRI, PNAME, VAR):
                return None
            inner_depth, j = 0, i + 2
            while j < len(tokens):
                if tokens[j].text in ("{", "{|"):
                    inner_depth += 1
                elif tokens[j].text in ("}", "|}"):
                    inner_depth -= 1
                    if inner_depth == 0:
                        break
                j += 1
            if j == len(tokens):
                return None
            parts.append((tokens[i + 1], template[tokens[i + 2].end : tokens[j].start]))
            last, i = tokens[j].end, j + 1
            continue
        if word in ("{", "{|", "(", "["):
            depth += 1
        elif word in ("}", "|}", ")", "]"):
            depth -= 1
        i += 1
    default.append(template[last:])
    pieces = [p.strip().rstrip(".").strip() for p in default]
    triples = " .\n".join(p for p in pieces if p)
    if triples:
        parts.insert(0, (None, triples))
    return parts


# --- evaluating it -----------------------------------------------------------------------------------------------


def _dataset(store: Backend, operation: _Operation) -> str:
    if operation.using or operation.using_named:
        return " ".join(
            [*(f"FROM <{g}>" for g in operation.using), *(f"FROM NAMED <{g}>" for g in operation.using_named)]
        )
    if operation.with_graph is not None:  # the default graph is WITH's; the named graphs stay all of the store's
        return " ".join([f"FROM <{operation.with_graph}>", *(f"FROM NAMED <{g}>" for g in store.graphs())])
    return ""


def _instantiate(
    store: Backend, operation: _Operation, template: str, base: str | None, timeout: float | None
) -> list[Quad]:
    blocks = _blocks(operation.prologue, template, base)
    if blocks is None:
        raise TooLarge("the update's template could not be read")
    dataset = _dataset(store, operation)
    options = {"base_iri": base, **({"timeout": timeout} if timeout is not None else {})}
    counted = store.query(
        f"{operation.prologue}SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ "
        f"{{ SELECT * WHERE {operation.where} LIMIT {MAX_SOLUTIONS + 1} }} }}",
        **options,
    )
    if int(next(iter(counted))["n"].value) > MAX_SOLUTIONS:
        raise TooLarge(f"the update's WHERE clause has more than {MAX_SOLUTIONS:,} solutions")
    default = NamedNode(operation.with_graph) if operation.with_graph else DefaultGraph()
    quads: list[Quad] = []
    for term, triples in blocks:
        if term is None:
            targets = [(default, "")]
        elif term.kind == VAR:
            bind = f"BIND({term.text} AS {GRAPH_VARIABLE})"
            found = store.query(
                f"{operation.prologue}SELECT DISTINCT {GRAPH_VARIABLE} {dataset} WHERE {{ {operation.where} {bind} }}",
                **options,
            )
            graphs = [row[GRAPH_VARIABLE[1:]] for row in found]
            targets = [
                (graph, f"{bind} FILTER(sameTerm({GRAPH_VARIABLE}, {graph}))")
                for graph in graphs
                if isinstance(graph, NamedNode)
            ]
        else:
            if term.value is None:
                raise TooLarge("the update's template names a graph that could not be read")
            targets = [(NamedNode(term.value), "")]
        for graph, extra in targets:
            query = f"{operation.prologue}CONSTRUCT {{ {triples} }} {dataset} WHERE {{ {operation.where} {extra} }}"
            for triple in store.query(query, **options):
                quads.append(Quad(triple.subject, triple.predicate, triple.object, graph))
                if len(quads) > MAX_QUADS:
                    raise TooLarge(f"the update would change more than {MAX_QUADS:,} quads")
    return quads
