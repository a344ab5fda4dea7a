"""The OpenAPI 3 document of a service, built from its HTTP entrypoints and marshmallow schemas.

A service says what each entrypoint answers in one table, ``services/<name>/openapi.py``:

    API = ApiDoc(
        title="satupintu routing",
        description="…",
        operations={"disposition": op(200, 404, path={"tracking_id": TRACKING_ID})},
    )

and sets ``api_doc = API`` on its class; ``shared.ops.Operations`` serves it at
``GET /openapi.json``. Paths, methods and ``<any(a,b):x>`` enums come from the entrypoints
themselves, bodies and query strings from the schemas the code loads them with, so the document
cannot drift from the routes; an entrypoint missing from the table is an error at the first
request and in the tests. Every operation also answers 503 ``service-unavailable`` (a
dependency away); one that reads a body also 400 (not JSON) and 413 (too large); one with path
parameters also 404 problem+json (a path that matches no route).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.web.handlers import HttpRequestHandler

from shared import tracking

_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
_CHAR = "[" + tracking.ALPHABET + "]"
TRACKING_ID = {
    "type": "string",
    "pattern": f"^{tracking.PREFIX}-{_CHAR}{{4}}-{_CHAR}{{4}}-{_CHAR}{{4}}$",
    "example": "LPR-7K3M-9Q2X-H4TB",
}
AGENCY_CODE = {"type": "string", "minLength": 1, "maxLength": 64, "example": "PROV-73-DISDIK"}
REGION_CODE = {
    "type": "string",
    "pattern": r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$",
    "example": "73.11",
}
JSON = "application/json"
STRING = {"type": "string"}
PROBLEM_JSON = "application/problem+json"
PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
# the schemes a table may name in ``security``
SCHEMES = {
    "staff": {
        "type": "http",
        "scheme": "bearer",
        "description": "A staff token from the agency registry's POST /auth/token",
    },
    "reporter": {
        "type": "http",
        "scheme": "bearer",
        "description": "A reporter's token from intake's POST /login",
    },
    "report_key": {"type": "apiKey", "in": "header", "name": "X-Report-Key"},
    "open311_token": {"type": "apiKey", "in": "header", "name": "X-Open311-Token"},
    "gateway_key": {"type": "apiKey", "in": "query", "name": "key"},
    "open311_api_key": {"type": "apiKey", "in": "query", "name": "api_key"},
    "dlr_signature": {"type": "apiKey", "in": "query", "name": "s"},
    "twitter_signature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Twitter-Webhooks-Signature",
    },
}
DESCRIPTIONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No content",
    400: "Malformed request",
    401: "No or invalid credentials",
    403: "Not allowed for these credentials",
    404: "Not found (or not visible to the caller)",
    409: "Conflicts with the current state",
    412: "The resource changed since it was read (If-Match)",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid data, with per-field errors",
    429: "Too many requests (Retry-After)",
    503: "A dependency is away (Retry-After, dependency named)",
}


@dataclass(frozen=True)
class Operation:
    ok: tuple[int, ...]
    errors: tuple[int, ...] = ()
    body: type | None = None  # the marshmallow schema of the JSON body
    query: type | None = None  # the marshmallow schema of the query string
    params: tuple[dict, ...] = ()  # other parameters (query, header), as OpenAPI writes them
    request: dict | None = None  # a request body other than JSON, as OpenAPI writes it
    path: dict = field(default_factory=dict)  # parameter → JSON schema, beside the enums
    security: tuple[tuple[str, ...], ...] = ()  # alternatives, each a set of scheme names
    content: tuple[str, ...] = (JSON,)  # of the success answer
    error_content: tuple[str, ...] = (PROBLEM_JSON,)
    unavailable: str = PROBLEM_JSON  # the 503's
    result: dict | None = None  # JSON schema of a JSON success answer; by content when None
    errors_result: dict | None = None  # of a JSON error answer other than problem+json


def query(name: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema or STRING}


def header(name: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "header", "required": required, "schema": schema or STRING}


def op(*codes: int, **kwargs) -> Operation:
    """``op(201, 200, 404, 422, body=Draft, security=[("staff",)])``: 2xx are successes."""
    for name in ("content", "error_content"):
        if isinstance(kwargs.get(name), str):
            kwargs[name] = (kwargs[name],)
    kwargs["params"] = tuple(kwargs.get("params", ()))
    return Operation(
        ok=tuple(c for c in codes if c < 300),
        errors=tuple(c for c in codes if c >= 300),
        security=tuple(tuple(alt) for alt in kwargs.pop("security", ())),
        **kwargs,
    )


COMMON = {
    "health": op(
        200,
        503,
        error_content=JSON,
        unavailable=JSON,
        result={"type": "object", "required": ["status", "checks"]},
    ),
    "prometheus": op(200, content="text/plain"),
    "openapi": op(200, result={"type": "object", "required": ["openapi", "paths"]}),
}
_RESULTS = {
    JSON: {"oneOf": [{"type": "object"}, {"type": "array"}]},
    "text/csv": {"type": "string"},
    "text/plain": {"type": "string"},
    "text/xml": {"type": "string"},
}


@dataclass(frozen=True)
class ApiDoc:
    title: str
    description: str
    operations: dict[str, Operation]


@functools.lru_cache(maxsize=16)
def document(service_cls) -> dict:
    """The OpenAPI document of a service class that names its ``api_doc``."""
    return _document(service_cls.api_doc, service_cls)


def http_entrypoints(service_cls):
    """(method name, HTTP method, werkzeug URL, docstring) of every HTTP entrypoint."""
    found = []
    for name in dir(service_cls):
        for entrypoint in getattr(getattr(service_cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, HttpRequestHandler):
                doc = getattr(service_cls, name).__doc__ or ""
                for method in entrypoint.method.split(","):
                    found.append((name, method.strip().lower(), entrypoint.url, doc))
    return sorted(found, key=lambda item: (item[2], item[1]))


def openapi_path(url: str) -> str:
    """'/reports/<string:tracking_id>' → '/reports/{tracking_id}'."""
    return _PARAM.sub(lambda m: "{" + m.group(3) + "}", url)


def path_parameters(url: str, named: dict) -> list[dict]:
    parameters = []
    for converter, arguments, name in _PARAM.findall(url):
        if converter == "any":
            schema = {"type": "string", "enum": [a.strip() for a in arguments.split(",")]}
        elif converter == "int":
            schema = {"type": "integer"}
        else:
            schema = named.get(name) or {"type": "string", "minLength": 1}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return parameters


def _schema_of(content: str, result: dict | None = None) -> dict:
    if content == PROBLEM_JSON:
        return {"$ref": "#/components/schemas/Problem"}
    if content == JSON and result is not None:
        return result
    return _RESULTS.get(content, STRING)


def _responses(operation: Operation, reads_body: bool, has_path: bool) -> dict:
    responses = {
        str(code): {
            "description": DESCRIPTIONS.get(code, "OK"),
            "content": {c: {"schema": _schema_of(c, operation.result)} for c in operation.content},
        }
        for code in operation.ok
    }
    if "204" in responses:
        responses["204"].pop("content")
    errors = set(operation.errors) | {503}
    if reads_body:
        errors |= {400, 413}
    if has_path:
        errors |= {404}  # a path no route matches is the shared problem+json 404
    for code in sorted(errors):
        contents = (operation.unavailable,) if code == 503 else operation.error_content
        if code == 404 and has_path and PROBLEM_JSON not in contents:
            contents = (*contents, PROBLEM_JSON)
        responses[str(code)] = {
            "description": DESCRIPTIONS.get(code, "Error"),
            "content": {c: {"schema": _schema_of(c, operation.errors_result)} for c in contents},
        }
    return responses


def _operation(doc: ApiDoc, name: str, method: str, url: str, text: str, spec) -> dict:
    try:
        operation = doc.operations.get(name) or COMMON[name]
    except KeyError:
        raise KeyError(f"{doc.title}: entrypoint {name!r} is not in the OpenAPI table") from None
    reads_body = method in ("post", "put", "patch") and bool(operation.body or operation.request)
    described = {
        "operationId": f"{name}_{method}",
        "summary": " ".join(text.strip().split("\n")[0].split())[:200],
        "description": " ".join(text.split()),
        "responses": _responses(operation, reads_body, bool(_PARAM.search(url))),
    }
    parameters = path_parameters(url, operation.path)
    if operation.query is not None:
        parameters.append({"in": "query", "schema": operation.query})
    parameters += list(operation.params)
    if parameters:
        described["parameters"] = parameters
    if reads_body:  # a JSON body by its schema, other forms as written; both when both
        content = {}
        if operation.body is not None:
            schema_name = operation.body.__name__
            if schema_name not in spec.components.schemas:
                spec.components.schema(schema_name, schema=operation.body)
            content[JSON] = {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        if operation.request is not None:
            content.update(operation.request["content"])
        required = operation.request.get("required", True) if operation.request else True
        described["requestBody"] = {"required": required, "content": content}
    if operation.security:
        described["security"] = [{scheme: [] for scheme in alt} for alt in operation.security]
    return described


def _document(doc: ApiDoc, service_cls) -> dict:
    spec = APISpec(
        title=doc.title,
        version="1",
        openapi_version="3.0.3",
        info={"description": doc.description},
        plugins=[MarshmallowPlugin()],
    )
    spec.components.schema("Problem", PROBLEM)
    used = {s for o in doc.operations.values() for alt in o.security for s in alt}
    for scheme in sorted(used):
        spec.components.security_scheme(scheme, SCHEMES[scheme])
    paths: dict[str, dict] = {}
    for name, method, url, text in http_entrypoints(service_cls):
        paths.setdefault(openapi_path(url), {})[method] = _operation(
            doc, name, method, url, text, spec
        )
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
