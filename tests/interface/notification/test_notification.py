"""Notification on the real RabbitMQ and real databases, with a real SMTP server (aiosmtpd) and
real HTTP servers standing in for the SMS gateway and Twitter. The reporter's contact and the
proof of being the reporter come from a stand-in intake over real RPC (the real intake answers
them in tests/interface/notification/test_notification_inbox.py)."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.notification.service import Notification
from shared.config import ROOT
from tests.factories import routed, submitted, wait_for
from tests.interface.notification.notification_stage import (
    _redeliver,
    dispatch,
    file_report,
    file_report_with_key,
    remember,
    staff_token,
    statuses,
)
from tests.servers import mails, requests_seen

# the stand-in intake and routing, and the outside servers (fixtures)
pytest_plugins = ["tests.interface.notification.notification_stage"]


def test_the_reporter_hears_on_the_channel_they_used(
    container_factory, notification_config, intake, routing, outside
):
    for name in ("smtp", "sms", "twitter"):
        outside[name].start()
    config = notification_config()
    notification = container_factory(Notification, config)
    notification.start()
    by_email = file_report(intake, notification, {"email": "andi@example.id"}, "web")
    by_sms = file_report(intake, notification, {"phone": "+6281234567890"}, "sms", language="en")
    by_twitter = file_report(intake, notification, {"twitter_id": "1234567"}, "twitter")
    # intake's own reply answered the SMS; the next news goes out by SMS
    dispatch(routing, notification, by_sms, channel="sms", language="en")

    wait_for(lambda: len(statuses(config, "sent")) == 3, timeout=15)
    [mail] = mails(outside["maildir"])
    assert mail["To"] == "andi@example.id"
    assert by_email in mail["Subject"] and by_email in mail.get_payload()
    [sms] = requests_seen(outside["sms_log"])
    assert sms["query"]["to"] == "+6281234567890" and sms["query"]["from"] == "1708"
    assert by_sms in sms["query"]["text"] and sms["query"]["text"].startswith(
        f"LAPOR: report {by_sms} dispatched to Dinas Pendidikan"
    )
    assert len(sms["query"]["text"]) <= 160
    [dm] = requests_seen(outside["twitter_log"])
    assert dm["path"] == "/2/dm_conversations/with/1234567/messages"
    assert by_twitter in json.loads(dm["body"])["text"]
    # the same event delivered again queues nothing new
    with entrypoint_waiter(notification, "on_report_submitted"):
        _redeliver(intake, "report_submitted", by_email)
    assert len(statuses(config, "sent")) == 3 and statuses(config, "queued") == []


def test_with_smtp_down_messages_wait_and_go_out_once_it_is_back(
    container_factory, notification_config, intake, outside
):
    config = notification_config(DELIVERY_MAX_ATTEMPTS=50)
    notification = container_factory(Notification, config)
    notification.start()
    filed = [file_report(intake, notification, {"email": f"warga{i}@example.id"}) for i in range(3)]
    failing = wait_for(lambda: (items := statuses(config, "failed")) and len(items) == 3 and items)
    assert all(item["last_error"].startswith("SMTP") for item in failing)
    assert all("warga" not in item["last_error"] for item in failing)

    outside["smtp"].start()
    wait_for(lambda: len(statuses(config, "sent")) == 3, timeout=30)
    received = mails(outside["maildir"])
    assert sorted(mail["To"] for mail in received) == [f"warga{i}@example.id" for i in range(3)]
    assert {tid for tid in filed if any(tid in mail["Subject"] for mail in received)} == set(filed)


def test_a_refused_message_is_dead_listed_for_ops_and_can_be_replayed(
    container_factory, notification_config, intake, routing, outside, tmp_path
):
    refusing = outside["refusing"].start()
    config = notification_config()
    notification = container_factory(Notification, config)
    notification.start()
    tracking_id = file_report(intake, notification, {"phone": "+6281111111111"}, "sms")
    dispatch(routing, notification, tracking_id, channel="sms")
    [dead] = wait_for(lambda: statuses(config, "dead"))
    assert (
        dead["last_error"] == "SMS gateway HTTP 403"
        and dead["tracking_id"] == tracking_id
        and dead["recipient_kind"] == "reporter"
    )
    assert "+62811" not in json.dumps(dead)
    refusing.stop()

    outside["sms"].start()
    with entrypoint_hook(notification, "replay_deliveries") as replay:
        assert replay([dead["id"]]) == 1
    wait_for(lambda: statuses(config, "sent"))
    assert [seen["query"]["to"] for seen in requests_seen(outside["sms_log"])] == ["+6281111111111"]


def test_a_reporter_without_an_address_on_that_channel_is_skipped(
    container_factory, notification_config, intake, outside
):
    config = notification_config()
    notification = container_factory(Notification, config)
    notification.start()
    file_report(intake, notification, {"phone": "+6281234567890"}, "web")  # no email given
    [skipped] = wait_for(lambda: statuses(config, "skipped"))
    assert skipped["last_error"] == "no email address"


def test_two_notification_processes_send_each_message_once(
    container_factory, notification_config, intake, outside, pg_database
):
    outside["smtp"].start()
    database = pg_database()
    configs = [notification_config(DATABASE_URL=database) for _ in range(2)]
    copies = [container_factory(Notification, config) for config in configs]
    for copy in copies:
        copy.start()
    filed = []
    for i in range(20):
        tracking_id, _ = remember(intake, {"email": f"warga{i}@example.id"})
        with entrypoint_hook(intake, "emit") as emit:
            emit("report_submitted", tracking_id, submitted(tracking_id, channel="web"))
        filed.append(tracking_id)
    wait_for(lambda: len(statuses(configs[0], "sent")) == 20, timeout=40)
    assert sorted(mail["To"] for mail in mails(outside["maildir"])) == sorted(
        f"warga{i}@example.id" for i in range(20)
    )


def test_the_life_of_a_report_reaches_the_reporter_and_the_agencies(
    container_factory, notification_config, intake, routing, staff_keys, outside
):
    from datetime import datetime

    outside["smtp"].start()
    config = notification_config()
    notification = container_factory(Notification, config)
    notification.start()
    base = f"http://{config['WEB_SERVER_ADDRESS']}"
    tracking_id, key = file_report_with_key(
        intake, notification, {"email": "siti.rahma@example.id"}, "web", privacy="confidential"
    )
    now = datetime.now(UTC)

    def emit(handler, event_type, body):
        with entrypoint_waiter(notification, handler):
            with entrypoint_hook(routing, "emit") as publish:
                publish(event_type, tracking_id, {"tracking_id": tracking_id, **body})

    emit(
        "on_report_routed",
        "report_routed",
        {
            **routed(
                tracking_id,
                agency_code="KAB-73-11-INSPEKTORAT",
                agency_name="Inspektorat Kabupaten Barru",
                privacy="confidential",
            ),
            "watchers": ["OMBUDSMAN"],
            "first_followup_due_at": now,
        },
    )
    emit(
        "on_followup_posted",
        "followup_posted",
        {
            "followup_id": 1,
            "agency_code": "KAB-73-11-INSPEKTORAT",
            "agency_name": "Inspektorat Kabupaten Barru",
            "text": "Pemeriksaan sudah dilakukan.",
            "final": True,
            "status": "awaiting_feedback",
            "privacy": "confidential",
            "posted_at": now,
            "feedback_due_at": now,
        },
    )
    emit(
        "on_deadline_breached",
        "deadline_breached",
        {
            "clock": "first_followup",
            "agency_code": "KAB-73-11-INSPEKTORAT",
            "coordinator_code": "KAB-73-11-DISKOMINFO",
            "due_at": now,
            "breached_at": now,
            "action": "marked_overdue",
            "privacy": "confidential",
        },
    )
    emit(
        "on_report_status_changed",
        "report_status_changed",
        {
            "status": "completed",
            "previous_status": "awaiting_feedback",
            "reason": "satisfied",
            "agency_code": "KAB-73-11-INSPEKTORAT",
            "privacy": "confidential",
            "changed_at": now,
        },
    )

    reporter = requests.get(
        f"{base}/inbox/{tracking_id}", headers={"X-Report-Key": key}, timeout=5
    ).json()
    assert [item["kind"] for item in reporter["items"]] == [
        "report_received",
        "report_routed",
        "awaiting_feedback",
        "report_completed",
    ]
    assert "Pemeriksaan sudah dilakukan." in reporter["items"][2]["text"]["id"]

    def staff(agency):
        headers = {"Authorization": f"Bearer {staff_token(staff_keys[0], agency)}"}
        return requests.get(f"{base}/staff/inbox", headers=headers, timeout=5).json()

    agency = staff("KAB-73-11-INSPEKTORAT")
    assert [item["kind"] for item in agency["items"]] == ["new_disposition", "deadline_breached"]
    assert "tindak lanjut pertama" in agency["items"][1]["text"]["id"]
    assert [item["kind"] for item in staff("OMBUDSMAN")["items"]] == ["watcher_copy"]
    assert [item["kind"] for item in staff("KAB-73-11-DISKOMINFO")["items"]] == [
        "deadline_breached"
    ]
    assert staff("KAB-73-12-INSPEKTORAT")["items"] == []
    everything_staff_saw = json.dumps([agency, staff("OMBUDSMAN")])
    assert "siti.rahma" not in everything_staff_saw  # a confidential reporter is never named

    # the reporter heard each step by email as well, once: the SMTP server got four mails
    # (received, routed, awaiting feedback, completed), and a redelivered event sends no fifth
    expected = sorted(
        f"Laporan {tracking_id} {step}"
        for step in ("diterima", "diteruskan", "menunggu tanggapan Anda", "selesai")
    )
    wait_for(lambda: len(mails(outside["maildir"])) >= 4, timeout=20)
    wait_for(lambda: len(statuses(config, "sent")) == 4, timeout=20)
    with entrypoint_waiter(notification, "on_report_status_changed"):
        _redeliver(routing, "report_status_changed", tracking_id)
    assert_no_more_mail(outside["maildir"], 4)
    received = mails(outside["maildir"])
    assert sorted(mail["Subject"] for mail in received) == expected
    assert {mail["To"] for mail in received} == {"siti.rahma@example.id"}
    assert requests.get(f"{base}/staff/inbox", timeout=5).status_code == 401


def assert_no_more_mail(maildir, count: int, seconds: float = 3.0) -> None:
    """Drain with a deadline: wait for one more mail than expected, and see none come."""
    with pytest.raises(AssertionError, match="condition not met"):
        wait_for(lambda: len(mails(maildir)) > count, timeout=seconds)


def test_ops_list_and_replay_dead_deliveries_from_the_command_line(
    container_factory, notification_config, intake, routing, outside, tmp_path
):
    refusing = outside["refusing"].start()
    config = notification_config()
    notification = container_factory(Notification, config)
    notification.start()
    tracking_id = file_report(intake, notification, {"phone": "+6282222222222"}, "sms")
    dispatch(routing, notification, tracking_id, channel="sms")
    [dead] = wait_for(lambda: statuses(config, "dead"))
    refusing.stop()
    env = {**os.environ, "AMQP_URI": config["AMQP_URI"]}
    satupintu = [sys.executable, "-m", "services.cli", "deliveries"]
    listed = subprocess.run(
        satupintu, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout.splitlines()[0])["id"] == dead["id"]
    outside["sms"].start()
    replayed = subprocess.run(
        satupintu + ["--replay", str(dead["id"])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert replayed.stdout.strip() == "queued again: 1"
    wait_for(lambda: statuses(config, "sent"))


def test_a_duplicates_reporter_hears_of_the_originals_later_steps(
    container_factory, notification_config, intake, routing, outside
):
    outside["smtp"].start()
    config = notification_config()
    notification = container_factory(Notification, config)
    notification.start()
    original = file_report(intake, notification, {"email": "asli@example.id"})
    duplicate = file_report(intake, notification, {"email": "sama@example.id"})
    archived = {
        "tracking_id": duplicate,
        "reason": "duplicate",
        "duplicate_of": original,
        "previous_status": "awaiting_verification",
        "archived_at": datetime.now(UTC),
    }
    for _ in range(2):  # sent again under another event id: still one follower
        with entrypoint_waiter(notification, "on_report_archived"):
            with entrypoint_hook(intake, "emit") as emit:
                emit("report_archived", duplicate, archived)
    dispatch(routing, notification, original)  # the original's next step …
    # … and one the public may not know of
    hidden = {"agency_code": "X", "agency_name": "Rahasia", "privacy": "confidential"}
    dispatch(routing, notification, original, **hidden)

    def sent_to(address):
        return [m for m in mails(outside["maildir"]) if m["To"] == address]

    # the duplicate's reporter: received, archived (two events), the original's dispatch
    wait_for(lambda: len(sent_to("sama@example.id")) == 4, timeout=15)
    wait_for(lambda: len(sent_to("asli@example.id")) == 3, timeout=15)
    news = [m for m in sent_to("sama@example.id") if original in m["Subject"]]
    assert len(news) == 1 and "Dinas Pendidikan" in news[0].get_payload()
    assert "Rahasia" not in " ".join(m.get_payload() for m in sent_to("sama@example.id"))
    wait_for(lambda: statuses(config, "queued") == [], timeout=15)
    assert len(sent_to("sama@example.id")) == 4  # nothing of the confidential step
