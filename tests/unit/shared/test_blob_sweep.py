"""shared.blob_sweep over a real folder: what no row names goes once older than the grace, what
a row names or was stored again since stays, a file being written is not touched."""

import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Column, MetaData, String, Table, event, insert
from sqlalchemy.orm import Session

from shared import blob_sweep
from shared.blobs import Blobs
from shared.db import make_engine

NOW = datetime.now(UTC)
OLD = time.time() - 2 * 86400  # stored two days ago


class Rows:
    """A real SQLite table of the digests rows name, as a service's ``db`` reads it; ``asked``:
    the digests of each lookup."""

    def __init__(self, tmp_path, *named: str):
        self.engine = make_engine(f"sqlite:///{tmp_path / 'rows.db'}")
        self.files = Table("files", MetaData(), Column("sha256", String(64), index=True))
        self.files.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            for digest in named:
                conn.execute(insert(self.files).values(sha256=digest))
        self.asked: list[list[str]] = []
        event.listen(self.engine, "before_cursor_execute", self._asked)

    def _asked(self, conn, cursor, statement, parameters, context, many):
        if statement.startswith("SELECT"):
            self.asked.append(sorted(parameters))

    @contextmanager
    def read(self):
        with Session(self.engine) as session:
            yield session


def sweep(blobs, rows: Rows):
    return blob_sweep.sweep(blobs, rows, rows.files.c.sha256, NOW)


def aged(blobs: Blobs, digest: str) -> None:
    os.utime(blobs.root / digest[:2] / digest, (OLD, OLD))


def test_only_old_files_no_row_names_are_removed(tmp_path):
    blobs = Blobs(tmp_path)
    named, orphan, young = (blobs.put(data) for data in (b"named", b"orphan", b"young"))
    aged(blobs, named)
    aged(blobs, orphan)
    writing = tmp_path / orphan[:2] / "tmpab12cd"  # put's temporary file, not yet renamed
    writing.write_bytes(b"half")
    os.utime(writing, (OLD, OLD))
    rows = Rows(tmp_path, named)

    assert sweep(blobs, rows) == {"removed": 1, "kept": 1}
    assert rows.asked == [sorted([named, orphan])]  # the young one is not even asked about
    assert blobs.get(orphan) is None
    assert blobs.get(named) == b"named" and blobs.get(young) == b"young"
    assert writing.exists()


def test_bytes_stored_again_are_kept_though_no_row_names_them_yet(tmp_path):
    blobs = Blobs(tmp_path)
    digest = blobs.put(b"the same photo, uploaded again")
    aged(blobs, digest)
    seen = list(blobs.stored_before((NOW - blob_sweep.GRACE).timestamp()))
    assert seen == [digest]
    assert blobs.put(b"the same photo, uploaded again") == digest  # its row is on its way
    assert sweep(blobs, Rows(tmp_path)) == {"removed": 0, "kept": 0}
    assert blobs.get(digest) is not None


def test_a_big_store_is_asked_about_a_chunk_at_a_time(tmp_path):
    blobs = Blobs(tmp_path)
    for n in range(1200):
        aged(blobs, blobs.put(f"file {n}".encode()))
    nobody = Rows(tmp_path)

    assert sweep(blobs, nobody) == {"removed": 1200, "kept": 0}
    sizes = [len(digests) for digests in nobody.asked]
    assert sum(sizes) == 1200 and max(sizes) <= 500
    assert sweep(Blobs(tmp_path / "none"), nobody) == {"removed": 0, "kept": 0}
