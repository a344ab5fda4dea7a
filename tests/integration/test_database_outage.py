"""Intake and routing on PostgreSQL through a TCP relay the test stops and starts again (the
database away for real: connections drop, new ones are refused). While it is away every answer
that needs the database is 503 ``service-unavailable`` with Retry-After, never a 500; the SMS
door answers the reply SMS telling the sender to try again; /health names the database. Once
it is back, requests succeed again and every report accepted is dispatched exactly once.
Events that arrive while it is away wait for it: none is dead-lettered, none applied twice."""

import json
import time
import uuid

import pytest
import requests
from kombu import Connection
from kombu.common import maybe_declare

from services import service_class
from services.intake.service import Intake
from services.routing.service import Routing
from shared import events, tracking
from shared.deadletters import dead_letter_depth
from shared.messaging import declare, service_queues
from shared.outbox import topic_exchange
from tests.conftest import free_port
from tests.factories import GATEWAY_KEY, drain, make_report, submitted, wait_for, watch
from tests.tcp_proxy import TcpProxy

TRY_AGAIN = (
    "Maaf, layanan 1708 sedang gangguan. Kirim ulang SMS Anda beberapa menit lagi."
    " / Service down, please resend in a few minutes."
)


@pytest.fixture
def system(
    request, container_factory, service_config, registry_db, pg_database, rabbit_config, tmp_path
):
    """{"intake": URL, "routing": URL, "proxy": TcpProxy, "amqp": URI}: the registry on its
    SQLite template, intake and routing each on a PostgreSQL database reached through the relay."""
    proxy = TcpProxy(free_port(), "127.0.0.1", 5432).start()
    request.addfinalizer(proxy.stop)  # also when the rest of the setup fails
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        names = ("agency_registry", "intake", "routing")
        declare(conn, [q for name in names for q in service_queues(service_class(name))])
    registry = service_config("agency_registry", DATABASE_URL=registry_db)
    container_factory(service_class("agency_registry"), registry).start()
    urls = {}
    for name, cls, extra in (
        ("intake", Intake, {"SMS_GATEWAY_KEY": GATEWAY_KEY, "BLOB_DIR": str(tmp_path / "b")}),
        ("routing", Routing, {}),
    ):
        direct = pg_database()
        through_proxy = direct.replace(":5432/", f":{proxy.port}/")
        config = service_config(name, DATABASE_URL=through_proxy, **extra)
        container_factory(cls, config).start()
        urls[name] = f"http://{config['WEB_SERVER_ADDRESS']}"
    return {**urls, "proxy": proxy, "amqp": rabbit_config["AMQP_URI"]}


def file_report(system, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return requests.post(
        f"{system['intake']}/reports", json=make_report(), headers=headers, timeout=10
    )


def sms(system, message_id, text="Jalan kabupaten di desa kami berlubang besar"):
    params = {"from": "+6281311112222", "to": "1708", "text": text, "id": message_id}
    return requests.get(
        f"{system['intake']}/channels/sms/inbound",
        params={**params, "key": GATEWAY_KEY},
        timeout=10,
    )


def dispatched(system, tracking_id):
    response = requests.get(f"{system['intake']}/reports/{tracking_id}", timeout=10)
    return response.ok and response.json()["status"]["code"] == "dispatched"


def assert_unavailable(response):
    assert response.status_code == 503, (response.request.url, response.text)
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:satupintu:problem:service-unavailable"
    assert problem["status"] == 503 and problem["dependency"] == "database"
    assert problem["title"].startswith("Layanan sementara tidak tersedia")
    assert "psycopg2" not in response.text and "SELECT" not in response.text


def test_a_database_outage_is_503_with_retry_after_and_nothing_accepted_is_lost(system):
    with Connection(system["amqp"]) as conn:
        routed = watch(conn, "routing", "report_routed")
        before = [file_report(system) for _ in range(3)]
        assert [r.status_code for r in before] == [201, 201, 201]
        accepted = [r.json()["tracking_id"] for r in before]
        for tracking_id in accepted:
            wait_for(lambda tid=tracking_id: dispatched(system, tid), timeout=20)

        system["proxy"].stop()
        # rounds of requests over about a second and a half, under intake's rate limit however
        # fast the answers come
        for _ in range(6):
            time.sleep(0.25)
            responses = [
                file_report(system),
                file_report(system, key=f"outage-{uuid.uuid4().hex}"),
                requests.get(f"{system['intake']}/reports/{accepted[0]}", timeout=10),
                requests.get(f"{system['routing']}/dispositions/{accepted[0]}", timeout=10),
            ]
            for response in responses:
                assert_unavailable(response)
        for service in ("intake", "routing"):
            health = requests.get(f"{system[service]}/health", timeout=10)
            assert health.status_code == 503
            assert health.json()["checks"] == {"database": "unreachable", "broker": "ok"}
        reply = sms(system, "k-outage-1")
        assert reply.status_code == 503  # Kannel asks again (http-request-retry)
        assert reply.headers["Retry-After"] == "5"
        assert reply.headers["Content-Type"].startswith("text/plain")
        assert reply.text == TRY_AGAIN
        assert len(TRY_AGAIN) <= 160

        system["proxy"].start()
        after = file_report(system, key="after-outage-1")
        assert after.status_code == 201, after.text
        accepted.append(after.json()["tracking_id"])
        again = sms(system, "k-outage-1")  # the gateway's retry, same message id
        assert again.status_code == 200 and again.text.startswith("Laporan LPR-"), again.text
        for service in ("intake", "routing"):
            assert requests.get(f"{system[service]}/health", timeout=10).status_code == 200
        for tracking_id in accepted:
            wait_for(lambda tid=tracking_id: dispatched(system, tid), timeout=20)

        counts = {}
        deadline = time.monotonic() + 3  # drain: a duplicate would arrive within this
        while time.monotonic() < deadline:
            try:
                message = routed.get(timeout=0.5)
            except routed.Empty:
                continue
            text = json.dumps(message.payload)
            for tracking_id in accepted:
                if tracking_id in text:
                    counts[tracking_id] = counts.get(tracking_id, 0) + 1
            message.ack()
        routed.close()
    assert counts == {tracking_id: 1 for tracking_id in accepted}


def publish_submitted(producer, tracking_id: str) -> None:
    """A report_submitted event as intake's outbox relay publishes it."""
    event = events.new_event("report_submitted", tracking_id, submitted(tracking_id), None)
    exchange = topic_exchange(event.exchange)
    maybe_declare(exchange, producer.channel)
    producer.publish(
        event.wire,
        exchange=exchange,
        routing_key=event.key,
        serializer="json",
        delivery_mode=2,
        message_id=event.event_id,
    )


def test_events_that_arrive_during_an_outage_wait_for_the_database(system):
    """A stream of report_submitted events before, during and after a PostgreSQL stop of a few
    seconds (far longer than the handlers' retries with backoff): routing decides each report
    exactly once when the database is back, and the dead letters stay empty."""
    sent = []
    with Connection(system["amqp"]) as conn:
        routed = watch(conn, "routing", "report_routed")
        producer = conn.Producer()
        # (phase, events at least, seconds at least): the outage outlasts the retries by far
        for phase, count, seconds in (("before", 10, 1), ("during", 30, 4), ("after", 10, 1)):
            if phase == "during":
                system["proxy"].stop()
            if phase == "after":
                system["proxy"].start()
            started, published = time.monotonic(), 0
            while published < count or time.monotonic() - started < seconds:
                tracking_id = tracking.new_tracking_id()
                publish_submitted(producer, tracking_id)
                sent.append(tracking_id)
                published += 1
                time.sleep(0.1)
        arrived, deadline = [], time.monotonic() + 60
        while not set(sent) <= routed_ids(arrived) and time.monotonic() < deadline:
            arrived += drain(routed, quiet=1, deadline=5)
        arrived += drain(routed, quiet=2)  # a duplicate would arrive within this
        routed.close()
        assert dead_letter_depth(system["amqp"]) == 0
    # one routing decision per report; the outbox may publish that one event twice (its mark
    # as published met the outage), and consumers drop the copy by its event id
    decisions = {}
    for payload in arrived:
        decisions.setdefault(payload["body"]["tracking_id"], set()).add(payload["event_id"])
    assert {tid: len(ids) for tid, ids in decisions.items()} == {tid: 1 for tid in sent}


def routed_ids(payloads: list[dict]) -> set[str]:
    return {payload["body"]["tracking_id"] for payload in payloads}
