"""Running the compiled shapes on a store: a full run, or a run for chosen top shapes and focus nodes.

The engine sends one SELECT per constraint (`vskg.validation.compiler`) through the `Backend` interface, so the
embedded store and a remote SPARQL server validate the same way, and turns the rows into the `Finding` records the
pyshacl reference (`vskg.validate`) gives: the same severities, focus nodes, shapes, messages (SHACL-SPARQL
placeholders filled the way pyshacl fills them), paths in SPARQL syntax, values and components. Files are checked
in an in-memory embedded store holding them in its default graph beside the bundled ontology and schemes, because
``sh:class`` resolves through the vocabulary's ``rdfs:subClassOf``.

Blank nodes: a finding names a blank focus node by its store label without ``_:`` and a blank value with it, as
the reference does; on the embedded store the labels are the store's own, on a remote server they are whatever the
server writes in each answer, so there findings agree with the reference only up to a renaming of blank nodes.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from vskg.graphs import bundled_sources
from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.store.base import Backend, QueryTimeout
from vskg.store.embedded import LocalStore
from vskg.validation.compiler import RDFS, Compiled, class_terms, compile_constraint, target_query
from vskg.validation.findings import SEVERITY_ORDER, Finding, Report, finding_order
from vskg.validation.shapes import SHACL, Constraint, Shapes, TopShape, bundled_shapes
from vskg.validation.view import view_options

Focus = Mapping[str, Collection[str]]  # top shape IRI -> focus node IRIs (or "_:id" blank nodes) to check

_IRI_PATH = re.compile(r"<[^<>]*>")


def run(
    store: Backend,
    *,
    focus: Focus | None = None,
    shapes: Shapes | None = None,
    graphs: Sequence[str] | None = None,
    timeout: float | None = None,
) -> list[Finding]:
    """Validate the data view of ``store``: every top shape (``focus`` None) or the listed shapes and nodes.

    With ``focus``, each listed top shape is checked only for those of the listed nodes that are its targets now.
    ``graphs`` names the data view (default: every graph but the shapes and report graphs, plus the default
    graph). ``timeout`` bounds the whole run in seconds (QueryTimeout when passed). Returns sorted findings.
    """
    return sorted((finding for finding, _ in results(store, focus, shapes, graphs, timeout)), key=finding_order)


Result = tuple[Finding, tuple]  # the finding and its terms: (focus node, value, path text), for a report graph


def results(
    store: Backend,
    focus: Focus | None = None,
    shapes: Shapes | None = None,
    graphs: Sequence[str] | None = None,
    timeout: float | None = None,
    dataset: Mapping | None = None,
) -> list[Result]:
    """The findings of a run (see `run`) with their terms. ``dataset`` (query options) replaces the data view:
    `vskg.validation.fullrun` reads the union of all graphs this way and then corrects for the left-out ones."""
    shapes = shapes or bundled_shapes()
    options = dict(dataset) if dataset is not None else view_options(store, None if graphs is None else list(graphs))
    deadline = None if timeout is None else time.monotonic() + timeout
    plan: list[tuple[TopShape, Collection[str] | None]] = []
    if focus is None:
        plan = [(shape, None) for shape in shapes.top]
    else:
        plan = [(shapes.get(iri), nodes) for iri, nodes in sorted(focus.items()) if nodes]
    classes = subclasses(store, [shape for shape, _ in plan], options)
    targets: dict[str, list[str]] = {}
    checks: list[tuple[TopShape, Constraint, Collection[str] | None, Callable[[object], bool] | None]] = []
    for shape, nodes in plan:
        keep: Callable[[object], bool] | None = None
        if nodes is not None and any(n.startswith("_:") for n in nodes):
            wanted = set(nodes)  # a blank node cannot be named in a query: run for all, keep the listed
            keep = lambda term, wanted=wanted: _focus_id(term) in wanted  # noqa: E731
            nodes = None
        for constraint in shape.constraints:
            if constraint.component == "MinCountConstraintComponent" and int(constraint.param("minCount")) <= 0:
                continue
            checks.append((shape, constraint, nodes, keep))

    def check(item) -> list[Result]:
        shape, constraint, nodes, keep = item
        compiled = compile_constraint(shape, constraint, nodes, classes)
        remaining = None
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout(f"the validation took longer than {timeout:g} s and was stopped")
        try:
            rows = list(store.query(compiled.text, timeout=remaining, **options))
        except QueryTimeout:
            if deadline is not None and time.monotonic() >= deadline:
                raise QueryTimeout(f"the validation took longer than {timeout:g} s and was stopped") from None
            if nodes is not None:
                raise QueryTimeout(
                    f"the check of {constraint.component} in shape {shape.iri} took longer than the store's "
                    "query time limit and was stopped"
                ) from None
            if shape.iri not in targets:
                targets[shape.iri] = _focus_nodes(store, shape, classes, options, deadline)
            rows = _in_parts(store, shape, constraint, targets[shape.iri], classes, options, deadline)
        return [r for r in _read(compiled, rows) if keep is None or keep(r[1][0])]

    if len(checks) < 2 or WORKERS < 2:
        return [result for item in checks for result in check(item)]
    # The store answers queries side by side (pyoxigraph lets go of the GIL while it evaluates; a server has
    # threads of its own): on two cores a full run at a million triples takes about half the time.
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="vskg-validation") as pool:
        return [result for found in pool.map(check, checks) for result in found]


# Checks run side by side (see `results`): one per core, at most four.
WORKERS = min(4, os.cpu_count() or 1)


# A check too slow for the store's query time limit over all focus nodes is run for this many at a time, and for
# halves of a part that is still too slow (each focus node's results depend on that node alone).
PART = 2_000


def _focus_nodes(store: Backend, shape: TopShape, classes, options: Mapping, deadline: float | None) -> list[str]:
    """The focus nodes of ``shape`` (IRIs), for a check run in parts; QueryTimeout if any cannot be named."""
    rows = store.query(target_query(shape, classes), timeout=_remaining(deadline), **options)
    nodes = []
    for row in rows:
        if not isinstance(row["this"], NamedNode):
            raise QueryTimeout(
                f"the checks of shape {shape.iri} took longer than the store's query time limit, and its focus nodes "
                "include blank nodes or literals, which cannot be checked a part at a time"
            )
        nodes.append(row["this"].value)
    return sorted(set(nodes))


def _in_parts(store, shape, constraint, nodes: list[str], classes, options, deadline) -> Iterable:
    """The rows of ``constraint`` over ``nodes``, `PART` focus nodes per query (halved while a part times out)."""
    todo = [nodes[i : i + PART] for i in range(0, len(nodes), PART)]
    while todo:
        part = todo.pop(0)
        compiled = compile_constraint(shape, constraint, part, classes)
        try:
            yield from list(store.query(compiled.text, timeout=_remaining(deadline), **options))
        except QueryTimeout:
            if len(part) == 1 or (deadline is not None and time.monotonic() >= deadline):
                raise QueryTimeout(
                    f"the check of {constraint.component} in shape {shape.iri} took longer than the store's query "
                    f"time limit{' for the single focus node ' + part[0] if len(part) == 1 else ''} and was stopped"
                ) from None
            half = len(part) // 2
            todo[:0] = [part[:half], part[half:]]


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise QueryTimeout("the validation took longer than its time limit and was stopped")
    return remaining


def subclasses(store: Backend, shapes: Sequence[TopShape], options: Mapping) -> dict[str, tuple[str, ...]]:
    """Each class the shapes name with its subclasses in the data view (classes with a blank subclass left out)."""
    wanted = class_terms(shapes)
    if not wanted:
        return {}
    # The subclass edges, closed here rather than by ``rdfs:subClassOf*`` in the query: some servers (Virtuoso)
    # refuse a transitive path whose start is not a constant. A blank subclass comes back as the literal "_" (blank
    # node labels do not survive every server's results); a class below one is left to the path in the query.
    below: dict[object, set[object]] = {}
    edges = (
        f"SELECT DISTINCT ?sub ?sup WHERE {{ ?node <{RDFS}subClassOf> ?sup FILTER(isIRI(?sup)) "
        'BIND(IF(isIRI(?node), ?node, "_") AS ?sub) }'
    )
    for row in store.query(edges, **options):
        below.setdefault(row["sup"], set()).add(row["sub"])
    result: dict[str, tuple[str, ...]] = {}
    for term in wanted:
        start = NamedNode(term[1:-1])
        reached, todo = {start}, [start]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in reached:
                    reached.add(sub)
                    todo.append(sub)
        if all(isinstance(node, NamedNode) for node in reached):
            result[term] = tuple(sorted(str(node) for node in reached))
    return result


def _focus_id(term) -> str:
    return "_:" + term.value if isinstance(term, BlankNode) else term.value


def _text(term) -> str:
    """A term as the reference's finding writes a focus node or a message placeholder (str of the rdflib term)."""
    return term.value


def _value(term) -> str | None:
    if term is None:
        return None
    return "_:" + term.value if isinstance(term, BlankNode) else term.value


def _finding_path(path: str | None) -> str | None:
    if path is None:
        return None
    return path[1:-1] if _IRI_PATH.fullmatch(path) else path


def _default_message(constraint: Constraint) -> str:
    """A message for a shape that has none (the bundled shapes all have one; pyshacl writes its own wording)."""
    return f"The value does not satisfy {constraint.component} of shape {constraint.shape}"


def _fill(message: str, bindings: Mapping[str, str]) -> str:
    """Fill {?var} and {$var} placeholders one variable after another, as pyshacl does."""
    for name, text in bindings.items():
        pattern = f"{{[?$]{name}}}"
        try:
            message = re.sub(pattern, text, message)
        except re.error:  # a value holding a backslash sequence: put it in as it is
            message = re.sub(pattern, lambda _, text=text: text, message)
    return message


def _read(compiled: Compiled, rows) -> Iterable[Result]:
    c = compiled.constraint
    component = SHACL + c.component
    messages = c.messages or (_default_message(c),)
    if compiled.rows != "sparql":
        message = " ".join(messages)
        path = _finding_path(c.path)
        for row in rows:
            this = row["this"]
            value = row["value"] if compiled.rows == "value" else None
            finding = Finding(c.severity, _text(this), c.shape, message, path, _value(value), component)
            yield finding, (this, value, c.path)
        return
    variables = [v for v in compiled.variables if v not in ("this", "path", "value")]
    selected = set(compiled.variables)
    for row in rows:
        this = row["this"]
        value = row["value"] if "value" in selected else None
        path_term = row["path"] if "path" in selected else None
        shown_this = this if compiled.this_selected else None
        if shown_this is None and value is None and path_term is None:
            continue  # the reference keeps no result for a row naming neither $this, ?path nor ?value
        if value is None and c.path is None:
            value = this
        bindings = {v: _text(row[v]) for v in variables if row[v] is not None}
        for name, term in (("this", shown_this), ("path", path_term), ("value", value)):
            if term is not None:
                bindings[name] = _text(term)
        message = " ".join(_fill(m, bindings) for m in messages)
        path = c.path if path_term is None else f"<{path_term.value}>"
        finding = Finding(c.severity, _text(this), c.shape, message, _finding_path(path), _value(value), component)
        yield finding, (this, value, path)


# --- files and quads ------------------------------------------------------------------------------------------


def vocabulary_store() -> LocalStore:
    """An in-memory store holding the bundled ontology and schemes, each in its graph."""
    store = LocalStore.in_memory()
    for path, graph in bundled_sources(locate(), with_data=False):
        store.add_to_graph(graph, parse_file(path, graph))
    return store


def validate_quads(data: Iterable[Quad | Triple], *, shapes: Shapes | None = None) -> Report:
    """Validate instance data (quads or triples, graph names ignored) with the bundled ontology and schemes."""
    store = vocabulary_store()
    try:
        store.add_to_graph(None, [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in data])
        found = results(store, shapes=shapes)
    finally:
        store.close()
    return report_of(found)


def report_of(found: list[Result]) -> Report:
    """A `Report` ordered as the reference orders it (severity, focus node, shape), with its SHACL graph."""
    found = sorted(found, key=lambda r: (SEVERITY_ORDER.get(r[0].severity, 9), *finding_order(r[0])[1:]))
    findings = [f for f, _ in found]
    conforms = not any(f.severity == "Violation" for f in findings)
    return Report(conforms=conforms, findings=findings, graph=report_graph(conforms, found))


def validate_files(paths: Iterable[Path], *, shapes: Shapes | None = None) -> Report:
    """Validate several files as one model, each read through the guarded parser (InputError for a bad file)."""
    return validate_quads([quad for path in paths for quad in parse_file(Path(path))], shapes=shapes)


# --- the SHACL report graph ----------------------------------------------------------------------------------------


def report_graph(conforms: bool, found: Sequence[Result]):
    """The SHACL validation report as an rdflib graph (``vskg validate -f turtle``, ``POST /validate`` Turtle)."""
    import rdflib
    from rdflib.namespace import RDF, SH

    graph = rdflib.Graph()
    graph.bind("sh", SH)
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    for finding, (this, value, path) in found:
        node = rdflib.BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, SH[finding.severity]))
        graph.add((node, SH.focusNode, _rdflib(this)))
        graph.add((node, SH.sourceShape, _rdflib_shape(finding.source_shape)))
        graph.add((node, SH.sourceConstraintComponent, rdflib.URIRef(finding.constraint)))
        graph.add((node, SH.resultMessage, rdflib.Literal(finding.message)))
        if value is not None:
            graph.add((node, SH.value, _rdflib(value)))
        if path is not None:
            graph.add((node, SH.resultPath, _path_node(graph, path)))
    return graph


def _rdflib(term):
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    assert isinstance(term, Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _rdflib_shape(shape: str):
    import rdflib

    return rdflib.BNode(shape[2:]) if shape.startswith("_:") else rdflib.URIRef(shape)


_PATH_TOKEN = re.compile(r"<[^<>]*>|[()|/^*+?]")


def _path_node(graph, text: str):
    """The SHACL path structure of a path written in SPARQL syntax (the inverse of `shapes.path_text`)."""
    import rdflib
    import rdflib.collection
    from rdflib.namespace import SH

    tokens = _PATH_TOKEN.findall(text)
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def listed(items: list) -> rdflib.BNode:
        head = rdflib.BNode()
        rdflib.collection.Collection(graph, head, items)
        return head

    def alternatives():
        options = [sequence()]
        while peek() == "|":
            take()
            options.append(sequence())
        if len(options) == 1:
            return options[0]
        node = rdflib.BNode()
        graph.add((node, SH.alternativePath, listed(options)))
        return node

    def sequence():
        steps = [step()]
        while peek() == "/":
            take()
            steps.append(step())
        return steps[0] if len(steps) == 1 else listed(steps)

    def step():
        if peek() == "^":
            take()
            node = rdflib.BNode()
            graph.add((node, SH.inversePath, step()))
            return node
        token = take()
        inner = alternatives() if token == "(" else rdflib.URIRef(token[1:-1])
        if token == "(":
            take()  # the closing bracket
        modifiers = {"*": SH.zeroOrMorePath, "+": SH.oneOrMorePath, "?": SH.zeroOrOnePath}
        while peek() in modifiers:
            node = rdflib.BNode()
            graph.add((node, modifiers[take()], inner))
            inner = node
        return inner

    return alternatives()
