"""The five services in one process (a container each), on the real RabbitMQ: a report flows
intake → routing → intake, notification and reporting."""

import pytest
import requests
from kombu import Connection

from services import SERVICES, service_class
from services.agency_registry.commands import load_template
from services.routing.replica import AgencyReplica
from shared.messaging import declare, service_queues
from tests.factories import make_report, wait_for
from tests.interface.agency_registry.test_agency_registry import (
    PASSWORD,
    PUSKESMAS,
    STAFF,
    add_staff,
)


class Urls(dict):
    """{service: base URL}, and the running containers by service."""

    containers: dict


@pytest.fixture(params=["sqlite", "postgresql"])
def system(request, container_factory, service_config, registry_db, pg_database, rabbit_config):
    """{service: base URL}, all five running, each on its own SQLite file or PostgreSQL
    database; queues declared first as `satupintu declare` does. The registry has STAFF."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(
            conn,
            [queue for service in SERVICES for queue in service_queues(service_class(service))],
        )
    urls, urls.containers = Urls(), {}
    for service in SERVICES:
        overrides = {}
        if request.param == "postgresql":
            overrides["DATABASE_URL"] = pg_database()
            if service == "agency_registry":
                load_template(with_districts=False, database_url=overrides["DATABASE_URL"])
        elif service == "agency_registry":
            overrides["DATABASE_URL"] = registry_db
        if service == "agency_registry":
            add_staff(overrides["DATABASE_URL"], *STAFF)
        config = service_config(service, **overrides)
        urls.containers[service] = container_factory(service_class(service), config)
        urls.containers[service].start()
        urls[service] = f"http://{config['WEB_SERVER_ADDRESS']}"
    return urls


CASES = [
    # SPEC §6: a state senior high school in Barru is the province's business
    ({"category_id": "pendidikan.sma", "location": {"region_code": "73.11"}}, "PROV-73-DISDIK"),
    ({"category_id": "pendidikan.sd", "location": {"region_code": "73.11.01"}}, "KAB-73-11-DISDIK"),
    ({"category_id": "perbankan_keuangan", "location": {"region_code": "73.11"}}, "OJK"),
]


def test_reports_are_dispatched_told_and_counted(system):
    expected, keys = {}, {}
    for overrides, agency in CASES:
        response = requests.post(
            f"{system['intake']}/reports", json=make_report(**overrides), timeout=5
        )
        assert response.status_code == 201, response.text
        expected[response.json()["tracking_id"]] = agency
        keys[response.json()["tracking_id"]] = response.json()["report_key"]

    for tracking_id, agency in expected.items():
        report = wait_for(lambda tid=tracking_id: _dispatched(system, tid))
        assert report["agency"]["code"] == agency
        inbox = wait_for(lambda tid=tracking_id: _inbox(system, tid, keys[tid], 2))
        assert [item["kind"] for item in inbox["items"]] == ["report_received", "report_routed"]
        disposition = requests.get(
            f"{system['routing']}/dispositions/{tracking_id}", timeout=5
        ).json()
        assert len(disposition["history"]) == 1 and disposition["history"][0]["why"]

    def counted():
        stats = requests.get(f"{system['reporting']}/stats", timeout=5).json()
        return stats if stats["by_status"].get("dispatched") == len(CASES) else None

    stats = wait_for(counted)
    assert {entry["agency_code"]: entry["counts"] for entry in stats["agencies"]} == {
        agency: {"dispatched": 1} for agency in expected.values()
    }

    # the template was loaded without events: reporting places its agencies where routing's
    # events say they sit (routing's replica), not by their codes
    def figure(kind, code=None):
        path = f"{kind}/{code}" if code else kind
        return requests.get(f"{system['reporting']}/statistics/{path}", timeout=5).json()

    barru = figure("agencies", "KAB-73-11-DISDIK")["scope"]
    assert (barru["government_code"], barru["province_code"]) == ("KAB-73-11", "PROV-73")
    assert figure("governments", "KAB-73-11")["reports"] == 1
    assert figure("governments", "PROV-73")["reports"] == 1  # the province's own office
    assert figure("provinces", "PROV-73")["reports"] == 2
    ojk = figure("agencies", "OJK")["scope"]
    assert (ojk["government_code"], ojk["province_code"]) == (None, None)
    assert figure("nation")["reports"] == len(CASES)


def test_an_agency_registered_under_template_governments_counts_under_them(system):
    """The template (its governments too) was loaded without events: reporting has never been
    told what KAB-73-11 or PROV-73 are. A puskesmas registered below Barru's Dinas Kesehatan
    is announced with where the registry places it, and its reports count there."""
    registry = system["agency_registry"]

    def call(method, path, who, **kwargs):
        login = {"username": who, "password": PASSWORD}
        token = requests.post(f"{registry}/auth/token", json=login, timeout=30).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        return requests.request(method, registry + path, headers=headers, timeout=10, **kwargs)

    code = PUSKESMAS["code"]
    assert call("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    assert call("POST", f"/agencies/{code}/approve", "nasional").status_code == 200
    replica = next(
        ext for ext in system.containers["routing"].extensions if isinstance(ext, AgencyReplica)
    )

    def routing_knows():
        directory = replica.state.directory
        return directory is not None and getattr(directory.get(code), "status", "") == "active"

    wait_for(routing_knows, timeout=20)
    report = make_report(
        category_id="kesehatan.puskesmas", location={"region_code": "73.11.01", "address": "Tanete"}
    )
    filed = requests.post(f"{system['intake']}/reports", json=report, timeout=5)
    assert filed.status_code == 201, filed.text
    dispatched = wait_for(lambda: _dispatched(system, filed.json()["tracking_id"]))
    assert dispatched["agency"]["code"] == code

    def figure(kind, code=None):
        path = f"{kind}/{code}" if code else kind
        return requests.get(f"{system['reporting']}/statistics/{path}", timeout=5).json()

    wait_for(lambda: figure("nation")["reports"] == 1)
    scope = figure("agencies", code)["scope"]
    assert (scope["government_code"], scope["province_code"]) == ("KAB-73-11", "PROV-73")
    assert figure("agencies", code)["reports"] == 1
    assert figure("governments", "KAB-73-11")["reports"] == 1
    assert figure("provinces", "PROV-73")["reports"] == 1


def _dispatched(system, tracking_id):
    """The public view once dispatched (before, the public is told of no such report)."""
    response = requests.get(f"{system['intake']}/reports/{tracking_id}", timeout=5)
    report = response.json() if response.ok else None
    return report if report and report["status"]["code"] == "dispatched" else None


def _inbox(system, tracking_id, key, count):
    inbox = requests.get(
        f"{system['notification']}/inbox/{tracking_id}", headers={"X-Report-Key": key}, timeout=5
    ).json()
    return inbox if len(inbox["items"]) >= count else None
