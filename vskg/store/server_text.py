"""Requests and answers put into the shape a server needs, without changing what they mean.

Some servers read part of SPARQL differently from the recommendation (Virtuoso 7: `GRAPH ?g { }` binds nothing,
`true` comes back as the integer 1, an `INSERT DATA` of many thousand triples is refused). What vskg sends and
reads for such a server is translated here, each translation exact for the dataset vskg names:

- `GRAPH ?g { }` (an empty group) is the list of the dataset's named graphs; vskg names them, so it can write that
  list as `VALUES ?g { ... }`, which every server reads alike;
- a variable the query binds only to a boolean expression (`BIND(EXISTS {...} AS ?v)`, `(?a > 1 AS ?v)`) holds a
  boolean; an integer 1 or 0 the server answers for it is read as `true` or `false`;
- an update that is nothing but `INSERT DATA` / `DELETE DATA` operations is cut into updates of at most a given
  number of triples, in order.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from vskg.sparql_lexer import BNODE, IRI, PUNCT, STRING, VAR, WORD, Token, tokenize

XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
TRUE, FALSE = Literal("true", datatype=XSD_BOOLEAN), Literal("false", datatype=XSD_BOOLEAN)

# Operators and functions whose value is a boolean (SPARQL 1.1, section 17).
BOOLEAN_OPERATORS = frozenset({"=", "!=", "<", ">", "<=", ">=", "&&", "||"})
BOOLEAN_FUNCTIONS = frozenset(
    {
        "EXISTS", "NOT", "BOUND", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "CONTAINS",
        "STRSTARTS", "STRENDS", "LANGMATCHES", "SAMETERM", "TRUE", "FALSE",
    }
)  # fmt: skip


def named_graph_values(text: str, named_graphs: list[str]) -> str:
    """``text`` with each `GRAPH ?var { }` written as `VALUES ?var { <g1> <g2> ... }` over ``named_graphs``.

    Both have the same solutions over a dataset whose named graphs are ``named_graphs``: one per graph, with ?var
    bound to its name. A text the tokenizer cannot read to its end is sent as it is.
    """
    tokens = tokenize(text)
    if not tokens.complete:
        return text
    found = tokens.tokens
    pieces: list[str] = []
    last = 0
    values = " ".join(str(NamedNode(g)) for g in named_graphs)
    for i in range(len(found) - 3):
        graph, var, opening, closing = found[i : i + 4]
        if (
            graph.kind == WORD
            and graph.upper == "GRAPH"
            and var.kind == VAR
            and (opening.kind, opening.text, closing.kind, closing.text) == (PUNCT, "{", PUNCT, "}")
        ):
            pieces.append(text[last : graph.start])
            pieces.append(f"VALUES {var.text} {{ {values} }}")
            last = closing.end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def boolean_variables(text: str) -> set[str]:
    """The names of the variables that ``text`` binds with `AS` to a boolean expression and nowhere else.

    An expression counts as boolean when its outermost operator or function gives a boolean (a comparison, `&&`,
    `||`, `!`, EXISTS, BOUND, REGEX, ...). A variable that also appears in any other place that could bind it
    (a triple pattern, VALUES, another `AS`) is left out: it may hold other values.
    """
    tokens = tokenize(text)
    if not tokens.complete:
        return set()
    found = tokens.tokens
    boolean: set[str] = set()
    other: set[str] = set()
    for i, token in enumerate(found):
        if token.kind == WORD and token.upper == "AS" and i + 1 < len(found) and found[i + 1].kind == VAR:
            name = found[i + 1].text[1:]
            start = _expression_start(found, i)
            if start is not None and _is_boolean(found[start:i]):
                boolean.add(name)
            else:
                other.add(name)
    return boolean - other


def _expression_start(found: list[Token], as_index: int) -> int | None:
    """The index of the first token of the expression before ``AS`` (inside its opening parenthesis)."""
    depth = 0
    for j in range(as_index - 1, -1, -1):
        token = found[j]
        if token.kind == PUNCT and token.text in ")}]":
            depth += 1
        elif token.kind == PUNCT and token.text in "({[":
            if depth == 0:
                return j + 1
            depth -= 1
    return None


def _is_boolean(expression: list[Token]) -> bool:
    """Whether the operator at the top of ``expression`` (no enclosing parentheses left) gives a boolean."""
    while expression and expression[0].text == "(" and _closes_at_end(expression):
        expression = expression[1:-1]
    if not expression:
        return False
    if _is_boolean_literal(expression):
        return True
    depth = 0
    for token in expression:
        if token.kind == PUNCT and token.text in "({[":
            depth += 1
        elif token.kind == PUNCT and token.text in ")}]":
            depth -= 1
        elif depth == 0 and (token.text in BOOLEAN_OPERATORS or token.upper == "IN") and token.kind in (PUNCT, WORD):
            return True
    first = expression[0]
    if first.kind == PUNCT and first.text == "!":
        return True
    return first.kind == WORD and first.upper in BOOLEAN_FUNCTIONS


def _is_boolean_literal(expression: list[Token]) -> bool:
    """`true`, `false` or a literal typed xsd:boolean (how the catalogue writes a boolean parameter in)."""
    if len(expression) == 1:
        return expression[0].kind == WORD and expression[0].text in ("true", "false")
    return (
        len(expression) == 3
        and expression[0].kind == STRING
        and expression[1].text == "^^"
        and expression[2].kind == IRI
        and expression[2].value == XSD_BOOLEAN.value
    )


def _closes_at_end(expression: list[Token]) -> bool:
    depth = 0
    for index, token in enumerate(expression):
        if token.kind == PUNCT and token.text in "({[":
            depth += 1
        elif token.kind == PUNCT and token.text in ")}]":
            depth -= 1
            if depth == 0:
                return index == len(expression) - 1
    return False


def as_boolean(term):
    """The boolean an integer 1 or 0 stands for; any other term as it is."""
    if isinstance(term, Literal) and term.datatype == XSD_INTEGER and term.value in ("0", "1"):
        return TRUE if term.value == "1" else FALSE
    return term


def data_batches(text: str, size: int) -> list[str] | None:
    """``text`` cut into updates of at most about ``size`` triples each, in order, when it is nothing but
    `INSERT DATA { ... }` and `DELETE DATA { ... }` operations (with a prologue); None when it is anything else
    or too small to cut.

    Each batch repeats the prologue (PREFIX, BASE) and keeps the operation, and the graph a block of triples is
    in. Triples are counted by the full stops and semicolons/commas that end them at the top of a block.
    """
    tokens = tokenize(text)
    if not tokens.complete or any(token.kind == BNODE for token in tokens.tokens):
        return None  # a blank node label names one node within one operation: it cannot be cut apart
    found = tokens.tokens
    prologue_end = 0
    i = 0
    while i < len(found) and found[i].kind == WORD and found[i].upper in ("PREFIX", "BASE"):
        i += 3 if found[i].upper == "PREFIX" else 2
        prologue_end = found[i - 1].end if i - 1 < len(found) else len(text)
    prologue = text[:prologue_end]
    operations: list[tuple[str, list[tuple[str, list[str]]]]] = []  # (INSERT|DELETE, [(graph prefix, triples)])
    total = 0
    while i < len(found):
        if found[i].kind == PUNCT and found[i].text == ";":
            i += 1
            continue
        if not (
            i + 2 < len(found)
            and found[i].kind == WORD
            and found[i].upper in ("INSERT", "DELETE")
            and found[i + 1].kind == WORD
            and found[i + 1].upper == "DATA"
            and found[i + 2].text == "{"
        ):
            return None
        verb = found[i].upper
        i += 3
        blocks: list[tuple[str, list[str]]] = []
        while i < len(found) and found[i].text != "}":
            graph = ""
            if found[i].kind == WORD and found[i].upper == "GRAPH":
                if i + 2 >= len(found) or found[i + 2].text != "{":
                    return None
                graph = f"GRAPH {found[i + 1].text} "
                i += 3
                end = _block_end(found, i)
                if end is None:
                    return None
                blocks.append((graph, _statements(text, found, i, end)))
                i = end + 1
            else:
                end = _triples_end(found, i)
                blocks.append(("", _statements(text, found, i, end)))
                i = end
            total += len(blocks[-1][1])
        if i >= len(found):
            return None
        i += 1
        operations.append((verb, blocks))
    if total <= size or not operations:
        return None
    batches: list[str] = []
    for verb, blocks in operations:
        for graph, statements in blocks:
            for start in range(0, len(statements), size):
                body = " .\n".join(statements[start : start + size])
                inner = f"{graph}{{ {body} }}" if graph else body
                batches.append(f"{prologue}\n{verb} DATA {{ {inner} }}")
    return batches


def _block_end(found: list[Token], start: int) -> int | None:
    """The index of the `}` that closes the block opened just before ``start``."""
    depth = 0
    for j in range(start, len(found)):
        if found[j].text in ("{", "[", "("):
            depth += 1
        elif found[j].text in ("]", ")"):
            depth -= 1
        elif found[j].text == "}":
            if depth == 0:
                return j
            depth -= 1
    return None


def _triples_end(found: list[Token], start: int) -> int:
    """The index of the first GRAPH or closing `}` at the top level from ``start`` (default-graph triples)."""
    depth = 0
    for j in range(start, len(found)):
        text = found[j].text
        if text in ("[", "("):
            depth += 1
        elif text in ("]", ")"):
            depth -= 1
        elif depth == 0 and (text == "}" or (found[j].kind == WORD and found[j].upper == "GRAPH")):
            return j
    return len(found)


def _statements(text: str, found: list[Token], start: int, end: int) -> list[str]:
    """The triple statements between token ``start`` and ``end``, each a subject with all its predicates (cut at
    the top-level full stops)."""
    statements: list[str] = []
    depth = 0
    begin = start
    for j in range(start, end):
        token = found[j]
        if token.text in ("[", "("):
            depth += 1
        elif token.text in ("]", ")"):
            depth -= 1
        elif depth == 0 and token.kind == PUNCT and token.text == ".":
            if j > begin:
                statements.append(text[found[begin].start : found[j - 1].end])
            begin = j + 1
    if end > begin:
        statements.append(text[found[begin].start : found[end - 1].end])
    return statements


def query_dataset(text: str, base_iri: str | None = None) -> tuple[list[str], list[str]] | None:
    """The graphs of the query's own FROM and FROM NAMED clauses, or None when it has neither (or cannot be read).

    Sent as the protocol's dataset, they give the query the dataset it names itself.
    """
    tokens = tokenize(text, base_iri)
    if not tokens.complete:
        return None
    found = tokens.tokens
    default: list[str] = []
    named: list[str] = []
    for i, token in enumerate(found):
        if token.kind == WORD and token.upper == "FROM" and i + 1 < len(found):
            is_named = found[i + 1].kind == WORD and found[i + 1].upper == "NAMED"
            graph = found[i + 2] if is_named and i + 2 < len(found) else found[i + 1]
            if graph.value is None:
                return None
            (named if is_named else default).append(graph.value)
    return (default, named) if default or named else None


def drop_all_as_graphs(text: str, graphs: list[str], default_graph: str, no_graph: str) -> str:
    """``text`` with each `DROP ALL`, `DROP NAMED`, `DROP DEFAULT` (and the same with CLEAR) written as that
    operation on each graph it means, SILENT: ``graphs`` are the named graphs, ``default_graph`` the graph that stands
    in for the default graph (``no_graph``, never written, when there is nothing to drop).

    For a server that has no plain default graph and whose own graphs must not be touched (Virtuoso: `DROP ALL`
    there fails on a default graph it has not seen created). The graphs are those that exist when the update is
    sent: a graph that an earlier operation of the same request creates is not among them.
    """
    tokens = tokenize(text)
    if not tokens.complete:
        return text
    found = tokens.tokens
    pieces: list[str] = []
    last = 0
    for i, token in enumerate(found):
        if not (token.kind == WORD and token.upper in ("DROP", "CLEAR")):
            continue
        j = i + 1
        if j < len(found) and found[j].kind == WORD and found[j].upper == "SILENT":
            j += 1
        if j >= len(found) or found[j].kind != WORD or found[j].upper not in ("ALL", "NAMED", "DEFAULT"):
            continue
        scope = found[j].upper
        targets = ([] if scope == "DEFAULT" else list(graphs)) + ([] if scope == "NAMED" else [default_graph])
        operations = [f"{token.upper} SILENT GRAPH {NamedNode(g)}" for g in targets]
        pieces.append(text[last : token.start])
        pieces.append(" ;\n".join(operations or [f"{token.upper} SILENT GRAPH {NamedNode(no_graph)}"]))
        last = found[j].end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)
