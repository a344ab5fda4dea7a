"""Regional instances on the real RabbitMQ: a subscriber for 73.# (Sulawesi Selatan), logged in
as a user made by deploy/regional/access.py, receives that province's routing decisions and no
others; a confidential report's decision carries no content and no identity."""

import json
import subprocess
import sys
import uuid

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.agency_registry.service import AgencyRegistry
from services.routing.service import Routing
from shared.config import ROOT
from tests.factories import emitter, submitted

sys.path.insert(0, str(ROOT / "deploy/regional"))
import access  # noqa: E402

MANAGEMENT = "http://127.0.0.1:15672/api"


@pytest.fixture
def regional_user(rabbit_config):
    """(user, password) allowed to read regional.73 on this test's vhost, via the definitions."""
    user, password = f"regional_73_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    defs = access.definitions("73", password, vhost=rabbit_config["vhost"], user=user)
    response = requests.post(
        f"{MANAGEMENT}/definitions", json=defs, auth=("guest", "guest"), timeout=10
    )
    assert response.status_code in (200, 201, 204), response.text
    yield user, password
    requests.delete(f"{MANAGEMENT}/users/{user}", auth=("guest", "guest"), timeout=10)


@pytest.fixture
def system(container_factory, service_config, registry_db):
    container_factory(
        AgencyRegistry, service_config("agency_registry", DATABASE_URL=registry_db)
    ).start()
    routing = container_factory(Routing, service_config("routing"))
    routing.start()
    intake = container_factory(emitter("intake"), service_config("intake"))
    intake.start()
    return intake, routing


def submit(system, tracking_id, **overrides):
    intake, routing = system
    with entrypoint_waiter(routing, "on_report_submitted"):
        with entrypoint_hook(intake, "emit") as emit:
            emit("report_submitted", tracking_id, submitted(tracking_id, **overrides))


def test_a_province_receives_its_own_decisions_only(system, regional_user, rabbit_config):
    submit(system, "LPR-REGI-ONAL-0001", region_code="73.11", title="Pungutan di SMA")
    submit(system, "LPR-REGI-ONAL-0002", region_code="31.71", category_id="kesehatan")
    submit(
        system,
        "LPR-REGI-ONAL-0003",
        region_code="73.71",
        category_id="kesehatan",
        privacy="confidential",
        title=None,
    )

    user, password = regional_user
    uri = rabbit_config["AMQP_URI"].replace("guest:guest", f"{user}:{password}")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy/regional/subscriber.py"),
            "--amqp-uri",
            uri,
            "--queue",
            "regional.73",
            "--timeout",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["body"]["region_code"] for line in lines] == ["73.11", "73.71"]
    public, confidential = lines[0], lines[1]
    assert public["routing_key"] == "73.11.PROV-73-DISDIK"
    assert public["body"]["tracking_id"] == "LPR-REGI-ONAL-0001"
    assert public["body"]["title"] == "Pungutan di SMA"
    assert confidential["routing_key"].startswith("73.71.")
    body = confidential["body"]
    assert body["privacy"] == "confidential"
    assert body["tracking_id"] is None and body["title"] is None and body["category_id"] is None
    assert "LPR-REGI-ONAL-0003" not in json.dumps(confidential)


def test_the_regional_user_can_read_nothing_but_its_queue(regional_user, rabbit_config, system):
    user, password = regional_user
    uri = rabbit_config["AMQP_URI"].replace("guest:guest", f"{user}:{password}")
    with Connection(uri) as conn:
        channel = conn.channel()
        with pytest.raises(Exception, match="ACCESS_REFUSED"):
            channel.basic_get("evt-intake-report_submitted--routing.on_report_submitted")
    with Connection(uri) as conn:
        with pytest.raises(Exception, match="ACCESS_REFUSED"):
            conn.channel().queue_declare("regional.31")
    with Connection(uri) as conn:
        channel = conn.channel()
        with pytest.raises(Exception, match="ACCESS_REFUSED"):
            conn.Producer(channel).publish(
                {"forged": True}, exchange="satupintu.regional", routing_key="73.x"
            )
            channel.basic_get("regional.73")  # the refusal arrives with the next call
