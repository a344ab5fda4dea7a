"""SMS delivery reports, on the real RabbitMQ and databases: the stand-in gateway (a real HTTP
server) records each sendsms request; the test then calls the dlr-url it carried, as Kannel
would, with the report type in place of %d."""

import re
import secrets

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notification.models import deliveries
from services.notification.service import Notification
from shared.db import make_engine
from tests.factories import wait_for
from tests.interface.notification.notification_stage import (  # noqa: F401 — fixtures
    dispatch,
    file_report,
    intake,
    notification_config,
    outside,
    routing,
)
from tests.servers import requests_seen

PHONE = {"phone": "+6281234567890"}


def start(container_factory, make_config, world, **overrides):
    world["sms"].start()
    config = make_config(SMS_DLR_SECRET="dlr-" + secrets.token_hex(16), **overrides)
    base = f"http://{config['WEB_SERVER_ADDRESS']}"
    config["SMS_DLR_URL"] = f"{base}/channels/sms/delivery-report"
    notification = container_factory(Notification, config)
    notification.start()
    return notification, base


def sms_requests(world, count):
    """The first ``count`` sendsms requests, once they have all come."""

    def seen():
        got = requests_seen(world["sms_log"])
        return got[:count] if len(got) >= count else None

    return wait_for(seen, timeout=15)


def report(sms_request, report_type, **tamper):
    url = sms_request["query"]["dlr-url"].replace("%d", str(report_type))
    for field, value in tamper.items():
        url = re.sub(rf"([?&]{field}=)[^&]*", rf"\g<1>{value}", url)
    return requests.get(url, timeout=5)


def row_of(notification, tracking_id):
    """The reporter's SMS delivery, read from notification's own database."""
    engine = make_engine(notification.config["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.execute(
                select(deliveries).where(
                    deliveries.c.recipient == f"report:{tracking_id}",
                    deliveries.c.channel == "sms",
                )
            ).one_or_none()
    finally:
        engine.dispose()


def status_of(notification, tracking_id):
    row = row_of(notification, tracking_id)
    return row.status if row else None


def counter(base, outcome):
    text = requests.get(f"{base}/metrics", timeout=5).text
    line = f'satupintu_delivery_reports_total{{channel="sms",outcome="{outcome}"}} '
    return next((float(row.split()[-1]) for row in text.splitlines() if row.startswith(line)), 0)


def test_a_delivery_report_marks_the_sms_delivered(
    container_factory,
    notification_config,  # noqa: F811
    intake,  # noqa: F811
    routing,  # noqa: F811
    outside,  # noqa: F811
):
    notification, base = start(container_factory, notification_config, outside)
    tid = file_report(intake, notification, PHONE, "sms")
    dispatch(routing, notification, tid, channel="sms")
    [sent] = sms_requests(outside, 1)
    query = sent["query"]
    # GSM 7-bit, one SMS, with a delivery report asked for the final outcomes (1 + 2 + 16)
    assert (query["coding"], query.get("udh"), query["dlr-mask"]) == ("0", None, "19")
    assert query["text"] == (
        f"LAPOR: laporan {tid} diteruskan ke Dinas Pendidikan Provinsi Sulawesi Selatan."
    )
    wait_for(lambda: status_of(notification, tid) == "sent")
    before = counter(base, "delivered")

    buffered = report(sent, 4)  # the SMSC still tries: nothing is settled
    assert buffered.status_code == 200 and status_of(notification, tid) == "sent"
    answer = report(sent, 1)
    assert answer.status_code == 200 and answer.json() == {"status": "delivered"}
    assert status_of(notification, tid) == "delivered"
    assert counter(base, "delivered") == before + 1
    # Kannel repeating the report changes nothing
    assert report(sent, 1).json() == {"status": None}
    assert status_of(notification, tid) == "delivered"


def test_a_forged_report_is_refused_and_changes_nothing(
    container_factory,
    notification_config,  # noqa: F811
    intake,  # noqa: F811
    routing,  # noqa: F811
    outside,  # noqa: F811
):
    notification, base = start(container_factory, notification_config, outside)
    tid = file_report(intake, notification, PHONE, "sms")
    dispatch(routing, notification, tid, channel="sms")
    [sent] = sms_requests(outside, 1)
    wait_for(lambda: status_of(notification, tid) == "sent")
    for tamper in ({"s": "0" * 32}, {"d": "999"}, {"a": "2"}, {"p": "1"}, {"s": ""}):
        refused = report(sent, 2, **tamper)
        assert refused.status_code == 404, tamper
        assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert report(sent, 1, type="x").status_code == 422
    assert status_of(notification, tid) == "sent"  # no forged failure made it send again
    assert len(requests_seen(outside["sms_log"])) == 1


def test_a_failed_report_counts_as_a_failed_send_retried_then_dead(
    container_factory,
    notification_config,  # noqa: F811
    intake,  # noqa: F811
    routing,  # noqa: F811
    outside,  # noqa: F811
):
    notification, base = start(
        container_factory, notification_config, outside, DELIVERY_MAX_ATTEMPTS=2
    )
    tid = file_report(intake, notification, PHONE, "sms")
    dispatch(routing, notification, tid, channel="sms")
    [first] = sms_requests(outside, 1)
    wait_for(lambda: status_of(notification, tid) == "sent")
    rejected = report(first, 16)  # the SMSC refused it after smsbox had accepted it
    assert rejected.json() == {"status": "failed"}
    # the backoff passes and the same SMS goes out again, as attempt 2
    second = sms_requests(outside, 2)[1]
    assert second["query"]["text"] == first["query"]["text"]
    assert "&a=2&" in second["query"]["dlr-url"]
    wait_for(lambda: status_of(notification, tid) == "sent")
    # a late report of attempt 1 does not speak for attempt 2
    assert report(first, 1).json() == {"status": None}
    assert status_of(notification, tid) == "sent"
    assert report(second, 2).json() == {"status": "dead"}  # attempts exhausted
    dead = row_of(notification, tid)
    assert (dead.attempts, dead.last_error) == (2, "SMS delivery report: not delivered")
    assert len(requests_seen(outside["sms_log"])) == 2


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_split_sms_is_delivered_once_every_part_is(
    database,
    pg_database,
    container_factory,
    notification_config,  # noqa: F811
    intake,  # noqa: F811
    routing,  # noqa: F811
    outside,  # noqa: F811
):
    overrides = {"DATABASE_URL": pg_database()} if database == "postgresql" else {}
    notification, base = start(container_factory, notification_config, outside, **overrides)
    tid = file_report(intake, notification, PHONE, "sms")
    name = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Barru 🚧"
    dispatch(routing, notification, tid, channel="sms", agency_name=name)
    # 107 UCS-2 units (see tests/integration/test_kannel.py): two parts of at most 67
    first, second = sms_requests(outside, 2)
    assert [r["query"]["coding"] for r in (first, second)] == ["2", "2"]
    assert [r["query"]["udh"][:3] for r in (first, second)] == ["\x05\x00\x03"] * 2
    assert [r["query"]["udh"][4:] for r in (first, second)] == ["\x02\x01", "\x02\x02"]
    assert first["query"]["text"] + second["query"]["text"] == (
        f"LAPOR: laporan {tid} diteruskan ke {name}."
    )
    wait_for(lambda: status_of(notification, tid) == "sent")
    assert report(second, 1).json() == {"status": "sent"}  # one part of two
    assert report(first, 1).json() == {"status": "delivered"}
    assert status_of(notification, tid) == "delivered"
