"""The identity-read log over HTTP: the real intake and the real agency registry (national
template) on the real RabbitMQ and SQLite. Reads are made the way routing's desk makes them
(intake's report_for_staff RPC), then read back by whoever may (SPEC §3, §6)."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
from nameko.testing.services import entrypoint_hook

from services.agency_registry.service import AgencyRegistry
from services.intake.service import Intake
from shared.auth import TokenSigner
from shared.staff_keys import load_private_key_file
from tests.factories import make_report

# (staff id, username, role, agency, the scope the registry gives that account: SPEC §6)
BARRU_COORDINATOR = (
    "11",
    "kominfo.barru",
    "coordinator_admin",
    "KAB-73-11-DISKOMINFO",
    "KAB-73-11",
)
MAKASSAR_COORDINATOR = (
    "12",
    "kominfo.makassar",
    "coordinator_admin",
    "KAB-73-71-DISKOMINFO",
    "KAB-73-71",
)
NATIONAL = ("1", "admin.nasional", "national_admin", "KEMENPANRB", "KEMENPANRB")
BARRU_INSPECTORATE = (
    "21",
    "inspektorat.barru",
    "oversight_viewer",
    "KAB-73-11-INSPEKTORAT",
    "KAB-73-11",
)
OMBUDSMAN = ("22", "ombudsman", "oversight_viewer", "OMBUDSMAN", "KEMENPANRB")
BARRU_LIAISON = ("31", "disdik.barru", "liaison", "KAB-73-11-DISDIK", "KAB-73-11-DISDIK")
BARRU_AGENCY_ADMIN = ("32", "admin.dinkes", "agency_admin", "KAB-73-11-DINKES", "KAB-73-11-DINKES")


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"), RPC_TIMEOUT=2)
    container = container_factory(Intake, config)
    container.start()
    container.url = f"http://{config['WEB_SERVER_ADDRESS']}"
    return container


@pytest.fixture
def registry(container_factory, service_config, registry_db):
    container = container_factory(
        AgencyRegistry, service_config("agency_registry", DATABASE_URL=registry_db)
    )
    container.start()
    return container


def bearer(intake, staff) -> dict:
    staff_id, username, role, agency, scope = staff
    signer = TokenSigner(load_private_key_file(intake.config["STAFF_TOKEN_PRIVATE_KEY_FILE"]))
    return {"Authorization": f"Bearer {signer.issue(staff_id, username, role, agency, scope)[0]}"}


def read_identity(intake, tracking_id, staff) -> None:
    """A coordinator reads a confidential reporter's identity, as routing's desk asks for it."""
    agency = staff[3]
    token = bearer(intake, staff)["Authorization"].split(" ", 1)[1]
    with entrypoint_hook(intake, "report_for_staff") as read:
        assert "Andi" in str(read(tracking_id, agency, token))


def confidential_report(intake) -> str:
    response = requests.post(
        f"{intake.url}/reports", json=make_report(privacy="confidential"), timeout=10
    )
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"]


def log(intake, staff=None, **query):
    headers = bearer(intake, staff) if staff else {}
    return requests.get(f"{intake.url}/identity-reads", params=query, headers=headers, timeout=10)


def test_the_log_is_read_by_national_admins_and_by_oversight_within_its_scope(intake, registry):
    first, second = confidential_report(intake), confidential_report(intake)
    read_identity(intake, first, BARRU_COORDINATOR)
    read_identity(intake, second, MAKASSAR_COORDINATOR)
    read_identity(intake, first, NATIONAL)

    refused = log(intake)
    assert refused.status_code == 401
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert first not in refused.text
    bad = requests.get(
        f"{intake.url}/identity-reads", headers={"Authorization": "Bearer x.y.z"}, timeout=10
    )
    assert bad.status_code == 401
    for staff in (BARRU_COORDINATOR, BARRU_LIAISON, BARRU_AGENCY_ADMIN):
        forbidden = log(intake, staff)
        assert forbidden.status_code == 403, staff[2]
        assert first not in forbidden.text

    everything = log(intake, NATIONAL).json()
    assert everything["total"] == 3
    # newest first: who read, which report; never the identity that was read
    assert [(item["username"], item["tracking_id"]) for item in everything["items"]] == [
        ("admin.nasional", first),
        ("kominfo.makassar", second),
        ("kominfo.barru", first),
    ]
    assert set(everything["items"][0]) == {
        "id",
        "tracking_id",
        "staff_id",
        "username",
        "role",
        "agency_code",
        "at",
    }
    assert "Andi" not in str(everything) and "+6281234567890" not in str(everything)

    # the Inspektorat of Barru watches Barru's government: only the read by Kominfo Barru
    barru = log(intake, BARRU_INSPECTORATE).json()
    assert [(item["username"], item["agency_code"]) for item in barru["items"]] == [
        ("kominfo.barru", "KAB-73-11-DISKOMINFO")
    ]
    assert barru["total"] == 1
    assert log(intake, OMBUDSMAN).json()["total"] == 3  # Ombudsman RI: the nation

    assert [
        item["username"] for item in log(intake, NATIONAL, tracking_id=second).json()["items"]
    ] == ["kominfo.makassar"]
    today = datetime.now(UTC).date()
    assert log(intake, NATIONAL, **{"from": str(today), "to": str(today)}).json()["total"] == 3
    tomorrow = str(today + timedelta(days=1))
    assert log(intake, NATIONAL, **{"from": tomorrow}).json()["total"] == 0
    assert log(intake, NATIONAL, to=str(today - timedelta(days=1))).json()["total"] == 0
    page = log(intake, NATIONAL, offset=1, limit=1).json()
    assert (page["total"], [item["username"] for item in page["items"]]) == (
        3,
        ["kominfo.makassar"],
    )

    wrong = log(intake, NATIONAL, **{"from": "kemarin", "tracking_id": "LPR-1234"})
    assert wrong.status_code == 422
    assert {error["field"] for error in wrong.json()["errors"]} == {"from", "tracking_id"}


def test_without_the_registry_oversight_is_told_to_try_again_and_national_admins_are_not(
    intake,
):
    read_identity(intake, confidential_report(intake), BARRU_COORDINATOR)
    away = log(intake, BARRU_INSPECTORATE)
    assert away.status_code == 503
    assert int(away.headers["Retry-After"]) > 0
    assert away.json()["type"] == "urn:satupintu:problem:unavailable"
    assert log(intake, NATIONAL).json()["total"] == 1
