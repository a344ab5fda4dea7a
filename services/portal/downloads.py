"""A file a service serves (an agency's follow-up photo or letter, a CSV), handed on to the
browser as a download: the service's type when it is one the portal expects, its file name,
never shown inline (nosniff, attachment) and never cached."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.portal.upstream import Reply

KINDS = ("image/jpeg", "image/png", "image/webp", "application/pdf", "text/csv")


def downloaded(reply: Reply, filename: str | None = None) -> Response:
    kind = str(reply.headers.get("Content-Type") or "").split(";")[0].strip()
    disposition = reply.headers.get("Content-Disposition") or 'attachment; filename="berkas"'
    if filename:
        disposition = f'attachment; filename="{filename}"'
    kind = kind if kind in KINDS else "application/octet-stream"
    return Response(
        reply.raw,
        content_type=kind + ("; charset=utf-8" if kind.startswith("text/") else ""),
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
