"""The parts of the hostile suite. Each returns `Row`s: what was tried, handled, and failed."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evals.hostile import corpus as hostile_corpus
from evals.hostile.procs import REPO, Server, cli, env_for, ingest_watched

FILE_SECONDS = 30.0  # the target: a clear outcome for each file within 30 s
RSS_LIMIT = 1024 ** 3


@dataclass
class Row:
    part: str
    category: str
    tried: int = 0
    handled: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.tried - self.handled

    def check(self, ok: bool, what: str) -> None:
        self.tried += 1
        if ok:
            self.handled += 1
        else:
            self.failures.append(what)


def warm_model_cache(config: Path) -> None:
    """Make the ONNX export (once per cache) before anything is measured."""
    code = ("from assistant.config import load_settings; from assistant.retrieval.embedding import Embedder\n"
            "Embedder.from_settings(load_settings().embedding).embed(['warm up'])")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env_for(config.parent / "home-warm", config),
                   capture_output=True, timeout=1800, check=True)


# -- 1. hostile files ------------------------------------------------------------------------------

def hostile_files(work: Path, scale: str, config: Path) -> tuple[list[Row], dict]:
    root = work / "corpus"
    expectations = hostile_corpus.build(root, scale, REPO / "samples" / "corpus")
    report, stderr, watch, seconds = ingest_watched(work / "home-files", config, root)
    got = {f["source"]: f for f in (report or {}).get("files", [])}
    rows: dict[str, Row] = {}
    for exp in expectations:
        row = rows.setdefault(exp.category, Row("files", exp.category))
        outcome = got.pop(exp.source, None)
        row.check(_handled(outcome, exp), f"{exp.source}: {_said(outcome)}")
    extra = rows.setdefault("other entries", Row("files", "other entries"))
    for source, outcome in got.items():  # outcomes for entries no expectation names: each needs a reason
        extra.check(outcome["status"] == "indexed" or bool(outcome.get("reason")), f"{source}: {_said(outcome)}")
    metrics = {"files": len(expectations), "seconds": round(seconds, 1), "report": report is not None,
               "stderr_tail": stderr.strip().splitlines()[-1:] if report is None else [],
               "peak_tree_rss_mb": round(watch.peak_tree / 2**20), "peak_process_rss_mb": round(watch.peak_process / 2**20),
               "max_file_seconds": max((f.get("seconds") or 0 for f in (report or {}).get("files", [])), default=0),
               "peak_rss_mb_by_process": {k: round(v / 2**20) for k, v in sorted(watch.peaks.items(), key=lambda kv: -kv[1])[:3]}}
    memory = Row("files", "memory (peak RSS < 1 GB)")
    memory.check(watch.peak_process < RSS_LIMIT, f"peak process RSS {metrics['peak_process_rss_mb']} MB")
    return [*rows.values(), memory], metrics


def _handled(outcome: dict | None, exp) -> bool:
    if outcome is None or outcome["status"] not in exp.statuses:
        return False
    if (outcome.get("seconds") or 0) > FILE_SECONDS:
        return False
    if outcome["status"] in ("failed", "skipped"):
        reason = outcome.get("reason") or ""
        return bool(reason) and exp.reason_has.lower() in reason.lower()
    return True


def _said(outcome: dict | None) -> str:
    if outcome is None:
        return "no outcome line"
    return f"{outcome['status']} {outcome.get('reason') or ''} ({outcome.get('seconds')} s)".strip()


# -- 2. kill -9 mid-ingest ---------------------------------------------------------------------------

_CHILD = """
import json, sys
from pathlib import Path
from assistant.config import load_settings
from assistant.models import Caller
from assistant import wiring
svc = wiring.build(load_settings(sys.argv[1]))
svc.ingestor.batch_chunks = 16  # commit often, so kills land between commits
def progress(event, n):
    print(json.dumps([event, n]), flush=True)
svc.ingest(Path(sys.argv[2]), Caller(id="kill9", roles=frozenset({"admin"}), surface="cli"), progress=progress)
print(json.dumps(["done", 0]), flush=True)
"""


def kill9(work: Path, config: Path, corpus: Path, points: int, seed: int = 28) -> tuple[list[Row], dict]:
    clean = work / "kill-clean"
    run = cli(clean, config, "ingest", str(corpus), "--json")
    wanted = _state(clean, config)
    events = _events_of_a_run(work / "kill-count", config, corpus)
    rng = random.Random(seed)
    row_set, row_dup, row_lex = Row("kill -9", "exact chunk set"), Row("kill -9", "no duplicates or orphans"), \
        Row("kill -9", "lexical index present")
    for i in range(points):
        home = work / f"kill-{i}"
        at = rng.randint(1, max(1, events - 1))
        _killed_after(home, config, corpus, at)
        done = cli(home, config, "ingest", str(corpus), "--json")
        state = _state(home, config) if done.returncode == 0 else None
        where = f"kill after event {at} of {events}"
        row_set.check(state is not None and state["ids"] == wanted["ids"], where)
        row_dup.check(state is not None and not state["duplicates"] and not state["orphans"], where)
        row_lex.check(state is not None and state["lexical"], where)
        shutil.rmtree(home, ignore_errors=True)
    return [row_set, row_dup, row_lex], {"clean_chunks": len(wanted["ids"]), "events": events, "points": points,
                                         "clean_exit": run.returncode}


def _events_of_a_run(home: Path, config: Path, corpus: Path) -> int:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(config), str(corpus)], cwd=REPO, env=env_for(home, config),
                          capture_output=True, text=True, timeout=1800)
    shutil.rmtree(home, ignore_errors=True)
    return sum(1 for line in proc.stdout.splitlines() if line.startswith("["))


def _killed_after(home: Path, config: Path, corpus: Path, at: int) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(config), str(corpus)], cwd=REPO, env=env_for(home, config),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = 0
    for line in proc.stdout:
        seen += 1
        if seen >= at:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(60)


_STATE = """
import json, sys
from collections import Counter
from assistant.config import load_settings
from assistant.models import Caller
from assistant import wiring
svc = wiring.build(load_settings(sys.argv[1]))
ids, pairs, by_doc = [], Counter(), Counter()
for name in svc.store.collection_names():
    for c in svc.store.iter_all(name, include_text=False):
        ids.append(c.id); pairs[(c.meta["doc_id"], c.meta["ordinal"])] += 1; by_doc[c.meta["doc_id"]] += 1
rows = {r.doc_id: r.chunks for r in svc.catalog.all()}
orphans = [d for d in by_doc if d not in rows] + [d for d, n in rows.items() if by_doc.get(d) != n]
svc.search("refund approval", Caller(id="kill9", roles=frozenset({"admin"}), surface="cli"), k=1)
lexical = all(set(svc.lexical.get(n).ids) == {c.id for c in svc.store.iter_all(n, include_text=False)}
              for n in svc.store.collection_names())
print(json.dumps({"ids": sorted(ids), "duplicates": [list(p) for p, n in pairs.items() if n > 1], "orphans": orphans,
                  "lexical": lexical}))
"""


def _state(home: Path, config: Path) -> dict:
    """The store, catalog and lexical index of a home, read in a process of its own."""
    proc = subprocess.run([sys.executable, "-c", _STATE, str(config)], cwd=REPO, env=env_for(home, config),
                          capture_output=True, text=True, timeout=600)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- 3. a live server: abuse, concurrency, access ------------------------------------------------------

KEYS = {"admin": "hx-admin-7f3c9a1e5b2d", "legal": "hx-legal-2b8e4d6f1a3c", "bpo_agent": "hx-agent-9d1f3b5c7e2a",
        "internal": "hx-internal-4a6c8e1b"}


def live_server(work: Path, config: Path, seeded_home: Path, uploads: list[Path], clients: int, seconds: float) -> tuple[list[Row], dict]:
    import httpx

    home = work / "home-live"
    shutil.copytree(seeded_home, home)
    server = Server(home, config, KEYS, work / "server.log")
    metrics: dict = {}
    try:
        server.wait_ready()
        with httpx.Client(base_url=server.url, timeout=120) as http:
            abuse = _abuse(http)
            load, load_metrics = _load(server.url, home, config, uploads, clients, seconds)
            access = _access(http, home, config)
        metrics.update(load_metrics)
    finally:
        server.stop()
    stop = Row("server", "SIGTERM stops it within 15 s")
    stop.check(server.stop_seconds is not None and server.stop_seconds < 15, f"stopped in {server.stop_seconds:.1f} s")
    metrics["stop_seconds"] = round(server.stop_seconds or 0, 1)
    return [abuse, *load, access, stop], metrics


def _h(role: str | None) -> dict:
    return {"Authorization": f"Bearer {KEYS[role]}"} if role else {}


def _abuse(http) -> Row:
    """Requests a careless or hostile client sends: each must get a 4xx, never a 5xx."""
    row = Row("http", "abusive requests -> 4xx")
    big = b"{" + b" " * (6 * 1024 * 1024) + b"}"
    cases = [
        ("POST", "/v1/search", '{"query": "refunds", "filters": {"source": ["\\ud800"]}}', "bpo_agent"),
        ("POST", "/v1/ask", '{"question": "refunds", "filters": {"source": ["\\ud800"]}}', "bpo_agent"),
        ("POST", "/v1/ask", '{"question": "refunds\\u0000"}', "legal"),
        ("POST", "/v1/search", '{"query": "refunds", "k": true}', "internal"),
        ("POST", "/v1/search", '{"query": "refunds", "k": "5"}', "internal"),
        ("POST", "/v1/ask", '{"question": "refunds", "stream": "yes"}', "internal"),
        ("POST", "/v1/search", '{"query": "refunds", "k": 51}', "internal"),
        ("POST", "/v1/search", '{"query": "refunds",}', "internal"),
        ("POST", "/v1/search", '{"query": "' + "q" * 5000 + '"}', "internal"),
        ("POST", "/v1/search", '{"query": "refunds", "role": "admin"}', "bpo_agent"),
        ("POST", "/v1/clauses", '{"type": "Termination", "k": true}', "legal"),
        ("GET", "/v1/key-terms?contract=%00", None, "legal"),
        ("GET", "/v1/audit?since=tomorrow-ish", None, "admin"),
        ("DELETE", "/v1/documents/no-such-id", None, "admin"),
        ("DELETE", "/v1/documents/x", None, "bpo_agent"),
        ("POST", "/v1/ingest", None, "legal"),
        ("POST", "/v1/search", '{"query": "refunds"}', None),
        ("GET", "/v1/nope", None, "admin"),
    ]
    for method, path, body, role in cases:
        headers = {**_h(role), "Content-Type": "application/json"}
        r = http.request(method, path, content=body.encode() if body else None, headers=headers)
        row.check(400 <= r.status_code < 500, f"{method} {path} {(body or '')[:40]} -> {r.status_code}")
    for method, path in (("POST", "/v1/search"), ("POST", "/v1/ask"), ("POST", "/v1/drafts/rca"), ("POST", "/v1/sla"),
                         ("POST", "/v1/clauses"), ("GET", "/v1/documents"), ("GET", "/v1/audit"), ("GET", "/healthz")):
        r = http.request(method, path, content=big, headers={**_h("bpo_agent"), "Content-Type": "application/json"})
        row.check(r.status_code == 413, f"{method} {path} with a 6 MB body -> {r.status_code}")
    for name in ("../../etc/passwd.md", "runbooks/\u0000x.md", "..\\..\\win.md"):
        r = http.post("/v1/documents", files={"file": (name, b"# X\n\nText.\n", "text/markdown")}, headers=_h("admin"))
        row.check(r.status_code in (201, 422) and "/etc/" not in r.text, f"upload named {name!r} -> {r.status_code}")
    return row


def _load(url: str, home: Path, config: Path, uploads: list[Path], clients: int, seconds: float) -> tuple[list[Row], dict]:
    """Clients search and ask while an admin uploads hostile files and a CLI ingest tries to write."""
    import httpx

    statuses: Counter = Counter()
    latencies: list[float] = []
    stop = threading.Event()
    questions = ["who approves refund exceptions?", "termination for convenience notice", "chat backlog escalation",
                 "service credit for email response time", "chargeback evidence"]
    roles = ["bpo_agent", "legal", "internal", "admin"]

    def client(i: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            n = 0
            while not stop.is_set():
                role, q = roles[(i + n) % len(roles)], questions[n % len(questions)]
                path, body = ("/v1/search", {"query": q, "k": 5}) if n % 2 else ("/v1/ask", {"question": q})
                started = time.monotonic()
                try:
                    statuses[http.post(path, json=body, headers=_h(role)).status_code] += 1
                except httpx.HTTPError:
                    statuses["transport error"] += 1
                latencies.append(time.monotonic() - started)
                n += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    upload_row = Row("load", "uploads during load (clear outcome)")
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=300) as http:
        for path in uploads:
            try:
                r = http.post("/v1/documents", files={"file": (f"runbooks/{path.name}", path.read_bytes())}, headers=_h("admin"))
                upload_row.check(r.status_code in (201, 409, 413, 415, 422), f"upload {path.name} -> {r.status_code}")
            except httpx.HTTPError as exc:
                upload_row.check(False, f"upload {path.name} -> {type(exc).__name__}")
    refused = cli(home, config, "ingest", str(REPO / "samples" / "corpus"))
    writer = Row("load", "second writer refused")
    writer.check(refused.returncode == 1 and b"being written by server" in refused.stderr,
                 f"CLI ingest into the served home: exit {refused.returncode}")
    time.sleep(max(0.0, deadline - time.monotonic()))
    stop.set()
    for t in threads:
        t.join(120)
    answered = Row("load", "concurrent requests answered (no 5xx)")
    for status, n in statuses.items():
        for _ in range(n):
            answered.check(isinstance(status, int) and status < 500, f"status {status}")
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0.0
    return [answered, upload_row, writer], {"requests": sum(statuses.values()), "statuses": dict(statuses),
                                            "p95_ms": round(p95 * 1000, 1)}


def _access(http, home: Path, config: Path) -> Row:
    """No role sees another's audit events (HTTP and CLI) nor a contract it may not read."""
    row = Row("access", "no leak across roles")
    by_role = {role: http.get("/v1/audit", headers=_h(role)).json().get("events", []) for role in KEYS}
    everyone = {e["caller"] for e in by_role["admin"]}
    for role in ("legal", "bpo_agent", "internal"):
        callers = {e["caller"] for e in by_role[role]}
        row.check(len(callers) <= 1 and callers <= everyone, f"HTTP audit as {role} shows callers {sorted(callers)}")
    for role in ("bpo_agent", "", "no_such_role"):
        run = cli(home, config, "audit", "--json", role=role)
        if run.returncode != 0:  # an unknown role is refused outright: nothing shown is nothing leaked
            row.check(b"unknown role" in run.stderr and b'"events"' not in run.stdout, f"CLI audit as {role!r} failed")
            continue
        events = json.loads(run.stdout or b"{}").get("events", [])
        row.check(all(e["roles"] == sorted(r for r in role.split(",") if r) for e in events),
                  f"CLI audit as {role!r}: {len(events)} events")
    hits = http.post("/v1/search", json={"query": "termination for convenience notice period", "k": 20},
                     headers=_h("bpo_agent")).json()["results"]
    row.check(all(h["collection"] != "contracts" for h in hits), "bpo_agent search reaches a contract")
    return row


def summarise(rows: list[Row]) -> str:
    lines = [f"{'part':<8} {'category':<38} {'tried':>6} {'handled':>8} {'failed':>7}"]
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        lines.append(f"{r.part:<8} {r.category:<38} {r.tried:>6} {r.handled:>8} {r.failed:>7}")
        totals["tried"] += r.tried
        totals["handled"] += r.handled
    lines.append(f"{'total':<47} {totals['tried']:>6} {totals['handled']:>8} {totals['tried'] - totals['handled']:>7}")
    for r in rows:
        for f in r.failures[:10]:
            lines.append(f"  FAILED [{r.part}/{r.category}] {f}")
    return "\n".join(lines)
