"""Answering a question from retrieved passages: the pipeline, every decline rule (refusal), extractive
units, follow-up rewriting, citations and the checks on an LLM reply."""
