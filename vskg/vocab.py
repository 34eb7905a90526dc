"""The vskg ontology's namespace and the class groups several modules sort resources by."""

from __future__ import annotations

VSKG = "https://w3id.org/vskg/ontology#"

# vskg:ValueStream and its subclasses, as stated in ontology/vskg.ttl (tests/test_vocab.py keeps the two in step).
STREAM_CLASSES = frozenset(
    VSKG + name
    for name in (
        "ValueStream",
        "StrategicValueStream",
        "OperationalValueStream",
        "DevelopmentValueStream",
        "ServiceValueStream",
        "SupportValueStream",
    )
)
