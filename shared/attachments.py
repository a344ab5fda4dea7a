"""Which files may be attached to a report (by its reporter in intake, by the holding agency
to a follow-up in routing): a few media types, recognised by their first bytes as well as by
what the client says they are, and a size limit (ATTACHMENT_MAX_BYTES, 5 MB by default).

    uploads = read_files(request, "file", limit=5 * 1024 * 1024, most=5)
    # [Upload(name="foto.jpg", media_type="image/jpeg", data=b"...")], or a problem:
    # 413 past the limit, 415 for another type or content that is not what it says,
    # 422 naming the field for too many files
"""

from __future__ import annotations

import re
from typing import NamedTuple

from werkzeug.exceptions import RequestEntityTooLarge

from shared.problems import InvalidInput, PayloadTooLarge, Problem

SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
    "image/webp": (b"RIFF",),
}
MEDIA_TYPES = tuple(SIGNATURES)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MULTIPART_OVERHEAD = 16 * 1024  # a part's headers and boundaries, and the form's small fields
_NAME = re.compile(r"[^\w.\- ]+")


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = "Jenis berkas tidak didukung / Unsupported media type"


class Upload(NamedTuple):
    name: str
    media_type: str
    data: bytes


def max_bytes(config: dict) -> int:
    return int(config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def media_type_problem(declared: str, data: bytes) -> str | None:
    """Why the upload is refused, or None."""
    kind = (declared or "").split(";")[0].strip().lower()
    if kind not in SIGNATURES:
        return "Jenis berkas harus salah satu dari / Media type must be one of: " + ", ".join(
            MEDIA_TYPES
        )
    if not any(data.startswith(magic) for magic in SIGNATURES[kind]):
        return "Isi berkas tidak sesuai jenisnya / File content does not match its media type"
    if kind == "image/webp" and data[8:12] != b"WEBP":
        return "Isi berkas tidak sesuai jenisnya / File content does not match its media type"
    return None


def safe_name(name: str | None) -> str:
    """A file name fit to show and to send back in a header: no path, no odd characters."""
    base = (name or "lampiran").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _NAME.sub("_", base).strip(" .") or "lampiran"
    return cleaned[:255]


def read_files(request, field: str, limit: int, most: int) -> list[Upload]:
    """The files of a multipart/form-data ``request`` under ``field``, each checked (size,
    declared type, first bytes); at most ``most`` of them. Nothing is stored here."""
    too_large = PayloadTooLarge(f"Lampiran maksimal {limit} bait / Attachments up to {limit} bytes")
    allowance = most * limit + MULTIPART_OVERHEAD
    if (request.content_length or 0) > allowance:
        raise too_large
    request.max_content_length = allowance
    # werkzeug 2.3 holds each chunk it reads (64 KiB) against this bound, file parts too:
    # below a chunk, any upload past 16 KiB was refused
    request.max_form_memory_size = 4 * 64 * 1024
    try:
        parts = [part for part in request.files.getlist(field) if part.filename or part.mimetype]
        if len(parts) > most:
            raise InvalidInput(
                errors=[{"field": field, "message": f"Paling banyak / At most {most}"}]
            )
        uploads = []
        for part in parts:
            data = part.read(limit + 1)
            if len(data) > limit:
                raise too_large
            reason = media_type_problem(part.mimetype, data)
            if reason:
                raise UnsupportedMediaType(errors=[{"field": field, "message": reason}])
            uploads.append(Upload(safe_name(part.filename), part.mimetype.lower(), data))
    except RequestEntityTooLarge:
        raise too_large from None
    return uploads
