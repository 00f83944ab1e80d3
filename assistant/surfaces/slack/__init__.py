"""The Slack bot (slack-bolt): HTTP mode via `mount_slack(app, service)`, Socket Mode via
`bpo-assistant slack`. See app.py for the wiring and listeners/ for one handler per file."""

from assistant.surfaces.slack.app import build_slack_app
from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.transport import SLACK_PATH, mount_slack

__all__ = ["SLACK_PATH", "SlackBot", "build_slack_app", "mount_slack"]
