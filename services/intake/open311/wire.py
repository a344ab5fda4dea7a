"""How the Open311 door speaks HTTP: JSON or XML by the path's suffix, errors in Open311's own
format (``[{"code": 400, "description": "…"}]``, ``<errors><error>…``) with its status codes,
the one jurisdiction_id it accepts, and the query parameters shared by its GET calls."""

from __future__ import annotations

import functools
import json
from datetime import datetime

from werkzeug.wrappers import Response

from services.intake.open311 import georeport
from shared.db import utcnow
from shared.problems import Problem


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[str]):
        super().__init__(status)
        self.status = status
        self.errors = errors


def render(fmt: str, data, status: int = 200, root: str = "", item: str = "", nested=None):
    if fmt == "xml":
        body = georeport.to_xml(root, item, data, nested)
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    return Response(
        json.dumps(data, default=_default, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def _default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def speaks_open311(method):
    """Errors in Open311's own format, with its status codes, instead of problem+json; a
    jurisdiction_id other than ours is the spec's 404 before anything else is done."""

    @functools.wraps(method)
    def wrapper(self, request, *args, fmt="json", **kwargs):
        try:
            check_jurisdiction(request)
            return method(self, request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            status, texts = exc.status, exc.errors
        except Problem as exc:
            status = exc.status
            texts = [f"{e['field']}: {e['message']}" for e in exc.errors] or [
                exc.detail or exc.title
            ]
        errors = [georeport.error(status, text)[0] for text in texts]
        return render(fmt, errors, status, "errors", "error")

    return wrapper


def check_jurisdiction(request) -> None:
    """GeoReport v2: jurisdiction_id is needed only where one endpoint serves several; ours
    serves one, so it may be left out or be ours. Another is "404 - jurisdiction_id provided
    was not found"."""
    given = request.args.get("jurisdiction_id")
    if given is None and request.method == "POST":
        given = request.form.get("jurisdiction_id")
    if given and given != georeport.JURISDICTION_ID:
        raise Open311Error(404, [f"jurisdiction_id {given[:64]} not found"])


def paging(args) -> tuple[int, int]:
    """(offset, limit) from the page/page_size extension (page 1, page_size 1000 unless sent)."""
    page, size = (
        _whole(args.get("page"), "page", 1),
        _whole(args.get("page_size"), "page_size", georeport.MAX_RESULTS),
    )
    if size > georeport.MAX_RESULTS:
        raise Open311Error(400, [f"page_size: 1–{georeport.MAX_RESULTS}"])
    return (page - 1) * size, size


def _whole(text: str | None, name: str, default: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1 or len(text) > 9:
        raise Open311Error(400, [f"{name}: a whole number from 1"])
    return int(text)


def when(text: str | None, name: str):
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, [f"{name}: ISO 8601, e.g. 2026-11-01T00:00:00Z"]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
