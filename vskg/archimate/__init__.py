"""ArchiMate models in and out of vskg: the Open Group exchange format, Archi's native and CSV files, the vskg mapping.

- `exchange.read_exchange`, `native.read_native` and `csv_tables.read_location` / `read_archive` turn a file (or
  Archi's three CSV files) into a `model.Model` (nothing is written); `archive` bounds what a zip may inflate to;
- `importer.build_model_import` turns any model into quads (the ``am:`` representation plus the vskg mapping and
  the PROV record of `vskg.provenance`), and `importer.import_file` / `import_bytes` replace one named graph with
  them;
- `writer.export_store` writes an exchange file from an imported graph, or from native vskg data;
  `csv_tables.write_tables` writes a model (`writer.stored_models`) as Archi's CSV files.
"""

from vskg.archimate.importer import ImportSummary, import_bytes, import_file
from vskg.archimate.model import ELEMENT_TYPES, RELATIONSHIP_TYPES, Model
from vskg.archimate.writer import export_store

__all__ = [
    "ELEMENT_TYPES",
    "RELATIONSHIP_TYPES",
    "ImportSummary",
    "Model",
    "export_store",
    "import_bytes",
    "import_file",
]
