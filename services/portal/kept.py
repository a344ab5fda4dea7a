"""Answers the public may share, kept as long as the service that gave them says.

A service marks an answer anyone may see the same way with ``Cache-Control: public,
max-age=N`` (reporting's public figures, which the front page asks for on every visit); the
portal keeps such an answer N seconds and serves it again instead of asking. Only answers to
calls made without the visitor's credentials are kept: a call with a report key or a staff
token is never answered from here, and an answer marked ``private`` or ``no-store`` is never
kept. The kept answers are few (one per place a front page can show) and bounded.

When a kept answer has gone stale, the visitors who ask for it at that moment do not each ask
its service: the first one's call is the only one, and the others wait for it and share what
it brings if it may be kept, or its failure (a service that is down is not asked once per
waiting visitor); an answer that may not be kept (a visitor's 429) each asks for on their own.
So a busy front page asks reporting once per max-age, not once per visitor.

    kept = Kept(entries=1000)
    kept.answer(url, call) → the Reply still fresh, or call()'s (one call at a time per url)
    kept.get(url) → the Reply still fresh, or None
    kept.keep(url, reply)  # kept if its Cache-Control allows
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict

from eventlet.event import Event

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
        self._asking: dict[str, Event] = {}  # url → the call in flight for it

    def answer(self, url: str, call):
        """The fresh kept answer, or ``call()``'s, kept if it may be. While a call for a url
        kept before is in flight, a second caller waits for it and gets its reply if that may
        be kept, or its exception; a url never kept is asked by each caller."""
        reply = self.get(url)
        if reply is not None:
            return reply
        asking = self._asking.get(url)
        if asking is not None:
            shared = asking.wait()
            return shared if _keepable(shared) else call()
        if url not in self._answers:  # never kept, or made room for: nothing says it may be
            reply = call()
            self.keep(url, reply)
            return reply
        asking = self._asking[url] = Event()
        try:
            reply = call()  # bounded by the upstream's timeouts
        except BaseException as exc:  # an UpstreamDown, or this worker killed: none waits on
            asking.send_exception(exc)
            raise
        else:
            self.keep(url, reply)
            asking.send(reply)
            return reply
        finally:
            del self._asking[url]

    def get(self, url: str):
        found = self._answers.get(url)
        if found is None:
            return None
        until, reply = found
        if self.clock() >= until:
            return None  # stale: its place stays until it is kept again, or makes room
        self._answers.move_to_end(url)
        return reply

    def keep(self, url: str, reply) -> None:
        seconds = _keepable(reply)
        if seconds <= 0 or self.entries <= 0:
            return
        self._answers[url] = (self.clock() + seconds, reply)
        self._answers.move_to_end(url)
        while len(self._answers) > self.entries:
            self._answers.popitem(last=False)


def _keepable(reply) -> int:
    """Seconds ``reply`` may be kept: 0 unless it is a 200 its service lets the public share."""
    return shared_for(reply.headers.get("Cache-Control", "")) if reply.status == 200 else 0
