"""Relationships an ArchiMate model implies but does not draw, found by the derivation rules of the specification.

Real models rarely draw an application component straight to the capability it supports: they draw the component
serving a business process, the process realising a business service, the service realising the capability.
ArchiMate 3.2 (Appendix B) says which chains of relationships imply a relationship between their two ends. vskg
needs only a few of those implied relationships (a system supporting a capability or a stage, a unit contributing
to a stage, an actor or role operating a stream), so it does not compute the model's whole derived closure, which
grows with the square of the model; it walks chains from the elements that can be at the start of such a link.

The rules applied (each derived link names the one that produced it, see ``RULES``):

- **structural chain** (B.2, valid): a chain of composition, aggregation, assignment and realization implies the
  weakest of them between its ends (realization is weaker than assignment, than aggregation, than composition);
- **structural then dependency** (B.2, valid): a structural chain followed by one serving relationship implies
  that serving between its ends (what a whole or an assigned performer does, it does through its parts and
  behaviour);
- **dependency chain** (B.3, potential): a serving relationship followed by further serving, realization or
  structural relationships implies a serving relationship that may hold but need not; the link is still made,
  because that is how models say which application supports which capability, and its rule says it is potential.

Not applied: specialization chains; access and influence chains (they never end at a system-to-capability or
operator link); chains through junctions; triggering and flow chains (handoffs are read from the Flow and
Triggering relationships drawn between stages, see vskg.archimate.mapping); association, which the specification
leaves out of derivation; and derivations towards motivation elements.

Bounds: a chain has at most ``MAX_CHAIN`` relationships; each start element is walked once per rule state, so a
cycle is passed at most once; the whole derivation stops after ``MAX_STEPS`` relationship steps (a warning says
so). In practice the cost is linear in the model size: each start element looks only a few relationships ahead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from vskg.archimate.model import Concept

MAX_CHAIN = 4
MAX_STEPS = 1_000_000

STRUCTURAL = ("Realization", "Assignment", "Aggregation", "Composition")  # weakest first
SERVING = "Serving"

STRUCTURAL_CHAIN = "structuralChain"
STRUCTURAL_THEN_DEPENDENCY = "structuralThenDependency"
DEPENDENCY_CHAIN = "dependencyChain"
RULES = (STRUCTURAL_CHAIN, STRUCTURAL_THEN_DEPENDENCY, DEPENDENCY_CHAIN)


@dataclass(frozen=True)
class Derived:
    """A relationship implied by ``chain`` (relationship identifiers, in order) between its two ends."""

    source: str
    target: str
    type: str  # the ArchiMate relationship type implied: Serving or one of STRUCTURAL
    rule: str  # one of RULES
    chain: tuple[str, ...]


class Deriver:
    """Walks the relationships of one model; ``derive`` may be called for several start sets and goals."""

    def __init__(self, relationships: Iterable[Concept], max_chain: int = MAX_CHAIN, max_steps: int = MAX_STEPS):
        self.outgoing: dict[str, list[Concept]] = defaultdict(list)
        for rel in relationships:
            if rel.source and rel.target and (rel.type in STRUCTURAL or rel.type == SERVING):
                self.outgoing[rel.source].append(rel)
        self.max_chain = max_chain
        self.max_steps = max_steps
        self.steps_left = max_steps
        self.exhausted = False

    def derive(
        self, starts: Iterable[str], is_goal, passable, accept: set[str] | None = None, structural_only: bool = False
    ) -> list[Derived]:
        """Chains of two or more relationships from each of ``starts`` to an element ``is_goal`` accepts.

        ``passable(id, type)`` says whether a chain may go on through an element it reached by a relationship of that
        type (a goal always ends it); ``accept``
        lists the implied relationship types wanted (default: Serving and Realization). For each start and goal
        only the first chain found is kept, and it is a shortest one.
        """
        wanted = accept if accept is not None else {SERVING, "Realization"}
        found: list[Derived] = []
        for start in starts:
            found.extend(self._walk(start, is_goal, passable, wanted, structural_only))
            if self.exhausted:
                break
        return found

    def _walk(self, start: str, is_goal, passable, wanted: set[str], structural_only: bool) -> list[Derived]:
        # A state is (element, implied type, rule so far); breadth first, so each state is first reached by a
        # shortest chain and never expanded twice (which is what makes a cycle harmless).
        seen: set[tuple[str, str, str]] = set()
        reached: dict[str, Derived] = {}
        frontier: list[tuple[str, str, str, tuple[str, ...]]] = [(start, "", STRUCTURAL_CHAIN, ())]
        for _ in range(self.max_chain):
            following = []
            for node, implied, rule, chain in frontier:
                for rel in self.outgoing.get(node, ()):
                    if self.steps_left <= 0:
                        self.exhausted = True
                        return list(reached.values())
                    self.steps_left -= 1
                    step = _compose(implied, rule, rel.type)
                    if structural_only and step[1] != STRUCTURAL_CHAIN:
                        continue
                    target, path = rel.target or "", (*chain, rel.identifier)
                    if target == start:
                        continue
                    if is_goal(target):
                        if len(path) > 1 and step[0] in wanted and target not in reached:
                            reached[target] = Derived(start, target, step[0], step[1], path)
                        continue
                    state = (target, *step)
                    if state in seen or not passable(target, rel.type):
                        continue
                    seen.add(state)
                    following.append((target, step[0], step[1], path))
            frontier = following
        return list(reached.values())


def _compose(implied: str, rule: str, next_type: str) -> tuple[str, str]:
    """The implied type and rule after adding a relationship of ``next_type`` to a chain."""
    if rule == STRUCTURAL_CHAIN:
        if next_type == SERVING:
            return SERVING, STRUCTURAL_THEN_DEPENDENCY
        return (min(implied, next_type, key=STRUCTURAL.index) if implied else next_type), STRUCTURAL_CHAIN
    # After a serving relationship only potential derivations remain; the implied relationship stays serving.
    return SERVING, DEPENDENCY_CHAIN
