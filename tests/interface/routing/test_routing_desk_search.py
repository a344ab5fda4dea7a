"""Desk search on the real RabbitMQ and SQLite: intake (which alone keeps the text) finds the
words, routing shows only what the person may see. Registry, routing and intake all real."""

import pytest
import requests

from services.agency_registry.service import AgencyRegistry
from services.intake.service import Intake
from services.routing.service import Routing
from tests.factories import make_report, wait_for
from tests.interface.agency_registry.test_agency_registry import Client, add_staff
from tests.interface.routing.test_routing_desk import (
    DESK_STAFF,
    Desk,
    keys_fixture,  # noqa: F401 — a fixture
    problem,
)


@pytest.fixture
def system(container_factory, service_config, registry_db, keys, tmp_path):
    add_staff(registry_db, *DESK_STAFF)
    registry_config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    container_factory(AgencyRegistry, registry_config).start()
    routing_config = service_config(
        "routing", STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]), CLOCK_INTERVAL=3600
    )
    container_factory(Routing, routing_config).start()
    intake_config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"))
    intake = container_factory(Intake, intake_config)
    intake.start()
    desk = Desk(f"http://{routing_config['WEB_SERVER_ADDRESS']}", Client(
        f"http://{registry_config['WEB_SERVER_ADDRESS']}"))  # fmt: skip
    return desk, f"http://{intake_config['WEB_SERVER_ADDRESS']}", intake


def file(intake_url, desk, **overrides) -> str:
    response = requests.post(f"{intake_url}/reports", json=make_report(**overrides), timeout=10)
    assert response.status_code == 201, response.text
    tid = response.json()["tracking_id"]
    wait_for(lambda: desk("GET", f"/desk/dispositions/{tid}", "nasional").status_code == 200)
    return tid


def test_words_are_found_by_intake_and_shown_within_reach(system):
    desk, intake_url, intake = system
    puskesmas = {"category_id": "kesehatan.puskesmas", "location": {"region_code": "73.11"}}
    obat = file(intake_url, desk, title="Obat habis di puskesmas", body="Stok obat kosong "
                "sejak dua minggu di Puskesmas Mallusetasi.", **puskesmas)  # fmt: skip
    secret = file(intake_url, desk, title="Pungutan obat", privacy="confidential",
                  body="Petugas meminta uang untuk obat gratis di puskesmas.", **puskesmas)  # fmt: skip
    sma = file(intake_url, desk, body="Sekolah meminta uang gedung obat untuk siswa baru.")

    assert desk.listed("dinkes.barru", q="OBAT") == [secret, obat]  # case-insensitive, newest
    assert desk.listed("dinkes.barru", q="obat mallusetasi") == [obat]  # every word
    assert desk.listed("dinkes.barru", q="uang obat") == [secret]  # confidential content too
    assert desk.listed("nasional", q="uang obat") == [sma, secret]
    # the province's school office matches the words too, but Dinkes Barru cannot see it
    assert sma not in desk.listed("dinkes.barru", q="uang gedung")
    assert desk.listed("dinkes.barru", q="100%_") == []  # LIKE wildcards are text
    short = desk("GET", "/desk/dispositions", "dinkes.barru", params={"q": "x"})
    assert problem(short, 422, "invalid-input")["errors"][0]["field"] == "q"

    intake.stop()  # intake down: the desk says search is unavailable, the list still works
    down = desk("GET", "/desk/dispositions", "dinkes.barru", params={"q": "obat"})
    problem(down, 503, "unavailable")
    assert set(desk.listed("dinkes.barru")) == {obat, secret}
