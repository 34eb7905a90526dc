"""Listing, searching and browsing the resources of a store: the queries behind /streams, /capabilities,
/systems, /elements, /search and /models (HTML in vskg.web, JSON in vskg.api), kept below both route packages so
the page and its JSON twin answer from the same code and show the same rows.
"""
