"""The JSON routes of the vskg service: SPARQL 1.1 Protocol, Update, Graph Store Protocol, the catalogue, validation,
analytics, maps, ArchiMate and the ontology. The app that mounts them is `vskg.service.app`."""
