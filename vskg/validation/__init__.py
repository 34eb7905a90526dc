"""Validation of the store against the SHACL shapes: compiled full runs and incremental upkeep of the report."""
