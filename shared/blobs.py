"""Attachment bytes, content-addressed on disk under ``BLOB_DIR`` (``<sha256[:2]>/<sha256>``,
by default ``var/blobs/<service>``): intake keeps the reporters' files, routing the agencies'
follow-up files. Only the service that stored a file serves it; bytes never cross the bus.

    blobs = BlobStore()            # on the service class
    digest = self.blobs.put(data)  # its sha256
    self.blobs.get(digest)         # the bytes, or None

A file's modification time is when it was last stored (``put`` of bytes already there touches
it): shared.blob_sweep removes a file no row names only once that is older than a day, so bytes
stored again just now are never taken from under the row about to name them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nameko.extensions import DependencyProvider

from shared.config import ROOT


class BlobStore(DependencyProvider):
    def setup(self):
        default = f"var/blobs/{self.container.service_name}"
        folder = Path(self.container.config.get("BLOB_DIR") or default)
        self.root = folder if folder.is_absolute() else ROOT / folder

    def get_dependency(self, worker_ctx):
        return Blobs(self.root)


class Blobs:
    def __init__(self, root: Path):
        self.root = root

    def put(self, data: bytes) -> str:
        """Store ``data``; its sha256. Written to a temporary file first, then renamed."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / digest[:2] / digest
        try:
            os.utime(path)  # stored again: as new as the row that will name it
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                handle.write(data)
            os.replace(handle.name, path)
        return digest

    def get(self, digest: str) -> bytes | None:
        path = self.root / digest[:2] / digest
        return path.read_bytes() if path.exists() else None

    def stored_before(self, moment: float) -> Iterator[str]:
        """The digests of the files last stored before ``moment`` (a Unix time), a folder at a
        time (the store is never listed whole)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir():
                continue
            with os.scandir(folder) as entries:
                found = [e.name for e in entries if _is_blob(e) and e.stat().st_mtime < moment]
            yield from found

    def remove_if_stored_before(self, digest: str, moment: float) -> bool:
        """Remove the file unless it was stored again since ``moment``; True if it is gone."""
        path = self.root / digest[:2] / digest
        try:
            if path.stat().st_mtime >= moment:
                return False
            path.unlink()
        except FileNotFoundError:
            return False
        return True


def _is_blob(entry) -> bool:
    return len(entry.name) == 64 and entry.is_file()  # not a temporary file being written
