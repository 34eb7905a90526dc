"""Validation of the store and of the writes made to it: shapes, engines, the standing report and the write gate."""
