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
    )
)

CAPABILITY_CLASSES = frozenset({VSKG + "Capability"})
SYSTEM_CLASSES = frozenset({VSKG + "System", VSKG + "ApplicationSystem", VSKG + "TechnologyPlatform"})
# The workbench page that shows a resource of each class group: /streams/<key>, /capabilities/<key>, /systems/<key>.
PAGE_ROOTS = (("streams", STREAM_CLASSES), ("capabilities", CAPABILITY_CLASSES), ("systems", SYSTEM_CLASSES))
