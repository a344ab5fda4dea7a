"""Intake in a container on the real RabbitMQ and a SQLite file, driven over HTTP."""

import pytest
import requests
from kombu import Connection, Exchange, Queue

from services.intake.service import Intake
from shared.tracking import normalise
from tests.factories import drain, make_report, row_counts, wait_for


@pytest.fixture
def config(service_config):
    return service_config("intake")


@pytest.fixture
def intake(container_factory, config):
    container = container_factory(Intake, config)
    container.start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def submitted_events(rabbit_config):
    """Everything intake publishes as report_submitted, read from a queue bound before traffic."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = Queue(
            "watch-submitted",
            exchange=Exchange("intake.events", type="topic", durable=True),
            routing_key="report_submitted",
        )
        queue(conn.default_channel).declare()
        simple = conn.SimpleQueue(queue)
        yield simple
        simple.close()


def test_submit_stores_the_report_and_publishes_it_without_identity(intake, submitted_events):
    response = requests.post(f"{intake}/reports", json=make_report(), timeout=5)
    assert response.status_code == 201, response.text
    tracking_id = response.json()["tracking_id"]
    assert normalise(tracking_id) == tracking_id
    assert response.headers["Location"] == f"/reports/{tracking_id}"

    message = submitted_events.get(timeout=5)
    event = message.payload
    assert event["event_type"] == "report_submitted"
    assert event["aggregate_id"] == tracking_id
    assert event["body"]["region_code"] == "73.11"
    for secret in ("Andi", "+6281234567890", "andi@example.id"):
        assert secret not in str(event)

    key = {"X-Report-Key": response.json()["report_key"]}
    tracked = requests.get(f"{intake}/reports/{tracking_id.lower()}", headers=key, timeout=5).json()
    assert tracked["status"]["code"] == "awaiting_verification"
    assert tracked["timeline"][0]["text"]["id"].startswith("Laporan diterima")
    assert tracked["reporter_name"] == "Andi"  # the reporter, proven by the key, sees it all
    nobody = requests.get(f"{intake}/reports/{tracking_id}", timeout=5)
    assert nobody.status_code == 404  # not yet public: as an unknown id
    assert "Andi" not in nobody.text


def test_invalid_fields_are_named_in_a_problem_and_nothing_is_stored(
    intake, config, submitted_events
):
    before = row_counts(config["DATABASE_URL"])
    bad = make_report(
        category_id="tidak.ada",
        title="x",
        body="y" * 4001,
        location={"region_code": "99.99"},
        privacy="secret",
    )
    response = requests.post(f"{intake}/reports", json=bad, timeout=5)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:satupintu:problem:invalid-input"
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"category_id", "title", "body", "location.region_code", "privacy"}
    assert drain(submitted_events) == []
    assert row_counts(config["DATABASE_URL"]) == before
    # the count sees a stored report: a valid one adds its row (and its outbox event)
    assert requests.post(f"{intake}/reports", json=make_report(), timeout=5).status_code == 201
    after = row_counts(config["DATABASE_URL"])
    assert after["reports"] == before["reports"] + 1 and after["outbox"] > before["outbox"]


@pytest.mark.parametrize(
    "body, status",
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b'{"classification": 5}', 422),
    ],
)
def test_malformed_bodies_get_a_problem(intake, body, status):
    response = requests.post(
        f"{intake}/reports", data=body, timeout=5, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "Traceback" not in response.text


def test_unknown_route_and_method_are_problems_too(intake):
    missing = requests.get(f"{intake}/nothing-here", timeout=5)
    assert missing.status_code == 404
    assert missing.json()["status"] == 404
    wrong = requests.delete(f"{intake}/reports", timeout=5)
    assert wrong.status_code == 405
    assert wrong.headers["Content-Type"].startswith("application/problem+json")


def test_unknown_or_mistyped_tracking_id_is_not_found(intake):
    response = requests.post(f"{intake}/reports", json=make_report(), timeout=5)
    tracking_id = response.json()["tracking_id"]
    mistyped = tracking_id[:-1] + ("0" if tracking_id[-1] != "0" else "1")
    assert requests.get(f"{intake}/reports/{mistyped}", timeout=5).status_code == 404


def test_a_retry_with_the_same_idempotency_key_returns_the_first_report(intake, submitted_events):
    headers = {"Idempotency-Key": "app-7f3a-0001"}
    first = requests.post(f"{intake}/reports", json=make_report(), headers=headers, timeout=5)
    again = requests.post(f"{intake}/reports", json=make_report(), headers=headers, timeout=5)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    events = drain(submitted_events)
    assert [event["aggregate_id"] for event in events] == [first.json()["tracking_id"]]


def test_health_and_metrics(intake):
    requests.post(f"{intake}/reports", json=make_report(), timeout=5)
    health = requests.get(f"{intake}/health", timeout=5)
    assert health.status_code == 200
    assert health.json()["checks"] == {"database": "ok", "broker": "ok"}
    drained = 'satupintu_outbox_backlog{service="intake"} 0.0'
    # the relay publishes after the answer: the backlog is empty once the broker confirmed
    wait_for(lambda: drained in requests.get(f"{intake}/metrics", timeout=5).text)
    metrics = requests.get(f"{intake}/metrics", timeout=5).text
    assert (
        'satupintu_entrypoint_calls_total{entrypoint="submit",kind="http",outcome="ok",service="intake"}'
        in metrics
    )
    assert drained in metrics
    assert "satupintu_dead_letter_queue_depth 0.0" in metrics
