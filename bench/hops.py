"""The baseline for bench/pipeline.py: bare nameko events relayed through four hops whose
handlers do nothing but pass the event on; the last hop writes down when it arrived."""

import os
import time

from nameko.events import EventDispatcher, event_handler


def _relay(name, source, incoming, outgoing):
    class Hop:
        dispatch = EventDispatcher()

        @event_handler(source, incoming)
        def handle(self, payload):
            self.dispatch(outgoing, payload)

    Hop.name = name
    return Hop


Hop1 = _relay("hop1", "bench_source", "e0", "e1")
Hop2 = _relay("hop2", "hop1", "e1", "e2")
Hop3 = _relay("hop3", "hop2", "e2", "e3")


class Hop4:
    name = "hop4"

    @event_handler("hop3", "e3")
    def handle(self, payload):
        with open(os.environ["BENCH_HOPS_OUT"], "a") as out:
            out.write(f"{payload['id']} {payload['sent']} {time.time()}\n")
