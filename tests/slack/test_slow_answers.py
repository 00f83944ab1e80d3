"""A deliberately slow service: Slack still gets its ack within 3 s, and the answer follows."""

from __future__ import annotations

import time

from assistant.service import AssistantService
from tests.slack.conftest import C_OPS, COORD, DM_INTERNAL, INTERNAL, SlackClient, serve_slack, variant

SLOW_SECONDS = 10
ACK_BUDGET = 3.0


class SlowService(AssistantService):
    contracts = None
    drafts = None

    def ask(self, *args, **kwargs):
        time.sleep(SLOW_SECONDS)
        return super().ask(*args, **kwargs)


def _timed(send):
    start = time.monotonic()
    result = send()
    return result, time.monotonic() - start


def test_acks_stay_fast_while_slow_answers_run(slack_service, fake_slack):
    with serve_slack(variant(slack_service, cls=SlowService), fake_slack) as server, SlackClient(server.url, fake_slack) as slack:
        fake_slack.reset()
        started = time.monotonic()
        (r_mention, ts), t_mention = _timed(lambda: slack.mention(C_OPS, INTERNAL, "Who approves a refund exception for a VIP customer?"))
        r_ask, t_ask = _timed(lambda: slack.command("/ask", "What is the chargeback dispute deadline?", INTERNAL, C_OPS))
        (r_dm, _), t_dm = _timed(lambda: slack.message(DM_INTERNAL, INTERNAL, "How is call quality scored?", channel_type="im"))
        # While the slow answers occupy the work pool, commands and clicks are still acked at once.
        r_rca, t_rca = _timed(lambda: slack.command("/rca", "chat backlog", COORD, C_OPS))
        r_vote, t_vote = _timed(lambda: slack.click("vote_up", "unknown-answer", INTERNAL, C_OPS))
        for r, t in ((r_mention, t_mention), (r_ask, t_ask), (r_dm, t_dm), (r_rca, t_rca), (r_vote, t_vote)):
            assert r.status_code == 200 and t < ACK_BUDGET, (r.status_code, t)
        fake_slack.wait_for("views.open", timeout=10)  # drafting is wired: /rca opens its form

        [reply] = fake_slack.wait_for("chat.postMessage", channel=C_OPS, thread_ts=ts, timeout=25)
        assert reply.at - started >= SLOW_SECONDS - 0.5 and reply.block("sources")
        fake_slack.wait_for("chat.postEphemeral", channel=C_OPS, user=INTERNAL, count=2, timeout=10)  # /ask answer + vote thanks
        fake_slack.wait_for("chat.postMessage", channel=DM_INTERNAL, timeout=10)
