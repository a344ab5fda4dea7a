"""The dead-letter queue, for ops: list what failed, and replay it to the queue it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kombu import Connection

from shared.messaging import DEAD_LETTER_QUEUE, declare


@dataclass
class DeadLetter:
    delivery_tag: int
    queue: str  # the handler queue that rejected it
    event_type: str
    event_id: str
    times: int  # how often it has been dead-lettered from that queue
    body: bytes
    headers: dict
    content_type: str

    def summary(self) -> dict:
        return {
            "queue": self.queue,
            "event_type": self.event_type,
            "event_id": self.event_id,
            "times": self.times,
        }


def _read(message) -> DeadLetter:
    headers = dict(message.headers or {})
    deaths = headers.get("x-death") or [{}]
    try:
        event_id = json.loads(message.body).get("event_id", "")
    except (ValueError, AttributeError):
        event_id = ""
    return DeadLetter(
        delivery_tag=message.delivery_tag,
        queue=deaths[0].get("queue", ""),
        event_type=(deaths[0].get("routing-keys") or [""])[0],
        event_id=event_id,
        times=int(deaths[0].get("count", 1)),
        body=message.body,
        headers=headers,
        content_type=message.content_type,
    )


def dead_letter_depth(amqp_uri: str) -> int:
    with Connection(amqp_uri, connect_timeout=2) as conn:
        declare(conn, [])
        return conn.default_channel.queue_declare(DEAD_LETTER_QUEUE, passive=True).message_count


def list_dead_letters(amqp_uri: str, limit: int = 1000) -> list[DeadLetter]:
    """Look without taking: every message is returned to the queue when the channel closes."""
    with Connection(amqp_uri) as conn:
        declare(conn, [])
        channel = conn.channel()
        letters = []
        for _ in range(limit):
            message = channel.basic_get(DEAD_LETTER_QUEUE, no_ack=False)
            if message is None:
                break
            letters.append(_read(channel.message_to_python(message)))
        channel.close()  # unacked messages go back, in order
        return letters


def replay(amqp_uri: str, event_id: str | None = None) -> list[DeadLetter]:
    """Send dead letters (all, or those of one event) back to their handler queue."""
    replayed = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        declare(conn, [])
        channel = conn.channel()
        producer = conn.Producer(channel=channel)
        while True:
            raw = channel.basic_get(DEAD_LETTER_QUEUE, no_ack=False)
            if raw is None:
                break
            message = channel.message_to_python(raw)
            letter = _read(message)
            if letter.queue and (event_id is None or letter.event_id == event_id):
                producer.publish(
                    letter.body,
                    exchange="",
                    routing_key=letter.queue,
                    headers=letter.headers,
                    content_type=letter.content_type,
                    content_encoding="utf-8",
                    delivery_mode=2,
                )
                replayed.append(letter)
                message.ack()
        channel.close()  # the ones not replayed return to the queue
    return replayed
