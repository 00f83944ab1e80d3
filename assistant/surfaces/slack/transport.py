"""HTTP mode: one route, POST /slack/events, for events, slash commands and interactivity.

Order per request: size limit -> Slack signature and timestamp (401, before any parsing) -> bolt.
Bolt's dispatch is synchronous (it waits up to 3 s for our ack), so it runs in a worker thread
rather than on the event loop.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slack_bolt.adapter.fastapi import SlackRequestHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from assistant.logs import event_line, logger
from assistant.config import ConfigError
from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.security import signature_problem

SLACK_PATH = "/slack/events"
MAX_BODY_BYTES = 2 * 1024 * 1024  # Slack payloads are a few KB; this only bounds abuse
log = logger("slack")


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """bolt's FastAPI adapter, with dispatch off the event loop and "unhandled" acked as 200."""

    async def handle(self, req: Request, addition_context_properties=None) -> Response:
        body = await req.body()
        try:
            bolt_req = to_bolt_request(req, body, addition_context_properties)
        except Exception:  # noqa: BLE001 - undecodable or unparseable (but correctly signed) body
            return JSONResponse({"error": "unreadable_payload"}, status_code=400)
        bolt_resp = await run_in_threadpool(self.app.dispatch, bolt_req)
        if bolt_resp.status == 404:
            # An event type we don't handle: ack it, or Slack keeps retrying it.
            return Response(status_code=200)
        return to_starlette_response(bolt_resp)


def mount_slack(app: FastAPI, service, bot: SlackBot | None = None) -> None:
    """Serve the Slack bot at POST /slack/events (token and signing secret from the environment)."""
    from assistant.surfaces.slack.app import build_slack_app

    bot = bot or build_slack_app(service)
    if not bot.signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set: Slack's HTTP mode needs it to verify requests")
    handler = ThreadedSlackRequestHandler(bot.app)

    async def slack_events(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return JSONResponse({"error": "payload_too_large"}, status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "payload_too_large"}, status_code=413)
        problem = signature_problem(bot.signing_secret, request.headers, body, time.time())
        if problem:
            log.info(event_line("slack_request_rejected", reason=problem))
            return JSONResponse({"error": "invalid_signature"}, status_code=401)
        return await handler.handle(request)

    # The cap is also enforced while reading: a chunked body declares no length.
    app.add_api_route(SLACK_PATH, slack_events, methods=["POST"], include_in_schema=False, max_body_size=MAX_BODY_BYTES)
    app.state.slack_bot = bot
