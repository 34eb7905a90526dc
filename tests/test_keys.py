"""Keys in URLs: short for the bundled data and for imported ArchiMate models, reversible, full IRIs still accepted."""

from __future__ import annotations

import pytest

from vskg.archimate.importer import model_iri
from vskg.keys import data_iri, data_key

MODEL = "https://w3id.org/vskg/archimate/model/"


@pytest.mark.parametrize(
    ("iri", "key"),
    [
        ("https://w3id.org/vskg/data/banking/mortgage-lending", "banking/mortgage-lending"),
        (MODEL + "id-fixture-model", "archimate/id-fixture-model"),
        (MODEL + "id-fixture-model/id-stream", "archimate/id-fixture-model/id-stream"),
        (MODEL + "m%20one/id%2Fslash", "archimate/m%20one/id%2Fslash"),
        # a data IRI that would read as an ArchiMate key keeps its whole IRI, so no key names two IRIs
        ("https://w3id.org/vskg/data/archimate/x", "https://w3id.org/vskg/data/archimate/x"),
        ("https://example.org/own/stream", "https://example.org/own/stream"),
        ("urn:uuid:1234", "urn:uuid:1234"),
        ("https://w3id.org/vskg/data/", "https://w3id.org/vskg/data/"),
        (MODEL, MODEL),
    ],
)
def test_a_key_names_its_iri_and_back(iri: str, key: str) -> None:
    assert data_key(iri) == key
    assert data_iri(key) == iri


def test_the_importers_model_iris_get_short_keys() -> None:
    assert data_key(model_iri("id-Model 1") + "/id-e1") == "archimate/id-Model%201/id-e1"
    assert data_iri("archimate/id-Model%201/id-e1") == model_iri("id-Model 1") + "/id-e1"


@pytest.mark.parametrize(
    "iri", [MODEL + "id-fixture-model/id-stream", "https://w3id.org/vskg/data/banking/mortgage-lending"]
)
def test_a_full_iri_given_as_key_still_names_itself(iri: str) -> None:
    assert data_iri(iri) == iri
    assert data_iri(data_key(iri)) == iri
