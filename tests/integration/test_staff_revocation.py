"""A staff change counts on every service within seconds: the real registry, routing, intake and
notification on the real RabbitMQ, each on its own SQLite file. An old token is refused after
its account is deactivated or its role changes, also by a process that started after the
change (it asks the registry what it missed)."""

import time
from types import SimpleNamespace

import pytest
import requests
from kombu import Connection

from services import service_class
from shared.messaging import declare, service_queues
from shared.staff_changes import StaffChangeFeed
from tests.factories import make_report, wait_for
from tests.interface.agency_registry.test_agency_registry import PASSWORD, add_staff

STAFF = [
    ("nasional", "national_admin", "KEMENPANRB"),
    ("kominfo.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO"),
    ("dinkes.barru", "liaison", "KAB-73-11-DINKES"),
]
WITHIN = 5.0  # seconds: "within a few seconds"


def feed(container) -> StaffChangeFeed:
    return next(e for e in container.subextensions if isinstance(e, StaffChangeFeed))


@pytest.fixture(name="system")
def system_fixture(container_factory, service_config, registry_db, rabbit_config):
    add_staff(registry_db, *STAFF)
    services = ("agency_registry", "intake", "routing", "notification")
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(conn, [q for name in services for q in service_queues(service_class(name))])
    urls, containers, configs = {}, {}, {}

    def start(name):
        overrides = {"DATABASE_URL": registry_db} if name == "agency_registry" else {}
        config = configs.setdefault(name, service_config(name, **overrides))
        containers[name] = container_factory(service_class(name), config)
        containers[name].start()
        urls[name] = f"http://{config['WEB_SERVER_ADDRESS']}"
        if name in ("routing", "notification"):
            wait_for(lambda: feed(containers[name]).caught_up.ready())

    for name in services:
        start(name)
    return SimpleNamespace(urls=urls, containers=containers, start=start)


def login(system, username) -> dict:
    response = requests.post(
        f"{system.urls['agency_registry']}/auth/token",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def admin(system) -> dict:
    """The national admin's token, kept (the registry limits logins per address)."""
    if not hasattr(system, "admin"):
        system.admin = login(system, "nasional")
    return system.admin


def as_admin(system, method, path, **kwargs):
    headers = admin(system)
    url = system.urls["agency_registry"] + path
    response = requests.request(method, url, headers=headers, timeout=10, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def staff_id(system, username) -> str:
    accounts = as_admin(system, "GET", "/staff", params={"limit": 500})["items"]
    return next(a["id"] for a in accounts if a["username"] == username)


def confidential_report(system) -> str:
    body = make_report(
        privacy="confidential",
        category_id="kesehatan.puskesmas",
        title="Obat habis",
        location={"region_code": "73.11.01", "address": "Jl. Poros Barru"},
    )
    response = requests.post(f"{system.urls['intake']}/reports", json=body, timeout=10)
    assert response.status_code == 201, response.text
    tracking_id = response.json()["tracking_id"]
    # routed: the desk knows it
    wait_for(lambda: _desk(system, "GET", tracking_id, admin(system)).ok)
    return tracking_id


def _desk(system, method, tracking_id, headers, path="", **kwargs):
    url = f"{system.urls['routing']}/desk/dispositions/{tracking_id}{path}"
    return requests.request(method, url, headers=headers, timeout=10, **kwargs)


def _inbox(system, headers):
    return requests.get(f"{system.urls['notification']}/staff/inbox", headers=headers, timeout=10)


def refused(response) -> bool:
    return response.status_code == 401 and response.headers["Content-Type"].startswith(
        "application/problem+json"
    )


def test_a_deactivated_accounts_old_token_stops_everywhere_within_seconds(system):
    tracking_id = confidential_report(system)
    old = login(system, "dinkes.barru")
    read = _desk(system, "GET", tracking_id, old)
    assert read.status_code == 200, read.text
    assert read.json()["access"] == "holder" and read.json()["report"]["title"] == "Obat habis"
    assert _inbox(system, old).status_code == 200

    as_admin(system, "POST", f"/staff/{staff_id(system, 'dinkes.barru')}/deactivate")
    started = time.monotonic()
    wait_for(lambda: refused(_desk(system, "GET", tracking_id, old)), timeout=WITHIN)
    wait_for(lambda: refused(_inbox(system, old)), timeout=WITHIN)
    assert time.monotonic() - started < WITHIN
    followup = _desk(system, "POST", tracking_id, old, "/followups", json={"text": "Sudah."})
    assert refused(followup), followup.text
    # nothing was posted with the old token
    detail = _desk(system, "GET", tracking_id, admin(system)).json()
    assert detail["followups"] == []


def test_a_role_change_stops_the_old_roles_actions(system):
    tracking_id = confidential_report(system)
    old = login(system, "kominfo.barru")
    assert _desk(system, "GET", tracking_id, old).status_code == 200  # its government's report

    account = staff_id(system, "kominfo.barru")
    changed = as_admin(system, "PATCH", f"/staff/{account}", json={"role": "liaison"})
    assert changed["role"] == "liaison"
    wait_for(lambda: refused(_desk(system, "GET", tracking_id, old)), timeout=WITHIN)
    assert refused(_inbox(system, old))
    # the coordinator's power to dispatch by hand went with the role
    move = {"agency_code": "KAB-73-11-RSUD", "note": "Rumah sakit yang menangani."}
    assert refused(_desk(system, "POST", tracking_id, old, "/dispatch", json=move))
    new = login(system, "kominfo.barru")
    assert _desk(system, "POST", tracking_id, new, "/dispatch", json=move).status_code == 403
    detail = _desk(system, "GET", tracking_id, admin(system)).json()
    assert detail["agency_code"] == "KAB-73-11-DINKES"


def test_a_process_started_after_the_change_refuses_the_old_token(system):
    old = login(system, "dinkes.barru")
    assert _inbox(system, old).status_code == 200
    system.containers["notification"].stop()
    as_admin(system, "POST", f"/staff/{staff_id(system, 'dinkes.barru')}/deactivate")
    system.start("notification")  # missed the event: learns it from the registry
    assert refused(_inbox(system, old))
    assert _inbox(system, admin(system)).status_code == 200
