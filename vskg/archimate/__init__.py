"""ArchiMate models in and out of vskg: the Open Group exchange format, Archi's native files, and the vskg mapping.

- `exchange.read_exchange` and `native.read_native` turn a file into a `model.Model` (nothing is written);
- `importer.import_model` turns a model into quads (the ``am:`` representation plus the vskg mapping and PROV) and
  replaces one named graph with them;
- `writer.export_graph` writes an exchange file from an imported graph, or from native vskg data.
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
