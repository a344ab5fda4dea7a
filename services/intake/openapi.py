"""The OpenAPI 3 document of intake, generated from its entrypoints and marshmallow schemas.

Every HTTP entrypoint of the service class appears, with the first line of its docstring as
the summary; request bodies come from the schemas the entrypoints load.
"""

from __future__ import annotations

import functools
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.web.handlers import HttpRequestHandler

from services.intake import schemas

# the JSON body each entrypoint loads
REQUEST_BODIES = {
    "submit": schemas.HttpReportDraft,
    "supplement": schemas.Supplement,
    "comment": schemas.Comment,
    "feedback": schemas.Feedback,
    "withdraw": schemas.Withdrawal,
    "register": schemas.Registration,
    "login": schemas.Login,
}
_PARAM = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")
PROBLEM = {
    "description": "application/problem+json (RFC 9457) with per-field `errors`",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


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
    return _PARAM.sub(r"{\1}", url)


@functools.lru_cache(maxsize=4)
def document(service_cls) -> dict:
    spec = APISpec(
        title="satupintu intake",
        version="1",
        openapi_version="3.0.3",
        info={"description": "The citizen's door: reports on every channel (SPEC §2, §8)."},
        plugins=[MarshmallowPlugin()],
    )
    spec.components.schema(
        "Problem",
        {
            "type": "object",
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
        },
    )
    for schema in set(REQUEST_BODIES.values()):
        spec.components.schema(schema.__name__, schema=schema)
    paths: dict[str, dict] = {}
    for name, method, url, doc in http_entrypoints(service_cls):
        path = openapi_path(url)
        operation = {
            "operationId": f"{name}_{method}",
            "summary": " ".join(doc.strip().split("\n")[0].split())[:200],
            "description": " ".join(doc.split()),
            "responses": {"200": {"description": "OK"}, "4XX": PROBLEM},
        }
        parameters = [
            {"name": param, "in": "path", "required": True, "schema": {"type": "string"}}
            for param in _PARAM.findall(url)
        ]
        if parameters:
            operation["parameters"] = parameters
        if name in REQUEST_BODIES and method == "post":
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{REQUEST_BODIES[name].__name__}"}
                    }
                },
            }
        paths.setdefault(path, {})[method] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
