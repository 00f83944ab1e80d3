"""One log format, one prefix, configured here.

Every logger of the project is `bpo.<area>` (`logger("http")`): the prefix the Prometheus metrics
already use (`bpo_http_requests`), short in a log filter, and the name most modules had. Every
line the project writes is one JSON object with an `event` name and its fields (`event_line(...)`), so
a log shipper parses it without a pattern per module; `configure()` adds the time, level and
logger to each line. Nothing logged may carry a document's text, a question or a secret: fields
hold labels, ids, counts and exception class names.
"""

from __future__ import annotations

import json
import logging
import sys
import time

PREFIX = "bpo"


def logger(area: str) -> logging.Logger:
    return logging.getLogger(f"{PREFIX}.{area}")


def event_line(name: str, **fields) -> str:
    """The message for one log line: `log.info(event_line("sync_done", source=name, indexed=3))`."""
    return json.dumps({"event": name, **fields}, default=str)


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level and logger, then the event's own fields. A record not
    written with event_line() (a library's, a traceback) keeps its text under `message`."""

    def format(self, record: logging.LogRecord) -> str:
        head = {"at": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
                "level": record.levelname.lower(), "logger": record.name}
        text = record.getMessage()
        try:
            body = json.loads(text) if text.startswith("{") else None
        except ValueError:
            body = None
        line = {**head, **body} if isinstance(body, dict) else {**head, "message": text}
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: int = logging.INFO) -> None:
    """Send the project's logs to stderr as JSON lines, at `level` (serve, the Slack bot). Left
    alone when the host already configured logging (tests, a logging config, uvicorn --log-config)."""
    root = logging.getLogger(PREFIX)
    if root.level == logging.NOTSET:
        root.setLevel(level)
    if root.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root.addHandler(handler)
