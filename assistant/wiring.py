"""The composition root: `build(settings)` makes every part of the service once and hands each
its dependencies. Nothing else constructs a store, a model or a sub-service; parts a command may
never need (answerer, clause classifier, ingest pipeline, contracts, drafting) are made on first
use by the factories given here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.access.audience import Audience
from assistant.access.policy import AccessPolicy
from assistant.audit import AuditLog, AuditTrail
from ingest.catalog import Catalog
from assistant.config import Settings
from assistant.retrieval.duplicates import Duplicates
from assistant.listing import DocumentListing
from assistant.reading import Reader
from assistant.retrieval.indexes import LexicalIndexes
from assistant.retrieval.hybrid import Retriever
from assistant.service import AssistantService
from assistant.retrieval.store import VectorStore, make_client

if TYPE_CHECKING:
    from assistant.contracts.api import ContractService
    from assistant.contracts.classify import ClauseClassifier
    from assistant.drafting.api import DraftingService


def build(settings: Settings, embedder=None, judge=None) -> AssistantService:
    """`embedder`, `judge`: already-loaded models to share (tests, eval runs); built from
    `settings` when not given (the judge loads on first use). With `judge.enabled: false` no
    judge is used either way."""
    from assistant.retrieval.embedding import Embedder
    from assistant.retrieval.judge import PassageJudge

    home = settings.home
    embedder = embedder or Embedder.from_settings(settings.embedding, cache_dir=home / "models")
    store = VectorStore(make_client(settings, home / "chroma"), embedder.fingerprint)
    catalog = Catalog(home / "catalog.sqlite")
    lexical = LexicalIndexes(home / "lexical", store)
    judge = (judge or PassageJudge(threads=settings.judge.threads)) if settings.judge.enabled else None
    retriever = Retriever(settings, embedder, store, lexical, judge=judge, duplicates=Duplicates(catalog))
    access = AccessPolicy(settings, known_collections=store.collection_names)
    listing = DocumentListing(settings, catalog, lexical, access)
    audience = Audience(settings, access, contract_collections=listing.contract_collections)
    audit = AuditLog(home / "audit.jsonl")
    trail = AuditTrail(audit, settings.redaction)
    reader = Reader(settings, store, lexical, retriever, access, listing, trail, in_force=lambda: service.in_force)
    service = AssistantService(settings, embedder, store, catalog, lexical, retriever, access, audience, listing,
                               reader, audit, trail)
    service.parts.update(
        answerer=lambda: _answerer(service),
        classifier=lambda: _classifier(service),
        ingestor=lambda: _ingestor(service),
        contracts=lambda: contract_service(service),
        drafts=lambda: drafting_service(service),
        in_force=lambda: _in_force(service),
        conflict_check=lambda: _conflict_check(service),
    )
    return service


def contract_service(service: AssistantService, classifier: ClauseClassifier | None = None) -> ContractService:
    """The service's contract feature; `classifier`: another calibration (the contract evals)."""
    from assistant.contracts.api import ContractService

    return ContractService(service.reader, service.embedder, classifier or service.classifier, service.trail)


def drafting_service(service: AssistantService) -> DraftingService:
    from assistant.drafting.api import DraftingService
    from assistant.drafting.context import DraftSources

    sources = DraftSources(service.reader, service.contracts, service.embedder, service.answerer)
    return DraftingService(sources, service.trail, history_path=service.settings.home / "history.sqlite")


def _in_force(service: AssistantService):
    from assistant.contracts.in_force import InForce

    return InForce(service.catalog, service.store)


def _conflict_check(service: AssistantService):
    from assistant.conflicts.api import ConflictCheck

    return ConflictCheck(service.access, service.catalog, service.store, service.in_force, service.settings.home)


def _answerer(service: AssistantService):
    from assistant.answering.pipeline import Answerer
    from assistant.llm import chat_model_from_settings

    settings = service.settings
    return Answerer(settings, chat_model_from_settings(settings.llm), service.embedder, judge=service.retriever.judge)


def _classifier(service: AssistantService):
    from assistant.contracts.classify import ClauseClassifier

    return ClauseClassifier(embedder=service.embedder)


def _ingestor(service: AssistantService):
    from assistant.contracts import relations
    from ingest.pipeline import Ingestor

    # Contract chunks get their clause types at ingest; lookup shares the same classifier. The
    # contracts feature also reads what each amendment changes (ingest never imports it).
    return Ingestor(service.settings, service.embedder, service.store, service.catalog,
                    on_collection_changed=service.lexical.rebuild, relations=relations, annotators=[service.classifier])
