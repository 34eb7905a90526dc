"""Where the bundled knowledge model lives.

The ontology, schemes, shapes, data and queries are edited in top-level folders of the repository, and the wheel
carries copies of them under ``vskg/_bundled``. Looking in the package first and falling back to the checkout
makes the same code work from a wheel, an editable install and a plain clone.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

KINDS = ("ontology", "shapes", "data", "queries")


@dataclass(frozen=True)
class Bundle:
    """The folders of one copy of the knowledge model."""

    root: Path
    origin: str  # "wheel" or "checkout"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "vskg.ttl"

    @property
    def ontology_rdfxml(self) -> Path:
        """The same ontology as RDF/XML (generated from vskg.ttl by tools/ontology_rdfxml.py, for OWL tools)."""
        return self.root / "ontology" / "vskg.owl"

    @property
    def ontologies(self) -> list[Path]:
        """vskg.ttl first, then the other OWL files (the vocabulary of imported ArchiMate models)."""
        others = sorted(p for p in (self.root / "ontology").glob("*.ttl") if p != self.ontology)
        return [self.ontology, *others]

    @property
    def schemes(self) -> list[Path]:
        return sorted((self.root / "ontology" / "schemes").glob("*.ttl"))

    @property
    def shapes(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))

    @property
    def data(self) -> list[Path]:
        return sorted((self.root / "data").glob("*.ttl"))

    @property
    def queries(self) -> list[Path]:
        return sorted((self.root / "queries").glob("*.rq"))

    @property
    def model(self) -> list[Path]:
        """The ontologies and schemes: what every validation and query needs as vocabulary."""
        return [*self.ontologies, *self.schemes]


def _complete(root: Path) -> bool:
    return all((root / kind).is_dir() for kind in KINDS)


def locate() -> Bundle:
    """Find the bundled model, preferring the copy shipped inside the installed package."""
    packaged = Path(str(resources.files("vskg"))) / "_bundled"
    if _complete(packaged):
        return Bundle(packaged, "wheel")
    checkout = Path(__file__).resolve().parent.parent
    if _complete(checkout):
        return Bundle(checkout, "checkout")
    raise FileNotFoundError(
        "vskg cannot find its ontology, shapes, data and queries: neither the installed package "
        f"({packaged}) nor the source checkout ({checkout}) holds them. Reinstall vskg."
    )
