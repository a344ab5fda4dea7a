"""The queue-draining helper counts what arrived where ``qsize()`` cannot. Real RabbitMQ."""

from kombu import Connection

from tests.factories import drain, watch


def publish(conn, event_type, times):
    from shared.outbox import event_exchange

    producer = conn.Producer(exchange=event_exchange("intake"), serializer="json")
    for n in range(times):
        producer.publish({"n": n}, routing_key=event_type, declare=[event_exchange("intake")])


def test_a_duplicate_is_invisible_to_qsize_after_get_and_drain_counts_it(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "intake", "report_submitted")
        publish(conn, "report_submitted", 2)  # the event and its duplicate
        first = queue.get(timeout=5)
        first.ack()
        assert queue.qsize() == 0  # the old check would call this "exactly once"
        rest = drain(queue, quiet=0.5)
        assert [first.payload["n"]] + [event["n"] for event in rest] == [0, 1]
        queue.close()


def test_drain_alone_counts_the_event_and_its_duplicate(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "intake", "report_submitted")
        publish(conn, "report_submitted", 2)
        assert len(drain(queue, quiet=0.5)) == 2
        queue.close()


def test_drain_returns_nothing_when_nothing_comes_and_stops_at_its_deadline(rabbit_config):
    import time

    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "intake", "report_submitted")
        started = time.monotonic()
        assert drain(queue, quiet=0.3) == []
        assert time.monotonic() - started < 2
        queue.close()
