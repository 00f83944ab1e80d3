"""Scorecard benchmark: six months of 2,400 request rows, the whole scorecard with its charts.

    python evals/bench/scorecard_bench.py [--runs 7] [--rows 2400] [--months 6] [--json]

Builds a temporary data home with a generated SOW and master agreement (its own wording, two
ticket metrics with time thresholds, a persistent-failure and an earn-back clause), then times:
  load+card   parse the CSV, add it to the history (the first run adds, later runs find every row
              unchanged), read the contract and its related agreement, compute every month and
              the rules: what `scorecard --metrics FILE --json` does after start-up
  pack        the same plus writing scorecard.md, scorecard.xlsx and one PNG per metric: what
              `scorecard --metrics FILE --out DIR` does          target: <= 3 s
  cli         `bpo-assistant scorecard ... --out DIR` in a fresh process (start-up included)
Prints medians and p90s. The machine is shared: compare runs made under similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SOW = """# Statement of Work 7: Service Desk

Issued under the Master Agreement between Lakeside Utilities Corporation ("Buyer") and Orchid Support Partners Inc ("Contractor").

## 5. Service Levels

| Metric | Definition | Target | Service Credit |
|---|---|---|---|
| Request Fulfilment | Service requests fulfilled within 16 hours of logging | >= 90% of requests within 16 hours | 6% of monthly desk fees |
| Incident Response | Incidents responded to within 30 minutes | >= 95% of incidents within 30 minutes | 4% of monthly desk fees |

5.2 The Service Credits in any month shall not exceed twelve percent (12%) of the total monthly fees.

5.3 A Service Credit shall be returned to the Contractor if the Contractor meets the missed Service Level in each of the three (3) months following the miss.
"""
MASTER = """# Master Agreement

Between Lakeside Utilities Corporation ("Buyer") and Orchid Support Partners Inc ("Contractor").

9.1 Repeated Failure. A "Repeated Failure" occurs when the Contractor misses the same Service Level for three consecutive months. Upon a Repeated Failure the Buyer may terminate this Agreement on sixty (60) days' written notice.
"""


def requests_csv(rows: int, months: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    per_month = rows // months
    lines = ["ref,category,logged,done"]
    for m in range(months):
        month_start = datetime(start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1, tzinfo=timezone.utc)
        ok_share = 0.93 if m % 3 else 0.86  # every third month the fulfilment level is missed
        for i in range(per_month):
            logged = month_start + timedelta(minutes=int(i * 27 * 24 * 60 / per_month))
            incident = i % 4 == 0
            limit = timedelta(minutes=30) if incident else timedelta(hours=16)
            took = limit * (rng.uniform(0.1, 0.95) if rng.random() < ok_share else rng.uniform(1.1, 3))
            lines.append(f"R{m}-{i},{'Incident Response' if incident else 'Request Fulfilment'},{logged.isoformat()},"
                         f"{(logged + took).isoformat()}")
    return "\n".join(lines) + "\n"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=2400)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scorecard-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    from assistant.config import load_settings
    from assistant.drafting.metrics import MetricsText
    from assistant.drafting.scorecard_files import write_scorecard
    from assistant.models import Caller
    from assistant import wiring

    docs = work / "docs" / "contracts"
    docs.mkdir(parents=True)
    (docs / "orchid-service-desk-sow.md").write_text(SOW, encoding="utf-8")
    (docs / "lakeside-orchid-master-agreement.md").write_text(MASTER, encoding="utf-8")
    csv_path = work / "requests.csv"
    csv_path.write_text(requests_csv(args.rows, args.months), encoding="utf-8")
    caller = Caller(id="bench", roles=frozenset({"admin"}), surface="cli")
    service = wiring.build(load_settings(REPO / "config.yaml", home=str(work / "home")))
    service.ingest(work / "docs", caller)
    mapping = {"id": "ref", "metric": "category", "created_at": "logged", "resolved_at": "done"}
    text = MetricsText(csv_path.read_text(encoding="utf-8"))

    def card():
        return service.drafts.scorecard("orchid-service-desk-sow.md", caller, text, columns=mapping,
                                        fees={"desk": 90000, "total": 90000})

    first = time.perf_counter()
    result = card()
    first_s = time.perf_counter() - first
    loads, packs = [], []
    for run in range(args.runs):
        t0 = time.perf_counter()
        result = card()
        loads.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = card()
        write_scorecard(result, work / f"pack-{run}")
        packs.append(time.perf_counter() - t0)
    env = {**os.environ, "BPO_ASSISTANT_HOME": str(work / "home")}
    cli = []
    for run in range(max(1, args.runs // 2)):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from assistant.surfaces.cli import main; sys.argv[0] = 'bpo-assistant'; main()",
                        "scorecard", "--contract", "orchid-service-desk-sow.md", "--metrics", str(csv_path),
                        "--map", ",".join(f"{k}={v}" for k, v in mapping.items()), "--out", str(work / f"cli-{run}")],
                       env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli.append(time.perf_counter() - t0)
    service.catalog.close()
    report = {
        "rows": args.rows, "months": len(result.months), "persistent_failures": len(result.persistent_failures),
        "first_load_and_card_s": round(first_s, 3),
        "load_and_card_s": {"p50": round(statistics.median(loads), 3), "p90": round(percentile(loads, 0.9), 3)},
        "pack_s": {"p50": round(statistics.median(packs), 3), "p90": round(percentile(packs, 0.9), 3), "target": 3.0},
        "cli_s": {"p50": round(statistics.median(cli), 3), "p90": round(percentile(cli, 0.9), 3)},
        "load_average": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"{args.rows} rows over {len(result.months)} months, {len(result.persistent_failures)} persistent failure(s)")
    print(f"first load + scorecard     {first_s:.3f} s")
    print(f"reload + scorecard         p50 {report['load_and_card_s']['p50']:.3f} s  p90 {report['load_and_card_s']['p90']:.3f} s")
    print(f"reload + scorecard + pack  p50 {report['pack_s']['p50']:.3f} s  p90 {report['pack_s']['p90']:.3f} s  (target <= 3 s)")
    print(f"CLI, fresh process, --out  p50 {report['cli_s']['p50']:.3f} s  p90 {report['cli_s']['p90']:.3f} s")
    print(f"load average {report['load_average']:.2f}")


if __name__ == "__main__":
    main()
