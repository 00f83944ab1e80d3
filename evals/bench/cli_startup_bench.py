"""CLI start-up benchmark: how long a user waits for `--help`, an argument error and an answer.

    python evals/bench/cli_startup_bench.py [--runs 7] [--home DIR] [--baseline DIR] [--json]

Each measurement is a fresh process (the page cache stays warm, as for a user typing commands),
timed from spawn to exit, runs interleaved so a busy neighbour slows every kind alike:
  typer      `python -c "import typer"`: the floor any Typer CLI pays; the ratios are against it
  help       `bpo-assistant --help`                    target: <= 2x typer
  argerror   `bpo-assistant search --k 0 q`            (rejected before anything loads)
  cold ask   `bpo-assistant ask QUESTION` on the bundled sample   target: <= 2.5 s on a quiet machine
  warm ask   the same question again in a process that has answered once (the answer's own cost);
             cold - warm is what starting up costs.
Prints medians and p90s, the ratios, the median CPU time of each process (steadier than wall time
on a shared machine), and the load average before and after (a busy machine inflates every
number: compare runs made under similar load). `--baseline DIR` times another
checkout (e.g. main) in the same interleaved runs, on the same home, with the same interpreter:
a before/after under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
from assistant import wiring
service = wiring.build(load_settings(sys.argv[1]))
caller = Caller(id="bench", roles=frozenset({"admin"}), surface="cli")
service.ask(sys.argv[2], caller)
times = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter(); service.ask(sys.argv[2], caller); times.append(time.perf_counter() - t0)
print(json.dumps(times))
"""


def timed(cmd: list[str], env: dict[str, str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys of the process and its threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd[-3:])} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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


def measure(repo: Path, home: Path, runs: int, label: str) -> tuple[dict, dict]:
    """The commands for one checkout, and a function that times its warm ask."""
    env = {**os.environ, "BPO_ASSISTANT_HOME": str(home), "PYTHONPATH": str(repo), "COLUMNS": "100"}
    env.pop("BPO_ASSISTANT_CONFIG", None)
    cli = [sys.executable, "-c", ENTRY, "--config", str(repo / "config.yaml")]
    commands = {
        f"{label}help": ([*cli, "--help"], (0,)),
        f"{label}argerror": ([*cli, "search", "--k", "0", "q"], (1, 2)),
        f"{label}cold_ask": ([*cli, "ask", QUESTION], (0,)),
    }
    return commands, env


def warm_ask(repo: Path, env: dict, runs: int) -> list[float]:
    out = subprocess.run([sys.executable, "-c", WARM, str(repo / "config.yaml"), QUESTION, str(runs)], env=env, cwd=repo,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--home", type=Path, default=REPO / "evals" / "out" / "bench-cli-home",
                        help="data home holding the indexed sample (made on first use)")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout to time in the same runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    home = args.home.resolve()
    repos = {"": REPO, **({"baseline:": args.baseline.resolve()} if args.baseline else {})}
    commands: dict[str, tuple[list[str], tuple[int, ...]]] = {"typer": ([sys.executable, "-c", "import typer"], (0,))}
    envs: dict[str, dict] = {}
    for label, repo in repos.items():
        cmds, env = measure(repo, home, args.runs, label)
        commands.update(cmds)
        envs[label] = env
        for name in cmds:
            envs[name] = env
    envs["typer"] = envs[""]
    ensure_sample_home(home, envs[""], REPO)
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (cmd, ok) in commands.items():
            wall, used = timed(cmd, envs[name], repos["baseline:" if name.startswith("baseline:") else ""], ok)
            times[name].append(wall)
            cpu[name].append(used)
    # Warm asks in alternating rounds too, so a load that changes during the run hits both alike.
    for _ in range(3):
        for label, repo in repos.items():
            times.setdefault(f"{label}warm_ask", []).extend(warm_ask(repo, envs[label], max(1, args.runs // 3)))
    load_after = os.getloadavg()

    result = {name: stats(values) for name, values in times.items()}
    typer_s = result["typer"]["median"]
    report = {
        "repo": str(REPO), "baseline": str(args.baseline or ""), "runs": args.runs, "home": str(home),
        "load_avg_1m": [round(load_before[0], 2), round(load_after[0], 2)], "seconds": result,
        # CPU time varies less than wall time on a shared machine: a steadier before/after.
        "cpu_seconds_median": {name: round(statistics.median(v), 3) for name, v in cpu.items()},
        "ratios_to_import_typer": {k: round(v["median"] / typer_s, 2) for k, v in result.items() if "warm" not in k},
        "startup_overhead_s": {label or "this": round(result[f"{label}cold_ask"]["median"] - result[f"{label}warm_ask"]["median"], 3)
                               for label in repos},
        "targets": {"help_le_2x_typer": result["help"]["median"] <= 2 * typer_s,
                    "cold_ask_le_2_5_s": result["cold_ask"]["median"] <= 2.5},
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"CLI start-up, {REPO}{f' vs {args.baseline}' if args.baseline else ''} ({args.runs} runs each, "
          f"load average {report['load_avg_1m'][0]} -> {report['load_avg_1m'][1]})")
    print(f"{'':18} {'median s':>9} {'p90 s':>7} {'min s':>7} {'x typer':>8} {'CPU s':>7}")
    for name, st in result.items():
        ratio = "-" if "warm" in name else f"{st['median'] / typer_s:.2f}"
        used = report["cpu_seconds_median"].get(name)
        print(f"{name:18} {st['median']:9.3f} {st['p90']:7.3f} {st['min']:7.3f} {ratio:>8} "
              f"{'-' if used is None else f'{used:.3f}':>7}")
    for label, overhead in report["startup_overhead_s"].items():
        print(f"start-up overhead of a cold ask (cold - warm), {label}: {overhead:.3f} s")
    for target, met in report["targets"].items():
        print(f"target {target}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
