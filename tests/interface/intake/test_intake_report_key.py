"""A tracking id names a report; it is not a key (SPEC §2, §3). Each test is an attack by
someone who holds only the id — or reuses someone's Idempotency-Key — on the real RabbitMQ and
SQLite, and what the reporter, who can prove it, still gets."""

import csv
import io
import logging

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.intake.service import Intake
from shared.db import utcnow
from tests.factories import emitter, make_report, routed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
UNKNOWN_ID = "LPR-0000-0000-0000"
SAME = {"X-Correlation-Id": "attack-1"}  # so two problem bodies can be compared whole
COMMENT = "Rumah saya nomor 7, samping masjid."
FEEDBACK = "Belum ada perubahan, saya dimarahi kepala sekolah."
FOLLOWUP = "Kepala sekolah sudah dipanggil dan pungutan dihentikan."


@pytest.fixture
def intake(container_factory, service_config, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"), HTTP_RATE_LIMIT="0/60")
    container = container_factory(Intake, config)
    container.start()
    routing = container_factory(emitter("routing"), service_config("routing"))
    routing.start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"

    def send(handler, event_type, tracking_id, body):
        with entrypoint_waiter(container, handler):
            with entrypoint_hook(routing, "emit") as emit:
                emit(event_type, tracking_id, body)

    return url, send


def file(url, headers=None, **overrides) -> tuple[str, dict]:
    """(tracking id, the X-Report-Key header of its reporter)."""
    response = requests.post(
        f"{url}/reports", json=make_report(**overrides), headers=headers, timeout=5
    )
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"], {"X-Report-Key": response.json()["report_key"]}


def followup(tracking_id, final):
    return {
        "tracking_id": tracking_id,
        "followup_id": 1,
        "agency_code": "PROV-73-DISDIK",
        "agency_name": "Dinas Pendidikan Provinsi Sulawesi Selatan",
        "text": FOLLOWUP,
        "final": final,
        "status": "awaiting_feedback" if final else "in_progress",
        "privacy": "public",
        "posted_at": utcnow(),
    }


def lived(url, send, privacy) -> tuple[str, dict, str]:
    """A report with an attachment, a comment, a final follow-up and unsatisfied feedback:
    (tracking id, its key header, the attachment's id)."""
    upload = requests.post(
        f"{url}/attachments", files={"file": ("ktp-saya.png", PNG, "image/png")}, timeout=5
    ).json()
    tid, key = file(
        url,
        privacy=privacy,
        attachments=[upload["id"]],
        reporter={"name": "Siti Rahmawati", "phone": "0812-9999-0001"},
    )
    send("on_report_routed", "report_routed", tid, routed(tid))
    assert requests.post(
        f"{url}/reports/{tid}/comments", json={"text": COMMENT}, headers=key, timeout=5
    ).ok
    send("on_followup_posted", "followup_posted", tid, followup(tid, final=True))
    assert requests.post(
        f"{url}/reports/{tid}/feedback",
        json={"satisfied": False, "note": FEEDBACK},
        headers=key,
        timeout=5,
    ).ok
    return tid, key, upload["id"]


def test_a_confidential_report_answers_as_an_unknown_id_to_whoever_holds_only_the_id(intake):
    url, send = intake
    tid, key, attachment = lived(url, send, "confidential")
    absent = requests.get(f"{url}/reports/{UNKNOWN_ID}", headers=SAME, timeout=5)
    for headers in (SAME, {**SAME, "X-Report-Key": "guess"}, {**SAME, "X-Report-Key": ""}):
        hidden = requests.get(f"{url}/reports/{tid}", headers=headers, timeout=5)
        assert (hidden.status_code, hidden.text) == (404, absent.text)
    download = requests.get(f"{url}/reports/{tid}/attachments/{attachment}", timeout=5)
    assert download.status_code == 404 and PNG not in download.content
    unknown_comment = requests.post(
        f"{url}/reports/{UNKNOWN_ID}/comments", json={"text": "x"}, headers=SAME, timeout=5
    )
    for action, body in (
        ("comments", {"text": "Saya tahu siapa pelapornya"}),
        ("feedback", {"satisfied": True}),
        ("withdraw", {}),
        ("supplement", {"body_addition": "tambahan"}),
    ):
        refused = requests.post(f"{url}/reports/{tid}/{action}", json=body, headers=SAME, timeout=5)
        assert (refused.status_code, refused.text) == (404, unknown_comment.text), action

    own = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()  # the reporter
    # the feedback is recorded; the status stays until routing decides it (SPEC §4)
    assert own["status"]["code"] == "awaiting_feedback"
    assert own["reporter_name"] == "Siti Rahmawati"
    notes = [line["note"] for line in own["timeline"]]
    assert COMMENT in notes and FEEDBACK in notes and own["attachments"][0]["id"] == attachment
    got = requests.get(f"{url}/reports/{tid}/attachments/{attachment}", headers=key, timeout=5)
    assert got.content == PNG


@pytest.mark.parametrize("privacy, display_name", [("public", "Siti R."), ("anonymous", None)])
def test_the_public_view_has_content_but_no_comment_feedback_note_or_attachment(
    intake, privacy, display_name
):
    url, send = intake
    tid, key, attachment = lived(url, send, privacy)
    public = requests.get(f"{url}/reports/{tid}", timeout=5)
    assert public.status_code == 200
    shown = public.json()
    assert shown["title"] == "Pungutan di SMA negeri" and shown["body"]  # content
    assert shown.get("display_name") == display_name  # a public reporter's display name only
    for secret in ("Siti Rahmawati", "+6281299990001", COMMENT, FEEDBACK, "ktp-saya"):
        assert secret not in public.text
    assert "attachments" not in shown and "reporter_phone" not in shown
    assert FOLLOWUP in [line["note"] for line in shown["timeline"]]  # the agency's answer
    assert {line["kind"] for line in shown["timeline"]} <= {"status", "followup"}
    download = requests.get(f"{url}/reports/{tid}/attachments/{attachment}", timeout=5)
    assert download.status_code in (401, 403) and PNG not in download.content
    comment = requests.post(f"{url}/reports/{tid}/comments", json={"text": "x"}, timeout=5)
    assert comment.status_code in (401, 403)


def test_the_key_is_never_read_from_a_url_nor_written_to_a_log(intake, caplog):
    url, _ = intake
    tid, key = file(url, privacy="confidential")
    value = key["X-Report-Key"]
    for name in ("report_key", "key", "X-Report-Key"):
        in_url = requests.get(f"{url}/reports/{tid}", params={name: value}, timeout=5)
        assert in_url.status_code == 404
        comment = requests.post(
            f"{url}/reports/{tid}/comments", params={name: value}, json={"text": "x"}, timeout=5
        )
        assert comment.status_code == 404
    assert requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).status_code == 200
    assert requests.post(
        f"{url}/reports/{tid}/comments", json={"text": "halo"}, headers=key, timeout=5
    ).ok
    # what intake (and nameko under it) logged; the test's own HTTP client logs its URLs
    logged = "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("urllib3")
    )
    assert tid in logged and value not in logged


def test_markup_and_sql_are_stored_as_written_and_escaped_where_shown(intake):
    url, send = intake
    title = "Aplikasi tidak bisa <login> lagi"
    body = '<svg/onload=alert(1)> … kades akan "drop table" di aula; DROP TABLE reports; --'
    tid, key = file(
        url, title=title, body=body, parties=[{"name": '=HYPERLINK("http://x","klik")'}]
    )
    send("on_report_routed", "report_routed", tid, routed(tid))
    as_json = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
    assert (as_json["title"], as_json["body"]) == (title, body)  # stored as written, plain
    page = requests.get(f"{url}/public/reports/{tid}", headers={"Accept": "text/html"}, timeout=5)
    assert page.status_code == 200
    assert "<svg" not in page.text and "&lt;svg/onload=alert(1)&gt;" in page.text
    assert "<login>" not in page.text and "&lt;login&gt;" in page.text
    listing = requests.get(f"{url}/public/reports.csv", timeout=5).text
    [row] = list(csv.DictReader(io.StringIO(listing)))
    assert row["title"] == title and row["body"] == body  # text, not a formula
    hostile = file(url, title="=cmd|' /C calc'!A0", body="@SUM(1+1) uang gedung")[0]
    send("on_report_routed", "report_routed", hostile, routed(hostile))
    rows = {
        r["tracking_id"]: r
        for r in csv.DictReader(
            io.StringIO(requests.get(f"{url}/public/reports.csv", timeout=5).text)
        )
    }
    assert rows[hostile]["title"] == "'=cmd|' /C calc'!A0"  # a defused cell
    assert rows[hostile]["body"] == "'@SUM(1+1) uang gedung"


def test_an_idempotency_key_is_bound_to_its_client_and_its_payload(intake):
    """The IETF draft: same key, same client, same body → the first report; same key, other
    body → 422 naming the key; another client's same key → its own report."""
    url, _ = intake
    headers = {"Idempotency-Key": "app-7f3a-0001"}
    first = requests.post(f"{url}/reports", json=make_report(), headers=headers, timeout=5)
    again = requests.post(f"{url}/reports", json=make_report(), headers=headers, timeout=5)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert again.json()["report_key"] == first.json()["report_key"]  # a lost answer, again
    changed = requests.post(
        f"{url}/reports", json=make_report(body="Isi yang lain sama sekali."), headers=headers
    )
    assert changed.status_code == 422
    assert changed.headers["Content-Type"].startswith("application/problem+json")
    assert changed.json()["type"].endswith("idempotency-key-reused")
    assert [error["field"] for error in changed.json()["errors"]] == ["Idempotency-Key"]
    assert first.json()["tracking_id"] not in changed.text

    # another client — a signed-in reporter — reusing the key files their own report
    siti = {
        "nik": "7311015208900001",
        "full_name": "Siti Rahmawati",
        "gender": "female",
        "birth_date": "1990-08-12",
        "username": "siti.r",
        "phone": "0812-9999-0001",
        "email": "siti.r@example.id",
        "password": "kata-sandi-panjang",
    }
    assert requests.post(f"{url}/reporters", json=siti, timeout=10).status_code == 201
    token = requests.post(
        f"{url}/login", json={"login": "siti.r", "password": siti["password"]}, timeout=10
    ).json()["token"]
    theirs = requests.post(
        f"{url}/reports",
        json=make_report(reporter={}),
        headers={**headers, "Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert theirs.status_code == 201
    assert theirs.json()["tracking_id"] != first.json()["tracking_id"]
