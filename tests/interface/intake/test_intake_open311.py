"""Open311 GeoReport v2 on the real RabbitMQ and SQLite: services, requests (JSON and XML),
tokens, API keys and the spec's error format."""

from xml.etree import ElementTree as ET

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy.orm import Session

from services.intake import keys
from services.intake.service import Intake
from shared.db import make_engine
from tests.factories import emitter, routed

FORM = {
    "service_code": "infrastruktur.jalan_kabupaten",
    "description": "Jalan poros desa berlubang besar, membahayakan pengendara motor.",
    "address_id": "73.11.01",
    "address_string": "Jl. Poros Barru km 3",
    "lat": "-4.41",
    "long": "119.62",
    "attribute[event_date]": "2026-11-18",
    "first_name": "Andi",
    "last_name": "Saputra",
    "email": "andi.saputra@example.id",
    "phone": "0812-7777-1234",
}


@pytest.fixture
def open311(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"))
    container = container_factory(Intake, config)
    container.start()
    engine = make_engine(config["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        key = keys.issue(session, "Aplikasi Kota Makassar")
    engine.dispose()
    routing = container_factory(emitter("routing"), service_config("routing"))
    routing.start()
    return container, routing, f"http://{config['WEB_SERVER_ADDRESS']}/open311/v2", key


def dispatch(container, routing, tracking_id):
    with entrypoint_waiter(container, "on_report_routed"):
        with entrypoint_hook(routing, "emit") as emit:
            emit(
                "report_routed",
                tracking_id,
                routed(
                    tracking_id,
                    agency_code="KAB-73-11-PUPR",
                    agency_name="Dinas PUPR Kabupaten Barru",
                ),
            )


def test_services_are_the_category_tree(open311):
    _, _, url, _ = open311
    services = requests.get(f"{url}/services.json", timeout=5).json()
    codes = {s["service_code"] for s in services}
    assert {"pendidikan.sma", "pungutan_liar", "infrastruktur.jalan_kabupaten"} <= codes
    xml = ET.fromstring(requests.get(f"{url}/services.xml", timeout=5).content)
    assert len(xml.findall("service")) == len(services)
    definition = requests.get(f"{url}/services/pungutan_liar.sekolah.json", timeout=5).json()
    assert {a["code"] for a in definition["attributes"]} >= {"event_date", "parties"}
    missing = requests.get(f"{url}/services/tidak.ada.xml", timeout=5)
    assert missing.status_code == 404
    assert ET.fromstring(missing.content).find("error/code").text == "404"


def test_a_request_is_filed_found_by_token_and_shown_publicly_once_dispatched(open311):
    container, routing, url, key = open311
    created = requests.post(f"{url}/requests.json", data={**FORM, "api_key": key}, timeout=5)
    assert created.status_code == 201, created.text
    [answer] = created.json()
    tid, token = answer["service_request_id"], answer["token"]
    assert answer["service_notice"].startswith("Laporan diterima")

    found = requests.get(f"{url}/tokens/{token}.json", timeout=5).json()
    assert found == [{"service_request_id": tid, "token": token}]
    assert (
        requests.get(f"{url}/requests/{tid}.json", timeout=5).status_code == 404
    )  # not yet public

    dispatch(container, routing, tid)
    [request] = requests.get(f"{url}/requests/{tid}.json", timeout=5).json()
    assert request["status"] == "open"
    assert request["agency_responsible"] == "Dinas PUPR Kabupaten Barru"
    assert request["address_id"] == "73.11.01" and request["lat"] == -4.41
    for secret in ("Andi", "Saputra", "andi.saputra@example.id", "+6281277771234"):
        assert secret not in str(request)

    xml = ET.fromstring(requests.get(f"{url}/requests/{tid}.xml", timeout=5).content)
    assert xml.find("request/service_request_id").text == tid
    listed = requests.get(
        f"{url}/requests.json",
        params={"service_code": "infrastruktur", "status": "open"},
        timeout=5,
    ).json()
    assert [r["service_request_id"] for r in listed] == [tid]
    for wildcard in ("infrastruktu_", "infrastruktur%", "%"):  # plain characters, not patterns
        found = requests.get(f"{url}/requests.json", params={"service_code": wildcard}, timeout=5)
        assert found.json() == [], wildcard
    closed = requests.get(f"{url}/requests.json", params={"status": "closed"}, timeout=5).json()
    assert closed == []


def test_an_incomplete_request_is_returned_with_a_notice(open311):
    _, _, url, key = open311
    form = {**FORM, "api_key": key}
    del form["attribute[event_date]"]
    [answer] = requests.post(f"{url}/requests.json", data=form, timeout=5).json()
    assert "tanggal kejadian" in answer["service_notice"]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_request(open311):
    _, _, url, key = open311
    headers = {"Idempotency-Key": "kota-mks-000123"}
    first = requests.post(
        f"{url}/requests.json", data={**FORM, "api_key": key}, headers=headers, timeout=5
    )
    again = requests.post(
        f"{url}/requests.json", data={**FORM, "api_key": key}, headers=headers, timeout=5
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]


def test_an_idempotency_key_is_the_integrators_and_names_one_request(open311, container_factory):
    """The IETF draft: the same key with another form is refused (422, naming the key); the
    same key from another integrator is theirs, and files their own request."""
    container, _, url, key = open311
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        other_key = keys.issue(session, "Aplikasi Kabupaten Barru")
    engine.dispose()
    headers = {"Idempotency-Key": "req-0001"}
    first = requests.post(
        f"{url}/requests.json", data={**FORM, "api_key": key}, headers=headers, timeout=5
    )
    changed = {**FORM, "api_key": key, "description": FORM["description"] + " Sudah 2 bulan."}
    reused = requests.post(f"{url}/requests.json", data=changed, headers=headers, timeout=5)
    assert reused.status_code == 422
    assert "Idempotency-Key" in reused.json()[0]["description"]
    theirs = requests.post(
        f"{url}/requests.json",
        data={**FORM, "api_key": other_key, "description": "Drainase tersumbat di pasar."},
        headers=headers,
        timeout=5,
    )
    assert theirs.status_code == 201
    assert theirs.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert theirs.json()[0]["token"] != first.json()[0]["token"]


def test_the_open311_token_proves_the_reporter_over_http(open311):
    """The integrator's token for its request acts as the report key (X-Report-Key); the
    tracking id alone shows nothing of a report not yet public."""
    _, _, url, key = open311
    [answer] = requests.post(f"{url}/requests.json", data={**FORM, "api_key": key}).json()
    base = url[: url.index("/open311")]
    report = f"{base}/reports/{answer['service_request_id']}"
    assert requests.get(report, timeout=5).status_code == 404
    own = requests.get(report, headers={"X-Report-Key": answer["token"]}, timeout=5)
    assert own.status_code == 200 and own.json()["reporter_email"] == "andi.saputra@example.id"


@pytest.mark.parametrize(
    "change, status, mentions",
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"api_key": None}, 403, "api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "tidak.ada"}, 400, "service_code"),
        ({"address_id": "99.99"}, 400, "address_id"),
        ({"lat": "north"}, 400, "lat"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"attribute[event_date]": "2099-01-01"}, 400, "attribute[event_date]"),
    ],
)
def test_errors_use_the_open311_format_and_store_nothing(open311, change, status, mentions):
    _, _, url, key = open311
    form = {**FORM, "api_key": key, **change}
    form = {k: v for k, v in form.items() if v is not None}
    for fmt in ("json", "xml"):
        response = requests.post(f"{url}/requests.{fmt}", data=form, timeout=5)
        assert response.status_code == status
        if fmt == "json":
            errors = response.json()
            assert errors[0]["code"] == status and mentions in errors[0]["description"]
        else:
            root = ET.fromstring(response.content)
            assert root.tag == "errors" and mentions in root.find("error/description").text
    assert requests.get(f"{url}/requests.json", timeout=5).json() == []


def test_a_confidential_request_never_shows(open311):
    container, routing, url, key = open311
    form = {**FORM, "api_key": key, "attribute[privacy]": "rahasia"}
    tid = requests.post(f"{url}/requests.json", data=form, timeout=5).json()[0][
        "service_request_id"
    ]
    dispatch(container, routing, tid)
    unknown = "LPR-0000-0000-0000"
    for fmt in ("json", "xml"):
        hidden = requests.get(f"{url}/requests/{tid}.{fmt}", timeout=5)
        absent = requests.get(f"{url}/requests/{unknown}.{fmt}", timeout=5)
        assert hidden.status_code == absent.status_code == 404
        assert hidden.text.replace(tid, unknown) == absent.text  # as an unknown id
    assert requests.get(f"{url}/requests.json", timeout=5).json() == []
    listed = requests.get(f"{url}/requests.json", params={"service_request_id": tid}, timeout=5)
    assert listed.json() == []
