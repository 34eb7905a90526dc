"""Benchmark: ArchiMate import and export time as a model grows (issue 11: 50,000 concepts in under 10 s).

Run `.venv/bin/python bench/archimate_scale.py [--sizes 1000,5000,...] [--json FILE]`. For each size N it writes a
generated exchange file of N concepts (half elements of the 62 types in turn, half relationships chaining them),
with a folder per 250 elements and one view per 50 elements (every element drawn as a node, every relationship
between two nodes of the view drawn as a connection, one bendpoint each), then times, in this process:

- import: reading, checking and mapping the file and writing its graph (`import_bytes` into a fresh embedded
  store, the same path `vskg import archimate` takes);
- export: rebuilding the model from the graph and writing exchange XML (`export_store`);
- re-import: the same file again into the existing graph (its import key is found and the graph compared with
  what the import would write: nothing is written);
- re-import changed: the file with one element renamed (one update deletes and inserts the few quads that differ);
- baseline: pyoxigraph's `Store.bulk_load` of the imported graph's quads (as N-Quads) into an empty store, the
  engine's own floor for writing that many quads.

It prints one line per size (file size, triples, the times, per 1,000 concepts) and writes --json FILE.
The file is generated once per size in a temporary folder; nothing outside it is touched.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pyoxigraph

from vskg.archimate.importer import import_bytes
from vskg.archimate.model import ELEMENT_TYPES
from vskg.archimate.writer import export_store
from vskg.store import LocalStore

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
PER_VIEW = 50
PER_FOLDER = 250
# Association is allowed between any two elements, so the generated model stays valid whatever the types.
_ELEMENT_TYPES = [t for t in ELEMENT_TYPES if t not in ("AndJunction", "OrJunction")]


def generate(size: int) -> bytes:
    elements = size // 2
    relationships = size - elements
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-bench-{size}">',
        f"<name>Generated model of {size} concepts</name>",
        '<propertyDefinitions><propertyDefinition identifier="pd-1" type="string"><name>owner</name>'
        "</propertyDefinition></propertyDefinitions>",
        "<elements>",
    ]
    for i in range(elements):
        kind = _ELEMENT_TYPES[i % len(_ELEMENT_TYPES)]
        out.append(
            f'<element identifier="e{i}" xsi:type="{kind}"><name>Element {i}</name>'
            f'<properties><property propertyDefinitionRef="pd-1"><value>team {i % 17}</value></property></properties>'
            "</element>"
        )
    out.append("</elements><relationships>")
    ends = []
    for i in range(relationships):
        source, target = i % elements, (i + 1) % elements
        ends.append((source, target))
        out.append(f'<relationship identifier="r{i}" xsi:type="Association" source="e{source}" target="e{target}"/>')
    out.append("</relationships><organizations>")
    for start in range(0, elements, PER_FOLDER):
        items = "".join(f'<item identifierRef="e{i}"/>' for i in range(start, min(start + PER_FOLDER, elements)))
        out.append(f"<item><label>Folder {start // PER_FOLDER}</label>{items}</item>")
    views = range(0, elements, PER_VIEW)
    out.append("<item><label>Views</label>" + "".join(f'<item identifierRef="v{s}"/>' for s in views) + "</item>")
    out.append("</organizations><views><diagrams>")
    by_view: dict[int, list[int]] = {}
    for index, (source, target) in enumerate(ends):
        if source // PER_VIEW == target // PER_VIEW:
            by_view.setdefault(source // PER_VIEW, []).append(index)
    for start in views:
        out.append(f'<view identifier="v{start}" xsi:type="Diagram"><name>View {start // PER_VIEW}</name>')
        for i in range(start, min(start + PER_VIEW, elements)):
            x, y = 20 + (i % 10) * 140, 20 + ((i - start) // 10) * 80
            out.append(f'<node identifier="n{i}" xsi:type="Element" elementRef="e{i}" x="{x}" y="{y}" w="120" h="55"/>')
        for index in by_view.get(start // PER_VIEW, []):
            source, target = ends[index]
            out.append(
                f'<connection identifier="c{index}" xsi:type="Relationship" relationshipRef="r{index}" '
                f'source="n{source}" target="n{target}"><bendpoint x="{10 + source % 500}" y="{10 + target % 500}"/>'
                "</connection>"
            )
        out.append("</view>")
    out.append("</diagrams></views></model>")
    return "\n".join(out).encode()


def measure(size: int, folder: Path) -> dict:
    data = generate(size)
    store = LocalStore(folder / f"store-{size}")
    try:
        started = time.perf_counter()
        summary = import_bytes(store, data, f"bench-{size}.xml")
        imported = time.perf_counter() - started
        started = time.perf_counter()
        xml = export_store(store, summary.graph)
        exported = time.perf_counter() - started
        started = time.perf_counter()
        import_bytes(store, data, f"bench-{size}.xml")  # the graph exists and holds exactly this: nothing written
        reimported = time.perf_counter() - started
        changed = data.replace(b"<name>Element 7</name>", b"<name>Element seven</name>", 1)
        started = time.perf_counter()
        import_bytes(store, changed, f"bench-{size}.xml")  # one update with the difference
        changed_s = time.perf_counter() - started
        nquads = pyoxigraph.serialize(store.quads(summary.graph), format=pyoxigraph.RdfFormat.N_QUADS)
    finally:
        store.close()
    baseline = pyoxigraph.Store(str(folder / f"baseline-{size}"))
    started = time.perf_counter()
    baseline.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    bulk = time.perf_counter() - started
    del baseline
    return {
        "size": size,
        "file_bytes": len(data),
        "export_bytes": len(xml),
        "triples": summary.triples,
        "views": summary.views,
        "import_s": round(imported, 2),
        "export_s": round(exported, 2),
        "reimport_s": round(reimported, 2),
        "reimport_changed_s": round(changed_s, 2),
        "bulk_load_s": round(bulk, 2),
        "import_s_per_1000": round(imported / size * 1000, 3),
        "export_s_per_1000": round(exported / size * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000,25000,50000")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="vskg-archimate-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, Path(tmp)))
            row = rows[-1]
            print(
                f"{row['size']:>7} concepts  {row['file_bytes'] / 1e6:6.1f} MB  {row['triples']:>8} triples  "
                f"{row['views']:>5} views  import {row['import_s']:6.2f} s ({row['import_s_per_1000']:.3f} s/1000)  "
                f"export {row['export_s']:6.2f} s ({row['export_s_per_1000']:.3f} s/1000)  "
                f"re-import {row['reimport_s']:6.2f} s  changed {row['reimport_changed_s']:6.2f} s  "
                f"Store.bulk_load (baseline) {row['bulk_load_s']:6.2f} s",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
