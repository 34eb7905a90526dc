"""The views of every imported ArchiMate model, found in the store, keyed, and drawn: what /views and /api/views
show.

Listing costs two small SPARQL queries over the ``am:`` description (the views with their models, then the number
of nodes and connections of each), whatever the size of the models. Drawing one view rebuilds its model from its
graph with the exporter's reader (`writer.read_graph_model`), the same reading the round trip is tested with, so
the picture shows exactly what an export would write. A view's key is ``<model identifier>/<view identifier>``:
short, stable across re-imports, and readable in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from vskg.archimate.importer import AM
from vskg.archimate.model import Model
from vskg.archimate.writer import read_graph_model
from vskg.keys import id_path
from vskg.maps.archimate_view import pick, render_view
from vskg.store import Backend

MAX_VIEWS = 10_000  # listed at most
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_URL_SAFE = "/:@!$&'()*+,;=-._~"  # left as they are in a path; '%' and the rest are escaped

_LIST = f"""SELECT ?g ?view ?vid ?vlabel ?model ?mid ?mlabel ?pos WHERE {{
  GRAPH ?g {{
    ?view a <{AM}View> ; <{AM}identifier> ?vid ; <{AM}inModel> ?model .
    ?model a <{AM}Model> ; <{AM}identifier> ?mid .
    OPTIONAL {{ ?view <{RDFS_LABEL}> ?vlabel }}
    OPTIONAL {{ ?model <{RDFS_LABEL}> ?mlabel }}
    OPTIONAL {{ ?view <{AM}position> ?pos }}
  }}
}} ORDER BY ?mid ?g ?pos ?vid LIMIT {MAX_VIEWS}"""

_COUNTS = f"""SELECT ?g ?view (COUNT(DISTINCT ?node) AS ?nodes) (COUNT(DISTINCT ?connection) AS ?connections) WHERE {{
  GRAPH ?g {{
    ?view a <{AM}View> .
    {{ ?view <{AM}node>+ ?node }} UNION {{ ?view <{AM}connection> ?connection }}
  }}
}} GROUP BY ?g ?view"""


class UnreadableView(ValueError):
    """The graph's description of a view cannot be read back (written by hand, not by an import)."""


@dataclass(frozen=True)
class ViewEntry:
    key: str
    identifier: str
    name: str
    model: str  # the model's identifier
    model_name: str
    model_iri: str
    graph: str
    nodes: int
    connections: int

    @property
    def page(self) -> str:
        return "/views/" + quote(self.key, safe=_URL_SAFE)

    @property
    def svg(self) -> str:
        return self.page + ".svg"

    def as_dict(self) -> dict:
        return {**asdict(self), "page": self.page, "svg": self.svg}


def page_of(iri: str) -> str | None:
    """The workbench page of a resource (its /id/ page, which sends streams, capabilities and systems on to theirs),
    escaped for a URL path: a ``%`` in the IRI stays a ``%`` once the server has decoded the path."""
    path = id_path(iri)
    return quote(path, safe=_URL_SAFE) if path is not None else None


def list_views(store: Backend) -> list[ViewEntry]:
    """Every view of every imported model, by model and then in the order of the file; a key names one view (a
    model imported into several graphs is listed from the first of them)."""
    counts = {
        (row["g"].value, row["view"].value): (int(row["nodes"].value), int(row["connections"].value))
        for row in store.query(_COUNTS)
    }
    found: dict[str, ViewEntry] = {}
    for row in store.query(_LIST):
        graph, view = row["g"].value, row["view"].value
        key = f"{row['mid'].value}/{row['vid'].value}"
        if key in found:
            continue
        nodes, connections = counts.get((graph, view), (0, 0))
        found[key] = ViewEntry(
            key=key,
            identifier=row["vid"].value,
            name=_text(row["vlabel"]) or row["vid"].value,
            model=row["mid"].value,
            model_name=_text(row["mlabel"]) or row["mid"].value,
            model_iri=row["model"].value,
            graph=graph,
            nodes=nodes,
            connections=connections,
        )
    return list(found.values())


def _text(term: object) -> str:
    return term.value if isinstance(term, Literal) else ""


def find_view(store: Backend, key: str) -> ViewEntry | None:
    return next((entry for entry in list_views(store) if entry.key == key), None)


def read_model(store: Backend, graph: str) -> Model | None:
    """The model held in ``graph`` (None when none); UnreadableView when its description is malformed."""
    try:
        return read_graph_model(store, graph)
    except (ValueError, TypeError, AttributeError) as problem:
        message = f"the description of the model in graph <{graph}> cannot be read back ({problem})"
        raise UnreadableView(message) from None


def draw_view(
    store: Backend, entry: ViewEntry, standalone: bool = True, read: Callable[[str], Model | None] | None = None
) -> str:
    """The SVG of one listed view; UnreadableView when its graph no longer holds it or holds it malformed.

    ``read`` gives the model of a graph (by default `read_model` on ``store``): a caller that draws several views of
    one model can keep the model between them.
    """
    model = (read or (lambda graph: read_model(store, graph)))(entry.graph)
    view = next((v for v in (model.views if model else []) if v.identifier == entry.identifier), None)
    if view is None:
        raise UnreadableView(f"graph <{entry.graph}> holds no view {entry.identifier!r} any more")
    concepts = {c.identifier: c for c in model.concepts}  # type: ignore[union-attr]
    base = entry.model_iri + "/"

    def link(identifier: str) -> str | None:
        try:
            iri = NamedNode(base + quote(identifier, safe="-._~")).value
        except ValueError:
            return None
        return page_of(iri)

    return render_view(view, concepts, link, model_name=pick(model.names) or model.identifier, standalone=standalone)


__all__ = ["MAX_VIEWS", "UnreadableView", "ViewEntry", "draw_view", "find_view", "list_views", "page_of", "read_model"]
