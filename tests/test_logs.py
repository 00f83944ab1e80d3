"""One log format and one prefix: every project logger is bpo.*, every line one JSON object."""

from __future__ import annotations

import json
import logging
import re

from assistant import logs
from tests.conftest import REPO


def test_every_project_logger_is_under_the_one_prefix():
    named = re.compile(r"getLogger\(([^)]*)\)")
    found = [(str(p.relative_to(REPO)), m.group(1)) for folder in ("assistant", "ingest") for p in (REPO / folder).rglob("*.py")
             for m in named.finditer(p.read_text(encoding="utf-8"))]
    # assistant/logs.py makes them; pdf.py quiets the pypdf library's own logger.
    others = [(f, arg) for f, arg in found if f not in ("assistant/logs.py",) and arg != '"pypdf"']
    assert others == []


def test_a_line_is_one_json_object_with_time_level_logger_and_the_event_fields():
    record = logging.LogRecord("bpo.sync", logging.WARNING, __file__, 1, logs.event_line("sync_error", source="wiki", n=2),
                               None, None)
    line = json.loads(logs.JsonLines().format(record))
    assert line["event"] == "sync_error" and line["source"] == "wiki" and line["n"] == 2
    assert line["level"] == "warning" and line["logger"] == "bpo.sync" and line["at"].endswith("Z")


def test_a_library_message_and_a_traceback_stay_inside_the_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("bpo.http", logging.ERROR, __file__, 1, "plain %s", ("text",), sys.exc_info())
    text = logs.JsonLines().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "plain text" and "ValueError: boom" in line["traceback"]
