"""The incremental, idempotent ingest run.

Per file: hash the bytes; skip if the catalog says the same bytes went through the same pipeline.
Otherwise parse -> redact -> chunk, then embed only chunks whose deterministic id is not already
in the store (ids hash the document id, the embedded text and its occurrence, so an edit re-embeds
only what changed), upsert them, refresh the metadata of the rest, delete stale ids, and only then
write the catalog row. Files that disappeared from the root are removed; files that fail keep
whatever was indexed before. Embedding is batched across documents (the model is the bottleneck)
while the next files are parsed in a background thread.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import numpy as np

from assistant.logs import event_line, logger
from ingest.catalog import Catalog, CatalogRow
from assistant.config import RESTRICTED_COLLECTION, Settings
from ingest.locks import ingest_lock
from assistant.models import CONTRACT_DOC_TYPES, ChunkMeta, FileOutcome, IngestSummary, printable
from ingest import fingerprint, instructions
from ingest import metadata as meta
from ingest.chunking import Chunker, ChunkDraft
from ingest.document import LoaderError
from ingest.origin import DocumentOrigin
from ingest.parse_worker import ParseWorker
from ingest.walk import Walk, refusal, walk_root

log = logger("ingest")

CHUNKER_VERSION = "11"  # bump when chunking output changes for the same input (loaders included: v11 keeps "12.4." lines)
Progress = Callable[[str, int], None]  # (event, amount): "total", "file", "chunks", or one of STEP_EVENTS
# The step under way, so a surface can say what a long wait is (the first model export takes ~30 s):
# parsing files, exporting or loading the model, embedding n chunks, writing n chunks, updating the
# keyword index of n collections. The amount is what the step works on (0 when it has none).
STEP_EVENTS = ("parsing", "export", "loading", "embedding", "writing", "keyword-index")


class ChunkAnnotator(Protocol):
    """Extra per-chunk metadata computed at ingest, after embedding (e.g. contract clause types).

    `version` is part of the pipeline key: a new version re-annotates every document it applies to
    (metadata only; vectors are reused). `doc_types` limits the work to documents it applies to.
    """

    version: str
    doc_types: tuple[str, ...]

    def annotate_embedded(self, doc_type: str, texts: list[str], metas: list[dict], vectors: np.ndarray) -> list[dict]: ...


class DocumentRelations(Protocol):
    """What an amendment changes and which agreement it amends, read at ingest (issue 26):
    assistant.contracts.relations, handed in by assistant/wiring.py so that ingest does not import
    the contracts feature. `VERSION` is part of the pipeline key: a new reading re-profiles every
    contract (metadata only, no re-embedding)."""

    VERSION: str

    def profile(self, doc_type: str, title: str, text: str, effective_date: str = "") -> Any: ...

    def relink(self, catalog: Catalog) -> None: ...


def doc_id_for(root_key: str, source: str) -> str:
    return hashlib.sha256(f"{root_key}\0{source}".encode()).hexdigest()[:24]


def chunk_id_for(doc_id: str, embed_text: str, occurrence: int) -> str:
    return hashlib.sha256(f"{doc_id}\0{occurrence}\0{embed_text}".encode()).hexdigest()[:32]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class _Prepared:
    source: str
    doc_id: str
    collection: str
    row: CatalogRow
    ids: list[str]
    texts: list[str]  # chunk bodies (stored, shown, cited)
    embed_texts: list[str]
    metas: list[dict]
    missing: list[int] = field(default_factory=list)  # indexes of chunks that need embedding
    existing: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0


class Ingestor:
    def __init__(self, settings: Settings, embedder, store, catalog: Catalog, on_collection_changed: Callable[[set[str]], None],
                 relations: DocumentRelations, annotators: list[ChunkAnnotator] | None = None):
        self.settings = settings
        self.relations = relations
        # Extra per-chunk metadata computed at ingest (e.g. contract clause types with scores).
        self.annotators = annotators or []
        self.embedder = embedder
        self.store = store
        self.catalog = catalog
        self.on_collection_changed = on_collection_changed  # rebuilds lexical indexes
        # Chunks embedded per model call across documents. The encoder sorts a call's texts by length
        # before batching, so larger calls pad less: 256 -> 1024 took the shared-corpus ingest from
        # 121 s to 115 s with onnx; 4096 gained nothing more.
        self.batch_chunks = 1024
        self.chunker = Chunker(embedder.count_tokens, settings.chunking.target_tokens, settings.chunking.max_tokens)

    # -- keys -------------------------------------------------------------------------------
    def pipeline_key(self, collection: str, roles: list[str], doc_type_hint: str | None) -> str:
        s = self.settings
        parts = [
            self.embedder.fingerprint, CHUNKER_VERSION, str(s.chunking.target_tokens), str(s.chunking.max_tokens),
            collection, ",".join(sorted(roles)), str(doc_type_hint), s.redaction.model_dump_json(),
            *(str(getattr(a, "version", type(a).__name__)) for a in self.annotators), f"instructions-{instructions.VERSION}",
            f"relations-{self.relations.VERSION}",
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    def _folder_origin(self, root_key: str, source: str) -> DocumentOrigin:
        """A file under an ingested folder: its id from the path, its partition from the first
        source rule that matches (none: the restricted partition), its link from the rule's url_base."""
        rule = meta.source_rule(self.settings, source)
        if rule is None:
            return DocumentOrigin(source=source, doc_id=doc_id_for(root_key, source), collection=RESTRICTED_COLLECTION)
        url = f"{rule.url_base.rstrip('/')}/{quote(source, safe='/')}" if rule.url_base else ""
        return DocumentOrigin(source=source, doc_id=doc_id_for(root_key, source), collection=rule.collection,
                              roles=rule.roles, doc_type=rule.doc_type, url=url)

    # -- the run ----------------------------------------------------------------------------
    def ingest_path(self, path: Path, progress: Progress | None = None, prune: bool = True) -> IngestSummary:
        started = time.perf_counter()
        path = Path(path)
        if not path.exists():
            summary = IngestSummary(root=str(path), files=[FileOutcome(source=str(path), status="failed", reason="path does not exist")])
            return summary
        if path.is_dir():
            root, walk = path, walk_root(path, self.settings.exclude)
        else:
            root, walk = path.parent, Walk(files=[(printable(path.name), path)])
        summary = self._run(root, walk, progress, prune=prune and path.is_dir())
        summary.seconds = round(time.perf_counter() - started, 3)
        return summary

    def ingest_files(self, root: Path, files: list[Path], progress: Progress | None = None, prune: bool = False,
                     origins: Mapping[Path, DocumentOrigin] | None = None) -> IngestSummary:
        """`origins`: for files a connector mirrored under `root`, what the document is (its id,
        source, partition and link) instead of what its path would say. They go through the same
        root check, limits, parse child and writer lock as any ingested file."""
        origins = origins or {}
        walk = Walk(files=[(origins[p].source if p in origins else
                            printable(p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name), p) for p in files])
        return self._run(root, walk, progress, prune, origins)

    def _run(self, root: Path, walk: Walk, progress: Progress | None, prune: bool,
             origins: Mapping[Path, DocumentOrigin] | None = None) -> IngestSummary:
        # One run at a time per store (file lock embedded, Chroma lease in server mode): IngestBusy otherwise.
        with ingest_lock(self.settings, self.store), ParseWorker(self.settings.limits, self.settings.redaction) as parser:
            return self._ingest_files(root, walk, parser, progress, prune, origins or {})

    def _ingest_files(self, root: Path, walk: Walk, parser: ParseWorker, progress: Progress | None, prune: bool,
                      origins: Mapping[Path, DocumentOrigin]) -> IngestSummary:
        root_key = str(root.resolve())
        summary = IngestSummary(root=str(root), files=list(walk.outcomes))
        progress = progress or (lambda event, n: None)
        progress("total", len(walk.files))
        progress("parsing", len(walk.files))
        self._reset_stale_collections()
        changed: set[str] = set()
        # A source that failed keeps what was indexed from it before; so does a folder that could
        # not be listed, for everything under it.
        seen: set[str] = {o.source for o in walk.outcomes if o.status == "failed"}
        pending: list[_Prepared] = []
        pending_chunks = 0
        for source, result in self._prepare_all(root, root_key, walk.files, parser, origins):
            seen.add(source)
            if isinstance(result, FileOutcome):
                summary.files.append(result)
                progress("file", 1)
                continue
            pending.append(result)
            pending_chunks += len(result.missing)
            # Embed in large cross-document batches: per-file batches leave the model underfed.
            if pending_chunks >= self.batch_chunks:
                self._flush(pending, summary, changed, progress)
                pending, pending_chunks = [], 0
                progress("parsing", len(walk.files) - len(seen))
        self._flush(pending, summary, changed, progress)
        if prune:
            for row in self.catalog.for_root(root_key):
                if row.source not in seen and not _under_any(row.source, walk.unreadable_folders):
                    self._remove(row)
                    changed.add(row.collection)
                    summary.files.append(FileOutcome(source=row.source, status="removed", chunks=row.chunks))
        self.link_duplicates()
        self.relations.relink(self.catalog)  # amendments to the documents they change (issue 26)
        if changed:
            progress("keyword-index", len(changed))
            self.on_collection_changed(changed)
        return summary

    def link_duplicates(self) -> None:
        """Point each near-duplicate copy at the preferred copy of its group (catalog
        `duplicate_of`), over every indexed document: a new copy may duplicate an old one."""
        rows = {r.doc_id: r for r in self.catalog.all()}
        wanted = {doc_id: "" for doc_id in rows}
        for group in fingerprint.groups({doc_id: r.sketch for doc_id, r in rows.items()}):
            preferred = min(group, key=lambda d: fingerprint.preference(rows[d].source, rows[d].ingested_at))
            wanted.update({d: preferred for d in group if d != preferred})
        self.catalog.set_duplicates({d: t for d, t in wanted.items() if rows[d].duplicate_of != t})

    def _prepare_all(self, root: Path, root_key: str, files: list[tuple[str, Path]], parser: ParseWorker,
                     origins: Mapping[Path, DocumentOrigin]) -> Iterator[tuple[str, _Prepared | FileOutcome]]:
        # Parse ahead in one background thread (the parser itself is a child process), so parsing
        # overlaps with encoding.
        real_root = os.path.realpath(root)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse") as pool:
            window: list[tuple[str, Future]] = []
            for source, p in files:
                window.append((source, pool.submit(self._prepare, p, source, root_key, real_root, parser, origins.get(p))))
                if len(window) >= 8:
                    src, fut = window.pop(0)
                    yield src, fut.result()
            for src, fut in window:
                yield src, fut.result()

    def _prepare(self, path: Path, source: str, root_key: str, real_root: str, parser: ParseWorker,
                 origin: DocumentOrigin | None) -> _Prepared | FileOutcome:
        started = time.perf_counter()
        try:
            result = self._prepare_unsafe(path, source, root_key, real_root, parser, origin)
        except LoaderError as exc:
            result = FileOutcome(source=source, status="failed", reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        except Exception as exc:  # a bug or a library failure must not end the batch
            log.warning(event_line("ingest_file_error", source=source, error=type(exc).__name__))
            result = FileOutcome(source=source, status="failed", reason=f"could not process file ({type(exc).__name__})")
        result.seconds = round(time.perf_counter() - started, 3)
        return result

    def _prepare_unsafe(self, path: Path, source: str, root_key: str, real_root: str, parser: ParseWorker,
                        origin: DocumentOrigin | None) -> _Prepared | FileOutcome:
        problem = refusal(path, real_root)
        if problem:
            return FileOutcome(source=source, status="skipped", reason=problem)
        origin = origin or self._folder_origin(root_key, source)
        doc_id, collection, roles = origin.doc_id, origin.collection, origin.roles
        key = self.pipeline_key(collection, roles, origin.doc_type)
        limits = self.settings.limits
        try:
            size = path.stat().st_size
            if size > limits.max_file_bytes:  # not even hashed: nothing of it is read
                return FileOutcome(source=source, status="failed",
                                   reason=f"file is larger than limits.max_file_bytes ({size} > {limits.max_file_bytes} bytes)")
            sha = file_sha256(path)
        except OSError as exc:
            return FileOutcome(source=source, status="failed", reason=f"cannot read file: {exc.strerror or exc}")
        old = self.catalog.get(doc_id)
        # A row from before documents had sketches is parsed once more to get one (no re-embedding:
        # its chunk ids are unchanged).
        if (old and old.file_sha256 == sha and old.pipeline_key == key and old.collection == collection and old.sketch
                and old.source == source and _origin_of(old) == origin.catalog_fields()):
            return FileOutcome(source=source, status="unchanged", chunks=old.chunks)
        parser.start()  # a fresh parser's start-up is not this file's time
        deadline = time.monotonic() + limits.file_timeout_s
        parsed = parser.parse(path, real_root)  # loaded and redacted in the child, under the limits
        text = parsed.text
        doc_type = origin.doc_type or meta.detect_doc_type(self.settings, source, text, None)
        title = meta.title_for(parsed.title, source)
        drafts = self.chunker.chunk(parsed, title, deadline=deadline)
        if not drafts:
            return FileOutcome(source=source, status="failed", reason="no text to index")
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        row = CatalogRow(
            doc_id=doc_id, root=root_key, source=source, collection=collection, doc_type=doc_type, title=title,
            chunks=len(drafts), ingested_at=now, effective_date=meta.effective_date(text), version=meta.version(text),
            file_sha256=sha, pipeline_key=key, sketch=fingerprint.sketch(text), **origin.catalog_fields(),
        )
        if doc_type in CONTRACT_DOC_TYPES:  # what an amendment changes, and what linking matches it by
            prof = self.relations.profile(doc_type, title, text, row.effective_date)
            row.profile, row.relation = prof.model_dump_json(), prof.relation.kind if prof.relation else ""
        prepared = self._to_prepared(row, drafts, roles)
        prepared.existing = self.store.chunks_of_doc(collection, doc_id)
        prepared.missing = [i for i, cid in enumerate(prepared.ids) if cid not in prepared.existing]
        return prepared

    def _to_prepared(self, row: CatalogRow, drafts: list[ChunkDraft], roles: list[str]) -> _Prepared:
        ids, metas = [], []
        occurrences: dict[str, int] = {}
        for ordinal, d in enumerate(drafts):
            n = occurrences.get(d.embed_text, 0)
            occurrences[d.embed_text] = n + 1
            ids.append(chunk_id_for(row.doc_id, d.embed_text, n))
            metas.append(ChunkMeta(
                doc_id=row.doc_id, source=row.source, doc_type=row.doc_type, collection=row.collection,
                audience=",".join(sorted(roles)), title=row.title, section_path=d.section_path, clause_no=d.clause_no,
                page_start=d.page_start, page_end=d.page_end, page_breaks=",".join(map(str, d.page_breaks)),
                char_start=d.char_start, char_end=d.char_end, table_header=d.table_header,
                ordinal=ordinal, content_sha256=hashlib.sha256(d.body.encode()).hexdigest(),
                effective_date=row.effective_date, version=row.version, ingested_at=row.ingested_at, url=row.url,
                instruction_like=instructions.reads_as_instructions(d.body),
            ).model_dump())
        return _Prepared(
            source=row.source, doc_id=row.doc_id, collection=row.collection, row=row, ids=ids,
            texts=[d.body for d in drafts], embed_texts=[d.embed_text for d in drafts], metas=metas,
        )

    def _flush(self, pending: list[_Prepared], summary: IngestSummary, changed: set[str], progress: Progress) -> None:
        if not pending:
            return
        texts = [p.embed_texts[i] for p in pending for i in p.missing]
        if texts and not getattr(self.embedder, "loaded", True):
            needs_export = getattr(self.embedder, "needs_export", lambda: False)()
            progress("export" if needs_export else "loading", 0)
        if texts:
            progress("embedding", len(texts))
        vectors = self.embedder.embed(texts)
        if texts:
            progress("writing", len(texts))
        summary.texts_embedded += len(texts)
        offset = 0
        for p in pending:
            mine = vectors[offset : offset + len(p.missing)]
            offset += len(p.missing)
            self._annotate(p, mine)
            self._commit(p, mine)
            changed.add(p.collection)
            summary.chunks_written += len(p.missing)
            summary.files.append(FileOutcome(source=p.source, status="indexed", chunks=len(p.ids), embedded=len(p.missing),
                                             seconds=p.seconds))
            progress("file", 1)
            progress("chunks", len(p.missing))

    def _annotate(self, p: _Prepared, new_vectors) -> None:
        """Run the annotators that apply with every chunk's vector: the ones just embedded, and for
        chunks already in the store (an edit, or a new annotator version) their stored vectors."""
        annotators = [a for a in self.annotators if p.row.doc_type in a.doc_types]
        if not annotators:
            return
        by_index = dict(zip(p.missing, new_vectors))
        reused = [i for i in range(len(p.ids)) if i not in by_index]
        stored = self.store.vectors(p.collection, [p.ids[i] for i in reused])
        lost = [i for i in reused if p.ids[i] not in stored]  # deleted meanwhile by another writer
        if lost:
            stored.update(zip((p.ids[i] for i in lost), self.embedder.embed([p.embed_texts[i] for i in lost])))
        for i in reused:
            by_index[i] = stored[p.ids[i]]
        vectors = np.asarray([by_index[i] for i in range(len(p.ids))], dtype=np.float32)
        for annotator in annotators:
            try:
                extras = annotator.annotate_embedded(p.row.doc_type, p.texts, p.metas, vectors)
            except Exception as exc:  # annotations are extra: the document is indexed without them
                log.warning(event_line("annotate_error", source=p.source, annotator=annotator.version, error=type(exc).__name__))
                continue
            for m, extra in zip(p.metas, extras):
                m.update(extra)

    def _commit(self, p: _Prepared, vectors) -> None:
        missing = set(p.missing)
        self.store.upsert(
            p.collection, [p.ids[i] for i in p.missing], vectors,
            [p.texts[i] for i in p.missing], [p.metas[i] for i in p.missing],
        )
        keep = [i for i in range(len(p.ids)) if i not in missing]
        stale_meta = [i for i in keep if _meta_differs(p.existing.get(p.ids[i], {}), p.metas[i])]
        self.store.update_metadata(p.collection, [p.ids[i] for i in stale_meta], [p.metas[i] for i in stale_meta])
        wanted = set(p.ids)
        self.store.delete(p.collection, [cid for cid in p.existing if cid not in wanted])
        old = self.catalog.get(p.doc_id)
        if old and old.collection != p.collection:  # the config moved it to another partition
            self.store.delete(old.collection, list(self.store.chunks_of_doc(old.collection, p.doc_id)))
        self.catalog.upsert(p.row)

    # -- removal and model changes ------------------------------------------------------------
    def _remove(self, row: CatalogRow) -> None:
        self.store.delete(row.collection, list(self.store.chunks_of_doc(row.collection, row.doc_id)))
        self.catalog.delete(row.doc_id)

    def remove_documents(self, doc_ids: list[str]) -> list[CatalogRow]:
        """Remove several documents at once (a sync's deletions), under the ingest lock, with one
        duplicate relink and one keyword-index rebuild for them all."""
        with ingest_lock(self.settings, self.store):
            rows = [row for row in map(self.catalog.get, doc_ids) if row is not None]
            for row in rows:
                self._remove(row)
            if rows:
                self.link_duplicates()
                self.on_collection_changed({row.collection for row in rows})
            return rows

    def remove_document(self, doc_id: str) -> CatalogRow | None:
        row = self.catalog.get(doc_id)
        if row is None:
            return None
        self._remove(row)
        self.link_duplicates()  # its copies may now be the preferred ones
        self.relations.relink(self.catalog)
        self.on_collection_changed({row.collection})
        return row

    def _reset_stale_collections(self) -> None:
        """Vectors from another model (or backend) must never mix with ours: drop and re-embed."""
        for name in self.store.collection_names():
            fp = self.store.embedder_of(name)
            if fp is not None and fp != self.embedder.fingerprint:
                log.warning(event_line("reembed", collection=name, old=fp, new=self.embedder.fingerprint))
                self.store.drop(name)
                self.catalog.delete_collection(name)
                self.on_collection_changed({name})


def _origin_of(row: CatalogRow) -> dict:
    return {name: getattr(row, name) for name in ("url", "location", "modified_at", "source_version", "labels")}


def _under_any(source: str, folders: list[str]) -> bool:
    return any(folder == "." or source.startswith(folder + "/") for folder in folders)


def _meta_differs(old: dict, new: dict) -> bool:
    return any(old.get(k) != v for k, v in new.items() if v is not None)
