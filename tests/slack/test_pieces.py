"""The pure pieces: escaping, signatures, text commands, block limits, TTL cache, audience maths."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from assistant.models import Answer, Citation
from assistant.surfaces.slack.blocks import answer_blocks, chunks_of, document_link, markdown_to_mrkdwn
from assistant.surfaces.slack.cache import TTLCache
from assistant.surfaces.slack.security import escape, signature_problem, unescape
from assistant.surfaces.slack.text_commands import addressed_to_someone_else, parse

SECRET = "s3cret"


def _signed(body: bytes, ts: str) -> dict:
    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": sig}


@pytest.mark.parametrize("raw", ["<!channel>", "<!here|here>", "<@U123>", "<http://evil.example|click>", "<#C123>", "a & b"])
def test_escape_neutralises_every_control_sequence(raw):
    out = escape(raw)
    assert "<" not in out and ">" not in out and unescape(out) == raw


def test_signature_problem_reasons():
    body, now = b"payload=1", 1_700_000_000
    assert signature_problem(SECRET, _signed(body, str(now)), body, now) is None
    assert signature_problem(SECRET, _signed(body, str(now)), body + b"x", now) == "bad signature"
    assert signature_problem(SECRET, _signed(body, str(now - 301)), body, now) == "stale timestamp"
    assert signature_problem(SECRET, _signed(body, "1e9"), body, now) == "non-numeric timestamp"
    assert signature_problem(SECRET, {}, body, now) == "missing signature headers"
    assert signature_problem("", _signed(body, str(now)), body, now) == "no signing secret configured"


@pytest.mark.parametrize("text,kind,arg", [
    ("clause termination for convenience", "clause", "termination for convenience"),
    ("Clauses: audit rights", "clause", "audit rights"),
    ("rca chat backlog 2025-10-14", "rca", "chat backlog 2025-10-14"),
    ("escalate missed FCR SLA", "escalate", "missed FCR SLA"),
    ("escalate to whom for a SEV-1?", "ask", "escalate to whom for a SEV-1?"),
    ("ask what is the refund limit?", "ask", "what is the refund limit?"),
    ("help", "help", ""),
    ("what is the clause on audit rights?", "ask", "what is the clause on audit rights?"),
])
def test_text_commands(text, kind, arg):
    command = parse(text)
    assert (command.kind, command.arg) == (kind, arg)


@pytest.mark.parametrize("text,other", [
    ("thanks!", True), ("Thank you :pray:", True), ("ok", True), ("<@UCOLLEAGUE> can you check?", True),
    ("<@UBOT> and for SEV-2?", False), ("and for SEV-2?", False), ("ok but what about VIP refunds?", False),
])
def test_thread_chatter_is_not_for_the_bot(text, other):
    assert addressed_to_someone_else(text, "UBOT") is other


def test_long_answers_are_split_within_block_limits():
    text = ("A sentence about refunds & <credits>. " * 400).strip()
    answer = Answer(answer=text, grounded=True, citations=[Citation(n=1, chunk_id="c1", source="runbooks/a|b>.md", quote="q",
                                                                     section_path="S > T", page_start=3, title="T|<x>")])
    blocks = answer_blocks(answer, answer_id="a1", base_url="https://kb.example/docs")
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000 and "<credits>" not in block["text"]["text"]
    sources = next(b for b in blocks if b.get("block_id") == "sources")["text"]["text"]
    assert "<https://kb.example/docs/runbooks/a%7Cb%3E.md|T¦&lt;x&gt;>" in sources and "p. 3" in sources
    assert all(len(piece) <= 2900 for piece in chunks_of(text))


@pytest.mark.parametrize("doc_type,clause_no,expected", [
    ("sop", "7", "5.1 Handling the Request · step 7"), ("msa", "12.2", "12. Term and Termination · clause 12.2")])
def test_sources_name_a_runbook_step_and_a_contract_clause(doc_type, clause_no, expected):
    path = "5.1 Handling the Request" if doc_type == "sop" else "12. Term and Termination"
    answer = Answer(answer="x [1]", grounded=True, citations=[Citation(n=1, chunk_id="c1", source="a.md", quote="q",
                    section_path=path, page_start=None, title="T", clause_no=clause_no, doc_type=doc_type)])
    sources = next(b for b in answer_blocks(answer, answer_id="a1", base_url=None) if b.get("block_id") == "sources")
    assert sources["text"]["text"].endswith(expected)


def test_document_links_need_a_plain_http_base():
    assert document_link(None, "a.md", "A") == "*A*"
    assert document_link("javascript:alert(1)", "a.md", "A") == "*A*"
    assert document_link("https://kb.example/x|y", "a.md", "A") == "*A*"


def test_markdown_drafts_become_escaped_mrkdwn():
    out = markdown_to_mrkdwn("# Title\n\n**Bold** <!here>\n- item [link](http://evil)")
    assert out.startswith("*Title*") and "*Bold* &lt;!here&gt;" in out and "• item" in out and "<http" not in out


def test_ttl_cache_expires_and_stays_bounded():
    now = [0.0]
    cache = TTLCache(10, max_items=3, clock=lambda: now[0])
    assert cache.add("a") and not cache.add("a")
    for key in "bcd":
        cache.set(key, 1)
    assert len(cache) == 3 and "a" not in cache
    now[0] = 11
    assert cache.get("d") is None and cache.add("a")
