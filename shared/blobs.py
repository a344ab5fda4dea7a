"""Attachment bytes, content-addressed on disk under ``BLOB_DIR`` (``<sha256[:2]>/<sha256>``,
by default ``var/blobs/<service>``): intake keeps the reporters' files, routing the agencies'
follow-up files. Only the service that stored a file serves it; bytes never cross the bus.

    blobs = BlobStore()            # on the service class
    digest = self.blobs.put(data)  # its sha256
    self.blobs.get(digest)         # the bytes, or None
"""

from __future__ import annotations

import hashlib
import os
import tempfile
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
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                handle.write(data)
            os.replace(handle.name, path)
        return digest

    def get(self, digest: str) -> bytes | None:
        path = self.root / digest[:2] / digest
        return path.read_bytes() if path.exists() else None
