"""Which files may be attached: a few media types, recognised by their first bytes as well as
by what the client says they are, and a size limit."""

from __future__ import annotations

import re

SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
    "image/webp": (b"RIFF",),
}
MEDIA_TYPES = tuple(SIGNATURES)
_NAME = re.compile(r"[^\w.\- ]+")


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
