"""Impact analysis: every stream and stage that depends on a capability or a system, and through which link.

Asked before changing, outsourcing or retiring something. ``via`` names the link in the graph's own terms:

- capability: "vskg:enabledBy" when the stage is enabled by the capability itself, or
  "vskg:subCapabilityOf <sub-capability IRI>" when it is enabled by a capability below it (any depth);
- system: "vskg:supportsStage" when the system supports the stage, or "vskg:supportsCapability <capability IRI>"
  when it supports one of the stage's enabling capabilities; a technology platform reaches stages through the
  application systems that run on it, "vskg:runsOn <system IRI>", besides any stage it supports itself.

``related`` lists the systems that support a capability (vskg:supportsCapability), or the capabilities a system
supports (for a platform: also those of the systems that run on it).
"""

from __future__ import annotations

from vskg.analytics.facts import (
    SYSTEM_KINDS,
    CapabilityNotFound,
    Facts,
    Source,
    SystemNotFound,
    as_number,
    ask,
    iri_term,
    select,
)
from vskg.analytics.model import Dependant, Impact

ORDER = "OPTIONAL { ?stage vskg:stageOrder ?order }"
# A path is walked in a sub-select of its own, with a LIMIT never reached: Virtuoso 7 evaluates a `*` path whose
# two ends are bound when it runs for the first row only, and the LIMIT keeps it from pushing outer values in (the
# catalogue does the same; see the README's notes on Virtuoso).
UNREACHED = 1_000_000


def subclasses(classes: str) -> str:
    """A group binding ?kind to each of ``classes`` (CURIEs or IRIs, space-separated) and every subclass of them."""
    each = " UNION ".join(f"{{ ?kind rdfs:subClassOf* {c} }}" for c in classes.split())  # a constant start each
    return f"{{ SELECT DISTINCT ?kind WHERE {{ {each} }} LIMIT {UNREACHED} }}"


def capability_impact(source: Source, capability_iri: str) -> Impact:
    """The stages enabled by the capability or by any capability below it; CapabilityNotFound if it is none."""
    term = iri_term(capability_iri, CapabilityNotFound)
    if not ask(source, f"ASK {{ {subclasses('vskg:Capability')} {term} a ?kind }}"):
        raise CapabilityNotFound(f"<{capability_iri}> is not a capability (vskg:Capability) in the graph")
    rows = select(
        source,
        f"""SELECT DISTINCT ?stream ?stage ?enabler ?order WHERE {{
          {{ SELECT ?enabler WHERE {{ ?enabler vskg:subCapabilityOf* {term} }} LIMIT {UNREACHED} }}
          ?stage (vskg:enabledBy|^vskg:enables) ?enabler .
          ?stream (vskg:hasStage|^vskg:stageOf) ?stage .
          {ORDER}
        }}""",
    )
    links = {}
    for row in rows:
        enabler = row["enabler"].value
        via = "vskg:enabledBy" if enabler == capability_iri else f"vskg:subCapabilityOf <{enabler}>"
        links[(row["stream"].value, row["stage"].value, via)] = as_number(row.get("order"))
    systems = [
        r["system"].value
        for r in select(source, f"SELECT DISTINCT ?system {{ ?system vskg:supportsCapability {term} }}")
    ]
    return _impact(source, capability_iri, "capability", links, systems)


def system_impact(source: Source, system_iri: str) -> Impact:
    """The stages a system (or, for a platform, the systems on it) supports; SystemNotFound if it is none."""
    term = iri_term(system_iri, SystemNotFound)
    if not ask(source, f"ASK {{ {subclasses(SYSTEM_KINDS)} {term} a ?kind }}"):
        raise SystemNotFound(
            f"<{system_iri}> is not a system (vskg:ApplicationSystem or vskg:TechnologyPlatform) in the graph"
        )
    users = f"{{ BIND({term} AS ?via) }} UNION {{ ?via vskg:runsOn {term} }}"
    rows = select(
        source,
        f"""SELECT DISTINCT ?stream ?stage ?via ?capability ?order WHERE {{
          {users}
          {{ ?via vskg:supportsStage ?stage }}
          UNION {{ ?via vskg:supportsCapability ?capability . ?stage (vskg:enabledBy|^vskg:enables) ?capability }}
          ?stream (vskg:hasStage|^vskg:stageOf) ?stage .
          {ORDER}
        }}""",
    )
    links = {}
    for row in rows:
        user, capability = row["via"].value, row.get("capability")
        if user != system_iri:
            via = f"vskg:runsOn <{user}>"
        elif capability is None:
            via = "vskg:supportsStage"
        else:
            via = f"vskg:supportsCapability <{capability.value}>"
        links[(row["stream"].value, row["stage"].value, via)] = as_number(row.get("order"))
    capabilities = select(source, f"SELECT DISTINCT ?capability {{ {users} ?via vskg:supportsCapability ?capability }}")
    return _impact(source, system_iri, "system", links, [r["capability"].value for r in capabilities])


def _impact(
    source: Source, subject: str, kind: str, links: dict[tuple[str, str, str], float | None], related: list[str]
) -> Impact:
    """Label everything and sort the dependants by stream label, stage order, stage label, then link."""
    facts = Facts()
    facts.read_labels(source, {subject, *related, *(s for s, _, _ in links), *(t for _, t, _ in links)})
    orders: dict[str, float | None] = {}
    for (_, stage, _), order in links.items():
        if order is not None and (orders.get(stage) is None or order < orders[stage]):
            orders[stage] = order
        else:
            orders.setdefault(stage, None)

    def key(link: tuple[str, str, str]) -> tuple:
        stream, stage, via = link
        order = orders[stage]
        return (*facts.sort_key(stream), order is None, order or 0, *facts.sort_key(stage), via)

    dependants = tuple(Dependant(facts.ref(s), facts.ref(t), via) for s, t, via in sorted(links, key=key))
    return Impact(
        subject=facts.ref(subject),
        kind=kind,
        dependants=dependants,
        related=tuple(facts.ref(r) for r in sorted(set(related), key=facts.sort_key)),
    )
