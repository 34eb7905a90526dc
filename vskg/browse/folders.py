"""The imported ArchiMate models and each one's organization (folder) tree, as the ``am:`` description holds them.

vskg.archimate.importer writes a model's folders as ``am:organization`` from the model and ``am:item`` from a
folder (an ``am:Organization``, labelled with ``am:label``, ordered by ``am:position``); an item that only refers
to a concept or a view is that resource itself. The whole tree is read in one query (a property path down the
items) and assembled in Python, guarded against an item that leads back to a folder above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode

from vskg.browse.common import AM, RDFS, best_label, href, iri, label_pattern, run
from vskg.keys import data_key
from vskg.store import Backend

MAX_EDGES = 200_000  # folder items read at most for one model


class NoModel(LookupError):
    pass


@dataclass(frozen=True)
class ModelRow:
    iri: str
    label: str
    elements: int
    relationships: int
    views: int

    @property
    def key(self) -> str:
        return data_key(self.iri)

    def as_json(self) -> dict:
        return {
            "iri": self.iri,
            "key": self.key,
            "label": self.label,
            "href": f"/models/{self.key}",
            "elements": self.elements,
            "relationships": self.relationships,
            "views": self.views,
        }


def models(store: Backend) -> list[ModelRow]:
    """Every imported model with its numbers of elements, relationships and views, by label."""
    text = f"""SELECT ?m ?label (COUNT(DISTINCT ?e) AS ?elements) (COUNT(DISTINCT ?r) AS ?relationships)
                      (COUNT(DISTINCT ?v) AS ?views) WHERE {{
      {{ SELECT ?m (MIN(?best) AS ?label) WHERE {{ ?m a am:Model . {label_pattern("?m", "?found")}
         BIND(COALESCE(?found, STR(?m)) AS ?best) }} GROUP BY ?m }}
      OPTIONAL {{ {{ ?e am:inModel ?m ; a am:Element }} UNION {{ ?r am:inModel ?m ; a am:Relationship }}
                  UNION {{ ?v am:inModel ?m ; a am:View }} }}
    }} GROUP BY ?m ?label ORDER BY LCASE(?label) ?m"""
    return [
        ModelRow(
            s["m"].value,
            s["label"].value,
            int(s["elements"].value),
            int(s["relationships"].value),
            int(s["views"].value),
        )
        for s in run(store, text)
    ]


@dataclass
class Node:
    """A folder (``folder`` true, with children) or an item: a concept, a view or another resource."""

    iri: str | None
    label: str
    folder: bool
    type: str | None = None
    href: str | None = None
    position: int = 0
    children: list[Node] = field(default_factory=list)

    def as_json(self) -> dict:
        out: dict = {"label": self.label, "folder": self.folder}
        if self.iri is not None:
            out |= {"iri": self.iri, "key": data_key(self.iri)}
        if self.folder:
            out["items"] = [c.as_json() for c in self.children]
        else:
            out |= {"type": self.type, "href": self.href}
        return out

    def count(self) -> int:
        return sum(1 + c.count() for c in self.children)


@dataclass(frozen=True)
class Tree:
    model: str
    label: str
    roots: list[Node]
    truncated: bool

    def as_json(self) -> dict:
        return {
            "iri": self.model,
            "key": data_key(self.model),
            "label": self.label,
            "truncated": self.truncated,
            "folders": [r.as_json() for r in self.roots],
        }


def tree(store: Backend, model: str) -> Tree:
    """The model's folders and what they hold; NoModel when the store holds no such model."""
    node = iri(model)
    label_rows = run(
        store,
        f"SELECT ?p ?l WHERE {{ {node} a am:Model OPTIONAL {{ {node} ?p ?l "
        "VALUES ?p { rdfs:label skos:prefLabel } } }",
    )
    candidates = []
    seen = False
    for solution in label_rows:
        seen = True
        if solution["l"] is not None:
            candidates.append((solution["p"].value, solution["l"].value, solution["l"].language))
    if not seen:
        raise NoModel(f"the store holds no ArchiMate model <{model}>")
    text = f"""SELECT ?parent ?child ?pos ?lp ?l ?type ?amtype WHERE {{
      {{ BIND({node} AS ?parent) {node} am:organization ?child }}
      UNION {{ {node} am:organization/am:item* ?parent . ?parent am:item ?child }}
      OPTIONAL {{ ?child a am:Organization ; am:position ?pos }}
      OPTIONAL {{ ?child ?lp ?l VALUES ?lp {{ rdfs:label skos:prefLabel am:label }} }}
      OPTIONAL {{ ?child a ?type }}
      OPTIONAL {{ ?child am:type ?amtype }}
    }} LIMIT {MAX_EDGES + 1}"""
    edges: dict[object, list[object]] = {}
    info: dict[object, dict] = {}
    count = 0
    for solution in run(store, text):
        count += 1
        parent, child = _id(solution["parent"]), _id(solution["child"])
        children = edges.setdefault(parent, [])
        if child not in children:
            children.append(child)
        entry = info.setdefault(child, {"labels": [], "types": set(), "pos": 0, "amtype": None})
        if solution["l"] is not None:
            label = (solution["lp"].value, solution["l"].value, solution["l"].language)
            if label not in entry["labels"]:
                entry["labels"].append(label)
        if solution["type"] is not None:
            entry["types"].add(solution["type"].value)
        if solution["pos"] is not None:
            entry["pos"] = int(solution["pos"].value)
        if solution["amtype"] is not None:
            entry["amtype"] = solution["amtype"].value
    roots = _build(model, edges, info, {model})
    return Tree(model, best_label(candidates, model), roots, count > MAX_EDGES)


def _id(term) -> object:
    return ("_", term.value) if isinstance(term, BlankNode) else term.value


def _build(parent: object, edges: dict, info: dict, above: set) -> list[Node]:
    nodes = []
    for child in edges.get(parent, []):
        if child in above:
            continue  # an item that leads back up the tree
        entry = info[child]
        named = isinstance(child, str)
        is_folder = AM + "Organization" in entry["types"]
        labels = [(RDFS + "label" if p == AM + "label" else p, t, lang) for p, t, lang in entry["labels"]]
        label = best_label(labels, child) if named else (best_label(labels, "") or "(folder)")
        if is_folder:
            node = Node(child if named else None, label, True, position=entry["pos"])
            node.children = _build(child, edges, info, above | {child})
        else:
            kind = entry["amtype"] or ("View" if AM + "View" in entry["types"] else None)
            node = Node(child if named else None, label, False, kind, href(child, entry["types"]) if named else None)
        nodes.append(node)
    folders = sorted((n for n in nodes if n.folder), key=lambda n: n.position)
    items = sorted((n for n in nodes if not n.folder), key=lambda n: (n.label.casefold(), n.iri or ""))
    return folders + items
