"""Routing with the agency registry (national template) on the real RabbitMQ and SQLite."""

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from nameko.testing.utils import get_extension

from services.agency_registry.service import AgencyRegistry
from services.routing.replica import AgencyReplica
from services.routing.service import Routing
from shared.deadletters import list_dead_letters, replay
from tests.factories import drain, emitter, submitted, wait_for, watch


@pytest.fixture
def intake(container_factory, service_config):
    container = container_factory(emitter("intake"), service_config("intake"))
    container.start()
    return container


@pytest.fixture
def registry(container_factory, service_config, registry_db):
    return container_factory(
        AgencyRegistry, service_config("agency_registry", DATABASE_URL=registry_db)
    )


@pytest.fixture
def routing(container_factory, service_config):
    config = service_config("routing")
    return container_factory(Routing, config), f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def routed_events(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "routing", "report_routed")
        yield queue
        queue.close()


def submit(intake, routing_container, tracking_id, **overrides):
    with entrypoint_waiter(routing_container, "on_report_submitted"):
        with entrypoint_hook(intake, "emit") as emit:
            return emit(
                "report_submitted", tracking_id, submitted(tracking_id, **overrides), "corr-42"
            )


def test_a_submitted_report_is_routed_once_with_its_reasons(
    intake, registry, routing, routed_events
):
    registry.start()
    container, url = routing
    container.start()
    submit(intake, container, "LPR-AAAA-AAAA-AAA1")
    event = routed_events.get(timeout=10).payload
    assert event["body"]["agency_code"] == "PROV-73-DISDIK"
    assert event["body"]["rule"] == "most_local"
    assert event["correlation_id"] == "corr-42"
    assert any("PROV-73-DISDIK" in line for line in event["body"]["trace"])
    # where it sits, from routing's replica of the registry (the template loads without events)
    place = (event["body"]["agency_government_code"], event["body"]["agency_province_code"])
    assert place == ("PROV-73", "PROV-73")

    # the same report submitted again (a second event for it): it already has its owner
    submit(intake, container, "LPR-AAAA-AAAA-AAA1", category_id="kesehatan")
    assert drain(routed_events) == []
    disposition = requests.get(f"{url}/dispositions/LPR-AAAA-AAAA-AAA1", timeout=5).json()
    assert disposition["agency_code"] == "PROV-73-DISDIK"
    assert len(disposition["history"]) == 1


def test_the_reporter_named_agency_is_chosen_when_it_is_competent(
    intake, registry, routing, routed_events
):
    registry.start()
    container, _ = routing
    container.start()
    submit(
        intake,
        container,
        "LPR-AAAA-AAAA-AAA2",
        category_id="kesehatan",
        region_code="73.11",
        target_agency_code="KAB-73-11-RSUD",
    )
    body = routed_events.get(timeout=10).payload["body"]
    assert (body["agency_code"], body["rule"]) == ("KAB-73-11-RSUD", "named_agency")
    place = (body["agency_government_code"], body["agency_province_code"])
    assert place == ("KAB-73-11", "PROV-73")


def test_routing_goes_on_while_the_registry_is_down(intake, registry, routing, routed_events):
    registry.start()
    container, _ = routing
    container.start()
    submit(intake, container, "LPR-AAAA-AAAA-AAA3")
    routed_events.get(timeout=10)
    registry.stop()
    submit(intake, container, "LPR-AAAA-AAAA-AAA4", category_id="perbankan_keuangan")
    body = routed_events.get(timeout=10).payload["body"]
    assert body["agency_code"] == "OJK"
    assert (body["agency_government_code"], body["agency_province_code"]) == (None, None)


def test_without_a_registry_reports_wait_in_dead_letters_until_replayed(
    intake, registry, routing, routed_events, rabbit_config
):
    container, _ = routing
    container.config["SNAPSHOT_TIMEOUT"] = 0.5
    container.start()
    submit(intake, container, "LPR-AAAA-AAAA-AAA5")
    letters = wait_for(lambda: list_dead_letters(rabbit_config["AMQP_URI"]))
    assert letters[0].queue == "evt-intake-report_submitted--routing.on_report_submitted"
    assert drain(routed_events) == []

    registry.start()
    # the registry answers now; give its snapshot pages time on a busy machine
    get_extension(container, AgencyReplica)._snapshot_timeout = 30
    with entrypoint_waiter(container, "on_report_submitted"):
        assert len(replay(rabbit_config["AMQP_URI"])) == 1
    assert routed_events.get(timeout=10).payload["body"]["tracking_id"] == "LPR-AAAA-AAAA-AAA5"


def test_unknown_disposition_is_a_problem(routing):
    container, url = routing
    container.start()
    response = requests.get(f"{url}/dispositions/LPR-NONE-NONE-NONE", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
