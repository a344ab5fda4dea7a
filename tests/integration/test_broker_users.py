"""The five services, each connected as its own broker user with the permissions of
deploy/rabbitmq/ (imported as `satupintu broker-users --definitions` renders them), on the real
RabbitMQ: they start, declare what they need and a report goes intake → routing → intake,
notification (which asks intake for the reporter's address) and reporting, with no access
refused anywhere."""

import logging

import pytest
import requests
from kombu import Connection

from services import SERVICES, service_class
from shared import broker
from shared.deadletters import dead_letter_depth, list_dead_letters, replay
from shared.messaging import declare, service_queues
from tests.conftest import free_port
from tests.factories import make_report, wait_for
from tests.servers import mails, smtp_server


@pytest.fixture
def imported(request, rabbit_config, tmp_path):
    """The definitions loaded into the broker for this test's vhost; {role: AMQP URI}."""
    settings = {"BROKER_USER_PREFIX": f"{rabbit_config['vhost']}-", "KEYS_DIR": str(tmp_path)}
    management = broker.Management(request.config.getoption("RABBIT_API_URI"))
    document = broker.definitions(rabbit_config["vhost"], settings)
    management.import_definitions(document)
    yield (
        {role: broker.uri_for(role, rabbit_config["AMQP_URI"], settings) for role in broker.ROLES},
        settings,
    )
    for user in document["users"]:
        management.delete_user(user["name"])


@pytest.fixture
def system(imported, container_factory, service_config, registry_db, tmp_path):
    uris, settings = imported
    smtp_port = free_port()
    smtp = smtp_server(smtp_port, tmp_path / "maildir").start()
    with Connection(uris["operator"]) as conn:  # `satupintu declare`, as the operator
        declare(
            conn,
            [queue for service in SERVICES for queue in service_queues(service_class(service))],
        )
    urls = {}
    for service in SERVICES:
        overrides = {
            "AMQP_URI": uris[service],
            "RPC_CALLERS": {},  # the roles are this vhost's users, by their prefix
            **settings,
        }
        if service == "agency_registry":
            overrides["DATABASE_URL"] = registry_db
        if service == "notification":
            overrides["SMTP_PORT"] = smtp_port
        if service == "portal":  # the web door, over the others' HTTP APIs started before it
            overrides.update({f"{name.upper()}_URL": url for name, url in urls.items()})
        config = service_config(service, **overrides)
        container_factory(service_class(service), config).start()
        urls[service] = f"http://{config['WEB_SERVER_ADDRESS']}"
    yield urls, tmp_path / "maildir"
    smtp.stop()


def test_each_service_runs_as_its_own_user_and_a_report_flows_end_to_end(system, caplog):
    urls, maildir = system
    caplog.set_level(logging.WARNING)
    response = requests.post(
        f"{urls['intake']}/reports",
        json=make_report(
            privacy="anonim",
            reporter={"name": "Andi", "phone": "+6281234567890", "email": "andi@example.id"},
        ),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    tracking_id, key = response.json()["tracking_id"], response.json()["report_key"]

    def dispatched():
        report = requests.get(
            f"{urls['intake']}/reports/{tracking_id}", headers={"X-Report-Key": key}, timeout=5
        ).json()
        return report if report["status"]["code"] == "dispatched" else None

    assert wait_for(dispatched, timeout=30)["agency"]["code"] == "PROV-73-DISDIK"
    inbox = wait_for(
        lambda: requests.get(
            f"{urls['notification']}/inbox/{tracking_id}",
            headers={"X-Report-Key": key},
            timeout=5,
        ).json()["items"][1:],
        timeout=20,
    )
    assert inbox[0]["kind"] == "report_routed"
    # notification asked intake (RPC, as its own user) where to write: the mails went out
    sent = wait_for(lambda: len(mails(maildir)) >= 2 and mails(maildir), timeout=20)
    assert {message["To"] for message in sent} == {"andi@example.id"}

    def counted():
        stats = requests.get(f"{urls['reporting']}/stats", timeout=5).json()
        return stats if stats["by_status"].get("dispatched") == 1 else None

    wait_for(counted, timeout=20)
    for service, url in urls.items():
        assert requests.get(f"{url}/health", timeout=5).status_code == 200, service
        assert requests.get(f"{url}/metrics", timeout=5).status_code == 200, service
    records = caplog.get_records("setup") + caplog.records
    refusals = [r.getMessage() for r in records if "ACCESS_REFUSED" in r.getMessage()]
    assert refusals == []
    # every service that checks staff tokens follows the registry's staff changes, under its
    # own permissions: its feed queue declared and bound, its catch-up RPC answered
    feed_trouble = [r.getMessage() for r in records if r.getMessage().startswith("staff changes:")]
    assert feed_trouble == []


def test_each_user_may_look_at_the_dead_letter_depth_and_the_operator_may_replay(imported):
    uris, _ = imported
    for role in ("intake", "routing", "agency_registry", "notification", "reporting", "operator"):
        assert dead_letter_depth(uris[role]) == 0, role
    assert list_dead_letters(uris["operator"]) == []
    assert replay(uris["operator"]) == []


def test_a_regional_user_reads_its_own_queue_and_nothing_else(request, rabbit_config, tmp_path):
    import subprocess
    import sys

    import amqp.exceptions
    from kombu import Exchange, Queue

    from shared.config import ROOT

    env = {
        "PATH": "/usr/bin:/bin",
        "AMQP_URI": rabbit_config["AMQP_URI"],
        "RABBITMQ_MANAGEMENT_URL": request.config.getoption("RABBIT_API_URI"),
        "BROKER_USER_PREFIX": f"{rabbit_config['vhost']}-",
        "KEYS_DIR": str(tmp_path),
    }
    secret = "a-regional-secret-of-some-length"
    management = broker.Management(request.config.getoption("RABBIT_API_URI"))
    try:
        made = subprocess.run(
            [sys.executable, "-m", "services.cli", "broker-users", "--regional", "73"],
            cwd=ROOT,
            env=env,
            input=secret + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        uri = broker.service_uri(rabbit_config["AMQP_URI"], "regional_73", secret)
        regional = Exchange("satupintu.regional", type="topic", durable=True)
        with Connection(rabbit_config["AMQP_URI"]) as conn:  # routing publishes a decision
            conn.Producer().publish({"n": 1}, exchange=regional, routing_key="73.11.X")
        with Connection(uri) as conn:
            queue = Queue("regional.73", regional, routing_key="73.#", durable=True)
            got = wait_for(lambda: queue(conn.channel()).get(no_ack=True))
            assert got.payload == {"n": 1}
            with pytest.raises(amqp.exceptions.AccessRefused):
                Queue("rpc-intake", durable=True)(conn.channel()).declare()
            with pytest.raises(amqp.exceptions.AccessRefused):
                Queue("satupintu.dead-letters", durable=True)(conn.channel()).get()
    finally:
        for user in management.users():
            if user.startswith(env["BROKER_USER_PREFIX"]) or user == "regional_73":
                management.delete_user(user)
