"""Questions end to end: signed events and commands in, what the fake Slack Web API received out."""

from __future__ import annotations

import json
import time

from tests.slack.conftest import (
    AGENT, BOT_TOKEN, C_LEGAL, C_MIXED, C_OPS, DM_LEGAL, DM_INTERNAL, INTERNAL, LEGAL, NOBODY, all_text, button_value,
)

RUNBOOK_Q = "How often do we send customer updates during a chat backlog incident?"
CONTRACT_Q = "how much notice does Northbeam need to give to terminate the MSA for convenience?"
MSA = "contracts/northbeam-lumen-msa.pdf"


def _sources_text(call) -> str:
    block = call.block("sources")
    return block["text"]["text"] if block else ""


def test_mention_with_a_runbook_answer_is_a_public_threaded_reply_with_sources(slack):
    r, ts = slack.mention(C_OPS, INTERNAL, RUNBOOK_Q)
    assert r.status_code == 200
    [reply] = slack.fake.wait_for("chat.postMessage", channel=C_OPS, thread_ts=ts)
    assert reply.token == BOT_TOKEN
    sources = _sources_text(reply)
    assert "runbooks/chat-backlog-incident-runbook.md" in sources
    assert "<https://docs.northbeam.example/kb/runbooks/" in sources  # linked when document_base_url is set
    assert not reply.block("no_sources_warning")
    assert button_value(reply, "vote_up") and button_value(reply, "share_answer") is None
    assert not slack.fake.calls_to("chat.postEphemeral", channel=C_OPS, user=INTERNAL)


def test_contract_answer_for_a_legal_user_is_ephemeral_never_public(slack):
    r, ts = slack.mention(C_LEGAL, LEGAL, CONTRACT_Q)
    assert r.status_code == 200
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_LEGAL, user=LEGAL)
    assert reply.args["thread_ts"] == ts
    assert MSA in _sources_text(reply)
    assert "only you can see" in all_text([reply]).lower()
    assert button_value(reply, "share_answer") is None  # contract answers can't be shared
    assert not slack.fake.calls_to("chat.postMessage", channel=C_LEGAL)


def test_channel_with_a_bpo_agent_never_gets_contract_citations(slack):
    r, ts = slack.mention(C_MIXED, LEGAL, CONTRACT_Q)
    assert r.status_code == 200
    slack.fake.wait_for("conversations.members", channel=C_MIXED)
    replies = slack.fake.wait_for("chat.postMessage", channel=C_MIXED, thread_ts=ts)
    text = all_text(replies)
    assert "contracts/" not in text and "Master Services Agreement" not in _sources_text(replies[0])
    assert "everyone in this channel may read" in text  # the asker is told why the answer is narrower


def test_direct_message_is_answered_in_the_dm(slack):
    r, ts = slack.message(DM_INTERNAL, INTERNAL, RUNBOOK_Q, channel_type="im")
    assert r.status_code == 200
    [reply] = slack.fake.wait_for("chat.postMessage", channel=DM_INTERNAL)
    assert reply.args.get("thread_ts") is None and reply.block("sources")


def test_contract_answer_in_a_dm_stays_in_the_dm(slack):
    slack.message(DM_LEGAL, LEGAL, CONTRACT_Q, channel_type="im")
    [reply] = slack.fake.wait_for("chat.postMessage", channel=DM_LEGAL)
    assert MSA in _sources_text(reply)


def test_thread_follow_up_uses_the_earlier_turns(slack):
    _, ts = slack.mention(C_OPS, INTERNAL, "How often do we send updates for a SEV-1 chat backlog?")
    slack.fake.wait_for("chat.postMessage", channel=C_OPS, thread_ts=ts)
    r, follow_ts = slack.message(C_OPS, INTERNAL, "and for SEV-2?", channel_type="channel", thread_ts=ts)
    assert r.status_code == 200
    replies = slack.fake.wait_for("chat.postMessage", channel=C_OPS, thread_ts=ts, count=2)
    assert slack.fake.calls_to("conversations.replies", channel=C_OPS, ts=ts)
    assert replies[1].block("sources")
    slack.message(C_OPS, INTERNAL, "thanks!", channel_type="channel", thread_ts=ts)  # chatter: not a question
    time.sleep(1.0)
    assert len(slack.fake.calls_to("chat.postMessage", channel=C_OPS, thread_ts=ts)) == 2


def test_messages_in_threads_the_bot_is_not_part_of_are_ignored(slack):
    parent = slack.fake.add_message(C_OPS, INTERNAL, "lunch plans?")
    r, _ = slack.message(C_OPS, "UINTERN2", "pizza", channel_type="channel", thread_ts=parent)
    assert r.status_code == 200
    slack.fake.wait_for("conversations.replies", channel=C_OPS, ts=parent)
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS, thread_ts=parent)


def test_control_sequences_from_questions_and_documents_are_escaped(slack):
    question = "<!channel> <@U123> what does the broadcast etiquette runbook say about announcing a floor-wide outage?"
    r = slack.command("/ask", question, INTERNAL, C_OPS)
    assert r.status_code == 200
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=INTERNAL)
    text = all_text([reply])
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text
    answer_text = reply.block("answer")["text"]["text"]
    # From the document, not the echoed question: either of its sentences carries a control sequence.
    assert "shift lead posts &lt;!channel&gt;" in answer_text or "&lt;http://evil.example|" in answer_text, answer_text
    assert "broadcast-etiquette" in _sources_text(reply)
    for call in slack.fake.calls:
        assert "<!channel>" not in call.dump and "<@U123>" not in call.dump and "<http://evil" not in call.dump
    assert "<!channel>" not in r.text  # the ack echoes the question, escaped too


def test_slash_ask_is_private_and_share_reposts_publicly_after_a_recheck(slack):
    slack.command("/ask", RUNBOOK_Q, INTERNAL, C_OPS)
    [private] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=INTERNAL)
    answer_id = button_value(private, "share_answer")
    assert answer_id
    before = len(slack.fake.calls_to("conversations.members", channel=C_OPS))
    assert slack.click("share_answer", answer_id, INTERNAL, C_OPS, ephemeral=True).status_code == 200
    [public] = slack.fake.wait_for("chat.postMessage", channel=C_OPS)
    assert public.block("sources") and button_value(public, "share_answer") is None
    assert len(slack.fake.calls_to("conversations.members", channel=C_OPS)) > before  # members refetched


def test_slash_ask_in_a_channel_the_bot_is_not_in_replies_through_the_response_url(slack, fake_slack):
    channel = "CNOTIN001"
    fake_slack.members[channel] = [INTERNAL]
    fake_slack.not_in.add(channel)
    slack.command("/ask", RUNBOOK_Q, INTERNAL, channel)
    # Matched by content: an earlier test's late response_url call (its share deletes the
    # ephemeral original) can land after the fake's reset on a busy machine.
    [reply] = slack.fake.wait_for("response_url", response_type="ephemeral")
    assert reply.block("sources")
    answer_id = button_value(reply, "share_answer")
    slack.click("share_answer", answer_id, INTERNAL, channel, ephemeral=True)
    _wait_until(lambda: any("Invite me" in c.dump for c in slack.fake.calls_to("response_url")))


def _wait_until(condition, timeout: float = 20) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_share_is_refused_when_someone_in_the_channel_may_not_read_the_sources(slack, fake_slack):
    channel = "CSHARE001"  # its own channel: the bot caches member lists for a minute
    fake_slack.members[channel] = [INTERNAL, "UINTERN2"]
    slack.command("/ask", RUNBOOK_Q, INTERNAL, channel)
    [private] = slack.fake.wait_for("chat.postEphemeral", channel=channel, user=INTERNAL)
    answer_id = button_value(private, "share_answer")
    fake_slack.members[channel] = [INTERNAL, "UINTERN2", NOBODY]  # someone whose roles read nothing joined since
    slack.click("share_answer", answer_id, INTERNAL, channel, ephemeral=True)
    notices = slack.fake.wait_for("chat.postEphemeral", channel=channel, user=INTERNAL, count=2)
    assert "won't share" in all_text(notices[1:])
    assert not slack.fake.calls_to("chat.postMessage", channel=channel)


def test_votes_are_appended_to_feedback_jsonl(slack, slack_service):
    slack.message(DM_INTERNAL, INTERNAL, RUNBOOK_Q, channel_type="im")
    [reply] = slack.fake.wait_for("chat.postMessage", channel=DM_INTERNAL)
    answer_id = button_value(reply, "vote_down")
    assert slack.click("vote_down", answer_id, INTERNAL, DM_INTERNAL).status_code == 200
    slack.fake.wait_for("chat.postMessage", channel=DM_INTERNAL, count=2)  # the thanks (a DM is private already)
    path = slack_service.settings.home / "feedback.jsonl"
    entries = [json.loads(line) for line in path.read_text().splitlines()]
    entry = next(e for e in entries if e["answer_id"] == answer_id)
    assert entry["vote"] == "down" and entry["user"] == INTERNAL and entry["question"] == RUNBOOK_Q
    assert entry["chunk_ids"] and entry["answer"] and entry["at"]


def test_a_user_whose_roles_read_nothing_is_told_so_privately(slack):
    slack.mention(C_OPS, NOBODY, RUNBOOK_Q)
    [notice] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=NOBODY)
    assert "don't have access" in all_text([notice])
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS)


def test_unanswerable_question_carries_a_no_sources_warning(slack):
    slack.message(DM_INTERNAL, INTERNAL, "What is the airspeed velocity of an unladen swallow?", channel_type="im")
    [reply] = slack.fake.wait_for("chat.postMessage", channel=DM_INTERNAL)
    assert reply.block("no_sources_warning") and not reply.block("sources")


def test_bpo_agent_asking_about_contracts_gets_no_contract_text(slack):
    slack.message("DAGENT001", AGENT, CONTRACT_Q, channel_type="im")
    [reply] = slack.fake.wait_for("chat.postMessage", channel="DAGENT001")
    assert "contracts/" not in reply.dump
