"""Wiring only: the WebClient, the bolt App, the SlackBot state, global middleware and listeners.

Tokens come from the environment only (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, read
by assistant.config.Environment); SLACK_API_URL points the Web API client elsewhere (a proxy, or a
local stand-in in tests).
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from assistant.logs import logger
from assistant.config import ConfigError, environment
from assistant.surfaces.slack.bot import SlackBot, Where, report_failure
from assistant.surfaces.slack.listeners import register_all

log = logger("slack")


@dataclass(frozen=True)
class SlackEnv:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str

    @classmethod
    def from_environ(cls) -> "SlackEnv":
        env = environment()

        def secret(value) -> str | None:
            return value.get_secret_value() if value is not None else None

        api_url = env.slack_api_url.strip()
        return cls(secret(env.slack_bot_token), secret(env.slack_signing_secret), secret(env.slack_app_token),
                   api_url if api_url.endswith("/") else api_url + "/")


def build_slack_app(service, *, token: str | None = None, signing_secret: str | None = None,
                    api_url: str | None = None, workers: int = 4) -> SlackBot:
    """A SlackBot (its bolt App is `.app`) for `service`. Missing arguments are read from the environment."""
    env = SlackEnv.from_environ()
    token = token or env.bot_token
    if not token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: the Slack bot needs its bot token (xoxb-...)")
    client = WebClient(token=token, base_url=api_url or env.api_url, timeout=15)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))  # honour Retry-After on 429
    bot = SlackBot(service=service, settings=service.settings, signing_secret=signing_secret or env.signing_secret or "",
                   workers=workers)
    # token_verification_enabled=False: no auth.test at construction (bolt calls it on the first
    # request instead); process_before_response=False: bolt acks before our listeners run.
    bot.app = App(client=client, signing_secret=bot.signing_secret, token_verification_enabled=False,
                  process_before_response=False, name="bpo-assistant", logger=log)
    bot.app.use(bot.deduper.middleware)
    bot.app.error(_error_handler)
    register_all(bot.app, bot)
    return bot


def _error_handler(error: Exception, body: dict, client) -> None:
    """Exceptions raised in a listener itself (the slow work reports its own)."""
    report_failure(client, where_of(body), error)


def where_of(body: dict) -> Where | None:
    """Best-effort reply target for any payload (event, command, action, view)."""
    event = body.get("event") or {}
    if event.get("channel") and event.get("user"):
        return Where(channel=event["channel"], user=event["user"], thread_ts=event.get("thread_ts") or event.get("ts"),
                     channel_type=event.get("channel_type") or "")
    if body.get("command"):
        return Where(channel=body.get("channel_id", ""), user=body.get("user_id", ""), response_url=body.get("response_url"))
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id")
    if user:
        return Where(channel=channel or user, user=user, channel_type="" if channel else "im",
                     response_url=body.get("response_url"))
    return None
