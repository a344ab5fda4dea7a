"""Email to agency staff, each as they chose it at the registry: the real registry, the real
notification and a real SMTP server (aiosmtpd, into a maildir) on the real RabbitMQ; routing and
intake are stand-ins that emit their events through a real outbox."""

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.agency_registry import staff
from services.agency_registry.audit import AuditLog, Who
from services.agency_registry.models import staff as staff_table
from services.notification.models import deliveries
from services.notification.service import Notification
from shared.db import make_engine
from shared.tracking import new_tracking_id
from tests.factories import routed, wait_for
from tests.interface.agency_registry.test_agency_registry import PASSWORD, start
from tests.interface.notification.notification_stage import _redeliver
from tests.servers import mails

pytest_plugins = ["tests.interface.notification.notification_stage"]

DINKES, KOMINFO = "KAB-73-11-DINKES", "KAB-73-11-DISKOMINFO"
PEOPLE = {  # username: (role, agency, topics chosen)
    "ani.dinkes": ("liaison", DINKES, ["new_disposition", "deadlines", "reporter_replies"]),
    "budi.dinkes": ("liaison", DINKES, ["deadlines"]),
    "citra.dinkes": ("liaison", DINKES, []),
    "dedi.dinkes": ("liaison", DINKES, ["new_disposition", "deadlines", "reporter_replies"]),
    "eka.kominfo": ("coordinator_admin", KOMINFO, ["deadlines"]),
}


def address(username: str) -> str:
    return f"{username}@barrukab.go.id"


@pytest.fixture
def system(container_factory, service_config, registry_db, tmp_path, notification_config,
           outside, routing, intake):  # fmt: skip
    engine = make_engine(registry_db)
    with Session(engine) as session, session.begin():
        log = AuditLog(session, Who("test", "test"), None)
        for username, (role, agency, _) in PEOPLE.items():
            staff.create(session, log, None, {"username": username, "full_name": username,
                         "role": role, "agency_code": agency, "password": PASSWORD,
                         "email": address(username)})  # fmt: skip
    _, registry = start(container_factory, service_config, registry_db, tmp_path)
    for username, (*_, topics) in PEOPLE.items():
        chosen = registry("PUT", "/staff/me/email-notifications", username, json={"topics": topics})
        assert chosen.status_code == 200, chosen.text
        assert chosen.json() == {"topics": topics}
    with Session(engine) as session, session.begin():  # Dedi left: deactivated
        session.execute(update(staff_table).where(staff_table.c.username == "dedi.dinkes")
                        .values(status="deactivated"))  # fmt: skip
    engine.dispose()
    outside["smtp"].start()
    config = notification_config(STAFF_EMAIL=True)
    notification = container_factory(Notification, config)
    notification.start()
    return notification, registry, routing, intake, outside["maildir"]


def emit(source, notification, handler, event_type, tracking_id, body):
    with entrypoint_waiter(notification, handler):
        with entrypoint_hook(source, "emit") as send:
            send(event_type, tracking_id, body)


def settled(notification) -> list:
    """Every staff delivery once none is waiting any more."""
    engine = make_engine(notification.config["DATABASE_URL"])

    def done():
        with Session(engine) as session:
            rows = session.execute(
                select(deliveries).where(deliveries.c.recipient.like("agency:%"))
            ).all()
        return rows if rows and all(row.status in ("sent", "skipped") for row in rows) else None

    try:
        return wait_for(done, timeout=20)
    finally:
        engine.dispose()


def read(maildir) -> list[dict]:
    return sorted(
        (
            {
                "to": sorted(mail["X-RcptTo"].split(", ")),
                "header_to": mail["To"],
                "subject": " ".join(str(make_header(decode_header(mail["Subject"]))).split()),
                "text": mail.get_payload(decode=True).decode(),
            }
            for mail in mails(maildir)
        ),
        key=lambda mail: (mail["subject"], mail["to"]),
    )


def test_each_person_gets_by_email_what_they_chose_once(system):
    notification, _, routing, intake, maildir = system
    tid = new_tracking_id()
    due = datetime(2026, 12, 15, 6, 0, tzinfo=UTC)
    emit(routing, notification, "on_report_routed", "report_routed", tid,
         routed(tid, agency_code=DINKES, agency_name="Dinas Kesehatan Kabupaten Barru",
                first_followup_due_at=due))  # fmt: skip
    breach = {"tracking_id": tid, "clock": "first_followup", "agency_code": DINKES,
              "due_at": due, "breached_at": due + timedelta(minutes=1),
              "action": "marked_overdue", "privacy": "public", "coordinator_code": KOMINFO,
              "region_code": "73.11"}  # fmt: skip
    emit(routing, notification, "on_deadline_breached", "deadline_breached", tid, breach)
    emit(intake, notification, "on_report_commented", "report_commented", tid,
         {"tracking_id": tid, "comment_id": 1, "text": "Belum ada kabar dari puskesmas.",
          "privacy": "public", "channel": "web", "commented_at": due, "agency_code": DINKES})  # fmt: skip
    emit(routing, notification, "on_report_status_changed", "report_status_changed", tid,
         {"tracking_id": tid, "status": "in_progress", "previous_status": "awaiting_feedback",
          "agency_code": DINKES, "reason": "not_satisfied", "privacy": "public",
          "changed_at": due})  # fmt: skip

    rows = settled(notification)
    assert sorted((row.recipient, row.kind, row.status) for row in rows) == [
        (f"agency:{DINKES}", "deadline_breached", "sent"),
        (f"agency:{DINKES}", "new_disposition", "sent"),
        (f"agency:{DINKES}", "reopened_for_agency", "sent"),
        (f"agency:{DINKES}", "reporter_commented", "sent"),
        (f"agency:{KOMINFO}", "deadline_breached", "sent"),
    ]
    ani, budi, eka = address("ani.dinkes"), address("budi.dinkes"), address("eka.kominfo")
    got = read(maildir)
    assert [(mail["subject"], mail["to"]) for mail in got] == [
        (f"Batas waktu tindak lanjut pertama {tid} terlewati / "
         f"first follow-up deadline of {tid} missed", [ani, budi]),
        (f"Batas waktu tindak lanjut pertama {tid} terlewati / "
         f"first follow-up deadline of {tid} missed", [eka]),
        (f"Disposisi baru {tid} / New disposition {tid}", [ani]),
        (f"Laporan {tid} dibuka kembali / Report {tid} reopened", [ani]),
        (f"Tanggapan pelapor {tid} / Reporter's comment {tid}", [ani]),
    ]  # fmt: skip
    new = next(mail for mail in got if mail["subject"].startswith("Disposisi"))
    indonesian, english = new["text"].split("-- English --")
    assert "didisposisikan ke Dinas Kesehatan Kabupaten Barru" in indonesian
    # the deadline as staff read it: the report's local time (Barru: WITA), in each language
    assert "Tindak lanjut pertama paling lambat 15 Desember 2026, 14.00 WITA." in indonesian
    assert "was dispatched to Dinas Kesehatan Kabupaten Barru" in english
    assert "First follow-up due by 15 December 2026, 14:00 WITA." in english
    assert "2026-12-15" not in new["text"]
    missed = next(mail for mail in got if mail["subject"].startswith("Batas waktu"))
    indonesian, english = missed["text"].split("-- English --")
    assert "(15 Desember 2026, 14.00 WITA) terlewati" in indonesian
    assert "(15 December 2026, 14:00 WITA) has passed" in english
    # nobody reads another's address; the reporter's words stay at the desk
    assert {mail["header_to"] for mail in got} == {"undisclosed-recipients:;"}
    assert all("Belum ada kabar" not in mail["text"] for mail in got)
    everyone = {person for mail in got for person in mail["to"]}
    assert address("citra.dinkes") not in everyone  # chose nothing
    assert address("dedi.dinkes") not in everyone  # deactivated

    # the same event delivered again (a lost ack) sends nothing again
    with entrypoint_waiter(notification, "on_deadline_breached"):
        _redeliver(routing, "deadline_breached", tid)
    assert len(settled(notification)) == 5 and len(read(maildir)) == 5


def test_no_one_who_chose_it_means_no_mail_and_a_bad_topic_is_refused(system):
    notification, registry, routing, _, maildir = system
    refused = registry("PUT", "/staff/me/email-notifications", "ani.dinkes",
                       json={"topics": ["semua"]})  # fmt: skip
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "topics.0" and error["message"].startswith("Harus salah satu dari")
    assert registry("GET", "/staff/me", "ani.dinkes").json()["email_topics"] == [
        "new_disposition",
        "deadlines",
        "reporter_replies",
    ]  # fmt: skip  (unchanged)
    assert registry("PUT", "/staff/me/email-notifications", "ani.dinkes",
                    json={"topics": []}).json() == {"topics": []}  # fmt: skip
    tid = new_tracking_id()
    emit(routing, notification, "on_report_routed", "report_routed", tid,
         routed(tid, agency_code=DINKES, agency_name="Dinas Kesehatan Kabupaten Barru"))  # fmt: skip
    [row] = settled(notification)
    assert (row.kind, row.status, row.last_error) == (
        "new_disposition",
        "skipped",
        "no email address",
    )
    assert read(maildir) == []
