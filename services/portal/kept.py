"""Answers the public may share, kept as long as the service that gave them says.

A service marks an answer anyone may see the same way with ``Cache-Control: public,
max-age=N`` (reporting's public figures, which the front page asks for on every visit); the
portal keeps such an answer N seconds and serves it again instead of asking. Only answers to
calls made without the visitor's credentials are kept: a call with a report key or a staff
token is never answered from here, and an answer marked ``private`` or ``no-store`` is never
kept. The kept answers are few (one per place a front page can show) and bounded.

    kept = Kept(entries=1000)
    kept.get(url) → the Reply still fresh, or None
    kept.keep(url, reply)  # kept if its Cache-Control allows
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict

MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)\s*(?:,|$)")


def shared_for(cache_control: str) -> int:
    """Seconds an answer may be shared: 0 unless it is public with a max-age."""
    words = {word.strip().split("=", 1)[0] for word in cache_control.lower().split(",")}
    if "public" not in words or words & {"private", "no-store", "no-cache"}:
        return 0
    found = MAX_AGE.search(cache_control.lower())
    return int(found.group(1)) if found else 0


class Kept:
    def __init__(self, entries: int = 1000, clock=time.monotonic):
        self.entries, self.clock = entries, clock
        self._answers: OrderedDict[str, tuple[float, object]] = OrderedDict()

    def get(self, url: str):
        found = self._answers.get(url)
        if found is None:
            return None
        until, reply = found
        if self.clock() >= until:
            del self._answers[url]
            return None
        self._answers.move_to_end(url)
        return reply

    def keep(self, url: str, reply) -> None:
        seconds = shared_for(reply.headers.get("Cache-Control", "")) if reply.status == 200 else 0
        if seconds <= 0 or self.entries <= 0:
            return
        self._answers[url] = (self.clock() + seconds, reply)
        self._answers.move_to_end(url)
        while len(self._answers) > self.entries:
            self._answers.popitem(last=False)
