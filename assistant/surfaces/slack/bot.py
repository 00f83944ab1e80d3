"""The Slack bot's state (one instance per bolt App) and the small pieces every listener shares:
where a reply goes (`Where`), how it is posted (`Poster`), and how failures reach the user.

Listeners ack at once and hand slow work to `SlackBot.submit`, which runs it on the bot's own
thread pool: bolt's listener pool stays free for acks, so a burst of slow answers never delays the
3-second acknowledgement of the next command or click.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from assistant.logs import event_line, logger
from assistant.access.audience import Audience
from assistant.config import Settings
from assistant.errors import AssistantError, Forbidden, InvalidInput, NotFound, UpstreamError
from assistant.service import AssistantService
from assistant.surfaces.slack.answers import AnswerStore
from assistant.surfaces.slack.blocks import error_text, notice_blocks
from assistant.surfaces.slack.cache import TTLCache
from assistant.surfaces.slack.feedback import FeedbackLog
from assistant.surfaces.slack.roles import ChannelAudience, Scope
from assistant.surfaces.slack.security import EventDeduper, escape

log = logger("slack")


@dataclass(frozen=True)
class Where:
    """Where a request came from, and so where replies go."""

    channel: str
    user: str
    thread_ts: str | None = None
    channel_type: str = ""  # channel | group | im | mpim ("" = infer from the id)
    response_url: str | None = None
    external: bool = False  # the user belongs to another workspace (Slack Connect): no default roles

    @property
    def is_dm(self) -> bool:
        return self.channel_type == "im" or (not self.channel_type and self.channel.startswith("D"))


class Poster:
    """Posts to Slack for one request. Private replies are ephemeral, except in a DM (already private)."""

    def __init__(self, client):
        self.client = client

    def public(self, where: Where, blocks: list[dict], text: str) -> str | None:
        resp = self.client.chat_postMessage(channel=where.channel, thread_ts=where.thread_ts, blocks=blocks, text=text,
                                            unfurl_links=False, unfurl_media=False)
        return resp.get("ts")

    def private(self, where: Where, blocks: list[dict], text: str) -> None:
        if where.is_dm:
            self.public(where, blocks, text)
            return
        try:
            self.client.chat_postEphemeral(channel=where.channel, user=where.user, thread_ts=where.thread_ts,
                                           blocks=blocks, text=text)
        except SlackApiError:
            # e.g. a slash command in a channel the bot is not in: the command's response_url still works.
            if not where.response_url:
                raise
            WebhookClient(where.response_url).send(response_type="ephemeral", replace_original=False, blocks=blocks, text=text)

    def notice(self, where: Where, text: str) -> None:
        """A short private message; `text` must already be safe mrkdwn."""
        self.private(where, notice_blocks(text), text)


def user_message(exc: Exception) -> str | None:
    """The one-line message a typed core error maps to in Slack (None: unexpected, give a reference)."""
    if isinstance(exc, InvalidInput):
        return f":warning: I can't use that: {escape(exc.message)}"
    if isinstance(exc, Forbidden):
        return f":no_entry: You don't have access: {escape(exc.message)}"
    if isinstance(exc, NotFound):
        return f":warning: {escape(exc.message)}"
    if isinstance(exc, UpstreamError):
        return ":hourglass: The language model isn't responding right now. Please try again in a minute."
    if isinstance(exc, AssistantError):
        return f":warning: {escape(exc.message)}"
    return None


def report_failure(client, where: Where | None, exc: Exception) -> None:
    """Tell the user, never silently and never with a traceback; the traceback goes to the log only."""
    text = user_message(exc)
    if text is None:
        reference = uuid.uuid4().hex[:10]
        log.error(event_line("slack_error", reference=reference, kind=type(exc).__name__, channel=where.channel if where else "-",
                        user=where.user if where else "-"), exc_info=exc)
        text = error_text(reference)
    else:
        log.info(event_line("slack_user_error", kind=type(exc).__name__, channel=where.channel if where else "-"))
    if where is None:
        return
    try:
        Poster(client).notice(where, text)
    except Exception:  # noqa: BLE001 - last resort: a DM to the user
        try:
            client.chat_postMessage(channel=where.user, text=text)
        except Exception:  # noqa: BLE001
            log.exception(event_line("slack_error_report_failed", channel=where.channel))


@dataclass
class SlackBot:
    """Everything the listeners need, built once per bolt App (no module globals)."""

    service: AssistantService
    settings: Settings
    signing_secret: str
    workers: int = 4
    app: Any = None  # the bolt App, set by build_slack_app
    audience: Audience = field(init=False)  # the core's rules: roles, scopes, restricted citations
    channels: ChannelAudience = field(init=False)  # who is in a channel, as Slack lists them
    answers: AnswerStore = field(default_factory=AnswerStore)
    deduper: EventDeduper = field(default_factory=EventDeduper)
    threads: TTLCache = field(default_factory=lambda: TTLCache(7 * 24 * 3600, 20_000))  # (channel, thread_ts) we answered in
    feedback: FeedbackLog = field(init=False)
    executor: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self.audience = self.service.audience
        self.channels = ChannelAudience(self.audience)
        self.feedback = FeedbackLog(self.settings.home / "feedback.jsonl")
        self.executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="slack-work")

    @property
    def base_url(self) -> str | None:
        return self.settings.slack.document_base_url

    def scope_for(self, client, poster: Poster, where: Where, *, channel_wide: bool,
                  bot_user_id: str | None = None) -> Scope | None:
        """Who a reply at `where` may draw on; None once the denial is posted (explicit, never silent).
        `channel_wide`: the reply may be seen by the channel, so narrow to what all its members may read."""
        scope = self.channels.scope(client, user=where.user, channel=where.channel, is_dm=where.is_dm,
                                    bot_user_id=bot_user_id, channel_wide=channel_wide, external=where.external)
        if scope.denial:
            poster.notice(where, f":no_entry: {scope.denial}")
            return None
        return scope

    def submit(self, client, where: Where | None, work: Callable[..., None], *args, **kwargs) -> Future:
        """Run slow work after the ack; any exception becomes a message to the user."""

        def run() -> None:
            try:
                work(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - reported to the user and logged with a reference
                report_failure(client, where, exc)

        return self.executor.submit(run)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
