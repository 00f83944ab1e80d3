"""HTTP routes, one module per area, each exporting `router` (a FastAPI APIRouter).

Every area but `health` declares `APIRouter(prefix="/v1")`; `create_app` includes them behind the
API-key dependency, and `health` at the root without auth. Import `ServiceDep`, `CallerDep`, `MetricsDep` and `error_responses` from
`assistant.surfaces.http.deps`; raise `assistant.errors` exceptions and the app maps them to statuses.
"""
