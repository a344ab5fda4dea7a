"""Notification on the real RabbitMQ and SQLite: each event that concerns the reporter becomes
one inbox message, however often it is delivered."""

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.notification.service import Notification
from shared.outbox import event_exchange
from shared.tracking import new_tracking_id
from tests.factories import emitter, routed, submitted


@pytest.fixture
def notification(container_factory, service_config):
    config = service_config("notification")
    container = container_factory(Notification, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def routing(container_factory, service_config):
    container = container_factory(emitter("routing"), service_config("routing"))
    container.start()
    return container


@pytest.fixture
def intake(container_factory, service_config):
    container = container_factory(emitter("intake"), service_config("intake"))
    container.start()
    return container


def test_reporter_is_told_of_receipt_and_dispatch_once(
    notification, intake, routing, rabbit_config
):
    container, url = notification
    tracking_id = new_tracking_id()
    with entrypoint_waiter(container, "on_report_submitted"):
        with entrypoint_hook(intake, "emit") as emit:
            emit("report_submitted", tracking_id, submitted(tracking_id))
    with entrypoint_waiter(container, "on_report_routed"):
        with entrypoint_hook(routing, "emit") as emit:
            emit("report_routed", tracking_id, routed(tracking_id))

    inbox = requests.get(f"{url}/inbox/{tracking_id}", timeout=5).json()
    assert [item["kind"] for item in inbox["items"]] == ["report_received", "report_routed"]
    assert tracking_id in inbox["items"][0]["text"]["id"]
    assert "Dinas Pendidikan Provinsi Sulawesi Selatan" in inbox["items"][1]["text"]["id"]
    assert inbox["items"][1]["text"]["en"].startswith(f"Report {tracking_id} has been dispatched")
    assert inbox["unread"] == 2

    # the broker hands the routed event over again
    with (
        Connection(rabbit_config["AMQP_URI"]) as conn,
        entrypoint_waiter(container, "on_report_routed"),
    ):
        payload = _published(routing, "report_routed")
        conn.Producer().publish(
            payload,
            exchange=event_exchange("routing"),
            routing_key="report_routed",
            serializer="json",
        )
    again = requests.get(f"{url}/inbox/{tracking_id}", timeout=5).json()
    assert len(again["items"]) == 2


def test_inbox_of_an_invalid_tracking_id_is_not_found(notification):
    _, url = notification
    assert requests.get(f"{url}/inbox/LPR-XXXX", timeout=5).status_code == 404


def _published(container, event_type):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from shared.db import make_engine, outbox

    with Session(make_engine(container.config["DATABASE_URL"])) as session:
        return session.execute(
            select(outbox.c.payload).where(outbox.c.event_type == event_type)
        ).scalar()
