"""Files on an agency's follow-up, on the real RabbitMQ and SQLite: the registry, routing and
intake all real. Routing keeps the files; the desk and the proven reporter download them (intake
judges the proof over RPC); the public never sees them, not even their names."""

import hashlib

import pytest
import requests
from sqlalchemy.orm import Session

from services.agency_registry.service import AgencyRegistry
from services.intake import keys
from services.intake.service import Intake
from services.routing.service import Routing
from shared.db import make_engine
from tests.factories import make_report, wait_for
from tests.interface.agency_registry.test_agency_registry import Client, add_staff
from tests.interface.notification.test_notification_inbox import SITI, sign_up
from tests.interface.routing.test_routing_desk import (
    DESK_STAFF,
    Desk,
    keys_fixture,  # noqa: F401 — a fixture
    problem,
)

MAX_BYTES = 64 * 1024  # ATTACHMENT_MAX_BYTES in these tests
PHOTO = b"\xff\xd8\xff\xe0" + b"foto jalan " * 300  # a JPEG's first bytes
LETTER = b"%PDF-1.4\n" + b"surat balasan " * 200
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PUSKESMAS = {"category_id": "kesehatan.puskesmas", "location": {"region_code": "73.11"}}


@pytest.fixture
def system(container_factory, service_config, registry_db, keys, tmp_path):
    desk, intake, _ = started(container_factory, service_config, registry_db, keys, tmp_path)
    return desk, intake


def started(container_factory, service_config, registry_db, keys, tmp_path):
    """The registry, routing and intake, each files' store under ``tmp_path``; the desk,
    intake and routing."""
    add_staff(registry_db, *DESK_STAFF)
    registry_config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    container_factory(AgencyRegistry, registry_config).start()
    routing_config = service_config(
        "routing",
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
        CLOCK_INTERVAL=3600,
        BLOB_DIR=str(tmp_path / "routing-blobs"),
        ATTACHMENT_MAX_BYTES=MAX_BYTES,
        INTAKE_RPC_TIMEOUT=2,
    )
    routing = container_factory(Routing, routing_config)
    routing.start()
    intake_config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"))
    intake = container_factory(Intake, intake_config)
    intake.start()
    intake.url = f"http://{intake_config['WEB_SERVER_ADDRESS']}"
    intake.database_url = intake_config["DATABASE_URL"]
    desk = Desk(f"http://{routing_config['WEB_SERVER_ADDRESS']}", Client(
        f"http://{registry_config['WEB_SERVER_ADDRESS']}"))  # fmt: skip
    return desk, intake, routing


def file(system, headers=None, **overrides) -> dict:
    desk, intake = system
    report = make_report(**{**PUSKESMAS, **overrides})
    response = requests.post(f"{intake.url}/reports", json=report, headers=headers, timeout=10)
    assert response.status_code == 201, response.text
    tid = response.json()["tracking_id"]
    wait_for(lambda: desk("GET", f"/desk/dispositions/{tid}", "dinkes.barru").status_code == 200)
    return response.json()


def follow_up(desk, tid, files, who="dinkes.barru", **fields):
    form = {"text": "Petugas sudah memeriksa lokasi.", "final": "false", **fields}
    return desk("POST", f"/desk/dispositions/{tid}/followups", who, data=form, files=files)


def test_the_holder_attaches_files_the_desk_and_the_reporter_open_them_the_public_never(system):
    desk, intake = system
    filed = file(system, privacy="anonymous")
    tid, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}
    posted = follow_up(
        desk,
        tid,
        [
            ("file", ("../../foto lokasi.jpg", PHOTO, "image/jpeg")),
            ("file", ("surat-balasan.pdf", LETTER, "application/pdf")),
            ("file", ("tanda.webp", WEBP, "image/webp")),
        ],
        final="true",
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["status"] == "awaiting_feedback"
    sent = [
        (a["name"], a["media_type"], a["size"], a["sha256"]) for a in posted.json()["attachments"]
    ]
    assert sent == [
        ("foto lokasi.jpg", "image/jpeg", len(PHOTO), hashlib.sha256(PHOTO).hexdigest()),
        ("surat-balasan.pdf", "application/pdf", len(LETTER), hashlib.sha256(LETTER).hexdigest()),
        ("tanda.webp", "image/webp", len(WEBP), hashlib.sha256(WEBP).hexdigest()),
    ]  # fmt: skip
    photo_id, letter_id, _ = [a["id"] for a in posted.json()["attachments"]]

    # the desk: listed on the follow-up, downloadable by whoever reads the report
    [shown] = desk.detail(tid, "dinkes.barru")["followups"]
    assert [a["name"] for a in shown["attachments"]] == [n for n, *_ in sent]
    href = shown["attachments"][1]["href"]
    assert href == f"/desk/dispositions/{tid}/attachments/{letter_id}"
    for who in ("dinkes.barru", "kominfo.barru", "nasional"):
        got = desk("GET", href, who)
        assert got.status_code == 200, (who, got.text)
        assert got.content == LETTER
        assert got.headers["Content-Type"] == "application/pdf"
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert got.headers["Content-Disposition"] == 'attachment; filename="surat-balasan.pdf"'
    problem(desk("GET", href, "dinkes.sulsel"), 403, "out-of-subtree")
    assert desk("GET", href).status_code == 401
    problem(desk("GET", f"/desk/dispositions/{tid}/attachments/{'0' * 32}", "nasional"), 404,
            "not-found")  # fmt: skip

    # the reporter: named on their timeline, downloaded from routing with their key
    def followup_line():
        seen = requests.get(f"{intake.url}/reports/{tid}", headers=key, timeout=5).json()
        return next((ln for ln in seen["timeline"] if ln["kind"] == "followup"), None)

    line = wait_for(followup_line)
    assert [(a["name"], a["size"]) for a in line["attachments"]] == [(n, s) for n, _, s, _ in sent]
    own = line["attachments"][0]["href"]
    assert own == f"/dispositions/{tid}/attachments/{photo_id}"
    got = requests.get(desk.url + own, headers=key, timeout=5)
    assert got.status_code == 200 and got.content == PHOTO
    assert got.headers["Content-Type"] == "image/jpeg"
    # no proof, a wrong key, a staff token: the same 404 as an unknown file
    for headers in ({}, {"X-Report-Key": "x" * 43}, {"Authorization": "Bearer not-a-token"}):
        problem(requests.get(desk.url + own, headers=headers, timeout=5), 404, "not-found")
    other = file(system)
    problem(requests.get(desk.url + own, headers={"X-Report-Key": other["report_key"]},
                         timeout=5), 404, "not-found")  # fmt: skip

    # the public: the follow-up's words at most, never a file or its name
    for url in (
        f"{intake.url}/reports/{tid}",
        f"{intake.url}/public/reports/{tid}",
        f"{desk.url}/dispositions/{tid}",
    ):
        response = requests.get(url, timeout=5)
        assert response.status_code == 200, url
        for name, *_ in sent:
            assert name not in response.text, url
        assert photo_id not in response.text and "attachments/" not in response.text, url
    page = requests.get(f"{intake.url}/public/reports/{tid}", headers={"Accept": "text/html"},
                        timeout=5)  # fmt: skip
    assert page.status_code == 200 and "foto lokasi" not in page.text


def test_an_account_and_an_open311_client_prove_they_are_the_reporter(system):
    desk, intake = system
    siti = sign_up(intake.url, SITI)
    theirs = file(system, headers=siti, reporter={})["tracking_id"]
    engine = make_engine(intake.database_url)
    with Session(engine) as session, session.begin():
        api_key = keys.issue(session, "Aplikasi Barru")
    engine.dispose()
    form = {
        "api_key": api_key,
        "service_code": "kesehatan.puskesmas",
        "address_id": "73.11",
        "attribute[event_date]": "2026-11-21",
        "description": "Obat di puskesmas habis sejak dua minggu, pasien disuruh membeli.",
        "email": "warga.barru@example.id",
    }
    created = requests.post(f"{intake.url}/open311/v2/requests.json", data=form, timeout=10)
    assert created.status_code == 201, created.text
    [answer] = created.json()
    open311 = answer["service_request_id"]
    wait_for(lambda: desk("GET", f"/desk/dispositions/{open311}", "dinkes.barru").status_code
             == 200)  # fmt: skip
    for tid, proof in ((theirs, siti), (open311, {"X-Open311-Token": answer["token"]})):
        posted = follow_up(desk, tid, [("file", ("foto.png", b"\x89PNG\r\n\x1a\n" + b"x" * 99,
                                                  "image/png"))])  # fmt: skip
        assert posted.status_code == 201, posted.text
        href = f"/dispositions/{tid}/attachments/{posted.json()['attachments'][0]['id']}"
        got = requests.get(desk.url + href, headers=proof, timeout=5)
        assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
        problem(requests.get(desk.url + href, timeout=5), 404, "not-found")
    # Siti's token proves nothing about the Open311 report
    href_other = f"/dispositions/{open311}/attachments/{posted.json()['attachments'][0]['id']}"
    problem(requests.get(desk.url + href_other, headers=siti, timeout=5), 404, "not-found")


@pytest.mark.parametrize(
    ("files", "status", "slug"),
    [
        ([("file", ("foto.png", b"<html>not a png</html>", "image/png"))], 415,
         "unsupported-media-type"),
        ([("file", ("a.webp", b"RIFF\x10\x00\x00\x00WAVEfmt ", "image/webp"))], 415,
         "unsupported-media-type"),
        ([("file", ("run.exe", b"MZ\x90\x00", "application/octet-stream"))], 415,
         "unsupported-media-type"),
        ([("file", ("besar.jpg", b"\xff\xd8\xff" + b"x" * MAX_BYTES, "image/jpeg"))], 413,
         "payload-too-large"),
        ([("file", (f"f{n}.pdf", LETTER, "application/pdf")) for n in range(6)], 422,
         "invalid-input"),
    ],
)  # fmt: skip
def test_a_refused_file_is_a_problem_and_changes_nothing(system, files, status, slug):
    desk, _ = system
    tid = file(system)["tracking_id"]
    before = desk.detail(tid)
    body = problem(follow_up(desk, tid, files), status, slug)
    if status != 413:
        assert [error["field"] for error in body["errors"]] == ["file"]
        assert " / " in body["errors"][0]["message"]  # Indonesian, then English
    after = desk.detail(tid)
    assert after["followups"] == [] and after["status"] == before["status"]
    assert after["status"]["code"] == "dispatched"
    assert after["version"] == before["version"]


def test_form_fields_are_checked_as_json_ones_and_json_still_works(system):
    desk, _ = system
    tid = file(system)["tracking_id"]
    blank = follow_up(desk, tid, [("file", ("f.pdf", LETTER, "application/pdf"))], text=" ")
    assert [e["field"] for e in problem(blank, 422, "invalid-input")["errors"]] == ["text"]
    odd = follow_up(desk, tid, [], final="mungkin")
    assert [e["field"] for e in problem(odd, 422, "invalid-input")["errors"]] == ["final"]
    assert desk.detail(tid)["followups"] == []
    plain = desk("POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru",
                 json={"text": "Sedang ditangani."})  # fmt: skip
    assert plain.status_code == 201 and plain.json()["attachments"] == []
    # only the holder attaches: the coordinator reads but does not post
    other = follow_up(desk, tid, [("file", ("f.pdf", LETTER, "application/pdf"))],
                      who="dinkes.sulsel")  # fmt: skip
    assert other.status_code == 403
    assert len(desk.detail(tid)["followups"]) == 1


def test_without_intake_the_reporter_is_asked_to_try_again_later(system):
    desk, intake = system
    filed = file(system)
    posted = follow_up(desk, filed["tracking_id"], [("file", ("f.pdf", LETTER,
                                                               "application/pdf"))])  # fmt: skip
    href = (
        f"/dispositions/{filed['tracking_id']}/attachments/{posted.json()['attachments'][0]['id']}"
    )
    intake.stop()
    down = requests.get(desk.url + href, headers={"X-Report-Key": filed["report_key"]}, timeout=10)
    problem(down, 503, "unavailable")
    # the desk does not need intake to hand out the agency's own file
    assert desk("GET", href.replace("/dispositions/", "/desk/dispositions/"), "dinkes.barru"
                ).content == LETTER  # fmt: skip
