"""The reporter's inbox asks for proof (SPEC §2: a tracking id names a report, it is not a key).
The real intake and the real notification service on the real RabbitMQ and SQLite: reports are
filed through intake's HTTP API and notification asks intake, over RPC, who may read them."""

import logging

import pytest
import requests
from nameko.testing.services import entrypoint_waiter
from sqlalchemy.orm import Session

from services.intake import keys
from services.intake.service import Intake
from services.notification.service import Notification
from shared.db import make_engine
from shared.tracking import new_tracking_id
from tests.conftest import free_port
from tests.factories import make_report

SITI = {
    "nik": "7311015208900001",
    "full_name": "Siti Rahmawati Lubis",
    "gender": "female",
    "birth_date": "1990-08-12",
    "username": "siti.lubis",
    "phone": "0812-9999-0001",
    "email": "siti.lubis@example.id",
    "password": "kata-sandi-panjang",
}
BUDI = {
    "nik": "7311011505850002",
    "full_name": "Budi Santoso",
    "gender": "male",
    "birth_date": "1985-05-15",
    "username": "budi.santoso",
    "phone": "0812-9999-0002",
    "email": "budi.santoso@example.id",
    "password": "kata-sandi-budi-panjang",
}


@pytest.fixture
def notification(container_factory, service_config):
    # no SMTP server listens there: email deliveries fail, the inbox is what is under test
    config = service_config("notification", SMTP_PORT=free_port(), RPC_TIMEOUT=2, STAFF_EMAIL=False)
    container = container_factory(Notification, config)
    container.start()
    container.url = f"http://{config['WEB_SERVER_ADDRESS']}"
    return container


@pytest.fixture
def intake(container_factory, service_config, tmp_path, notification):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"), INTAKE_TOKEN_TTL=600)
    container = container_factory(Intake, config)
    container.start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def open311_key(intake, service_config):
    """An API key issued to an Open311 integrator, in intake's database."""
    engine = make_engine(service_config("intake")["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        key = keys.issue(session, "Aplikasi Kota Makassar")
    engine.dispose()
    return key


def file(intake, notification, headers=None, **overrides) -> dict:
    """POST /reports on intake; returns once notification has put the first message in."""
    with entrypoint_waiter(notification, "on_report_submitted"):
        response = requests.post(
            f"{intake}/reports", json=make_report(**overrides), headers=headers, timeout=10
        )
        assert response.status_code == 201, response.text
    return response.json()


def sign_up(intake, person) -> dict:
    assert requests.post(f"{intake}/reporters", json=person, timeout=10).status_code == 201
    login = {"login": person["username"], "password": person["password"]}
    token = requests.post(f"{intake}/login", json=login, timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_tracking_id_alone_opens_no_inbox_and_a_wrong_key_finds_nothing(
    intake, notification, caplog
):
    caplog.set_level(logging.DEBUG)
    filed = file(intake, notification, privacy="anonim")
    tracking_id, key = filed["tracking_id"], filed["report_key"]
    inbox = f"{notification.url}/inbox/{tracking_id}"

    for refused in (
        requests.get(inbox, timeout=5),
        requests.post(f"{inbox}/read", json={}, timeout=5),
        requests.get(f"{inbox}?report_key={key}", timeout=5),  # a key is never read from a URL
        # no proof is refused before anyone looks the report up
        requests.get(f"{notification.url}/inbox/{new_tracking_id()}", timeout=5),
    ):
        assert refused.status_code == 401
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert "report_received" not in refused.text

    wrong = requests.get(inbox, headers={"X-Report-Key": key[::-1]}, timeout=5)
    unknown = requests.get(
        f"{notification.url}/inbox/{new_tracking_id()}", headers={"X-Report-Key": key}, timeout=5
    )
    assert wrong.status_code == unknown.status_code == 404
    assert {k: v for k, v in wrong.json().items() if k != "correlation_id"} == {
        k: v for k, v in unknown.json().items() if k != "correlation_id"
    }
    wrong_read = requests.post(
        f"{inbox}/read", json={}, headers={"X-Report-Key": key[::-1]}, timeout=5
    )
    assert wrong_read.status_code == 404

    mine = {"X-Report-Key": key}
    messages = requests.get(inbox, headers=mine, timeout=5).json()
    assert [item["kind"] for item in messages["items"]] == ["report_received"]
    assert tracking_id in messages["items"][0]["text"]["id"] and messages["unread"] == 1
    first = messages["items"][0]["id"]
    bad = requests.post(f"{inbox}/read", json={"ids": "all"}, headers=mine, timeout=5)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ids"
    marked = requests.post(f"{inbox}/read", json={"ids": [first]}, headers=mine, timeout=5)
    assert marked.json() == {"marked": 1}
    assert requests.get(inbox, headers=mine, timeout=5).json()["unread"] == 0

    # the key went only in headers: no log line of either service carries it (the test's own
    # HTTP client logs the URL it was told to ask for above)
    served = [record for record in caplog.records if not record.name.startswith("urllib3")]
    assert any(record.name == "satupintu.http" for record in served)
    assert not [record for record in served if key in record.getMessage()]


def test_a_reporter_with_an_account_reads_with_their_token_and_no_one_else_does(
    intake, notification
):
    siti, budi = sign_up(intake, SITI), sign_up(intake, BUDI)
    tracking_id = file(intake, notification, headers=siti, reporter={})["tracking_id"]
    keyed = file(intake, notification)
    inbox = f"{notification.url}/inbox/{tracking_id}"

    own = requests.get(inbox, headers=siti, timeout=5)
    assert own.status_code == 200
    assert [item["kind"] for item in own.json()["items"]] == ["report_received"]
    assert requests.post(f"{inbox}/read", json={}, headers=siti, timeout=5).json() == {"marked": 1}

    assert requests.get(inbox, headers=budi, timeout=5).status_code == 404
    assert requests.post(f"{inbox}/read", json={}, headers=budi, timeout=5).status_code == 404
    # an account proves only its own reports, not one filed with a key
    other = f"{notification.url}/inbox/{keyed['tracking_id']}"
    assert requests.get(other, headers=siti, timeout=5).status_code == 404
    # the key of another report proves nothing about this one
    assert (
        requests.get(inbox, headers={"X-Report-Key": keyed["report_key"]}, timeout=5).status_code
        == 404
    )
    forged = {"Authorization": "Bearer " + siti["Authorization"][7:-4] + "AAAA"}
    assert requests.get(inbox, headers=forged, timeout=5).status_code == 404


def test_an_open311_client_reads_with_the_token_it_was_given(intake, notification, open311_key):
    form = {
        "api_key": open311_key,
        "service_code": "infrastruktur.drainase",
        "address_id": "73.71",
        "attribute[event_date]": "2026-11-21",
        "description": "Saluran air tersumbat sampah, jalan banjir setiap hujan turun.",
        "email": "warga.makassar@example.id",
    }
    with entrypoint_waiter(notification, "on_report_submitted"):
        created = requests.post(f"{intake}/open311/v2/requests.json", data=form, timeout=10)
        assert created.status_code == 201, created.text
    [answer] = created.json()
    inbox = f"{notification.url}/inbox/{answer['service_request_id']}"

    assert requests.get(inbox, timeout=5).status_code == 401
    wrong = {"X-Open311-Token": answer["token"][::-1]}
    assert requests.get(inbox, headers=wrong, timeout=5).status_code == 404
    own = requests.get(inbox, headers={"X-Open311-Token": answer["token"]}, timeout=5)
    assert own.status_code == 200
    assert [item["kind"] for item in own.json()["items"]] == ["report_received"]


@pytest.mark.parametrize("intake_was_running", [False, True])
def test_without_intake_the_inbox_says_try_again_later(
    container_factory, service_config, tmp_path, notification, intake_was_running
):
    if intake_was_running:  # its queue is there, no one answers: the timeout (RPC_TIMEOUT=2)
        gone = container_factory(Intake, service_config("intake", BLOB_DIR=str(tmp_path / "b")))
        gone.start()
        gone.stop()
    response = requests.get(
        f"{notification.url}/inbox/{new_tracking_id()}",
        headers={"X-Report-Key": "a-key-that-cannot-be-checked-now"},
        timeout=10,
    )
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["type"] == "urn:satupintu:problem:unavailable"
