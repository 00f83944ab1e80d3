"""`bpo-assistant serve`: the HTTP API (and Slack's HTTP endpoint), with the connector sync on a
schedule when one is configured."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.surfaces.cli.root import _state, err, out
from assistant.surfaces.cli.indexing import ingest_table


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(ctx: typer.Context, host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="address to listen on"),
          port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="PORT", help="port to listen on"),
          ingest_first: Optional[Path] = typer.Option(None, "--ingest", metavar="PATH", help="index this folder before serving")):
    """Serve the HTTP API (and Slack's HTTP endpoint).

    Runs uvicorn; the Slack endpoint is mounted when Slack is configured. Without BPO_API_KEYS a
    local admin key is made on the first start and printed once."""
    import uvicorn

    from ingest.locks import claim_embedded_home, release_embedded_home
    from assistant.surfaces.http import create_app
    from assistant.surfaces.http.deps import KeyRing
    from assistant.surfaces.local_key import api_keys_for_serving

    state = _state(ctx)
    service = state.service
    if ingest_first:
        from assistant.config import ADMIN_ROLE
        from assistant.models import Caller
        from assistant.surfaces.cli.progress import ingest_progress

        with ingest_progress(err.console) as progress:
            summary = service.ingest(ingest_first, Caller(id="serve", roles=frozenset({ADMIN_ROLE}), surface="cli"),
                                     progress=progress)
        ingest_table(summary, service.settings.home)
    keys = api_keys_for_serving(KeyRing.configured(), service.settings.home, f"http://{host}:{port}", out.console)
    err.print("loading the embedding model...", markup=False, highlight=False)
    service.warm_up()
    # Claimed as the server before the schedule's first sync can claim it as a sync (the app's
    # lifespan claims it again, re-entrantly): another process is told a server holds it.
    embedded = service.settings.store.mode == "embedded"
    if embedded:
        claim_embedded_home(service.settings.home, "server")
    schedule = _sync_schedule(service)
    try:
        uvicorn.run(create_app(service, keys=keys), host=host, port=port, log_level="info",
                    access_log=False)  # the app logs one structured line per request
    finally:
        if schedule is not None:
            schedule.stop()
        if embedded:
            release_embedded_home(service.settings.home)


def _sync_schedule(service):
    """The connector sync every sync.interval_minutes while serving (off at 0, the default)."""
    minutes = service.settings.sync.interval_minutes
    if not minutes or not service.settings.connector_sources:
        return None
    from assistant.config import ADMIN_ROLE
    from assistant.models import Caller
    from ingest.connectors.schedule import SyncSchedule

    caller = Caller(id="sync-schedule", roles=frozenset({ADMIN_ROLE}), surface="internal")
    err.print(f"syncing {len(service.settings.connector_sources)} connector source(s) every {minutes:g} min", markup=False,
              highlight=False)
    return SyncSchedule(lambda: service.sync(caller), minutes * 60).start()
