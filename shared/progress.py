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
