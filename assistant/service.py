"""The one service object every surface (CLI, HTTP, Slack) calls: the use cases. Built once by
assistant.wiring.build with explicit dependencies; no module-level clients or models."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from assistant.logs import event_line, logger
from assistant.answering import followup
from assistant.access.audience import Audience
from assistant.access.policy import AccessPolicy
from assistant.audit import AuditEvent, AuditLog, AuditTrail, events_for
from ingest.catalog import Catalog, CatalogRow, sources_named
from assistant.config import Settings
from assistant.errors import Forbidden, InvalidInput, NotFound, PayloadTooLarge, UnsupportedMedia, clean_question
from assistant.lazy import LazyPart, Parts
from assistant.listing import DocumentListing
from assistant.models import Answer, Caller, ConflictReport, DocumentInfo, IngestSummary, SearchFilters, SearchResponse, SearchResult, Turn
from assistant.reading import Reader
from assistant.retrieval.indexes import LexicalIndexes
from assistant.retrieval.hybrid import Retriever
from assistant.retrieval.store import VectorStore
from assistant.text_input import require_clean

if TYPE_CHECKING:  # the parts made on first use: imported only when made (assistant.wiring)
    from assistant.answering.pipeline import Answerer
    from assistant.contracts.api import ContractService
    from assistant.contracts.classify import ClauseClassifier
    from assistant.conflicts.api import ConflictCheck
    from assistant.contracts.in_force import InForce
    from assistant.drafting.api import DraftingService
    from assistant.retrieval.embedding import Embedder
    from ingest.pipeline import Ingestor

log = logger("service")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass
class AssistantService:
    """The use cases. Built by assistant.wiring.build, which hands every part its dependencies."""

    settings: Settings
    embedder: Embedder
    store: VectorStore
    catalog: Catalog
    lexical: LexicalIndexes
    retriever: Retriever
    access: AccessPolicy
    audience: Audience
    listing: DocumentListing
    reader: Reader
    audit: AuditLog
    trail: AuditTrail
    # Made on first use by the factories wiring gives (`Parts`): a command that only reads the
    # catalog or asks a question never pays for the clause taxonomy, the ingest pipeline or the
    # drafting templates.
    parts: Parts = field(default_factory=Parts, repr=False, compare=False)
    answerer: Answerer = field(default=LazyPart(), repr=False, compare=False)
    classifier: ClauseClassifier = field(default=LazyPart(), repr=False, compare=False)
    ingestor: Ingestor = field(default=LazyPart(), repr=False, compare=False)
    contracts: ContractService = field(default=LazyPart(), repr=False, compare=False)
    drafts: DraftingService = field(default=LazyPart(), repr=False, compare=False)
    in_force: InForce = field(default=LazyPart(), repr=False, compare=False)  # amendments in force (issue 26)
    conflict_check: ConflictCheck = field(default=LazyPart(), repr=False, compare=False)  # SOP vs contract

    # -- reading ----------------------------------------------------------------------------
    def search(self, query: str, caller: Caller, k: int | None = None, filters: SearchFilters | None = None,
               rerank: bool | None = None, as_of: str | None = None) -> SearchResponse:
        """`rerank`: through the passage judge (None: as `judge.rerank_search` says). `as_of`: the
        date whose terms are in force (ISO, today by default): superseded passages are labelled."""
        return self.reader.search(query, caller, k, filters, rerank, as_of)

    def _evidence(self, question: str, caller: Caller, history: list[Turn] | None, filters: SearchFilters | None):
        """Validate the question, rewrite a follow-up into a standalone one, retrieve for it."""
        question = clean_question(question)
        standalone = self.answerer.standalone_question(question, history or [])
        return question, standalone, self.reader.retrieval(standalone, caller, self.settings.retrieval.k, filters, rerank=True)

    def _unmentioned(self, standalone: str, caller: Caller, results: list[SearchResult]) -> list[str]:
        """Names, identifiers and acronyms no readable document mentions, and codes or years no
        retrieved passage contains (see coverage)."""
        if not self.settings.answering.refuse_unknown_terms:
            return []
        from assistant.answering.coverage import unknown_terms

        collections = self.access.readable(caller)
        return unknown_terms(standalone, self.lexical.tokenizer, lambda toks, inside: self.lexical.known(collections, toks, inside),
                             evidence=[f"{r.title}\n{r.section_path}\n{r.text}" for r in results])

    def ask(self, question: str, caller: Caller, history: list[Turn] | None = None, filters: SearchFilters | None = None,
            as_of: str | None = None) -> Answer:
        answer = None
        for kind, payload in self.ask_stream(question, caller, history, filters, stream=False, as_of=as_of):
            if kind == "answer":
                answer = payload
        return answer

    def ask_stream(self, question: str, caller: Caller, history: list[Turn] | None = None,
                   filters: SearchFilters | None = None, stream: bool = True, as_of: str | None = None) -> Iterator[tuple[str, object]]:
        """Yields ("delta", text) pieces while an LLM writes, then ("answer", Answer) once verified.

        Offline (no LLM) there are no deltas: the verified answer is the only event. Deltas are
        unverified model text; clients must treat the final answer event as the truth.
        """
        question, standalone, retrieval = self._evidence(question, caller, history, filters)
        # Superseded contract text is held back and the amending passages put in its place (issue 26).
        day, results, applied = self.reader.terms_in_force(caller, as_of, retrieval.results, for_answer=True)
        missing = self._unmentioned(standalone, caller, results)
        answer = None
        fragment = not history and followup.is_fragment(question)
        for kind, payload in self.answerer.respond(standalone, results, missing, self.access.limited(caller),
                                                   stream=stream, named_source=retrieval.named_source, fragment=fragment):
            if kind == "answer":
                answer = payload = self._explain_in_force(payload, results, applied, day, standalone)
                if standalone != question:
                    answer.standalone_question = standalone
            yield kind, payload
        if answer is not None:
            self.trail.record("ask", caller, question, [c.chunk_id for c in answer.citations], grounded=answer.grounded)

    def documents(self, caller: Caller) -> list[DocumentInfo]:
        docs = self.listing.documents(caller)
        # An amendment's changes that were not applied say so beside its link (issue 26).
        unlinked: dict[str, list[str]] = {}
        for u in self.in_force.unlinked(self.access.readable(caller)) if any(d.amends for d in docs) else []:
            unlinked.setdefault(u.amendment.doc_id, []).append(u.what())
        return [d.model_copy(update={"unapplied": unlinked[d.doc_id]}) if d.doc_id in unlinked else d for d in docs]

    def audit_events(self, caller: Caller, since=None) -> list[AuditEvent]:
        """The audit log as this caller may read it (assistant.audit.events_for)."""
        return events_for(self.audit.read(since), caller.id, caller.surface, set(caller.roles), self.access.can_manage(caller))

    # -- writing ----------------------------------------------------------------------------
    def ingest(self, path: Path, caller: Caller, progress=None) -> IngestSummary:
        self._require_manage(caller)
        summary = self.ingestor.ingest_path(Path(path), progress=progress)
        if summary.count("indexed") or summary.count("removed"):  # nothing changed: nothing new to find
            summary.new_conflicts = self._new_conflicts(caller)
        self.trail.record("ingest", caller, detail=f"root={path} indexed={summary.count('indexed')} failed={summary.count('failed')}")
        return summary

    def ingest_configured(self, caller: Caller) -> list[IngestSummary]:
        self._require_manage(caller)
        if not self.settings.ingest_paths:
            raise InvalidInput("no ingest_paths are configured")
        return [self.ingest(p, caller) for p in self.settings.ingest_paths]

    def sync(self, caller: Caller, names: list[str] | None = None, progress=None, sleep=None):
        """Sync connector sources (all when `names` is empty) into the index; a SyncReport
        (ingest/connectors/report.py) with one outcome per item."""
        import time

        from ingest.connectors.sync import sync_sources

        self._require_manage(caller)
        configured = [r.name for r in self.settings.connector_sources]
        if not configured:
            raise InvalidInput("no source in the config has a connector block (README: Connectors)")
        unknown = [n for n in names or [] if n not in configured]
        if unknown:
            raise InvalidInput(f"no connector source named {unknown[0]!r} (configured: {', '.join(configured)})")
        report = sync_sources(self.settings, self.ingestor, names or None, progress, time.sleep if sleep is None else sleep)
        if any(s.count("indexed") or s.count("removed") for s in report.sources):  # like ingest: only when something changed
            report.new_conflicts = self._new_conflicts(caller)
        for source in report.sources:
            self.trail.record("sync", caller, detail=f"source={source.name} status={source.status} indexed={source.count('indexed')} "
                                               f"removed={source.count('removed')} failed={source.count('failed')}")
        return report

    def upload(self, filename: str, data: bytes, caller: Caller) -> IngestSummary:
        """Index one uploaded file under <home>/uploads, keeping the name (it decides the collection)."""
        from ingest.loaders import SUPPORTED_SUFFIXES

        self._require_manage(caller)
        if len(data) > self.settings.max_upload_bytes:
            raise PayloadTooLarge(f"the file is larger than {self.settings.max_upload_bytes} bytes")
        rel = self._safe_relative(filename)
        if Path(rel).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise UnsupportedMedia(f"unsupported file type: {Path(rel).suffix or '(none)'}")
        root = self.settings.home / "uploads"
        target = root / rel
        root.mkdir(parents=True, exist_ok=True)
        # A link planted under uploads/ must not carry the write (or the read of the previous
        # version) outside: checked before anything is created or read.
        from ingest.walk import within

        if not within(os.path.realpath(target), os.path.realpath(root)):
            raise InvalidInput("the upload path leads outside the uploads folder (a symlink)")
        target.parent.mkdir(parents=True, exist_ok=True)
        # The earlier upload under this name (bounded by max_upload_bytes) comes back if the new one
        # can't be indexed or another ingest holds the lock: the index still describes it.
        previous = target.read_bytes() if target.is_file() else None
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp.write(data)
        Path(tmp.name).replace(target)
        try:
            summary = self.ingestor.ingest_files(root, [target])
        except BaseException:
            self._restore_upload(target, previous)
            raise
        if summary.partial:
            self._restore_upload(target, previous)  # a file we could not index is not kept around
        elif summary.count("indexed"):  # like ingest: the conflicts this file brought, within the caller's access
            summary.new_conflicts = self._new_conflicts(caller)
        self.trail.record("upload", caller, detail=f"source={rel} status={summary.files[0].status if summary.files else '?'}")
        return summary

    @staticmethod
    def _restore_upload(target: Path, previous: bytes | None) -> None:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)

    def delete_named(self, name: str, caller: Caller) -> DocumentInfo:
        """delete_document for a name a user typed: a doc_id, a source path or its file name."""
        self._require_manage(caller)  # first: a non-admin learns nothing about which names exist
        return self.delete_document(self._doc_id_named(name, caller), caller)

    def _doc_id_named(self, name: str, caller: Caller) -> str:
        name = (name or "").strip()
        if not name:
            raise InvalidInput("the document name is empty")
        if self.catalog.get(name) is not None:
            return name
        # The catalog, not the listing: it holds what delete_document can remove.
        rows = self.catalog.all(self.access.readable(caller))
        named = set(sources_named((r.source for r in rows), name))
        found = [r for r in rows if r.source in named]
        if len(found) == 1:
            return found[0].doc_id
        if found:
            raise InvalidInput(f"{name!r} matches {len(found)} documents, name one by its doc_id: {_candidates(found)}")
        raise NotFound(f"no document with id or name {name!r}")

    def delete_document(self, doc_id: str, caller: Caller) -> DocumentInfo:
        self._require_manage(caller)
        row = self.catalog.get(doc_id)
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        self.ingestor.remove_document(doc_id)
        uploads = (self.settings.home / "uploads").resolve()
        if Path(row.root).resolve() == uploads:
            (uploads / row.source).unlink(missing_ok=True)
        self.trail.record("delete", caller, detail=f"doc_id={doc_id}")
        return DocumentInfo(**row.model_dump(include=set(DocumentInfo.model_fields)))

    # -- adapting the model -------------------------------------------------------------------
    def adapt_embedder(self, caller: Caller, options, out_dir: Path | None = None, progress=None):
        """Fine-tune the packaged model on every indexed chunk (assistant/adaptation); returns an
        AdaptReport. The model is written next to the store; configuring it is the user's step
        (embedding.model_path), after which the next ingest re-embeds."""
        from datetime import datetime, timezone

        from assistant.adaptation import fine_tune, training_pairs
        from assistant.retrieval.embedding import Embedder

        # Admin only: the pairs come from every collection, contracts included.
        self._require_manage(caller)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        out_dir = Path(out_dir) if out_dir else self.settings.home / "models" / f"adapted-{stamp}"
        if out_dir.exists() and any(out_dir.iterdir()):
            raise InvalidInput(f"{out_dir} already exists and is not empty; name a new folder")
        chunks = [c for name in self.store.collection_names() for c in self.store.iter_all(name)]
        pairs = training_pairs(chunks, seed=options.seed)
        if len(pairs) < 8:
            raise InvalidInput(f"{len(chunks)} indexed chunks give {len(pairs)} training pairs; ingest documents first (8 pairs at least)")
        # Always from the packaged weights, so adapting again after the corpus changed doesn't drift.
        base = Embedder(self.settings.embedding.package, backend="torch")
        partial = out_dir.with_name(out_dir.name + ".partial")  # renamed when complete: a crash leaves no half model
        shutil.rmtree(partial, ignore_errors=True)
        try:
            report = fine_tune(base.model_dir, f"{base.package}@{base.version}", pairs, partial, options, progress)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        partial.rename(out_dir)
        report = report.model_copy(update={"model_path": str(out_dir)})
        self.trail.record("adapt", caller, detail=f"pairs={report.pairs} steps={report.steps} out={out_dir}")
        return report

    # -- health -----------------------------------------------------------------------------
    def readiness(self) -> dict[str, bool]:
        return {"model_loaded": bool(getattr(self.embedder, "loaded", False)), "store_reachable": self.store.heartbeat()}

    def warm_up(self) -> None:
        self.embedder.load()
        if self.retriever.judge is not None:
            self.retriever.judge.load()  # every ask reads through it
        self.lexical.ensure(self.store.collection_names())

    # -- terms in force (issue 26) ------------------------------------------------------------
    def conflicts(self, caller: Caller, source: str | None = None) -> ConflictReport:
        """SOP/runbook instructions that contradict a contract as in force, among what `caller` may read."""
        if source is not None:
            require_clean("source", source)
        report = self.conflict_check.report(caller, source)
        self.trail.record("conflicts", caller, detail=f"source={source} found={len(report.conflicts)}")
        return report

    def _new_conflicts(self, caller: Caller) -> list:
        # The ingest is done and kept whatever happens here: a failing check is logged, not raised.
        try:
            return self.conflict_check.new_since_last(caller)
        except Exception as exc:
            log.warning(event_line("conflict_check_error", error=type(exc).__name__))
            return []

    @staticmethod
    def _explain_in_force(answer: Answer, evidence: list[SearchResult], applied: list, day: str, question: str) -> Answer:
        from assistant.contracts.in_force_answers import explain

        return explain(answer, evidence, applied, day, question)

    # -- helpers ----------------------------------------------------------------------------
    def require_indexed(self, where: str = "") -> None:
        self.reader.require_indexed(where)

    def _require_manage(self, caller: Caller) -> None:
        if not self.access.can_manage(caller):
            raise Forbidden("this role may not change the indexed documents")

    @staticmethod
    def _safe_relative(filename: str) -> str:
        parts = [p for p in re.split(r"[\\/]+", filename or "") if p not in ("", ".", "..")]
        parts = [_SAFE_NAME.sub("_", p).strip() for p in parts]
        parts = [p for p in parts if p]
        if not parts:
            raise InvalidInput("the upload has no usable file name")
        return "/".join(parts[-4:])


def _candidates(rows: list[CatalogRow], shown: int = 5) -> str:
    """'<doc_id> <source>; ...' for an ambiguous name, with the root where one path came from two roots."""
    repeated = {source for source, n in Counter(r.source for r in rows).items() if n > 1}
    listed = [f"{r.doc_id} {r.source}" + (f" (from {r.root})" if r.source in repeated else "") for r in rows[:shown]]
    return "; ".join(listed + ([f"{len(rows) - shown} more"] if len(rows) > shown else []))
