"""Property names and SHACL paths in words, read from the labels of the bundled vocabulary."""

from __future__ import annotations

from vskg.web.wording import path_words, phrase, property_words

V = "https://w3id.org/vskg/ontology#"


def test_properties_read_as_their_labels() -> None:
    assert property_words("vskg:stageOf") == "stage of"
    assert property_words(f"<{V}enabledBy>") == "enabled by"
    assert property_words(V + "leadTimeHours") == "lead time (hours)"
    assert property_words("skos:prefLabel") == "pref label"  # no bundled label: the local name in words


def test_shacl_paths_read_step_by_step() -> None:
    assert path_words(V + "stageOf") == "stage of"
    assert path_words(f"^<{V}enables>") == "enabled by"  # the declared inverse
    assert (
        path_words(f"(^<{V}subCapabilityOf>)*/<{V}supportsCapability>")
        == "sub-capability of, read backwards (any number of times, or none), then supports capability"
    )
    assert (
        path_words(f"(<{V}enabledBy>|<{V}supportsStage>)/<{V}subCapabilityOf>+")
        == "(either enabled by or supports stage), then sub-capability of (one or more times)"
    )
    assert path_words(f"<{V}stageOf>?") == "stage of (if present)"
    assert path_words("((<urn:x>") == "((<urn:x>"  # unreadable: shown as it is


def test_a_dependency_reads_in_words_with_the_property_kept() -> None:
    assert phrase("vskg:subCapabilityOf <urn:x>") == [
        {"text": "enabled by its sub-capability", "technical": "vskg:subCapabilityOf"},
        {"text": " <urn:x>", "technical": ""},
    ]
    assert phrase("vskg:enabledBy") == [{"text": "enabled by it directly", "technical": "vskg:enabledBy"}]
    assert phrase("vskg:processTimeHours") == [{"text": "process time (hours)", "technical": "vskg:processTimeHours"}]
