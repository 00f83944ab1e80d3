"""The README's HTTP examples are what the app accepts: every curl body validates against the
request schema of its route in the app's own OpenAPI document, and every request shape in the
route table names the fields that schema has (required without `?`, optional with it)."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import REPO, build_service

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def openapi(tmp_path_factory, embedder) -> dict:
    from assistant.surfaces.http import create_app

    service = build_service(tmp_path_factory.mktemp("readme") / "home", embedder)
    try:
        return create_app(service).openapi()
    finally:
        service.catalog.close()


def curl_commands(text: str) -> list[list[str]]:
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("curl "):
                commands.append(shlex.split(line.strip()))
    return commands


def parse_curl(tokens: list[str]) -> dict:
    request = {"method": "GET", "headers": [], "json": None, "form": [], "url": None}
    it = iter(tokens[1:])
    for token in it:
        if token == "-H":
            request["headers"].append(next(it))
        elif token == "-d":
            request["json"], request["method"] = json.loads(next(it)), "POST"
        elif token == "-F":
            request["form"].append(next(it).split("=", 1)[0])
            request["method"] = "POST"
        elif token == "-X":
            request["method"] = next(it)
        elif token.startswith("http"):
            request["url"] = token
    path, _, query = request["url"].split("://", 1)[1].partition("/")[2].partition("?")
    request["path"], request["query"] = "/" + path, [kv.split("=")[0] for kv in query.split("&") if kv]
    return request


def request_schema(openapi: dict, path: str, method: str, media: str) -> dict:
    op = openapi["paths"][path][method.lower()]
    schema = op["requestBody"]["content"][media]["schema"]
    return {**schema, "components": openapi["components"]}


def resolved(openapi: dict, schema: dict) -> dict:
    ref = schema.get("$ref", "")
    return openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def test_every_curl_example_is_a_request_the_app_accepts(openapi):
    requests = [parse_curl(c) for c in curl_commands(README)]
    assert len([r for r in requests if r["json"] is not None]) >= 5, "the README lost its JSON examples"
    for r in requests:
        assert r["path"] in openapi["paths"], r["path"]
        assert r["method"].lower() in openapi["paths"][r["path"]], (r["method"], r["path"])
        if r["path"].startswith("/v1/"):
            assert any(h.startswith("Authorization: Bearer ") for h in r["headers"]), r["path"]
        if r["json"] is not None:
            errors = list(Draft202012Validator(request_schema(openapi, r["path"], "POST", "application/json"))
                          .iter_errors(r["json"]))
            assert not errors, (r["path"], [e.message for e in errors])
        if r["form"]:
            fields = request_schema(openapi, r["path"], "POST", "multipart/form-data")["properties"]
            assert set(r["form"]) <= set(fields), (r["path"], r["form"])
        op = openapi["paths"][r["path"]][r["method"].lower()]
        assert set(r["query"]) <= {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}, r


def test_the_uploaded_example_file_exists():
    uploads = [value[len("file=@"):] for tokens in curl_commands(README)
               for flag, value in zip(tokens, tokens[1:]) if flag == "-F" and value.startswith("file=@")]
    assert uploads and all((REPO / path).is_file() for path in uploads), uploads


def table_shapes(text: str) -> list[tuple[str, str, str]]:
    """(method, path, the request shape before →) of each route-table row that gives one."""
    section = text.split("## HTTP API", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        routes = re.findall(r"`(GET|POST|DELETE) (/[^`?]+)", line.split("|")[1])
        shape = re.match(r"\s*`(\{.*?\})`\s*→", line.split("|", 2)[2])
        if shape:
            rows += [(method, path, shape.group(1)) for method, path in routes]
    return rows


def top_level_keys(shape: str) -> dict[str, bool]:
    """{"a", "b"?: {...}} -> {"a": required, "b": optional}: quoted names at depth 1 after { or ,."""
    keys, depth, previous = {}, 0, ""
    for m in re.finditer(r'[{}\[\],]|"([^"]+)"(\?)?', shape):
        token = m.group(0)
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
        elif m.group(1) and depth == 1 and previous in ("{", ","):
            keys[m.group(1)] = not m.group(2)
        previous = token if token in "{},[]" else "name"
    return keys


def test_the_route_table_names_each_body_field_as_the_schema_has_it(openapi):
    rows = table_shapes(README)
    assert {path for _, path, _ in rows} >= {"/v1/search", "/v1/ask", "/v1/clauses", "/v1/sla", "/v1/drafts/rca"}
    for method, path, shape in rows:
        schema = resolved(openapi, request_schema(openapi, path, method, "application/json"))
        keys = top_level_keys(shape)
        assert set(keys) <= set(schema["properties"]), (path, set(keys) - set(schema["properties"]))
        assert {k for k, required in keys.items() if required} == set(schema.get("required", [])), (path, keys)
