#!/usr/bin/env python3
"""A regional instance's subscriber: prints each routing decision of its region as a JSON line.

The queue and the user come from RabbitMQ definitions made by ``access.py`` (the user may read
its own queue and nothing else), so the subscriber declares nothing:

    python deploy/regional/subscriber.py --amqp-uri amqp://regional_73:SECRET@broker:5672/ \\
        --queue regional.73

Needs only kombu. Ctrl-C stops it; ``--count N`` stops after N messages.
"""

from __future__ import annotations

import argparse
import json
import sys

from kombu import Connection, Queue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", required=True)
    parser.add_argument("--queue", required=True, help="e.g. regional.73")
    parser.add_argument("--count", type=int, default=0, help="stop after this many messages")
    parser.add_argument(
        "--timeout", type=float, default=0, help="stop after this many idle seconds"
    )
    args = parser.parse_args(argv)

    received = 0

    def show(body, message):
        nonlocal received
        print(
            json.dumps(
                {"routing_key": message.delivery_info["routing_key"], **body}, ensure_ascii=False
            ),
            flush=True,
        )
        message.ack()
        received += 1

    queue = Queue(args.queue, no_declare=True)
    with Connection(args.amqp_uri) as conn:
        with conn.Consumer(queue, callbacks=[show], accept=["json"]):
            try:
                while not args.count or received < args.count:
                    conn.drain_events(timeout=args.timeout or None)
            except TimeoutError:
                pass
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
