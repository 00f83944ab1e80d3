"""HTTP routes, one module per area, each exporting `router` (a FastAPI APIRouter).

`search`, `ask` and `documents` declare `APIRouter(prefix="/v1")`; `create_app` includes them
behind the API-key dependency, and `health` at the root without auth. Optional feature modules (`contracts`, `drafts`) are included
when importable, also behind the API key: declare their paths either with the `/v1` prefix
(`/v1/clauses`) or without it (`/clauses`): a router whose paths do not all start with `/v1` is
mounted under `/v1`. Import `ServiceDep`, `CallerDep`, `MetricsDep` and `error_responses` from
`assistant.surfaces.http_deps`; raise `assistant.errors` exceptions and the app maps them to statuses.
"""
