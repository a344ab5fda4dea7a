"""Reporting on the real RabbitMQ and SQLite: counts per agency and status, whatever the order
in which events arrive."""

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.reporting.service import Reporting
from shared.tracking import new_tracking_id
from tests.factories import emitter, routed, submitted


@pytest.fixture
def reporting(container_factory, service_config):
    config = service_config("reporting")
    container = container_factory(Reporting, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def emitters(container_factory, service_config):
    found = {}
    for source in ("intake", "routing"):
        container = container_factory(emitter(source), service_config(source))
        container.start()
        found[source] = container
    return found


def emit(emitters, reporting_container, source, event_type, tracking_id, body):
    handler = {"report_submitted": "on_report_submitted", "report_routed": "on_report_routed"}
    with entrypoint_waiter(reporting_container, handler[event_type]):
        with entrypoint_hook(emitters[source], "emit") as publish:
            publish(event_type, tracking_id, body)


def test_counts_per_agency_and_status_even_out_of_order(reporting, emitters):
    container, url = reporting
    first, second, waiting = new_tracking_id(), new_tracking_id(), new_tracking_id()
    emit(emitters, container, "intake", "report_submitted", first, submitted(first))
    emit(emitters, container, "routing", "report_routed", first, routed(first))
    # the routed event overtakes the submitted one
    emit(
        emitters,
        container,
        "routing",
        "report_routed",
        second,
        routed(second, agency_code="OJK", agency_name="OJK"),
    )
    emit(emitters, container, "intake", "report_submitted", second, submitted(second))
    emit(emitters, container, "intake", "report_submitted", waiting, submitted(waiting))

    stats = requests.get(f"{url}/stats", timeout=5).json()
    assert stats["total"] == 3
    assert stats["by_status"] == {"dispatched": 2, "awaiting_verification": 1}
    counts = {entry["agency_code"]: entry["counts"] for entry in stats["agencies"]}
    assert counts == {
        "PROV-73-DISDIK": {"dispatched": 1},
        "OJK": {"dispatched": 1},
        None: {"awaiting_verification": 1},
    }
    only = requests.get(f"{url}/stats?agency=OJK", timeout=5).json()
    assert only["total"] == 1
