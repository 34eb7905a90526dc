"""Reading members of a zip file (Archi's zipped ``.archimate``, a zipped CSV export) within a size and ratio bound.

Both the native reader and the CSV reader take zips from strangers (an upload over HTTP is enough), and the sizes
in a zip's directory are the sender's claim, not a fact. So a member is inflated chunk by chunk and refused, with
an ``InputError``, as soon as it passes one of two bounds: the inflated size (``VSKG_MAX_ARCHIVE_BYTES``, default
256 MB, for all members read from one archive together) and the ratio of inflated to compressed bytes (at most
200:1 once past the first megabyte; real models compress about 10:1, zip bombs 1000:1).
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator

from vskg.rdfio import InputError

DEFAULT_MAX_INFLATED = 256 * 1024 * 1024
MAX_RATIO = 200
RATIO_FREE = 1024 * 1024  # small members may compress very well (a model of empty folders)
CHUNK = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"


def max_inflated_bytes() -> int:
    return int(os.environ.get("VSKG_MAX_ARCHIVE_BYTES", str(DEFAULT_MAX_INFLATED)))


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise InputError(name, f"a broken zip file: {err}") from None


def inflate(archive: zipfile.ZipFile, member: str, name: str, limit: int | None = None) -> Iterator[bytes]:
    """The bytes of ``member``, chunk by chunk; InputError (naming the archive ``name``) once a bound is passed."""
    info = archive.getinfo(member)
    limit = max_inflated_bytes() if limit is None else limit
    if info.file_size > limit:
        raise InputError(name, f"{member} in the archive is larger than the limit of {limit} bytes")
    total = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise InputError(
                        name, f"{member} inflates past the limit of {limit} bytes (set VSKG_MAX_ARCHIVE_BYTES)"
                    )
                if total > RATIO_FREE and total > MAX_RATIO * max(info.compress_size, 1):
                    raise InputError(
                        name,
                        f"{member} inflates more than {MAX_RATIO} times its compressed size: refused as a zip bomb",
                    )
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise InputError(name, f"a broken zip file: {err}") from None


def read_members(archive: zipfile.ZipFile, members: list[str], name: str) -> dict[str, bytes]:
    """Several members, whole, sharing one size budget (the archive's inflated total stays under the limit)."""
    budget = max_inflated_bytes()
    found: dict[str, bytes] = {}
    for member in members:
        found[member] = b"".join(inflate(archive, member, name, budget))
        budget -= len(found[member])
    return found
