"""The article's concepts the model once lacked answer an architect's question each, over the bundled graph.

Issue 13, items 3, 4 and 12: decisions, the value stream operating model, coordination failures between steps, the
network of streams, the order in which transformations adopt frameworks and streams, separate organisational cycles,
throughput, the Poppendiecks' flow ideas and ITIL's service value system; class/concept pairs of the same name are
mapped; every class is used by the examples or is abstract for a listed reason.
"""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib

from vskg.rdfio import load_graph
from vskg.resources import locate
from vskg.results import collect

PREFIXES = """
PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX src: <https://w3id.org/vskg/source/>
"""


def rows(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    result = collect(store.query(PREFIXES + query, use_default_graph_as_union=True))
    return [tuple(row[name] for name in result.variables) for row in result.values()]


def test_which_decisions_does_each_stream_depend_on_and_what_do_they_shape(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT ?stream ?decision ?by ?shaped WHERE {
          ?d a vskg:Decision ; rdfs:label ?dl ; vskg:decisionFor/rdfs:label ?sl ; vskg:decidedBy/rdfs:label ?bl .
          OPTIONAL { ?d vskg:shapesCapability|vskg:shapesSystem ?x . ?x rdfs:label ?xl }
          BIND(STR(?sl) AS ?stream) BIND(STR(?dl) AS ?decision) BIND(STR(?bl) AS ?by)
          BIND(COALESCE(STR(?xl), "-") AS ?shaped)
        } ORDER BY ?stream ?decision ?shaped""",
    )
    funding, runtime, council = (
        "Quarterly stream funding decision",
        "Shared runtime architecture priority",
        "Lean portfolio council",
    )
    capacity, roadmap = "Launch capacity decision", "Roadmap commitment decision"
    planners = "Infrastructure and capacity planning"
    assert found == [
        ("Developer ecosystem growth", funding, council, "-"),
        ("Enterprise integration", funding, council, "-"),
        ("Enterprise integration", runtime, council, "Shared cloud runtime platform"),
        ("Enterprise integration", runtime, council, "Shared data and analytics platform"),
        ("Platform reliability", funding, council, "-"),
        ("Platform reliability", runtime, council, "Shared cloud runtime platform"),
        ("Platform reliability", runtime, council, "Shared data and analytics platform"),
        ("Product innovation", funding, council, "-"),
        ("Product lifecycle", capacity, planners, "Capacity and performance management"),
        ("Product lifecycle", capacity, planners, "Cloud cost management tool"),
        ("Product lifecycle", capacity, planners, "Observability and capacity monitoring system"),
        ("Product lifecycle", roadmap, "Product management", "Product trade-off decisions"),
        ("Product lifecycle", roadmap, "Product management", "Roadmap and backlog management tool"),
        ("Product lifecycle", roadmap, "Product management", "Roadmap management"),
    ]


def test_which_streams_is_each_operating_model_organised_around(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT DISTINCT ?organisation ?stream WHERE {
          ?o vskg:hasOperatingModel ?m ; rdfs:label ?ol .
          ?m a vskg:ValueStreamOperatingModel ; vskg:organisedAround ?around .
          { ?around vskg:hasStage [] . BIND(?around AS ?s) } UNION { ?around vskg:includesStream ?s }
          ?s rdfs:label ?sl . BIND(STR(?ol) AS ?organisation) BIND(STR(?sl) AS ?stream)
        } ORDER BY ?organisation ?stream""",
    )
    assert found == [
        ("Global technology platform company", "Developer ecosystem growth"),
        ("Global technology platform company", "Enterprise integration"),
        ("Global technology platform company", "Platform reliability"),
        ("Global technology platform company", "Product innovation"),
        ("Integrated oil and gas company", "Exploration to export"),
    ]


def test_where_do_coordination_failures_arise_between_steps(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT ?stream ?from ?to ?failure WHERE {
          ?f a vskg:CoordinationFailure ; rdfs:label ?fl ; vskg:occursAt ?h .
          ?h vskg:fromStage/rdfs:label ?a ; vskg:toStage/rdfs:label ?b .
          ?st vskg:hasHandoff ?h ; rdfs:label ?sl .
          BIND(STR(?sl) AS ?stream) BIND(STR(?a) AS ?from) BIND(STR(?b) AS ?to) BIND(STR(?fl) AS ?failure)
        } ORDER BY ?stream ?from""",
    )
    assert found == [
        ("Citizen service delivery", "Case management", "Payment", "Awards wait for another agency's payment run"),
        (
            "Citizen service delivery",
            "Identity verification",
            "Eligibility assessment",
            "Identity results do not reach eligibility",
        ),
        # The three planning stages run in parallel, each handing its result to development and deployment.
        (
            "Product lifecycle",
            "Marketing planning",
            "Development and deployment",
            "Marketing and product cycles do not meet",
        ),
        (
            "Product lifecycle",
            "Product management",
            "Development and deployment",
            "Product and capacity cycles do not meet",
        ),
    ]


def test_which_streams_feed_which_and_who_says_so(store: pyoxigraph.Store) -> None:
    """The network of streams; every link is the modeller's, as the article names streams but not their links."""
    found = rows(
        store,
        """
        SELECT ?upstream ?downstream ?source WHERE {
          ?d a vskg:StreamDependency ; vskg:upstreamStream/rdfs:label ?u ; vskg:downstreamStream/rdfs:label ?w ;
             dcterms:source ?src .
          BIND(STR(?u) AS ?upstream) BIND(STR(?w) AS ?downstream) BIND(STR(?src) AS ?source)
        } ORDER BY ?upstream""",
    )
    modeller = "https://w3id.org/vskg/source/vskg"
    assert found == [
        ("Platform reliability", "Enterprise integration", modeller),
        ("Product discovery to delivery", "Product returns and exchanges", modeller),
        ("Product innovation", "Developer ecosystem growth", modeller),
    ]


def test_which_transformations_adopted_a_delivery_framework_before_the_value_streams(
    store: pyoxigraph.Store,
) -> None:
    """The article's 'strategy problem, not a delivery problem', as a query."""
    found = rows(
        store,
        """
        SELECT ?intervention ?stream ?framework ?approach WHERE {
          ?i vskg:transformationApproach ?a ; rdfs:label ?il ; vskg:changesStream/rdfs:label ?sl .
          ?a rdfs:label ?al .
          OPTIONAL { ?i vskg:adoptsFramework/rdfs:label ?fl }
          BIND(STR(?il) AS ?intervention) BIND(STR(?sl) AS ?stream) BIND(COALESCE(STR(?fl), "-") AS ?framework)
          BIND(STR(?al) AS ?approach)
        } ORDER BY ?approach ?intervention""",
    )
    dora = "DORA software delivery performance metrics"
    assert found == [
        ("DevOps acceleration", "Product lifecycle", dora, "Delivery framework first"),
        ("Public services digitisation programme", "Citizen service delivery", dora, "Delivery framework first"),
        ("Integrated operations programme", "Exploration to export", "-", "Value streams first"),
    ]


def test_which_stages_run_in_parallel_on_separate_cycles(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT ?stage ?cycle ?unit (COUNT(DISTINCT ?other) AS ?parallelWith) WHERE {
          ?s vskg:runsOnCycle ?c ; rdfs:label ?stl ; vskg:stageOrder ?o ; vskg:runsInParallelWith ?other .
          ?c rdfs:label ?cl ; vskg:cycleRunBy/rdfs:label ?ul .
          BIND(STR(?stl) AS ?stage) BIND(STR(?cl) AS ?cycle) BIND(STR(?ul) AS ?unit)
        } GROUP BY ?stage ?cycle ?unit ?o ORDER BY ?o ?stage""",
    )
    # The three share position 1 (a parallel block), so they are ordered by name within it.
    assert found == [
        (
            "Infrastructure capacity planning",
            "Infrastructure capacity planning cycle",
            "Infrastructure and capacity planning",
            "2",
        ),
        ("Marketing planning", "Marketing planning cycle", "Product marketing", "2"),
        ("Product management", "Product management decision cycle", "Product management", "2"),
    ]


def test_parallel_stages_are_stated_both_ways(store: pyoxigraph.Store) -> None:
    one_way = rows(
        store,
        "SELECT ?a ?b WHERE { ?a vskg:runsInParallelWith ?b FILTER NOT EXISTS { ?b vskg:runsInParallelWith ?a } }",
    )
    assert one_way == []


def test_which_stream_is_measured_by_its_throughput(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT ?stream ?kpi ?metric WHERE {
          ?s vskg:hasKPI ?k ; rdfs:label ?sl . ?k vskg:kpiMetric ?m ; rdfs:label ?kl . ?m skos:prefLabel ?ml .
          FILTER(?m = <https://w3id.org/vskg/scheme/lean/Throughput>)
          BIND(STR(?sl) AS ?stream) BIND(STR(?kl) AS ?kpi) BIND(STR(?ml) AS ?metric)
        }""",
    )
    assert found == [("Exploration to export", "Exploration to export throughput", "Throughput")]


def test_which_lean_flow_ideas_come_from_the_poppendiecks_and_where_they_apply(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT ?idea ?related ?appliedTo WHERE {
          ?c skos:broader <https://w3id.org/vskg/scheme/lean/MakeValueFlow> ; skos:prefLabel ?cl ;
             dcterms:source src:poppendieck-2003 ; skos:related/skos:prefLabel ?rl .
          ?x vskg:classifiedAs ?c ; rdfs:label ?xl .
          BIND(STR(?cl) AS ?idea) BIND(STR(?rl) AS ?related) BIND(STR(?xl) AS ?appliedTo)
        } ORDER BY ?idea ?appliedTo""",
    )
    assert found == [
        ("Flow from concept to deployment", "Lead time", "Product lifecycle"),
        ("Organisational structure affects flow", "Handoffs", "Marketing and product cycles do not meet"),
        ("Organisational structure affects flow", "Handoffs", "Product and capacity cycles do not meet"),
    ]


def test_where_itil_service_value_streams_sit_in_the_service_value_system(store: pyoxigraph.Store) -> None:
    found = rows(
        store,
        """
        SELECT ?related ?partOf WHERE {
          <https://w3id.org/vskg/scheme/itil4/ServiceValueStream> skos:related ?r . ?r skos:prefLabel ?rl .
          OPTIONAL { ?r skos:broader/skos:prefLabel ?pl }
          BIND(STR(?rl) AS ?related) BIND(COALESCE(STR(?pl), "-") AS ?partOf)
        } ORDER BY ?related""",
    )
    assert found == [("Service value chain", "Service value system"), ("Service value system", "-")]


def test_missions_and_assessments_of_the_strategy_chain(store: pyoxigraph.Store) -> None:
    missions = rows(
        store,
        """
        SELECT ?o ?m WHERE {
          ?x vskg:hasMission/rdfs:label ?ml ; rdfs:label ?ol BIND(STR(?ol) AS ?o) BIND(STR(?ml) AS ?m)
        }""",
    )
    assert missions == [
        ("Telecommunications provider", "Deliver communication services to business and consumer customers")
    ]
    assessments = rows(
        store,
        """
        SELECT ?assessment ?influencer ?end WHERE {
          ?a a vskg:Assessment ; rdfs:label ?al ; vskg:assessesInfluencer/rdfs:label ?il ;
             vskg:affectsAchievementOf/rdfs:label ?gl .
          BIND(STR(?al) AS ?assessment) BIND(STR(?il) AS ?influencer) BIND(STR(?gl) AS ?end)
        }""",
    )
    assert assessments == [
        (
            "Weakness: digital delivery improves while the citizen service flow stays fragmented",
            "Service systems distributed across agencies",
            "Joined-up support without repeated requests",
        )
    ]


# Every owl:Class and every scheme concept whose IRIs end in the same name, with what links them.
SAME_NAME_PAIRS = """
SELECT DISTINCT ?class ?concept ?mapping WHERE {
  ?class a owl:Class . FILTER(isIRI(?class))
  ?concept a skos:Concept . FILTER(STRSTARTS(STR(?concept), "https://w3id.org/vskg/scheme/"))
  FILTER(REPLACE(STR(?class), "^.*[#/]", "") = REPLACE(STR(?concept), "^.*/", ""))
  OPTIONAL { ?class ?p ?concept }
  OPTIONAL { ?concept ?q ?class }
  BIND(REPLACE(STR(COALESCE(?p, ?q)), "^.*[#/]", "") AS ?mapping)
} ORDER BY ?class ?concept
"""


def test_no_class_shares_a_name_with_an_unmapped_concept(store: pyoxigraph.Store) -> None:
    found = rows(store, SAME_NAME_PAIRS)
    unmapped = [(c, k) for c, k, mapping in found if mapping is None]
    assert unmapped == []
    short = [(c.rsplit("#", 1)[-1].rsplit("/", 1)[-1], k.split("/scheme/")[1], m) for c, k, m in found]
    assert short == [
        ("Role", "safe/Role", "narrowMatch"),
        ("Relationship", "archimate/Relationship", "closeMatch"),
        ("AgileReleaseTrain", "safe/AgileReleaseTrain", "closeMatch"),
        ("Assessment", "bmm/Assessment", "closeMatch"),
        ("Capability", "archimate/Capability", "closeMatch"),
        ("CourseOfAction", "archimate/CourseOfAction", "exactMatch"),
        ("CourseOfAction", "bmm/CourseOfAction", "closeMatch"),
        ("DevelopmentValueStream", "safe/DevelopmentValueStream", "closeMatch"),
        ("Epic", "safe/Epic", "closeMatch"),
        ("Goal", "archimate/Goal", "closeMatch"),
        ("Goal", "bmm/Goal", "closeMatch"),
        ("Influencer", "bmm/Influencer", "closeMatch"),
        ("Mission", "bmm/Mission", "closeMatch"),
        ("OperationalValueStream", "safe/OperationalValueStream", "closeMatch"),
        ("Outcome", "archimate/Outcome", "closeMatch"),
        ("ServiceValueStream", "itil4/ServiceValueStream", "closeMatch"),
        ("Solution", "safe/Solution", "closeMatch"),
        ("Stakeholder", "archimate/Stakeholder", "closeMatch"),
        ("StrategicTheme", "safe/StrategicTheme", "closeMatch"),
        ("Strategy", "bmm/Strategy", "closeMatch"),
        ("Strategy", "mca/Strategy", "seeAlso"),
        ("Tactic", "bmm/Tactic", "closeMatch"),
        ("Trigger", "safe/Trigger", "closeMatch"),
        ("ValueStream", "archimate/ValueStream", "closeMatch"),
        ("ValueStream", "safe/ValueStream", "closeMatch"),
        ("Vision", "bmm/Vision", "closeMatch"),
    ]


# Classes with no instance of their own in data/, each with the reason.
NOT_INSTANTIATED_IN_DATA = {
    "ValueStream": "abstract: every stream is strategic, operational, development or service",
    "System": "abstract: the union of application system and technology platform",
    "StrategicIntent": "abstract: the union of vision, goal, strategic objective and strategic theme",
    "CourseOfAction": "abstract: the union of strategy and tactic",
    "Intervention": "every intervention in the examples is a project, a programme or an epic",
    "Metric": "members are concepts of the framework schemes, which KPIs in data/ point at",
    "Industry": "members are the ISIC concepts of the industry scheme, which data/ points at",
    "Framework": "members are declared with the framework schemes, which data/ points at",
    "MaturityLevel": "closed list declared in the ontology, which assessments in data/ point at",
    "MCADimension": "closed list declared in the ontology, which alignments in data/ point at",
    "TriggerKind": "closed list declared in the ontology, which triggers in data/ point at",
    "StreamRole": "closed list declared in the ontology, which posts in data/ point at",
    "TransformationApproach": "closed list declared in the ontology, which interventions in data/ point at",
    "ProvenanceStatus": "closed list declared in the ontology, which every resource in data/ points at",
}


@pytest.fixture(scope="module")
def data_graph() -> rdflib.Graph:
    return load_graph(locate().data)


def test_every_class_is_used_by_the_examples_or_listed_with_a_reason(data_graph: rdflib.Graph) -> None:
    ontology = load_graph([locate().ontology])
    vskg = "https://w3id.org/vskg/ontology#"
    classes = {
        str(c)[len(vskg) :] for c in ontology.subjects(rdflib.RDF.type, rdflib.OWL.Class) if str(c).startswith(vskg)
    }
    used = {str(c)[len(vskg) :] for c in data_graph.objects(None, rdflib.RDF.type) if str(c).startswith(vskg)}
    assert sorted(classes - used) == sorted(NOT_INSTANTIATED_IN_DATA)


def test_the_listed_vocabulary_classes_are_still_pointed_at_from_data(
    store: pyoxigraph.Store, data_graph: rdflib.Graph
) -> None:
    """A class kept out of data/ for a reason must still matter to it: data links to a member (or a subclass member)."""
    objects = {str(o) for o in data_graph.objects() if isinstance(o, rdflib.URIRef)}
    subjects_typed = {str(s) for s in data_graph.subjects(rdflib.RDF.type, None)}
    unused = []
    for name in NOT_INSTANTIATED_IN_DATA:
        members = {
            row[0]
            for row in rows(
                store, f"SELECT ?m WHERE {{ ?m a/rdfs:subClassOf* <https://w3id.org/vskg/ontology#{name}> }}"
            )
        }
        if not members & (objects | subjects_typed):
            unused.append(name)
    assert unused == []
