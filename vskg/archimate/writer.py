"""Writing the ArchiMate Model Exchange File Format (valid against the Open Group 3.1 XSDs, archimate3_Model.xsd).

Two sources:

- a graph written by an ArchiMate import (it holds an ``am:Model``): the model is rebuilt from its ``am:`` nodes,
  so identifiers, types, names and documentation in every language, properties, property definitions,
  organizations, relationships and views (nodes with bounds, nesting, labels and styles; connections with
  bendpoints and styles) come back as they were read;
- native vskg data (no ``am:Model``): streams and stages (ValueStream elements, Composition from stream to stage,
  Flow between consecutive stages), capabilities (Serving the stages they enable, Composition down the
  hierarchy), application systems (ApplicationComponent, realising the stages and capabilities they support),
  technology platforms (Node), organisation units (BusinessActor, Association with the stages they contribute
  to) and outcomes (Outcome, realised by their stream), with vskg attributes as properties. Identifiers are
  ``id-`` plus a hash of the node's IRI, so the same data always gives the same file.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from lxml import etree
from pyoxigraph import Literal, NamedNode

from vskg.archimate.importer import AM, GRAPH_BASE, MODEL_BASE, paused_gc
from vskg.archimate.model import (
    NS,
    UNNAMED_OK,
    XML_LANG,
    XSI,
    Color,
    Concept,
    Connection,
    Model,
    Organization,
    Property,
    PropertyDefinition,
    Style,
    View,
    ViewNode,
)
from vskg.archimate.xmlsafe import parse_xml
from vskg.store import Backend
from vskg.vocab import STREAM_CLASSES, VSKG

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Model.xsd"
DIAGRAM_SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

Index = dict[object, dict[str, list]]
# The am: classes the reader looks for, made once (looking them up for each of a million subjects costs seconds).
_CLASS = {name: NamedNode(AM + name) for name in ("Model", "PropertyDefinition", "Element", "Relationship")}
_CLASS |= {name: NamedNode(AM + name) for name in ("Organization", "View")}


class ExportError(Exception):
    """Nothing to export (an empty or unknown graph)."""


# --- reading the store -------------------------------------------------------------------------------------------


def _index(quads) -> Index:
    """subject -> predicate IRI -> objects; a triple found in several graphs is kept once.

    Duplicates are looked for in the subject's short list of objects for that predicate, not in a set of every
    triple: hashing pyoxigraph terms costs more than the whole rest of the export."""
    index: Index = defaultdict(lambda: defaultdict(list))
    for q in quads:
        values = index[q.subject][q.predicate.value]
        o = q.object
        if o not in values:
            values.append(o)
    return index


def _texts(values) -> list[tuple[str | None, str]]:
    return sorted(((v.language, v.value) for v in values if isinstance(v, Literal)), key=lambda t: (t[0] or "", t[1]))


def _one(index: Index, subject, predicate: str):
    values = index.get(subject, {}).get(predicate, [])
    return values[0] if values else None


def _int(value) -> int:
    try:
        return int(value.value)
    except (AttributeError, ValueError):
        return 0


def export_store(store: Backend, graph: str | None = None) -> bytes:
    """The exchange XML for ``graph`` (an imported model, or vskg data), or for all vskg data when None.

    Without a graph, the graphs written by ArchiMate imports (under https://w3id.org/vskg/graph/archimate/) are
    left out: they come back, exactly as imported, when named with ``graph``. A store that holds no vskg data but
    imported models gives its one model, or, with several, an error that names the graphs to choose from.
    """
    if graph is not None:
        if not store.has_graph(graph):
            raise ExportError(f"the store has no graph <{graph}>")
        with paused_gc():
            index = _index(store.quads(graph))
            models = [s for s, p in index.items() if _CLASS["Model"] in p.get(RDF_TYPE, [])]
            if models:
                return to_xml(model_from_graph(index, models[0]))
            return to_xml(native_model(index, graph))
    quads = (q for name in store.graphs() if not name.startswith(GRAPH_BASE) for q in store.quads(name))
    try:
        return to_xml(native_model(_index(quads), None))
    except ExportError:
        models = model_graphs(store)
        if len(models) == 1:
            return export_store(store, models[0])
        if not models:
            raise
    names = ", ".join(f"<{g}>" for g in models)
    raise ExportError(
        f"the store holds no vskg streams, stages, capabilities or systems but {len(models)} imported ArchiMate "
        f"models; choose one with --graph (graph= over HTTP): {names}"
    )


def model_graphs(store: Backend) -> list[str]:
    """The named graphs that hold an imported ArchiMate model, sorted."""
    rows = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?model a <{AM}Model> }} }}")
    return sorted(row["g"].value for row in rows)


def stored_models(store: Backend, graph: str) -> list[Model]:
    """The imported models held in ``graph``, rebuilt from their ``am:`` description (none for other graphs)."""
    index = _index(store.quads(graph))
    nodes = sorted((s for s, p in index.items() if _CLASS["Model"] in p.get(RDF_TYPE, [])), key=str)
    return [model_from_graph(index, node) for node in nodes]


def read_graph_model(store: Backend, graph: str) -> Model | None:
    """The first imported model held in ``graph`` (an import writes one per graph); None when it holds none."""
    models = stored_models(store, graph)
    return models[0] if models else None


def model_from_graph(index: Index, model_node) -> Model:
    """Rebuild an imported model from its ``am:`` description."""
    prefix = model_node.value + "/"

    def ident(node) -> str:
        found = _one(index, node, AM + "identifier")
        if found is not None:
            return found.value
        # parts of views are written without am:identifier: their IRI ends in it
        return unquote(node.value[len(prefix) :]) if isinstance(node, NamedNode) else str(node)

    def properties(subject) -> list[Property]:
        holders = sorted(
            index[subject].get(AM + "hasProperty", []), key=lambda h: _int(_one(index, h, AM + "position"))
        )
        return [
            Property(ident(_one(index, h, AM + "propertyDefinition")), _texts(index[h].get(AM + "value", [])))
            for h in holders
        ]

    model = Model(
        identifier=ident(model_node),
        names=_texts(index[model_node].get(AM + "name", [])),
        docs=_texts(index[model_node].get(AM + "documentation", [])),
        properties=properties(model_node),
    )
    version = _one(index, model_node, AM + "version")
    model.version = version.value if version is not None else None
    metadata = _one(index, model_node, AM + "metadata")
    model.metadata = metadata.value if metadata is not None else None
    viewpoints = _one(index, model_node, AM + "viewpointDefinitions")
    model.viewpoints = viewpoints.value if viewpoints is not None else None
    position_of: dict[str, int] = {}
    for subject, preds in index.items():
        types = preds.get(RDF_TYPE, [])
        if _CLASS["PropertyDefinition"] in types:
            data_type = _one(index, subject, AM + "dataType")
            model.property_definitions.append(
                PropertyDefinition(
                    ident(subject), _texts(preds.get(AM + "name", [])), data_type.value if data_type else "string"
                )
            )
        for kind in ("Element", "Relationship"):
            if _CLASS[kind] not in types:
                continue
            concept = Concept(
                identifier=ident(subject),
                kind=kind.lower(),
                type=_one(index, subject, AM + "type").value,
                names=_texts(preds.get(AM + "name", [])),
                docs=_texts(preds.get(AM + "documentation", [])),
                properties=properties(subject),
            )
            if kind == "Relationship":
                concept.source = ident(_one(index, subject, AM + "source"))
                concept.target = ident(_one(index, subject, AM + "target"))
                for attr, pred in (("access_type", "accessType"), ("modifier", "modifier")):
                    value = _one(index, subject, AM + pred)
                    setattr(concept, attr, value.value if value is not None else None)
                directed = _one(index, subject, AM + "isDirected")
                concept.is_directed = None if directed is None else directed.value == "true"
            model.concepts.append(concept)
            position_of[concept.identifier] = _int(_one(index, subject, AM + "position"))
    model.property_definitions.sort(key=lambda d: d.identifier)
    model.concepts.sort(key=lambda c: (position_of.get(c.identifier, 0), c.identifier))

    def organization(node) -> Organization:
        if _CLASS["Organization"] not in index.get(node, {}).get(RDF_TYPE, []):
            return Organization(ref=ident(node))
        found = _one(index, node, AM + "identifier")
        ref = _one(index, node, AM + "identifierRef")

        def is_folder(n) -> bool:
            return _CLASS["Organization"] in index.get(n, {}).get(RDF_TYPE, [])

        # sub-folders first, in their order; then elements and relationships in the order of the file
        items = sorted(
            index[node].get(AM + "item", []),
            key=lambda n: (0 if is_folder(n) else 1, _int(_one(index, n, AM + "position")), ident(n)),
        )
        return Organization(
            identifier=found.value if found is not None else None,
            labels=_texts(index[node].get(AM + "label", [])),
            docs=_texts(index[node].get(AM + "documentation", [])),
            ref=ident(ref) if ref is not None else None,
            children=[organization(n) for n in items],
        )

    roots = sorted(index[model_node].get(AM + "organization", []), key=lambda n: _int(_one(index, n, AM + "position")))
    model.organizations = [organization(n) for n in roots]
    model.views = _views(index, model_node, ident, properties)
    return model


def _views(index: Index, model_node, ident, properties) -> list[View]:
    """The views of an imported model, rebuilt from their ``am:View`` nodes in the order of the file."""

    def value(node, predicate: str):
        found = _one(index, node, AM + predicate)
        return found.value if found is not None else None

    def integer(node, predicate: str) -> int | None:
        found = _one(index, node, AM + predicate)
        return int(found.value) if found is not None else None

    def ordered(node, predicate: str) -> list:
        return sorted(index.get(node, {}).get(AM + predicate, []), key=lambda n: _int(_one(index, n, AM + "position")))

    def color(node, predicate: str) -> Color | None:
        found = _one(index, node, AM + predicate)
        if found is None:
            return None
        return Color(integer(found, "red"), integer(found, "green"), integer(found, "blue"), integer(found, "alpha"))

    def style(node) -> Style | None:
        found = _one(index, node, AM + "style")
        if found is None:
            return None
        return Style(
            fill=color(found, "fillColor"),
            line=color(found, "lineColor"),
            font_name=value(found, "fontName"),
            font_size=value(found, "fontSize"),
            font_style=value(found, "fontStyle"),
            font_color=color(found, "fontColor"),
            line_width=integer(found, "lineWidth"),
            has_font=_one(index, found, AM + "font") is not None,
        )

    def ref(node, predicate: str) -> str | None:
        found = _one(index, node, AM + predicate)
        return ident(found) if found is not None else None

    def view_refs(node) -> list[str]:
        return sorted(ident(found) for found in index.get(node, {}).get(AM + "viewRef", []))

    def location(node, predicate: str) -> tuple[int, int] | None:
        found = _one(index, node, AM + predicate)
        return None if found is None else (integer(found, "x"), integer(found, "y"))

    def view_node(node) -> ViewNode:
        element = ref(node, "elementRef")
        return ViewNode(
            identifier=ident(node),
            type=value(node, "type") or ("Element" if element is not None else ""),
            x=integer(node, "x"),
            y=integer(node, "y"),
            w=integer(node, "width"),
            h=integer(node, "height"),
            element_ref=element,
            labels=_texts(index[node].get(AM + "label", [])),
            docs=_texts(index[node].get(AM + "documentation", [])),
            style=style(node),
            children=[view_node(child) for child in ordered(node, "node")],
            view_refs=view_refs(node),
            concept_ref=ref(node, "conceptRef"),
            xpath_part=value(node, "xpathPart"),
        )

    def connection(node) -> Connection:
        relationship = ref(node, "relationshipRef")
        return Connection(
            identifier=ident(node),
            type=value(node, "type") or ("Relationship" if relationship is not None else ""),
            source=ref(node, "sourceNode"),
            target=ref(node, "targetNode"),
            relationship_ref=relationship,
            labels=_texts(index[node].get(AM + "label", [])),
            docs=_texts(index[node].get(AM + "documentation", [])),
            style=style(node),
            bendpoints=[(integer(p, "x"), integer(p, "y")) for p in ordered(node, "bendpoint")],
            view_refs=view_refs(node),
            source_attachment=location(node, "sourceAttachment"),
            target_attachment=location(node, "targetAttachment"),
        )

    views = [
        s for s, p in index.items() if _CLASS["View"] in p.get(RDF_TYPE, []) and model_node in p.get(AM + "inModel", [])
    ]
    views.sort(key=lambda n: _int(_one(index, n, AM + "position")))
    return [
        View(
            identifier=value(node, "identifier"),
            type=value(node, "type"),
            names=_texts(index[node].get(AM + "name", [])),
            docs=_texts(index[node].get(AM + "documentation", [])),
            viewpoint=value(node, "viewpoint"),
            viewpoint_ref=value(node, "viewpointRef"),
            properties=properties(node),
            nodes=[view_node(child) for child in ordered(node, "node")],
            connections=[connection(child) for child in ordered(node, "connection")],
        )
        for node in views
    ]


# --- native vskg data ----------------------------------------------------------------------------------------------

UNIT_CLASSES = {VSKG + c for c in ("OrganisationUnit", "Team", "AgileReleaseTrain", "GovernanceBody")}
NATIVE_TYPES = [  # (ArchiMate type, vskg classes, folder)
    ("ValueStream", STREAM_CLASSES, "Strategy"),
    ("ValueStream", {VSKG + "ValueStreamStage"}, "Strategy"),
    ("Capability", {VSKG + "Capability"}, "Strategy"),
    ("ApplicationComponent", {VSKG + "ApplicationSystem"}, "Application"),
    ("Node", {VSKG + "TechnologyPlatform"}, "Technology"),
    ("BusinessActor", UNIT_CLASSES, "Business"),
    ("Outcome", {VSKG + "Outcome"}, "Motivation"),
]
PROPERTY_DEFINITIONS = {
    "vskg-iri": ("vskg IRI", "string"),
    "vskg-stage-order": ("vskg stage order", "number"),
    "vskg-process-time-hours": ("vskg process time (hours)", "number"),
    "vskg-lead-time-hours": ("vskg lead time (hours)", "number"),
    "vskg-percent-complete-accurate": ("vskg percent complete and accurate", "number"),
    "vskg-capability-level": ("vskg capability level", "number"),
    "vskg-current-maturity": ("vskg current maturity level", "string"),
    "vskg-target-maturity": ("vskg target maturity level", "string"),
    "vskg-mca-dimension": ("vskg MCA dimension", "string"),
}


def xml_id(iri: str) -> str:
    """A valid xs:ID for a node: 'id-' and the first 24 hex digits of the SHA-256 of its IRI."""
    return "id-" + hashlib.sha256(iri.encode()).hexdigest()[:24]


def _local(iri: str) -> str:
    return iri.rstrip("/").rpartition("#")[2].rpartition("/")[2]


def _number(value) -> str:
    try:
        return format(Decimal(value.value).normalize(), "f")
    except (InvalidOperation, AttributeError):
        return str(value.value)


def native_model(index: Index, graph: str | None) -> Model:
    """An exchange model for the vskg data in ``index``."""
    model = Model(
        identifier=xml_id(graph or "urn:vskg:store"),
        names=[("en", f"vskg export of {graph}" if graph else "vskg export")],
        docs=[("en", "Written by vskg from value stream knowledge graph data; every element carries its vskg IRI.")],
    )
    chosen: dict[NamedNode, str] = {}
    folders: dict[str, list[str]] = defaultdict(list)
    for type_name, classes, _folder in NATIVE_TYPES:
        for subject, preds in index.items():
            if not isinstance(subject, NamedNode) or subject in chosen:
                continue
            if any(isinstance(t, NamedNode) and t.value in classes for t in preds.get(RDF_TYPE, [])):
                chosen[subject] = type_name
    if not chosen:
        where = f"graph <{graph}>" if graph else "the store"
        raise ExportError(f"{where} holds no ArchiMate model and no vskg streams, stages, capabilities or systems")
    used_defs: set[str] = set()
    by_iri: dict[str, Concept] = {}

    def prop(concept: Concept, ref: str, text: str) -> None:
        used_defs.add(ref)
        concept.properties.append(Property(ref, [(None, text)]))

    for subject, type_name in sorted(chosen.items(), key=lambda kv: kv[0].value):
        preds = index[subject]
        names = _texts(preds.get(RDFS + "label", [])) or [(None, _local(subject.value))]
        concept = Concept(xml_id(subject.value), "element", type_name, names, _texts(preds.get(RDFS + "comment", [])))
        prop(concept, "vskg-iri", subject.value)
        for ref, pred in (
            ("vskg-stage-order", "stageOrder"),
            ("vskg-process-time-hours", "processTimeHours"),
            ("vskg-lead-time-hours", "leadTimeHours"),
            ("vskg-percent-complete-accurate", "percentCompleteAccurate"),
            ("vskg-capability-level", "capabilityLevel"),
        ):
            for value in preds.get(VSKG + pred, []):
                prop(concept, ref, _number(value))
        for assessment in preds.get(VSKG + "hasAssessment", []):
            for ref, pred in (("vskg-current-maturity", "currentLevel"), ("vskg-target-maturity", "targetLevel")):
                for level in index.get(assessment, {}).get(VSKG + pred, []):
                    prop(concept, ref, _local(level.value))
        dimensions = {d.value for d in preds.get(VSKG + "alignedTo", [])}
        for alignment in preds.get(VSKG + "hasMCAAlignment", []):
            dimensions |= {d.value for d in index.get(alignment, {}).get(VSKG + "alignedDimension", [])}
        for dimension in sorted(dimensions):
            prop(concept, "vskg-mca-dimension", _local(dimension))
        model.concepts.append(concept)
        by_iri[subject.value] = concept
        folder = next(f for t, c, f in NATIVE_TYPES if t == type_name)
        folders[folder].append(concept.identifier)

    relationships: dict[tuple[str, str, str], None] = {}

    def relate(kind: str, source, target) -> None:
        if source.value in by_iri and target.value in by_iri and source != target:
            relationships[(kind, source.value, target.value)] = None

    for subject, preds in index.items():
        for o in preds.get(VSKG + "stageOf", []):
            relate("Composition", o, subject)
        for o in preds.get(VSKG + "hasStage", []):
            relate("Composition", subject, o)
        for o in preds.get(VSKG + "nextStage", []):
            relate("Flow", subject, o)
        for o in preds.get(VSKG + "enabledBy", []):
            relate("Serving", o, subject)
        for o in preds.get(VSKG + "enables", []):
            relate("Serving", subject, o)
        for o in preds.get(VSKG + "subCapabilityOf", []):
            relate("Composition", o, subject)
        for pred in ("supportsStage", "supportsCapability"):
            for o in preds.get(VSKG + pred, []):
                # ArchiMate 3.2 lets an application component or a node realise a value stream or a capability;
                # it does not let them serve one (Archi's relationship table).
                relate("Realization", subject, o)
        for o in preds.get(VSKG + "runsOn", []):
            relate("Serving", o, subject)
        for o in preds.get(VSKG + "contributesTo", []):
            relate("Association", subject, o)
        for o in preds.get(VSKG + "deliversOutcome", []):
            relate("Realization", subject, o)
    for kind, source, target in sorted(relationships):
        identifier = xml_id(f"{kind}|{source}|{target}")
        concept = Concept(
            identifier, "relationship", kind, source=by_iri[source].identifier, target=by_iri[target].identifier
        )
        if kind == "Association":
            concept.is_directed = True
        model.concepts.append(concept)
        folders["Relations"].append(identifier)
    model.property_definitions = [
        PropertyDefinition(ref, [("en", label)], data_type)
        for ref, (label, data_type) in PROPERTY_DEFINITIONS.items()
        if ref in used_defs
    ]
    order = ["Strategy", "Business", "Application", "Technology", "Motivation", "Relations"]
    model.organizations = [
        Organization(labels=[("en", name)], children=[Organization(ref=i) for i in folders[name]])
        for name in order
        if folders[name]
    ]
    return model


# --- writing XML ---------------------------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return "{" + NS + "}" + tag


def _add_texts(parent, tag: str, texts, *, required: bool = False) -> None:
    if not texts and required:
        texts = [(None, "")]
    for lang, text in texts:
        child = etree.SubElement(parent, _q(tag))
        child.text = text
        if lang:
            child.set(XML_LANG, lang)


def _add_properties(parent, properties: list[Property]) -> None:
    if not properties:
        return
    holder = etree.SubElement(parent, _q("properties"))
    for prop in properties:
        node = etree.SubElement(holder, _q("property"), propertyDefinitionRef=prop.ref)
        _add_texts(node, "value", prop.values, required=True)


def _add_organization(parent, org: Organization) -> None:
    node = etree.SubElement(parent, _q("item"))
    if org.identifier:
        node.set("identifier", org.identifier)
    if org.ref:
        node.set("identifierRef", org.ref)
    _add_texts(node, "label", org.labels)
    _add_texts(node, "documentation", org.docs)
    for child in org.children:
        _add_organization(node, child)


def _add_color(parent, tag: str, color: Color | None) -> None:
    if color is None:
        return
    node = etree.SubElement(parent, _q(tag), r=str(color.r), g=str(color.g), b=str(color.b))
    if color.a is not None:
        node.set("a", str(color.a))


def _add_style(parent, style: Style | None) -> None:
    if style is None:
        return
    node = etree.SubElement(parent, _q("style"))
    if style.line_width is not None:
        node.set("lineWidth", str(style.line_width))
    _add_color(node, "lineColor", style.line)
    _add_color(node, "fillColor", style.fill)
    if style.has_font or style.font_name or style.font_size or style.font_style or style.font_color:
        font = etree.SubElement(node, _q("font"))
        for attribute, value in (("name", style.font_name), ("size", style.font_size), ("style", style.font_style)):
            if value is not None:
                font.set(attribute, value)
        _add_color(font, "color", style.font_color)


def _add_view_part(node, part) -> None:
    node.set("identifier", part.identifier)
    node.set("{" + XSI + "}type", part.type)
    _add_texts(node, "label", part.labels)
    _add_texts(node, "documentation", part.docs)
    _add_style(node, part.style)
    for ref in part.view_refs:
        etree.SubElement(node, _q("viewRef"), ref=ref)


def _add_view_node(parent, view_node: ViewNode) -> None:
    node = etree.SubElement(parent, _q("node"))
    _add_view_part(node, view_node)
    for attribute, value in (("elementRef", view_node.element_ref), ("conceptRef", view_node.concept_ref),
                             ("xpathPart", view_node.xpath_part)):  # fmt: skip
        if value is not None:
            node.set(attribute, value)
    for attribute in ("x", "y", "w", "h"):
        node.set(attribute, str(getattr(view_node, attribute)))
    for child in view_node.children:
        _add_view_node(node, child)


def _add_view(parent, view: View) -> None:
    node = etree.SubElement(parent, _q("view"), identifier=view.identifier)
    if view.type is not None:
        node.set("{" + XSI + "}type", view.type)
    if view.viewpoint is not None:
        node.set("viewpoint", view.viewpoint)
    if view.viewpoint_ref is not None:
        node.set("viewpointRef", view.viewpoint_ref)
    _add_texts(node, "name", view.names, required=True)
    _add_texts(node, "documentation", view.docs)
    _add_properties(node, view.properties)
    for child in view.nodes:
        _add_view_node(node, child)
    for conn in view.connections:
        line = etree.SubElement(node, _q("connection"))
        _add_view_part(line, conn)
        for attribute, value in (("relationshipRef", conn.relationship_ref), ("source", conn.source),
                                 ("target", conn.target)):  # fmt: skip
            if value is not None:
                line.set(attribute, value)
        points = [("sourceAttachment", conn.source_attachment)] + [("bendpoint", p) for p in conn.bendpoints]
        for tag, point in [*points, ("targetAttachment", conn.target_attachment)]:
            if point is not None:
                etree.SubElement(line, _q(tag), x=str(point[0]), y=str(point[1]))


def to_xml(model: Model) -> bytes:
    nsmap = {None: NS, "xsi": XSI}
    root = etree.Element(_q("model"), nsmap=nsmap, identifier=model.identifier)
    root.set("{" + XSI + "}schemaLocation", DIAGRAM_SCHEMA_LOCATION if model.views else SCHEMA_LOCATION)
    if model.version:
        root.set("version", model.version)
    _add_texts(root, "name", model.names, required=True)
    _add_texts(root, "documentation", model.docs)
    _add_properties(root, model.properties)
    if model.metadata:
        root.append(parse_xml(model.metadata.encode(), "the stored model metadata"))
    for kind, group in (("element", "elements"), ("relationship", "relationships")):
        concepts = [c for c in model.concepts if c.kind == kind]
        if not concepts:
            continue
        holder = etree.SubElement(root, _q(group))
        for c in concepts:
            node = etree.SubElement(holder, _q(kind), identifier=c.identifier)
            node.set("{" + XSI + "}type", c.type)
            if kind == "relationship":
                node.set("source", c.source or "")
                node.set("target", c.target or "")
                if c.type == "Access" and c.access_type:
                    node.set("accessType", c.access_type)
                if c.type == "Association" and c.is_directed is not None:
                    node.set("isDirected", "true" if c.is_directed else "false")
                if c.type == "Influence" and c.modifier is not None:
                    node.set("modifier", c.modifier)
            _add_texts(node, "name", c.names, required=c.type not in UNNAMED_OK)
            _add_texts(node, "documentation", c.docs)
            _add_properties(node, c.properties)
    if model.organizations:
        holder = etree.SubElement(root, _q("organizations"))
        for org in model.organizations:
            _add_organization(holder, org)
    if model.property_definitions:
        holder = etree.SubElement(root, _q("propertyDefinitions"))
        for d in model.property_definitions:
            node = etree.SubElement(holder, _q("propertyDefinition"), identifier=d.identifier, type=d.data_type)
            _add_texts(node, "name", d.names, required=True)
    if model.views or model.viewpoints:
        views = etree.SubElement(root, _q("views"))
        if model.viewpoints:
            views.append(parse_xml(model.viewpoints.encode(), "the stored viewpoint definitions"))
        if model.views:
            holder = etree.SubElement(views, _q("diagrams"))
            for view in model.views:
                _add_view(holder, view)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


__all__ = [
    "MODEL_BASE",
    "ExportError",
    "export_store",
    "model_from_graph",
    "native_model",
    "read_graph_model",
    "to_xml",
    "xml_id",
]
