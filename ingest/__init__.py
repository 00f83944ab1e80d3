"""Files -> parsed pages and sections -> chunks with metadata -> embedded -> Chroma, incrementally.

From the assistant package ingest imports only the config level: `assistant.text` (pure text rules),
`assistant.models`, `assistant.config` and its companions `connector_settings`, `logs` and `errors`
(tests/test_layering.py keeps it so). What it needs of the rest is handed in by
assistant/wiring.py: the embedder, the vector store (whose `records_collection` the ingest lease
uses), the clause classifier (an annotator) and the contract relations reader. The catalog and
the locks are ingest's own (catalog.py, locks.py); the service reads the catalog too.
"""
