"""`bpo-assistant slack`: run the Slack bot over Socket Mode (no public URL needed).

Needs SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-..., with connections:write).
"""

from __future__ import annotations

import typer

from assistant import logs
from assistant.errors import ConfigError
from assistant.surfaces.cli.root import _state, err


def register(app: typer.Typer) -> None:
    app.command("slack")(slack)


def slack(ctx: typer.Context, workers: int = typer.Option(4, "--workers", min=1, max=32, metavar="N", help="threads answering questions")):
    """Run the Slack bot in Socket Mode.

    Mentions, DMs, /ask, /clause, /rca and /escalate; no public URL needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from assistant.surfaces.slack.app import SlackEnv, build_slack_app

    env = SlackEnv.from_environ()
    if not env.app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...)")
    logs.configure()
    service = _state(ctx).service
    service.warm_up()
    bot = build_slack_app(service, workers=workers)
    err.print("Slack bot connected over Socket Mode. Ctrl-C to stop.")
    try:
        SocketModeHandler(bot.app, env.app_token).start()
    finally:
        bot.close()
