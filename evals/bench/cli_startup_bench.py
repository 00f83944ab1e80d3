"""CLI start-up benchmark: how long a user waits for `--help`, an argument error and an answer.

    python evals/bench/cli_startup_bench.py [--runs 7] [--home DIR] [--repo DIR] [--json]

Each measurement is a fresh process (the page cache stays warm, as for a user typing commands),
timed from spawn to exit, runs interleaved so a busy neighbour slows every kind alike:
  typer      `python -c "import typer"`: the floor any Typer CLI pays; the ratios are against it
  help       `bpo-assistant --help`                    target: <= 2x typer
  argerror   `bpo-assistant search --k 0 q`            (rejected before anything loads)
  cold ask   `bpo-assistant ask QUESTION` on the bundled sample   target: <= 2.5 s on a quiet machine
  warm ask   the same question again in a process that has answered once (the answer's own cost);
             cold - warm is what starting up costs.
Prints medians and p90s, the ratios, and the load average before and after (a busy machine
inflates every number: compare runs made under similar load). `--repo` times another checkout
(e.g. main, with its own venv's python) on the same home, for a before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QUESTION = "What service credit applies when the email response SLA is missed?"
# What the console script runs (python -m would import the CLI module twice).
ENTRY = "import sys; from assistant.surfaces.cli import main; sys.argv[0] = 'bpo-assistant'; main()"
WARM = """
import json, sys, time
from assistant.config import load_settings
from assistant.models import Caller
from assistant.service import AssistantService
service = AssistantService.build(load_settings(sys.argv[1]))
caller = Caller(id="bench", roles=frozenset({"admin"}), surface="cli")
service.ask(sys.argv[2], caller)
times = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter(); service.ask(sys.argv[2], caller); times.append(time.perf_counter() - t0)
print(json.dumps(times))
"""


def timed(cmd: list[str], env: dict[str, str], cwd: Path, ok: tuple[int, ...] = (0,)) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd[-3:])} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return seconds


def ensure_sample_home(home: Path, env: dict[str, str], repo: Path) -> None:
    if (home / "chroma").is_dir():
        return
    print(f"indexing the bundled sample into {home} (once)...", file=sys.stderr)
    subprocess.run([sys.executable, "-c", ENTRY, "--config", str(repo / "config.yaml"), "ingest",
                    str(repo / "samples" / "corpus")], env=env, cwd=repo, check=True, stdout=subprocess.DEVNULL)


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 3), "p90": round(p90, 3), "min": round(ordered[0], 3)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--home", type=Path, default=REPO / "evals" / "out" / "bench-cli-home",
                        help="data home holding the indexed sample (made on first use)")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose CLI is timed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    repo = args.repo.resolve()
    home = args.home.resolve()
    config = repo / "config.yaml"
    env = {**os.environ, "BPO_ASSISTANT_HOME": str(home), "PYTHONPATH": str(repo), "COLUMNS": "100"}
    env.pop("BPO_ASSISTANT_CONFIG", None)
    ensure_sample_home(home, env, repo)
    cli = [sys.executable, "-c", ENTRY, "--config", str(config)]
    commands = {
        "typer": ([sys.executable, "-c", "import typer"], (0,)),
        "help": ([*cli, "--help"], (0,)),
        "argerror": ([*cli, "search", "--k", "0", "q"], (1, 2)),
        "cold_ask": ([*cli, "ask", QUESTION], (0,)),
    }
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (cmd, ok) in commands.items():
            times[name].append(timed(cmd, env, repo, ok))
    warm_out = subprocess.run([sys.executable, "-c", WARM, str(config), QUESTION, str(args.runs)], env=env, cwd=repo,
                              check=True, capture_output=True, text=True).stdout
    times["warm_ask"] = json.loads(warm_out.strip().splitlines()[-1])
    load_after = os.getloadavg()

    result = {name: stats(values) for name, values in times.items()}
    typer_s = result["typer"]["median"]
    report = {
        "repo": str(repo), "runs": args.runs, "home": str(home), "load_avg_1m": [round(load_before[0], 2), round(load_after[0], 2)],
        "seconds": result,
        "ratios_to_import_typer": {k: round(result[k]["median"] / typer_s, 2) for k in ("help", "argerror", "cold_ask")},
        "startup_overhead_s": round(result["cold_ask"]["median"] - result["warm_ask"]["median"], 3),
        "targets": {"help_le_2x_typer": result["help"]["median"] <= 2 * typer_s,
                    "cold_ask_le_2_5_s": result["cold_ask"]["median"] <= 2.5},
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"CLI start-up, {repo} ({args.runs} runs each, load average {report['load_avg_1m'][0]} -> {report['load_avg_1m'][1]})")
    print(f"{'':10} {'median s':>9} {'p90 s':>7} {'min s':>7} {'x typer':>8}")
    for name, s in result.items():
        ratio = f"{s['median'] / typer_s:.2f}" if name != "warm_ask" else "-"
        print(f"{name:10} {s['median']:9.3f} {s['p90']:7.3f} {s['min']:7.3f} {ratio:>8}")
    print(f"start-up overhead of a cold ask (cold - warm): {report['startup_overhead_s']:.3f} s")
    for target, met in report["targets"].items():
        print(f"target {target}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
