"""Parsing files in a child process, so one hostile file costs bounded time and memory.

A loader is library code running on untrusted bytes: a zip or PDF bomb, a regular expression
that backtracks, a parser that recurses. Limits checked inside the loader (ingest/limits.py) stop
the known ways; this process boundary stops the rest. The child caps its own address space
(limits.parse_memory_bytes, so a bomb ends in MemoryError, not in the server swapping), and the
parent kills it when a file takes longer than limits.file_timeout_s, reports that file as failed
and starts a fresh child for the next one. The ingest run, its lock and the rest of the batch go
on. The child also masks secrets (redaction regexes run on untrusted text too).

Protocol: length-prefixed pickles over the child's stdin/stdout (the child moves its own stdout
to stderr, so a library that prints cannot corrupt it). The parent unpickles only what its own
child wrote.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

from assistant.config import LimitsSettings, RedactionSettings
from ingest.document import LoaderError, ParsedDocument
from ingest.limits import LimitExceeded

_HEADER = struct.Struct("!Q")
# How long a fresh child may take to start and import its parsers. Not part of any file's
# limits.file_timeout_s: on a busy machine a start-up can take seconds, and the file that happens
# to follow a killed one must not fail for it.
STARTUP_TIMEOUT_S = 120.0
_PROJECT = str(Path(__file__).resolve().parents[1])


class ParseWorker:
    """One child process, started at the first parse and reused; `close()` ends it."""

    def __init__(self, limits: LimitsSettings, redaction: RedactionSettings):
        self.limits = limits
        self.redaction = redaction
        self._proc: subprocess.Popen | None = None
        self.started = 0  # children started (a timeout or crash costs one more)

    def __enter__(self) -> "ParseWorker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def parse(self, path: Path, real_root: str) -> ParsedDocument:
        """The file loaded, redacted; LoaderError (LimitExceeded for a limit) otherwise."""
        proc = self.start()
        deadline = time.monotonic() + self.limits.file_timeout_s
        try:
            _write(proc.stdin, (os.fsencode(path), real_root))
            status, payload = _read(proc.stdout, deadline)
        except TimeoutError:
            self._kill()
            raise LimitExceeded(f"took longer than limits.file_timeout_s ({self.limits.file_timeout_s:g} s)") from None
        except (EOFError, OSError, pickle.UnpicklingError):
            raise LoaderError(self._died()) from None
        if status == "ok":
            return payload
        raise (LimitExceeded if status == "limit" else LoaderError)(payload)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()  # the child exits on end of input
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            proc.stdout.close()

    def start(self) -> subprocess.Popen:
        """The running child, started (and its parsers imported) first if need be."""
        if self._proc is None or self._proc.poll() is not None:
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_PROJECT, os.environ.get("PYTHONPATH")) if p)}
            self._proc = subprocess.Popen([sys.executable, "-m", "ingest.parse_worker"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, bufsize=0, env=env, close_fds=True)
            self.started += 1
            _write(self._proc.stdin, (self.limits, self.redaction))
            try:
                _read(self._proc.stdout, time.monotonic() + STARTUP_TIMEOUT_S)  # "ready": parsers imported
            except (TimeoutError, EOFError, OSError, pickle.UnpicklingError):
                self._kill()
                raise LoaderError("the parser process could not start") from None
        return self._proc

    def _kill(self) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        proc.kill()
        code = proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        return code

    def _died(self) -> str:
        code = self._kill()
        if code is not None and code < 0:
            return f"the parser stopped on this file (signal {-code}); limits.parse_memory_bytes may be too low for it"
        return "the parser stopped on this file"


def _write(pipe, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _read(pipe, deadline: float | None = None):
    header = _read_exact(pipe, _HEADER.size, deadline)
    return pickle.loads(_read_exact(pipe, _HEADER.unpack(header)[0], deadline))


def _read_exact(pipe, n: int, deadline: float | None) -> bytes:
    out = bytearray()
    fd = pipe.fileno()
    # poll, not select: select() refuses descriptors past 1024, which a long-lived server reaches.
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while len(out) < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                raise TimeoutError
        block = os.read(fd, min(n - len(out), 1 << 20))
        if not block:
            raise EOFError
        out += block
    return bytes(out)


# -- the child ----------------------------------------------------------------------------------

def _parse(path: Path, real_root: str, limits: LimitsSettings, redaction: RedactionSettings) -> ParsedDocument:
    from ingest.loaders import load_document
    from assistant.text.redaction import redact
    from ingest.walk import refusal

    # Checked again here, right before the open: the file may have become a link since the walk.
    problem = refusal(path, real_root)
    if problem:
        raise LoaderError(f"refused: {problem}")
    parsed = load_document(path, limits)
    text, _ = redact(parsed.text, redaction)
    # The title comes from the file's own metadata or first heading, outside `text`: mask it too.
    title = redact(parsed.title, redaction)[0] if parsed.title else parsed.title
    return parsed.model_copy(update={"text": text, "title": title})


def _answer(path: Path, real_root: str, limits: LimitsSettings, redaction: RedactionSettings) -> tuple[str, object]:
    try:
        return "ok", _parse(path, real_root, limits, redaction)
    except LimitExceeded as exc:
        return "limit", str(exc)
    except LoaderError as exc:
        return "error", str(exc) or type(exc).__name__
    except MemoryError:
        return "limit", "file needs more memory than limits.parse_memory_bytes allows"
    except Exception as exc:  # a library failure: one line, the batch goes on
        return "error", f"could not process file ({type(exc).__name__})"


def main() -> None:
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it closes us
    protocol_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    protocol_in = sys.stdin.buffer
    limits, redaction = _read(protocol_in)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limits.parse_memory_bytes if hard == resource.RLIM_INFINITY else min(limits.parse_memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    from ingest.loaders import preload

    preload()  # before "ready": no file's time budget pays for importing the parsers

    _write(protocol_out, "ready")
    while True:
        try:
            raw_path, real_root = _read(protocol_in)
        except EOFError:
            return
        reply = _answer(Path(os.fsdecode(raw_path)), real_root, limits, redaction)
        try:
            _write(protocol_out, reply)
        except MemoryError:  # the document fits but its copy for the parent does not
            _write(protocol_out, ("limit", "file needs more memory than limits.parse_memory_bytes allows"))


if __name__ == "__main__":
    main()
