"""Evaluation harness: retrieval and answer quality on any corpus folder, with run metadata.

`evals.harness` ingests a corpus into a cached home and builds the service; one module per eval
(`legalbench`, `cuad`, `process`, `answers`) computes a JSON-able report from it. The
`bpo-assistant eval ...` commands (evals/cli.py, found by the product CLI through an entry point) print those reports.
"""
