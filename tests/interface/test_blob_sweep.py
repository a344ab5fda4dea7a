"""The files no row names are removed a day after they were stored (shared.blob_sweep), by intake
and routing on the real RabbitMQ and SQLite: a reporter's upload never attached to a report (its
row is forgotten too), and bytes a crash left in routing's store; what a report or a follow-up
names stays, and so does anything younger than a day."""

from datetime import timedelta

import pytest
import requests
from nameko.testing.services import entrypoint_hook
from nameko.testing.utils import get_extension

from shared.blobs import Blobs
from shared.clock import Clock
from tests.factories import make_report
from tests.interface.routing.test_routing_desk import (
    keys_fixture,  # noqa: F401 — a fixture
)
from tests.interface.routing.test_routing_followup_files import (
    LETTER,
    PHOTO,
    file,
    follow_up,
    started,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"foto kelas " * 100


@pytest.fixture
def services(container_factory, service_config, registry_db, keys, tmp_path):
    return (*started(container_factory, service_config, registry_db, keys, tmp_path), tmp_path)


def upload(intake, data: bytes, name: str) -> dict:
    sent = requests.post(f"{intake.url}/attachments", files={"file": (name, data, "image/png")},
                         timeout=5)  # fmt: skip
    assert sent.status_code == 201, sent.text
    return sent.json()


def sweep(*containers) -> list[dict]:
    done = []
    for container in containers:
        with entrypoint_hook(container, "sweep_files") as run:
            done.append(run())
    return done


def in_two_days(*containers) -> None:
    for container in containers:
        get_extension(container, Clock).offset = timedelta(days=2)


def stored(folder) -> set[str]:
    return {path.name for path in folder.glob("*/*")}


def test_files_no_row_names_go_a_day_after_they_were_stored(services):
    desk, intake, routing, tmp = services
    attached = upload(intake, PNG, "kelas.png")
    filed = requests.post(f"{intake.url}/reports", timeout=10, json=make_report(
        attachments=[attached["id"]], category_id="kesehatan.puskesmas",
        location={"region_code": "73.11"}))  # fmt: skip
    assert filed.status_code == 201, filed.text
    never = upload(intake, PNG + b"lain", "lain.png")  # the reporter gave up before filing
    answered = file((desk, intake))
    posted = follow_up(desk, answered["tracking_id"],
                       [("file", ("foto.jpg", PHOTO, "image/jpeg"))])  # fmt: skip
    assert posted.status_code == 201, posted.text
    crashed = Blobs(tmp / "routing-blobs").put(LETTER)  # stored, then the process died

    assert sweep(intake, routing) == [
        {"forgotten": 0, "removed": 0, "kept": 0},
        {"removed": 0, "kept": 0},
    ]  # all younger than a day
    assert stored(tmp / "blobs") == {attached["sha256"], never["sha256"]}

    in_two_days(intake, routing)
    assert sweep(intake, routing) == [
        {"forgotten": 1, "removed": 1, "kept": 1},
        {"removed": 1, "kept": 1},
    ]
    assert stored(tmp / "blobs") == {attached["sha256"]}
    assert stored(tmp / "routing-blobs") == {posted.json()["attachments"][0]["sha256"]}
    assert crashed not in stored(tmp / "routing-blobs")
    assert sweep(intake, routing) == [
        {"forgotten": 0, "removed": 0, "kept": 1},
        {"removed": 0, "kept": 1},
    ]

    # what is named still opens; the forgotten upload can no longer be attached
    tid, key = filed.json()["tracking_id"], {"X-Report-Key": filed.json()["report_key"]}
    got = requests.get(f"{intake.url}/reports/{tid}/attachments/{attached['id']}", headers=key,
                       timeout=5)  # fmt: skip
    assert got.status_code == 200 and got.content == PNG
    shown = desk.detail(answered["tracking_id"], "dinkes.barru")["followups"][0]["attachments"]
    assert desk("GET", shown[0]["href"], "dinkes.barru").content == PHOTO
    late = requests.post(f"{intake.url}/reports", json=make_report(attachments=[never["id"]]),
                         timeout=5)  # fmt: skip
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "attachments"
