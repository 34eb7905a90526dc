"""Is the ontology, with its schemes and the bundled data, OWL 2 DL and consistent?

Two real reasoners do the work: the OWL API's OWL 2 DL profile checker (the reference implementation, shipped
inside owlready2's HermiT jar) and HermiT itself through owlready2. Both need Java; vskg compiles its small
profile-check class once into a cache folder. Both read one merged RDF/XML copy of the files (owlready2 reads no
Turtle), written once per run.

Dates. The data records days (``"2025-03-31"^^xsd:date``) and years (``"2019"^^xsd:gYear``), the right XSD types
for them, but neither is in the OWL 2 datatype map, and HermiT refuses any literal outside it. Changing the data to
``xsd:dateTime`` would make every assessment date an instant at midnight, which it is not; ignoring unsupported
datatypes (HermiT's option) would drop those assertions, so a functional property with two different dates would
pass. So only the copy handed to the reasoners is rewritten: each date becomes the ``xsd:dateTime`` of its first
instant (``2025-03-31T00:00:00``, same time zone if any), each year that of 1 January. The rewrite is one-to-one
and keeps which values are equal, so the verdict is the one the reasoner would give on the dates themselves,
provided nothing else speaks of these datatypes. That is checked, not assumed: when an ontology mentions
``xsd:date``, ``xsd:gYear``, ``xsd:dateTime`` or ``xsd:dateTimeStamp`` as a datatype (a range, a restriction), or
when two different literals would become the same ``xsd:dateTime``, the check fails and says so instead of
rewriting. The output states how many literals were rewritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
import rdflib

from vskg.rdfio import load_graph
from vskg.resources import locate

XSD = "http://www.w3.org/2001/XMLSchema#"
DATE_TIME = rdflib.URIRef(XSD + "dateTime")
_ZONE = r"(Z|[+-]\d{2}:\d{2})?"
# Datatype -> (pattern of its lexical form, what to add to the date part to make an xsd:dateTime).
_REWRITES = {
    rdflib.URIRef(XSD + "date"): (re.compile(rf"(-?\d{{4,}}-\d{{2}}-\d{{2}}){_ZONE}"), "T00:00:00"),
    rdflib.URIRef(XSD + "gYear"): (re.compile(rf"(-?\d{{4,}}){_ZONE}"), "-01-01T00:00:00"),
}
# Datatypes whose meaning the rewrite would change if an axiom named them.
_UNTOUCHABLE = {*_REWRITES, DATE_TIME, rdflib.URIRef(XSD + "dateTimeStamp")}

_JAVA_SOURCE = Path(__file__).with_name("java") / "ProfileCheck.java"


PROFILE = "OWL 2 DL profile (OWL API)"
HERMIT = "Consistency (HermiT)"


class JavaMissing(RuntimeError):
    """Raised when no Java runtime or compiler is on the PATH."""


@dataclass
class CheckResult:
    name: str
    passed: bool
    details: list[str] = field(default_factory=list)


def _hermit_jar() -> Path:
    return Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "vskg" / "java"


def _compiled_checker() -> Path:
    """Compile ProfileCheck.java once per source version; return the folder holding the class."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            raise JavaMissing(f"'{tool}' is not on the PATH; install a JDK (17 or newer) to run vskg check")
    digest = hashlib.sha256(_JAVA_SOURCE.read_bytes() + str(_hermit_jar()).encode()).hexdigest()[:16]
    target = _cache_dir() / digest
    if not (target / "ProfileCheck.class").exists():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["javac", "-nowarn", "-cp", str(_hermit_jar()), "-d", str(target), str(_JAVA_SOURCE)],
            check=True,
            capture_output=True,
        )
    return target


class RewriteRefused(Exception):
    """The dates cannot be handed to the reasoners as xsd:dateTime without changing what the files say."""


@dataclass
class Prepared:
    """The merged copy the reasoners read, and what was done to make it."""

    path: Path
    triples: int
    rewritten: Counter[str] = field(default_factory=Counter)  # "xsd:date" -> literals rewritten

    def note(self) -> str | None:
        if not self.rewritten:
            return None
        counts = " and ".join(f"{n} {name}" for name, n in sorted(self.rewritten.items()))
        return (
            f"{counts} literals given to the reasoners as xsd:dateTime (the first instant of the day or year): "
            "OWL 2 has no date datatype; nothing in the files constrains these datatypes, so the verdicts are "
            "those on the dates themselves"
        )


def _short(iri: str) -> str:
    return "xsd:" + iri.removeprefix(XSD) if iri.startswith(XSD) else f"<{iri}>"


def _naming_a_date_type(graph: rdflib.Graph) -> list[str]:
    """The statements that name one of the datatypes the rewrite touches (as a range, in a restriction ...)."""
    return sorted(
        " ".join(_short(str(term)) for term in (s, p, o))
        for s, p, o in graph
        if any(isinstance(term, rdflib.URIRef) and term in _UNTOUCHABLE for term in (s, p, o))
    )


def reasoner_copy(graph: rdflib.Graph) -> tuple[rdflib.Graph, Counter[str]]:
    """The graph with xsd:date and xsd:gYear literals as xsd:dateTime, or RewriteRefused saying why it cannot be."""
    copy = rdflib.Graph()
    rewritten: Counter[str] = Counter()
    made: dict[rdflib.Literal, rdflib.Literal] = {}
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype in _REWRITES:
            pattern, tail = _REWRITES[o.datatype]
            found = pattern.fullmatch(str(o))
            if found:  # an ill-formed date is left alone: HermiT then refuses it, naming the reason
                new = rdflib.Literal(
                    found.group(1) + tail + (found.group(2) or ""), datatype=DATE_TIME, normalize=False
                )
                earlier = made.setdefault(new, o)
                if earlier != o:
                    one, other = sorted((_literal(earlier), _literal(o)))
                    raise RewriteRefused(
                        f"{one} and {other} would both be given to the reasoners as {_literal(new)}, which could "
                        "then not tell them apart; state both with the same datatype"
                    )
                rewritten[_short(str(o.datatype))] += 1
                o = new
        copy.add((s, p, o))
    naming = _naming_a_date_type(graph) if rewritten else []
    if naming:
        more = f" (and {len(naming) - 1} more)" if len(naming) > 1 else ""
        raise RewriteRefused(
            f"{naming[0]}{more} names a date datatype, so xsd:date and xsd:gYear literals cannot be given to the "
            "reasoners as xsd:dateTime without changing what it says; OWL 2 DL has no date datatype: use "
            "xsd:dateTime for such a property, or leave its range open and check the dates with SHACL"
        )
    return copy, rewritten


def _literal(value: rdflib.Literal) -> str:
    return f'"{value}"^^{_short(str(value.datatype))}'


def prepare(paths: Sequence[Path], folder: Path) -> Prepared:
    """Merge the files into one RDF/XML document (the syntax both the OWL API and owlready2 read), dates rewritten."""
    graph = load_graph(paths)
    copy, rewritten = reasoner_copy(graph)
    out = folder / "merged.owl"
    copy.serialize(out, format="xml")
    return Prepared(out, len(graph), rewritten)


def owl2_dl_profile(prepared: Prepared) -> CheckResult:
    classes = _compiled_checker()
    answer = subprocess.run(
        ["java", "-cp", f"{_hermit_jar()}{os.pathsep}{classes}", "ProfileCheck", str(prepared.path)],
        capture_output=True,
        text=True,
    )
    lines = answer.stdout.splitlines()
    violations = [line.removeprefix("violation ") for line in lines if line.startswith("violation ")]
    errors = [line.removeprefix("error ") for line in lines if line.startswith("error ")]
    if answer.returncode == 2 or errors:
        return CheckResult(PROFILE, False, errors or [answer.stderr.strip()])
    return CheckResult(PROFILE, answer.returncode == 0 and not violations, violations)


def consistency(prepared: Prepared) -> CheckResult:
    """Run HermiT: the ontology must be consistent and every named class satisfiable."""
    if shutil.which("java") is None:
        raise JavaMissing("'java' is not on the PATH; install a JDK (17 or newer) to run vskg check")
    world = owlready2.World()
    try:
        world.get_ontology(prepared.path.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return CheckResult(HERMIT, False, ["the ontology is inconsistent"])
        except owlready2.OwlReadyJavaError as problem:
            return CheckResult(HERMIT, False, [_java_reason(str(problem))])
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    finally:
        world.close()
    return CheckResult(HERMIT, not unsatisfiable, [f"unsatisfiable class {iri}" for iri in unsatisfiable])


def _java_reason(message: str) -> str:
    """HermiT refuses some inputs with a Java exception; keep its one-line reason, not the Java stack."""
    for line in message.splitlines():
        if line.startswith("Exception in thread"):
            return "HermiT refused the ontology: " + line.split(": ", 1)[-1]
    return "HermiT failed: " + message.strip().splitlines()[-1]


@dataclass
class Outcome:
    """What `vskg check` says: what was read, how the copy was made, and each check's result."""

    scope: str
    triples: int
    note: str | None
    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def summary(self) -> list[str]:
        lines = [f"checked {self.scope}: {self.triples} triples"]
        return lines + ([self.note] if self.note else [])


def _scope(paths: Sequence[Path] | None) -> tuple[list[Path], str]:
    if paths:
        return list(paths), f"{len(paths)} file{'s' if len(paths) != 1 else ''}"
    bundle = locate()
    scope = (
        f"the bundled ontology ({len(bundle.ontologies)} files), schemes ({len(bundle.schemes)}) "
        f"and data ({len(bundle.data)})"
    )
    return [*bundle.model, *bundle.data], scope


def run(paths: Sequence[Path] | None = None) -> Outcome:
    """The checks `vskg check` runs: on the bundled ontology, schemes and data unless other files are given."""
    targets, scope = _scope(paths)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            prepared = prepare(targets, Path(tmp))
        except RewriteRefused as refused:
            failed = [CheckResult(name, False, [str(refused)]) for name in (PROFILE, HERMIT)]
            return Outcome(scope, len(load_graph(targets)), None, failed)
        results = [owl2_dl_profile(prepared), consistency(prepared)]
    return Outcome(scope, prepared.triples, prepared.note(), results)


def check(paths: Sequence[Path] | None = None) -> list[CheckResult]:
    """The results of `run` alone."""
    return run(paths).results
