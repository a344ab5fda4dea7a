"""The stage the notification tests play on: a stand-in intake and routing that emit their
events through a real outbox on the real RabbitMQ, real SMTP and HTTP servers for the outside
transports, and helpers to file reports and read deliveries as national operations.

Fixtures are imported by the test modules that use them."""

import secrets

import pytest
import requests
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from shared.auth import TokenSigner
from shared.staff_keys import load_private_key_file
from shared.tracking import new_tracking_id
from tests.conftest import free_port
from tests.factories import emitter, routed, submitted
from tests.servers import http_recorder, refusing_smtp_server, smtp_server


class Reporters(DependencyProvider):
    """What the stand-in intake knows of its reporters, per container."""

    def setup(self):
        self.known: dict[str, dict] = {}

    def get_dependency(self, worker_ctx):
        return self.known


class Intake(emitter("intake")):
    """Emits intake's events and answers intake's two questions, as the real intake does."""

    reporters = Reporters()

    @rpc
    def remember(self, tracking_id, contact, report_key):
        self.reporters[tracking_id] = {"contact": contact, "report_key": report_key}

    @rpc
    def reporter_contact(self, tracking_id):
        return (self.reporters.get(tracking_id) or {}).get("contact")

    @rpc
    def authorise_reporter(self, tracking_id, credentials):
        known = self.reporters.get(tracking_id)
        return bool(known and credentials.get("report_key") == known["report_key"])


@pytest.fixture
def outside(tmp_path):
    """The SMTP server, the SMS gateway and Twitter: ports, and where to read what they got."""
    world = {
        "smtp_port": free_port(),
        "sms_port": free_port(),
        "twitter_port": free_port(),
        "maildir": tmp_path / "maildir",
        "sms_log": tmp_path / "sms.jsonl",
        "twitter_log": tmp_path / "twitter.jsonl",
    }
    world["smtp"] = smtp_server(world["smtp_port"], world["maildir"])
    world["sms"] = http_recorder(world["sms_port"], world["sms_log"])
    world["twitter"] = http_recorder(world["twitter_port"], world["twitter_log"])
    world["refusing"] = http_recorder(world["sms_port"], tmp_path / "refused.jsonl", status=403)
    world["refusing_smtp"] = refusing_smtp_server(world["smtp_port"])
    yield world
    for name in ("smtp", "sms", "twitter", "refusing", "refusing_smtp"):
        world[name].stop()


@pytest.fixture
def notification_config(service_config, outside):
    def make(**overrides):
        return service_config(
            "notification",
            SMTP_PORT=outside["smtp_port"],
            SMS_GATEWAY_URL=f"http://127.0.0.1:{outside['sms_port']}/cgi-bin/sendsms",
            TWITTER_DM_URL=f"http://127.0.0.1:{outside['twitter_port']}/2/dm_conversations/with/RECIPIENT_ID/messages",
            DELIVERY_BACKOFF_SECONDS=0.1,
            **{"STAFF_EMAIL": False, **overrides},  # no registry here: staff are read in-app
        )

    return make


@pytest.fixture
def intake(container_factory, service_config):
    container = container_factory(Intake, service_config("intake"))
    container.start()
    return container


@pytest.fixture
def routing(container_factory, service_config):
    container = container_factory(emitter("routing"), service_config("routing"))
    container.start()
    return container


def dispatch(routing, notification, tracking_id, **overrides):
    with entrypoint_waiter(notification, "on_report_routed"):
        with entrypoint_hook(routing, "emit") as emit:
            emit("report_routed", tracking_id, routed(tracking_id, **overrides))


def remember(intake, contact) -> tuple[str, str]:
    """A new report's tracking id and report key, its reporter's contact known to intake."""
    tracking_id, key = new_tracking_id(), secrets.token_urlsafe(24)
    with entrypoint_hook(intake, "remember") as known:
        known(tracking_id, contact, key)
    return tracking_id, key


def file_report(intake, notification, contact, channel="web", **overrides):
    return file_report_with_key(intake, notification, contact, channel, **overrides)[0]


def file_report_with_key(intake, notification, contact, channel="web", **overrides):
    tracking_id, key = remember(intake, contact)
    with entrypoint_waiter(notification, "on_report_submitted"):
        with entrypoint_hook(intake, "emit") as emit:
            emit(
                "report_submitted",
                tracking_id,
                submitted(tracking_id, channel=channel, **overrides),
            )
    return tracking_id, key


def staff_token(private_key_file, agency_code: str, role: str = "liaison") -> str:
    signer = TokenSigner(load_private_key_file(private_key_file))
    return signer.issue("7", f"staf.{agency_code.lower()}", role, agency_code, agency_code)[0]


def national(config) -> dict:
    token = staff_token(config["STAFF_TOKEN_PRIVATE_KEY_FILE"], "KEMENPANRB", "national_admin")
    return {"Authorization": f"Bearer {token}"}


def statuses(config, status):
    url = f"http://{config['WEB_SERVER_ADDRESS']}/deliveries?status={status}"
    response = requests.get(url, headers=national(config), timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _redeliver(source, event_type, aggregate_id):
    """Publish the outbox copy of an event again, as the broker would after a lost ack.
    ``source`` is the container of the (stand-in) service that emitted it."""
    from kombu import Connection
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from shared.db import make_engine, outbox
    from shared.outbox import event_exchange

    with Session(make_engine(source.config["DATABASE_URL"])) as session:
        payload = session.execute(
            select(outbox.c.payload).where(
                outbox.c.event_type == event_type,
                outbox.c.payload["aggregate_id"].as_string() == aggregate_id,
            )
        ).scalar_one()
    with Connection(source.config["AMQP_URI"]) as conn:
        conn.Producer().publish(
            payload,
            exchange=event_exchange(source.service_name),
            routing_key=event_type,
            serializer="json",
        )
