"""One sync of a connector source: changes -> mirrored files -> the ingest pipeline.

Per batch of changes: remove what was deleted, fetch what is new or at a new version into the
source's mirror (<home>/connectors/<name>/files, one file per item), run the pipeline on those
files with their origins (stable document ids, so a rename re-labels instead of duplicating;
partition, link, place), then save the cursor. A failure stops at the last saved cursor: the next
sync resumes there, and what was indexed before stays. One item that cannot be fetched or parsed
fails alone and is tried again on the next sync.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.logs import event_line, logger
from assistant.config import RESTRICTED_COLLECTION, Settings, SourceRule
from assistant.errors import AssistantError
from ingest.locks import embedded_writer
from ingest.connectors import make_connector
from ingest.connectors.base import ChangeBatch, Connector, ConnectorError, ItemError, ItemGone, RemoteItem
from ingest.connectors.report import ItemOutcome, SourceReport, SyncReport
from ingest.connectors.state import KnownItem, SourceState, StateStore
from ingest.origin import DocumentOrigin

log = logger("sync")

DOC_TYPES = ("runbook", "sop", "msa", "sow", "dpa", "contract")  # a label naming one sets the type
SyncProgress = Callable[[str, str, int], None]  # (source name, event, amount): pipeline events, "fetched"


def sync_sources(settings: Settings, ingestor, names: list[str] | None = None, progress: SyncProgress | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> SyncReport:
    """Sync the named connector sources (all of them when `names` is None), one after another.
    HomeInUse when another process writes the embedded store (nothing is fetched then)."""
    rules = [r for r in settings.connector_sources if names is None or r.name in names]
    # A sync writes the store and its own state under the home: embedded, it is the home's one
    # writer for the whole run, like an ingest (re-entrant inside a server that holds the claim).
    with embedded_writer(settings.home, "sync") if settings.store.mode == "embedded" else nullcontext():
        return SyncReport(sources=[SourceSync(rule, settings, ingestor, progress, sleep).run() for rule in rules])


class SourceSync:
    def __init__(self, rule: SourceRule, settings: Settings, ingestor, progress: SyncProgress | None,
                 sleep: Callable[[float], None]):
        self.rule = rule
        self.name = str(rule.name)
        self.settings = settings
        self.ingestor = ingestor
        self.progress = progress or (lambda name, event, n: None)
        self.sleep = sleep
        self.store = StateStore(settings.home / "connectors" / self.name)
        self.report = SourceReport(name=self.name, connector=rule.connector.type if rule.connector else "")
        self.attempted: set[str] = set()  # items tried in this run (a failed retry is not tried twice)
        self.taken: dict[str, str] = {}  # source -> item id, so two items never share a source

    def run(self) -> SourceReport:
        started = time.perf_counter()
        self.store.folder.mkdir(parents=True, exist_ok=True)
        try:
            # Two syncs of one source (the serve schedule and a CLI run) would interleave state writes.
            with FileLock(str(self.store.folder / "sync.lock"), timeout=0):
                self._run()
        except Timeout:
            self._stop(f"another sync of {self.name} is running", applied=False)
        self.report.seconds = round(time.perf_counter() - started, 3)
        log.info(event_line("sync_done", source=self.name, status=self.report.status, indexed=self.report.count("indexed"),
                       removed=self.report.count("removed"), failed=self.report.count("failed"),
                       restricted=len(self.report.restricted)))
        return self.report

    def _run(self) -> None:
        from ingest.loaders import SUPPORTED_SUFFIXES

        try:
            connector = make_connector(self.rule, SUPPORTED_SUFFIXES, _max_file_bytes(self.settings), self.sleep)
            state = self.store.load(connector.identity)
        except ConnectorError as exc:
            self._stop(str(exc), applied=False)
            return
        self.taken = {k.source: item_id for item_id, k in state.items.items()}
        self.progress(self.name, "start", 0)
        applied = False
        try:
            retry = [k.item for k in state.items.values() if not k.indexed_version]
            if retry:  # what failed last time: a change feed will not mention it again
                self._apply(ChangeBatch(changed=retry), connector, state)
            for batch in connector.changes(state.cursor, {item_id: k.item for item_id, k in state.items.items()}):
                self._apply(batch, connector, state)
                if batch.cursor:
                    state.cursor = batch.cursor
                self.store.save(state)
                applied = True
            state.last_complete = True
        except (ConnectorError, AssistantError) as exc:
            self._stop(getattr(exc, "message", None) or str(exc), applied)
        except Exception as exc:  # an answer shaped unlike the API's: stop this source, keep the others going
            log.warning(event_line("sync_error", source=self.name, error=type(exc).__name__))
            self._stop(f"{self.name}: unexpected answer from the source ({type(exc).__name__}); stopped at the last good cursor",
                       applied)
        finally:
            state.last_sync = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.store.save(state)
            connector.close()

    def _stop(self, message: str, applied: bool) -> None:
        self.report.status = "partial" if applied else "failed"
        self.report.error = message.splitlines()[0] if message else "sync failed"
        log.warning(event_line("sync_stopped", source=self.name, status=self.report.status))

    # -- one batch ------------------------------------------------------------------------------
    def _apply(self, batch: ChangeBatch, connector: Connector, state: SourceState) -> None:
        gone = set(batch.deleted)
        if batch.listing is not None:
            gone |= set(state.items) - set(batch.listing)
        self._remove([i for i in gone if i in state.items], state)
        origins: dict[Path, DocumentOrigin] = {}
        pending: dict[str, tuple[RemoteItem, str]] = {}  # source -> (item, mirrored file name)
        for item in batch.changed:
            if item.id in self.attempted or item.id in gone:
                continue
            self.attempted.add(item.id)
            prepared = self._prepare(item, connector, state)
            if prepared is not None:
                path, origin, item = prepared
                origins[path] = origin
                pending[origin.source] = (item, path.name)
        if origins:
            self._index(origins, pending, state)

    def _prepare(self, item: RemoteItem, connector: Connector, state: SourceState) -> tuple[Path, DocumentOrigin, RemoteItem] | None:
        """The mirrored file and origin for one changed item, or None when it needs no indexing
        (unchanged, skipped, failed, gone: each reported here)."""
        known = state.items.get(item.id)
        if item.skipped:
            if known:
                self._remove([item.id], state)
            self.report.items.append(ItemOutcome(source=self._source_for(item), status="skipped", reason=item.skipped, url=item.url))
            return None
        source = self._source_for(item)
        dest = self.store.files / _file_name(item)
        have = known is not None and known.indexed_version == item.version and dest.is_file()
        if have and known.source == source and _same_place(known.item, item):
            self.report.items.append(ItemOutcome(source=source, status="unchanged", url=item.url, restricted=item.restricted))
            return None
        if have:
            item = item.model_copy(update={"labels": item.labels or known.item.labels})  # only its place changed
        else:
            try:
                item = connector.fetch(item, dest)
            except ItemGone:
                self._remove([item.id], state)
                return None
            except ItemError as exc:
                self._failed(item, source, dest.name, str(exc), state)
                return None
            self.report.fetched += 1
            self.progress(self.name, "fetched", 1)
        if known and known.file != dest.name:  # the suffix changed (a .docx replaced by a .pdf)
            (self.store.files / known.file).unlink(missing_ok=True)
        return dest, self._origin(item, source), item

    def _index(self, origins: dict[Path, DocumentOrigin], pending: dict[str, tuple[RemoteItem, str]], state: SourceState) -> None:
        summary = self.ingestor.ingest_files(self.store.files, list(origins), progress=lambda e, n: self.progress(self.name, e, n),
                                             prune=False, origins=origins)
        self.report.chunks_written += summary.chunks_written
        self.report.texts_embedded += summary.texts_embedded
        for outcome in summary.files:
            if outcome.source not in pending:
                continue
            item, file = pending[outcome.source]
            origin = next(o for o in origins.values() if o.source == outcome.source)
            if outcome.status in ("indexed", "unchanged"):
                state.items[item.id] = KnownItem(item=item, doc_id=origin.doc_id, source=origin.source, file=file,
                                                 indexed_version=item.version)
                self.report.items.append(ItemOutcome(source=outcome.source, status=outcome.status, chunks=outcome.chunks,
                                                     embedded=outcome.embedded, url=item.url, restricted=item.restricted))
            else:
                self._failed(item, outcome.source, file, outcome.reason or "could not be indexed", state)

    def _failed(self, item: RemoteItem, source: str, file: str, reason: str, state: SourceState) -> None:
        """Report it; keep what was indexed from it before, and try it again next sync."""
        known = state.items.get(item.id)
        state.items[item.id] = KnownItem(item=item, doc_id=known.doc_id if known else self._doc_id(item),
                                         source=known.source if known else source, file=known.file if known else file,
                                         indexed_version="", failure=reason)
        self.report.items.append(ItemOutcome(source=source, status="failed", reason=reason, url=item.url))
        log.info(event_line("sync_item_failed", source=self.name, item=_short(item.id)))

    def _remove(self, item_ids: list[str], state: SourceState) -> None:
        known = [state.items.pop(i) for i in item_ids if i in state.items]
        if not known:
            return
        removed = {row.doc_id: row for row in self.ingestor.remove_documents([k.doc_id for k in known])}
        for k in known:
            (self.store.files / k.file).unlink(missing_ok=True)
            self.taken.pop(k.source, None)
            row = removed.get(k.doc_id)
            self.report.items.append(ItemOutcome(source=k.source, status="removed", chunks=row.chunks if row else 0, url=k.item.url))

    # -- naming ---------------------------------------------------------------------------------
    def _source_for(self, item: RemoteItem) -> str:
        """'<name>/<path>/<title>', unique among this source's items (Drive allows two files of one
        name in a folder: the second gets a short id)."""
        parts = [self.name, *(_segment(p) for p in item.path), _segment(item.title)]
        source = "/".join(p for p in parts if p)
        owner = self.taken.get(source)
        if owner is not None and owner != item.id:
            stem, dot, suffix = source.rpartition(".") if "." in parts[-1] else (source, "", "")
            source = f"{stem} [{_short(item.id)}]{dot}{suffix}"
        self.taken[source] = item.id
        return source

    def _doc_id(self, item: RemoteItem) -> str:
        return hashlib.sha256(f"connector\0{self.name}\0{item.id}".encode()).hexdigest()[:24]

    def _origin(self, item: RemoteItem, source: str) -> DocumentOrigin:
        labelled = next((label.lower() for label in item.labels if label.lower() in DOC_TYPES), None)
        restricted = item.restricted is not None
        return DocumentOrigin(
            source=source, doc_id=self._doc_id(item),
            # Never wider than the source allows: a restricted item is readable by admins only.
            collection=RESTRICTED_COLLECTION if restricted else self.rule.collection,
            roles=[] if restricted else list(self.rule.roles), doc_type=self.rule.doc_type or labelled,
            url=item.url, location="/".join([item.location, *item.path]) if item.path else item.location,
            modified_at=item.modified_at, source_version=item.version, labels=item.labels,
        )


def _same_place(old: RemoteItem, new: RemoteItem) -> bool:
    return (old.path, old.title, old.restricted, old.url) == (new.path, new.title, new.restricted, new.url)


def _file_name(item: RemoteItem) -> str:
    return hashlib.sha256(item.id.encode()).hexdigest()[:24] + item.suffix


def _segment(text: str) -> str:
    # A title may hold "/" ("Returns / refunds"): it must not add a folder level to the source;
    # control characters have no place in a name shown in results and logs.
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.replace("/", "-").replace("\\", "-").split())


def _short(item_id: str) -> str:
    return hashlib.sha256(item_id.encode()).hexdigest()[:6]


def _max_file_bytes(settings: Settings) -> int:
    # The ingest limit itself: a file the pipeline would refuse is not even downloaded whole.
    return settings.limits.max_file_bytes
