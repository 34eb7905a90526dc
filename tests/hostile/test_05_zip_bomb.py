"""Issue 9, case 5: a zipped .archimate that inflates a thousand times its size.

The member is inflated as a stream with a ratio bound and an absolute bound, and refused as soon as one is passed,
so neither the inflated text nor an XML tree of it is ever held in memory.
"""

from __future__ import annotations

import io
import zipfile

import httpx

from tests.hostile.conftest import Survivor

HEAD = b'<?xml version="1.0"?>\n<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate" id="m">\n'


def bomb(megabytes: int) -> bytes:
    """An Archi zip whose model.xml is mostly one comment of spaces, ``megabytes`` MB inflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("model.xml", "w", force_zip64=True) as member,
    ):
        member.write(HEAD + b"<!--")
        for _ in range(megabytes):
            member.write(b" " * (1024 * 1024))
        member.write(b"-->\n</archimate:model>\n")
    return buffer.getvalue()


def post(survivor: Survivor, body: bytes) -> httpx.Response:
    return httpx.post(
        f"{survivor.url}/import/archimate",
        params={"name": "bomb.archimate"},
        content=body,
        headers={"Content-Type": "application/octet-stream", **survivor.auth()},
        timeout=60,
    )


def test_a_20_kb_zip_of_20_mb_is_refused_by_its_ratio(survivor: Survivor) -> None:
    body = bomb(20)
    assert len(body) < 25_000
    survivor.refused(post(survivor, body), 400, "inflates more than 200 times its compressed size")


def test_a_zip_of_700_mb_is_refused_by_its_size(survivor: Survivor) -> None:
    body = bomb(700)
    assert len(body) < 1_000_000
    survivor.refused(post(survivor, body), 400, "larger than the limit of 268435456 bytes")
