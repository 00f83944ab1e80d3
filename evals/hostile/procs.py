"""Processes for the hostile suite: the real CLI and server as a user runs them, and their RSS."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def write_config(path: Path, limits: dict | None = None) -> Path:
    """The repository's config.yaml with `limits` overridden."""
    data = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8")) or {}
    if limits:
        data["limits"] = {**data.get("limits", {}), **limits}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def env_for(home: Path, config: Path, **extra: str) -> dict[str, str]:
    # One ONNX export for every home of the run (made once, next to the config), unless one is set.
    cache = os.environ.get("BPO_ASSISTANT_MODEL_CACHE") or str(config.parent / "model-cache")
    return {**os.environ, "BPO_ASSISTANT_HOME": str(home), "BPO_ASSISTANT_CONFIG": str(config),
            "BPO_ASSISTANT_MODEL_CACHE": cache, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False", **extra}


def cli(home: Path, config: Path, *args: str, timeout: float = 1800, role: str | None = None) -> subprocess.CompletedProcess:
    """`bpo-assistant [--as ROLE] ARGS` in a fresh process, as a user would run it."""
    cmd = [sys.executable, "-m", "assistant.surfaces.cli", *(["--as", role] if role is not None else []), *args]
    return subprocess.run(cmd, cwd=REPO, env=env_for(home, config), capture_output=True, timeout=timeout)


class RssWatch:
    """Samples the resident memory of a process and all its descendants every 100 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_tree = 0  # bytes: the largest sum over the tree at one sample
        self.peak_process = 0  # bytes: the largest high-water mark of any one process
        self.peaks: dict[str, int] = {}  # "pid command" -> its high-water mark
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "RssWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            total = 0
            for pid in _tree(self.pid):
                rss, hwm = _status_kb(pid, "VmRSS"), _status_kb(pid, "VmHWM")
                total += rss * 1024
                self.peak_process = max(self.peak_process, hwm * 1024)
                if hwm:
                    self.peaks[f"{pid} {_command(pid)}"] = hwm * 1024
            self.peak_tree = max(self.peak_tree, total)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _command(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(a.decode(errors="replace") for a in args[1:4])[:60]


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def ingest_watched(home: Path, config: Path, corpus: Path, timeout: float = 3600) -> tuple[dict | None, str, RssWatch, float]:
    """`bpo-assistant ingest CORPUS --json` with its memory watched: (report, stderr, watch, seconds)."""
    cmd = [sys.executable, "-m", "assistant.surfaces.cli", "ingest", str(corpus), "--json"]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env_for(home, config), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with RssWatch(proc.pid) as watch:
        out, err = proc.communicate(timeout=timeout)
    seconds = time.monotonic() - started
    try:
        report = json.loads(out)
    except ValueError:
        report = None
    return report, err.decode(errors="replace"), watch, seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`bpo-assistant serve` in its own process, stopped with SIGTERM (the time it takes is kept)."""

    def __init__(self, home: Path, config: Path, keys: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        api_keys = ",".join(f"{key}:{role}" for role, key in keys.items())
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.surfaces.cli", "serve", "--port", str(self.port)], cwd=REPO,
            env=env_for(home, config, BPO_API_KEYS=api_keys), stdout=self._log, stderr=subprocess.STDOUT)
        self.stop_seconds: float | None = None

    def wait_ready(self, timeout_s: float = 180) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the server was not ready in time")

    def stop(self) -> None:
        started = time.monotonic()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stop_seconds = time.monotonic() - started
        self._log.close()
