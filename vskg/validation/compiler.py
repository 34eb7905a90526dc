"""Each SHACL constraint as one SPARQL SELECT whose rows are exactly the validation results.

The query joins the focus nodes of the top shape (its targets, computed by a sub-select, optionally cut down by
``VALUES ?this``) with the constraint's test, so a constraint costs one query whatever the number of focus nodes,
and the query engine does the work. The tests follow what the pyshacl reference reports, not only the letter of
the specification: ``sh:class`` through ``rdf:type/rdfs:subClassOf*`` with literals failing; ``sh:datatype``
failing ill-typed literals of the datatypes the reference checks; comparisons that cannot be made count as
failures; one result per failing pair for the property-pair components. A SHACL-SPARQL constraint keeps its own
query: the focus sub-select goes in front of its WHERE group, which binds ``$this`` as the reference's
pre-binding does for the plain queries this accepts (no sub-selects, aggregates, MINUS or LIMIT, which
pre-binding reads differently; they raise `Unsupported`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from vskg.sparql_lexer import PUNCT, VAR, WORD, tokenize
from vskg.validation.shapes import Constraint, Nested, Target, TopShape, Unsupported

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"

# Datatypes whose ill-typed literals the reference rejects (rdflib parses them); checked by a round trip cast.
_CHECKED = {f"<{XSD}{name}>" for name in ("integer", "decimal", "float", "double", "boolean", "date", "dateTime")}
_CHECKED.add(f"<{XSD}time>")
_COMPARISONS = {
    "MinInclusiveConstraintComponent": ("minInclusive", ">="),
    "MaxInclusiveConstraintComponent": ("maxInclusive", "<="),
    "MinExclusiveConstraintComponent": ("minExclusive", ">"),
    "MaxExclusiveConstraintComponent": ("maxExclusive", "<"),
}
_NODE_KINDS = {
    "IRI": "isIRI({0})",
    "BlankNode": "isBlank({0})",
    "Literal": "isLiteral({0})",
    "BlankNodeOrIRI": "!isLiteral({0})",
    "BlankNodeOrLiteral": "!isIRI({0})",
    "IRIOrLiteral": "!isBlank({0})",
}
_PRE_BINDING_DIFFERS = {"GROUP", "HAVING", "MINUS", "LIMIT", "OFFSET", "SERVICE"}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


@dataclass(frozen=True)
class Compiled:
    """The query of one constraint and how its rows become results.

    ``rows`` says what a row holds: "focus" (``?this``: a result without a value), "value" (``?this`` and
    ``?value``) or "sparql" (``?this`` and what the SHACL-SPARQL query selects, ``variables``).
    """

    constraint: Constraint
    text: str
    rows: str
    variables: tuple[str, ...] = ()
    this_selected: bool = True


Classes = Mapping[str, tuple[str, ...]]  # a class (SPARQL term) -> it and its subclasses, when all are IRIs


def class_terms(shapes: Iterable[TopShape]) -> list[str]:
    """Every class the shapes name (targets and sh:class), whose subclasses a run looks up once."""
    found: set[str] = set()

    def walk(constraints: Iterable[Constraint]) -> None:
        for c in constraints:
            if c.component == "ClassConstraintComponent":
                found.add(str(c.param("class")))
            for _, value in c.parameters:
                for nested in value if isinstance(value, tuple) else (value,):
                    if isinstance(nested, Nested):
                        walk(nested.constraints)

    for shape in shapes:
        found.update(t.term for t in shape.targets if t.kind == "class")
        walk(shape.constraints)
    return sorted(found)


def _instances(node: str, cls: str, classes: Classes | None, names: _Names) -> str:
    """A pattern matching when ``node`` has type ``cls`` or a subclass of it."""
    subs = (classes or {}).get(cls)
    if not subs:
        return f"{node} {TYPE_PATH} {cls} ."
    kind = names()
    return f"VALUES {kind} {{ {' '.join(subs)} }} {node} <{RDF}type> {kind} ."


class _Names:
    """Fresh variable names for nested tests, so two tests never share a variable."""

    def __init__(self) -> None:
        self.counter = itertools.count()

    def __call__(self) -> str:
        return f"?vskg_{next(self.counter)}"


# --- tests of one node ----------------------------------------------------------------------------------------


def datatype_test(datatype: str, node: str) -> str:
    if datatype == f"<{RDFS}Literal>":
        return f"isLiteral({node})"
    if datatype == f"<{RDF}langString>":
        return f'(isLiteral({node}) && LANG({node}) != "")'
    test = f"(isLiteral({node}) && sameTerm(DATATYPE({node}), {datatype})"
    if datatype in _CHECKED:
        test += f" && COALESCE(sameTerm({datatype}(STR({node})), {node}), false)"
    return test + ")"


def value_test(constraint: Constraint, node: str, names: _Names, classes: Classes | None = None) -> str:
    """A SPARQL expression true when ``node`` passes a constraint that tests each value node on its own."""
    c = constraint
    kind = c.component
    if kind == "ClassConstraintComponent":
        return f"(!isLiteral({node}) && EXISTS {{ {_instances(node, str(c.param('class')), classes, names)} }})"
    if kind == "DatatypeConstraintComponent":
        return datatype_test(str(c.param("datatype")), node)
    if kind == "NodeKindConstraintComponent":
        local = str(c.param("nodeKind")).rsplit("#", 1)[-1].rstrip(">")
        if local not in _NODE_KINDS:
            raise Unsupported(f"shape {c.shape} has an unknown sh:nodeKind {c.param('nodeKind')}")
        return _NODE_KINDS[local].format(node)
    if kind in _COMPARISONS:
        name, operator = _COMPARISONS[kind]
        return f"(!isIRI({node}) && !isBlank({node}) && COALESCE({node} {operator} {c.param(name)}, false))"
    if kind == "MinLengthConstraintComponent":
        return f"(!isBlank({node}) && STRLEN(STR({node})) >= {c.param('minLength')})"
    if kind == "MaxLengthConstraintComponent":
        return f"(!isBlank({node}) && STRLEN(STR({node})) <= {c.param('maxLength')})"
    if kind == "PatternConstraintComponent":
        pattern = _string(str(c.param("pattern")))
        flags = _string(str(c.param("flags", "")))
        return f"(!isBlank({node}) && REGEX(STR({node}), {pattern}, {flags}))"
    if kind == "LanguageInConstraintComponent":
        tests = " || ".join(f"langMatches(LANG({node}), {_string(_plain(t))})" for t in c.param("languageIn"))
        return f"(isLiteral({node}) && ({tests or 'false'}))"
    if kind == "InConstraintComponent":
        return "(" + (" || ".join(f"sameTerm({node}, {t})" for t in c.param("in")) or "false") + ")"
    if kind == "HasValueConstraintComponent":
        return f"sameTerm({node}, {c.param('hasValue')})"
    if kind == "NotConstraintComponent":
        return f"!({conforms(c.param('not'), node, names, classes)})"
    if kind == "NodeConstraintComponent":
        return conforms(c.param("node"), node, names, classes)
    if kind == "AndConstraintComponent":
        return "(" + (" && ".join(conforms(s, node, names, classes) for s in c.param("and")) or "true") + ")"
    if kind == "OrConstraintComponent":
        return "(" + (" || ".join(conforms(s, node, names, classes) for s in c.param("or")) or "false") + ")"
    if kind == "XoneConstraintComponent":
        counts = " + ".join(f"IF({conforms(s, node, names, classes)}, 1, 0)" for s in c.param("xone"))
        return f"(({counts or '0'}) = 1)"
    raise Unsupported(f"shape {c.shape}: {kind} cannot be tested on one value node")


def conforms(shape: Nested, node: str, names: _Names, classes: Classes | None = None) -> str:
    """A SPARQL expression true when ``node`` conforms to a shape given as a parameter."""
    tests = []
    for c in shape.constraints:
        if c.path is None:
            tests.append(value_test(c, node, names, classes))
            continue
        other = names()
        if c.component == "MinCountConstraintComponent":
            count = int(c.param("minCount"))
            if count > 1:
                raise Unsupported(f"shape {c.shape}: sh:minCount above 1 inside another shape")
            if count == 1:
                tests.append(f"EXISTS {{ {node} {c.path} {other} }}")
        elif c.component == "MaxCountConstraintComponent":
            if int(c.param("maxCount")) != 0:
                raise Unsupported(f"shape {c.shape}: sh:maxCount above 0 inside another shape")
            tests.append(f"NOT EXISTS {{ {node} {c.path} {other} }}")
        elif c.component == "HasValueConstraintComponent":
            tests.append(f"EXISTS {{ {node} {c.path} {c.param('hasValue')} }}")
        else:
            tests.append(f"NOT EXISTS {{ {node} {c.path} {other} FILTER (!({value_test(c, other, names, classes)})) }}")
    return "(" + (" && ".join(tests) or "true") + ")"


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _plain(term: str) -> str:
    """The lexical form of a simple literal written in SPARQL syntax."""
    return term[1 : term.rindex('"')] if term.startswith('"') else term


# --- focus nodes --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Select:
    """A SELECT text cut at the places the compiler edits."""

    text: str
    prologue: str  # PREFIX/BASE declarations written in the text itself
    projection: tuple[int, int]  # where the selected variables (or *) are
    variables: tuple[str, ...]  # selected variable names, without ? or $; empty for *
    star: bool
    where: int  # just after the opening brace of the WHERE group
    words: frozenset[str]
    selects: int  # how many SELECT keywords (more than one: sub-selects)


def _read_select(text: str, prefixes: tuple[tuple[str, str], ...], owner: str) -> _Select:
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes)
    tokens = tokenize(head + text)
    if not tokens.complete:
        raise Unsupported(f"the SPARQL query of {owner} cannot be read: {tokens.problem}")
    shift = len(head)
    items = [t for t in tokens.tokens if t.start >= shift]
    select = next((i for i, t in enumerate(items) if t.kind == WORD and t.upper == "SELECT"), None)
    if select is None:
        raise Unsupported(f"the SPARQL query of {owner} is not a SELECT")
    first = select + 1
    while first < len(items) and items[first].kind == WORD and items[first].upper in ("DISTINCT", "REDUCED"):
        first += 1
    brace = next(i for i in range(first, len(items)) if items[i].kind == PUNCT and items[i].text == "{")
    last = brace - 1 if items[brace - 1].kind == WORD and items[brace - 1].upper == "WHERE" else brace
    projected = items[first:last]
    star = any(t.kind == PUNCT and t.text == "*" for t in projected)
    if not star and any(t.kind != VAR for t in projected):
        raise Unsupported(f"the SPARQL query of {owner} selects expressions; select variables only")
    end = items[last].start if last < len(items) else items[brace].start
    return _Select(
        text=text,
        prologue=text[: items[select].start - shift],
        projection=(items[first].start - shift if first < last else end - shift, end - shift),
        variables=tuple(t.text[1:] for t in projected if t.kind == VAR),
        star=star,
        where=items[brace].end - shift,
        words=frozenset(t.upper for t in items if t.kind == WORD and t.upper != "SELECT"),
        selects=sum(1 for t in items if t.kind == WORD and t.upper == "SELECT"),
    )


class _Prologue:
    """The PREFIX declarations one query gathers from its constraint and its targets."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}
        self.extra: list[str] = []

    def add(self, prefixes: tuple[tuple[str, str], ...], owner: str) -> None:
        for prefix, namespace in prefixes:
            if self.prefixes.setdefault(prefix, namespace) != namespace:
                raise Unsupported(f"{owner} declares the prefix {prefix}: differently from its targets")

    def text(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items())) + "".join(self.extra)


def _target_branch(target: Target, values: str, prologue: _Prologue, owner: str, classes: Classes | None) -> str:
    if target.kind == "class":
        return values + _instances("?this", target.term, classes, _Names())
    if target.kind == "subjectsOf":
        return f"{values}?this {target.term} ?vskg_object ."
    if target.kind == "objectsOf":
        return f"{values}?vskg_subject {target.term} ?this ."
    if target.kind == "node":
        return f"VALUES ?this {{ {target.term} }} {values}"
    select = _read_select(target.term, target.prefixes, f"the SPARQL target of {owner}")
    prologue.add(target.prefixes, owner)
    if select.prologue.strip():
        prologue.extra.append(select.prologue)
    body = select.text[len(select.prologue) :]
    return f"{values}{{ {body} }}"


def focus_pattern(
    shape: TopShape, nodes: Collection[str] | None, prologue: _Prologue, classes: Classes | None = None
) -> str:
    """A group pattern binding ``?this`` to each focus node of ``shape`` once (only those in ``nodes``, if given)."""
    if nodes is not None and not nodes:
        return "{ FILTER (false) }"
    values = "" if nodes is None else "VALUES ?this { " + " ".join(f"<{n}>" for n in sorted(nodes)) + " } "
    branches = [_target_branch(t, values, prologue, shape.iri, classes) for t in shape.targets]
    if not branches:
        return "{ FILTER (false) }"
    union = " UNION ".join("{ " + b + " }" for b in branches)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def target_query(shape: TopShape, classes: Classes | None = None) -> str:
    """The SELECT listing the focus nodes of ``shape`` as ``?this`` (the part of every query that picks them)."""
    prologue = _Prologue()
    focus = focus_pattern(shape, None, prologue, classes)
    return f"{prologue.text()}SELECT ?this WHERE {{ {focus} }}"


# --- one query per constraint -------------------------------------------------------------------------------------


def compile_constraint(
    shape: TopShape, constraint: Constraint, nodes: Collection[str] | None = None, classes: Classes | None = None
) -> Compiled:
    """The SELECT giving the results of ``constraint`` for the focus nodes of ``shape`` (or those in ``nodes``).

    ``classes`` gives the subclasses of the classes the shapes name, read from the data view beforehand
    (`vskg.validation.engine.subclasses`); without it the queries follow ``rdfs:subClassOf*`` themselves, which
    costs a scan of every typed node per query on Oxigraph.
    """
    prologue = _Prologue()
    focus = focus_pattern(shape, nodes, prologue, classes)
    c = constraint
    path = c.path
    values = f"?this {path} ?value ." if path else "BIND (?this AS ?value)"
    kind = c.component
    names = _Names()

    def done(body: str, rows: str, select: str = "SELECT DISTINCT ?this ?value") -> Compiled:
        return Compiled(c, f"{prologue.text()}{select} WHERE {{ {focus} {body} }}", rows)

    if kind == "SPARQLConstraintComponent":
        return _compile_sparql(c, focus, prologue, shape, nodes, classes)
    if kind in ("MinCountConstraintComponent", "MaxCountConstraintComponent") and path is None:
        raise Unsupported(f"node shape {c.shape} uses {kind}, which only property shapes have")
    if kind == "MinCountConstraintComponent":
        count = int(c.param("minCount"))
        if count == 1:
            if ("*" in path or "+" in path) and (nodes is None or len(nodes) > FEW):
                # Oxigraph walks a closure path afresh for every focus node inside NOT EXISTS (26 s for one shape at
                # a million triples); walked once backwards from the values it is 0.2 s, with the same rows.
                return done(f"MINUS {{ ?vskg_any ^({path}) ?this }}", "focus", "SELECT ?this")
            return done(f"FILTER NOT EXISTS {{ ?this {path} ?vskg_any }}", "focus", "SELECT ?this")
        text = (
            f"{prologue.text()}SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {count})"
        )
        return Compiled(c, text, "focus")
    if kind == "MaxCountConstraintComponent":
        text = (
            f"{prologue.text()}SELECT ?this WHERE {{ {focus} {values} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(c.param('maxCount'))})"
        )
        return Compiled(c, text, "focus")
    if kind == "HasValueConstraintComponent":
        term = c.param("hasValue")
        if path:
            return done(f"FILTER NOT EXISTS {{ ?this {path} {term} }}", "focus", "SELECT ?this")
        return done(f"FILTER (!sameTerm(?this, {term}))", "focus", "SELECT ?this")
    if kind == "EqualsConstraintComponent":
        other = c.param("equals")
        mine = f"?this {path} ?value ." if path else "BIND (?this AS ?value)"
        body = (
            f"{{ {mine} FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION "
            f"{{ ?this {other} ?value . FILTER NOT EXISTS {{ {mine} }} }}"
        )
        return done(body, "value")
    if kind == "DisjointConstraintComponent":
        return done(f"{values} ?this {c.param('disjoint')} ?value .", "value")
    if kind in ("LessThanConstraintComponent", "LessThanOrEqualsConstraintComponent"):
        name, operator = ("lessThan", "<") if kind == "LessThanConstraintComponent" else ("lessThanOrEquals", "<=")
        strings = 'isIRI({0}) || (isLiteral({0}) && (sameTerm(DATATYPE({0}), <{1}string>) || LANG({0}) != ""))'
        left, right = strings.format("?value", XSD), strings.format("?vskg_other", XSD)
        fine = (
            f"(({left}) && ({right}) && STR(?value) {operator} STR(?vskg_other)) || "
            f"(!({left}) && !({right}) && COALESCE(?value {operator} ?vskg_other, false))"
        )
        body = f"{values} ?this {c.param(name)} ?vskg_other . FILTER (!({fine}))"
        return done(body, "value", "SELECT DISTINCT ?this ?value ?vskg_other")
    if kind == "ClassConstraintComponent" and (classes or {}).get(str(c.param("class"))):
        # an anti-join is evaluated once; a FILTER NOT EXISTS per value costs a lookup each on Oxigraph
        typed = _instances("?value", str(c.param("class")), classes, names)
        return done(f"{values} MINUS {{ {typed} }}", "value")
    return done(f"{values} FILTER (!({value_test(c, '?value', names, classes)}))", "value")


# Up to this many focus nodes, a check is written for each node with the node in place (see `_compile_sparql`).
FEW = 32


def _compile_sparql(
    c: Constraint,
    focus: str,
    prologue: _Prologue,
    shape: TopShape | None = None,
    nodes: Collection[str] | None = None,
    classes: Classes | None = None,
) -> Compiled:
    prefixes = c.param("prefixes", ())
    text = str(c.param("select"))
    if "$PATH" in text:
        if c.path is None:
            raise Unsupported(f"the SPARQL constraint of {c.shape} uses $PATH, but the shape has no path")
        text = text.replace("$PATH", c.path)
    text = text.replace("$currentShape", f"<{c.shape}>")
    owner = f"the SPARQL constraint of {c.shape}"
    select = _read_select(text, prefixes, owner)
    if select.selects > 1 or select.words & (_PRE_BINDING_DIFFERS | _AGGREGATES):
        raise Unsupported(
            f"{owner} uses sub-selects, aggregates, MINUS or LIMIT, which the SPARQL engine does not run; "
            "validate with the pyshacl engine"
        )
    if "$shapesGraph" in text or "failure" in select.variables:
        raise Unsupported(f"{owner} uses $shapesGraph or ?failure, which the SPARQL engine does not support")
    prologue.add(prefixes, c.shape)
    _, end = select.projection
    projection = "*" if select.star else " ".join("?" + v for v in dict.fromkeys(("this", *select.variables)))
    head = prologue.text() + select.prologue + f"SELECT DISTINCT {projection} " + text[end : select.where]
    if shape is not None and nodes and len(nodes) <= FEW:
        # SHACL-SPARQL pre-binds $this by putting the focus node in its place. Written that way, one group per node,
        # the store starts from the node; with ?this bound by VALUES instead, Oxigraph evaluates the whole WHERE for
        # every node of the data before joining (14 s instead of milliseconds at a million triples).
        declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes) + select.prologue
        inner, rest = _where_group(text[select.where :], declared, owner)
        groups = []
        for node in sorted(nodes):
            pinned = focus_pattern(shape, [node], prologue, classes)
            groups.append(f"{{ {pinned} {_with_node(inner, node, declared)} }}")
        query = head + " " + " UNION ".join(groups) + " }" + rest
    else:
        query = head + f" {focus} " + text[select.where :]
    return Compiled(c, query, "sparql", select.variables, this_selected=select.star or "this" in select.variables)


def _where_group(after_brace: str, declared: str, owner: str) -> tuple[str, str]:
    """The inside of a WHERE group whose opening brace was just cut off, and what follows its closing brace
    (``declared``: the PREFIX lines the text relies on, so that the lexer reads its prefixed names)."""
    shift = len(declared) + 1
    depth = 0
    for token in tokenize(declared + "{" + after_brace).tokens:
        if token.start < len(declared):
            continue
        if token.kind == PUNCT and token.text == "{":
            depth += 1
        elif token.kind == PUNCT and token.text == "}":
            depth -= 1
            if depth == 0:
                return after_brace[: token.start - shift], after_brace[token.end - shift :]
    raise Unsupported(f"the SPARQL query of {owner} has an unclosed WHERE group")


def _with_node(group: str, node: str, declared: str) -> str:
    """``group`` with every ``$this``/``?this`` replaced by the IRI ``node`` (SHACL-SPARQL pre-binding)."""
    pieces, last, shift = [], 0, len(declared)
    for token in tokenize(declared + group).tokens:
        if token.start >= shift and token.kind == VAR and token.text[1:] == "this":
            pieces += [group[last : token.start - shift], f"<{node}>"]
            last = token.end - shift
    return "".join(pieces) + group[last:]


def compile_shape(
    shape: TopShape, nodes: Collection[str] | None = None, classes: Classes | None = None
) -> list[Compiled]:
    """The queries of every constraint of a top shape (the minCount 0 kind that can never fail gives none)."""
    return [
        compile_constraint(shape, c, nodes, classes)
        for c in shape.constraints
        if not (c.component == "MinCountConstraintComponent" and int(c.param("minCount")) <= 0)
    ]
