"""Zipped models inflate within a size and a ratio bound, and XML is parsed incrementally within an element bound."""

from __future__ import annotations

import io
import zipfile

import pytest

from vskg.archimate.importer import read_model
from vskg.archimate.xmlsafe import parse_xml
from vskg.rdfio import InputError

NATIVE = b'<?xml version="1.0"?>\n<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate" id="m"'


def model(folders: int) -> bytes:
    body = b"".join(b'<folder name="f%d" id="id-%d"/>\n' % (n, n) for n in range(folders))
    return NATIVE + b' name="Bounded">\n' + body + b"</archimate:model>\n"


def zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.xml", data)
    return buffer.getvalue()


def test_an_ordinary_zipped_model_reads() -> None:
    read = read_model(zipped(model(2000)), "m.archimate")
    assert (read.identifier, len(read.organizations)) == ("m", 2000)


def test_a_member_that_inflates_past_the_ratio_is_refused() -> None:
    bomb = zipped(NATIVE + b"><!--" + b" " * (4 * 1024 * 1024) + b"--></archimate:model>")
    assert len(bomb) < 10_000
    with pytest.raises(InputError) as caught:
        read_model(bomb, "bomb.archimate")
    assert caught.value.reason == "model.xml inflates more than 200 times its compressed size: refused as a zip bomb"


def test_a_member_larger_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = model(2000)
    monkeypatch.setenv("VSKG_MAX_ARCHIVE_BYTES", str(len(data) - 1))
    with pytest.raises(InputError) as caught:
        read_model(zipped(data), "big.archimate")
    assert caught.value.reason == f"model.xml in the archive is larger than the limit of {len(data) - 1} bytes"


def test_the_element_bound_stops_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VSKG_MAX_XML_ELEMENTS", "100")
    parse_xml(model(99), "ok.xml")
    with pytest.raises(InputError) as caught:
        parse_xml(model(100), "many.xml")
    assert caught.value.reason == "the XML has more than 100 elements (set VSKG_MAX_XML_ELEMENTS to change it)"


@pytest.mark.parametrize("split", [1, 3, 5, 8])
def test_a_doctype_split_across_chunks_is_refused_with_its_line(split: int) -> None:
    text = b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE m [<!ENTITY e "x">]>\n<m>&e;</m>'
    cut = text.index(b"<!DOCTYPE") + split
    with pytest.raises(InputError) as caught:
        parse_xml(iter([text[:cut], text[cut:]]), "split.xml")
    assert (caught.value.line, caught.value.reason) == (
        3,
        "a DOCTYPE is refused (entity expansion is unsafe); remove it",
    )


def test_utf16_xml_is_refused() -> None:
    with pytest.raises(InputError, match="not UTF-8 XML"):
        parse_xml('<?xml version="1.0" encoding="UTF-16"?><m/>'.encode("utf-16"), "wide.xml")
