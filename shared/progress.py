"""A progress bar on stderr for the long operator commands (template load, rebuilds)."""

from __future__ import annotations

import sys


def progress_bar(label: str, stream=None):
    """``show(done, total)`` redraws ``label [#####.....] done/total``; a newline at the end."""
    out = stream or sys.stderr

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        out.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            out.write("\n")
        out.flush()

    return show


def rate_bar(label: str, total: int, first: int = 0, stream=None):
    """``show(done, records)`` for a file read from byte ``first`` of ``total``: the bar by
    bytes, then the records read by this run, their rate and the time left at that rate."""
    import time

    out = stream or sys.stderr
    started = time.perf_counter()

    def show(done: int, records: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        elapsed = max(time.perf_counter() - started, 1e-6)
        rate = records / elapsed
        read = done - first
        left = (total - done) * elapsed / read if read > 0 else 0
        eta = f"{int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
        out.write(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1)}% "
            f"{records} records {rate:,.0f}/s ETA {eta}"
        )
        if done >= total:
            out.write("\n")
        out.flush()

    return show
