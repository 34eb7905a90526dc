"""Is the ontology, with its schemes, OWL 2 DL and consistent?

Two real reasoners do the work: the OWL API's OWL 2 DL profile checker (the reference implementation, shipped
inside owlready2's HermiT jar) and HermiT itself through owlready2. Both need Java; vskg compiles its small
profile-check class once into a cache folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import owlready2

from vskg.rdfio import load_graph
from vskg.resources import locate

_JAVA_SOURCE = Path(__file__).with_name("java") / "ProfileCheck.java"


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


def _write_rdfxml(paths: Sequence[Path], folder: Path) -> Path:
    """Merge the files into one RDF/XML document, the one syntax both the OWL API 3 and owlready2 read."""
    out = folder / "merged.owl"
    load_graph(paths).serialize(out, format="xml")
    return out


def owl2_dl_profile(paths: Sequence[Path]) -> CheckResult:
    classes = _compiled_checker()
    with tempfile.TemporaryDirectory() as tmp:
        merged = _write_rdfxml(paths, Path(tmp))
        run = subprocess.run(
            ["java", "-cp", f"{_hermit_jar()}{os.pathsep}{classes}", "ProfileCheck", str(merged)],
            capture_output=True,
            text=True,
        )
    lines = run.stdout.splitlines()
    violations = [line.removeprefix("violation ") for line in lines if line.startswith("violation ")]
    errors = [line.removeprefix("error ") for line in lines if line.startswith("error ")]
    if run.returncode == 2 or errors:
        return CheckResult("OWL 2 DL profile (OWL API)", False, errors or [run.stderr.strip()])
    return CheckResult("OWL 2 DL profile (OWL API)", run.returncode == 0 and not violations, violations)


def consistency(paths: Sequence[Path]) -> CheckResult:
    """Run HermiT: the ontology must be consistent and every named class satisfiable."""
    if shutil.which("java") is None:
        raise JavaMissing("'java' is not on the PATH; install a JDK (17 or newer) to run vskg check")
    with tempfile.TemporaryDirectory() as tmp:
        merged = _write_rdfxml(paths, Path(tmp))
        world = owlready2.World()
        world.get_ontology(merged.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return CheckResult("Consistency (HermiT)", False, ["the ontology is inconsistent"])
        except owlready2.OwlReadyJavaError as problem:
            return CheckResult("Consistency (HermiT)", False, [_java_reason(str(problem))])
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        world.close()
    return CheckResult(
        "Consistency (HermiT)", not unsatisfiable, [f"unsatisfiable class {iri}" for iri in unsatisfiable]
    )


def _java_reason(message: str) -> str:
    """HermiT refuses some inputs with a Java exception; keep its one-line reason, not the Java stack."""
    for line in message.splitlines():
        if line.startswith("Exception in thread"):
            return "HermiT refused the ontology: " + line.split(": ", 1)[-1]
    return "HermiT failed: " + message.strip().splitlines()[-1]


def check(paths: Sequence[Path] | None = None) -> list[CheckResult]:
    """The checks `vskg check` runs, on the bundled ontology and schemes unless other files are given."""
    targets = list(paths) if paths else locate().model
    return [owl2_dl_profile(targets), consistency(targets)]
