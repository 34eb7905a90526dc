"""The staging journal: which scratch graphs a load has started to fill, kept on disk so a crash can be tidied.

A load into a graph that must not be seen half-written fills a scratch graph ``urn:vskg:staging:<uuid>`` first (or,
for a graph that did not exist, the graph itself). Its name is written and fsynced before the first quad, and
struck out once the load is complete, so the next writable open can drop whatever an interrupted load left.
"""

from __future__ import annotations

import os
from pathlib import Path

STAGING_PREFIX = "urn:vskg:staging:"

STAGING_JOURNAL = "vskg-staging.journal"


class StagingJournal:
    """The scratch graphs a writer has started to fill and not yet moved into place, one IRI a line, on disk.

    Every change is fsynced (the file, and the folder when the file appears or goes) before the caller goes on,
    so after a crash the journal names every scratch graph that may hold quads.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.file = self.folder / STAGING_JOURNAL

    def entries(self) -> list[str]:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line.strip()]

    def add(self, iri: str) -> None:
        self._write([*self.entries(), iri])

    def remove(self, iri: str) -> None:
        self._write([entry for entry in self.entries() if entry != iri])

    def clear(self) -> None:
        self._write([])

    def _write(self, entries: list[str]) -> None:
        if not entries:
            if self.file.exists():
                self.file.unlink()
                _fsync_folder(self.folder)
            return
        scratch = self.file.with_suffix(".tmp")
        with open(scratch, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{entry}\n" for entry in entries))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, self.file)
        _fsync_folder(self.folder)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
