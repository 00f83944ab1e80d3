"""The HTTP API (FastAPI): app.py wires the app (request ids, API-key gate, error handlers,
metrics, routers); deps.py holds the API keys, the service/caller dependencies and the metrics;
errors.py the error shape and its one status table; routes/ one module per area. `create_app_from_env` is what uvicorn's --factory and
the deploy files name (`assistant.surfaces.http:create_app_from_env`)."""

from assistant.surfaces.http.app import create_app, create_app_from_env

__all__ = ["create_app", "create_app_from_env"]
