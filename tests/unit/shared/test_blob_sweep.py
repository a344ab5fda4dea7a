"""shared.blob_sweep over a real folder: what no row names goes once older than the grace, what
a row names or was stored again since stays, a file being written is not touched."""

import os
import time
from contextlib import nullcontext
from datetime import UTC, datetime
from types import SimpleNamespace

from shared import blob_sweep
from shared.blobs import Blobs

NOW = datetime.now(UTC)
OLD = time.time() - 2 * 86400  # stored two days ago
DB = SimpleNamespace(read=lambda: nullcontext("a session"))  # a read per chunk


def sweep(blobs, lookup):
    return blob_sweep.sweep(blobs, DB, lambda session, digests: lookup(digests), NOW)


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
    asked = []

    def lookup(digests):
        asked.append(sorted(digests))
        return [digest for digest in digests if digest == named]

    assert sweep(blobs, lookup) == {"removed": 1, "kept": 1}
    assert asked == [sorted([named, orphan])]  # the young one is not even asked about
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
    assert sweep(blobs, lambda digests: []) == {"removed": 0, "kept": 0}
    assert blobs.get(digest) is not None


def test_a_big_store_is_asked_about_a_chunk_at_a_time(tmp_path):
    blobs = Blobs(tmp_path)
    for n in range(1200):
        aged(blobs, blobs.put(f"file {n}".encode()))
    sizes = []

    def nobody(digests):
        sizes.append(len(digests))
        return []

    assert sweep(blobs, nobody) == {"removed": 1200, "kept": 0}
    assert sum(sizes) == 1200 and max(sizes) <= 500
    assert sweep(Blobs(tmp_path / "none"), nobody) == {"removed": 0, "kept": 0}
