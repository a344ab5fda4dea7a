"""The officers' desk for bench/portal.py: N dispositions in one liaison's scope, published
as intake publishes report_submitted (straight onto the broker: filing 10,000 reports at
intake would measure intake) and routed by the running routing; then the liaison signed in
at the portal (its session cookie) and at the registry (its token)."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests
from kombu import Connection, Exchange, Producer

from shared import events
from shared.tracking import new_tracking_id
from tests.browser.desk import PASSWORD, add_officer

LIAISON, AGENCY = "bench.disdik", "PROV-73-DISDIK"
# state senior high schools anywhere in Sulawesi Selatan are the province's (SPEC §6)
PLACES = ("73.11", "73.71", "73.06", "73.13", "73.22")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def submitted(i: int) -> dict:
    tracking_id = new_tracking_id()
    body = {
        "tracking_id": tracking_id,
        "classification": "complaint",
        "category_id": "pendidikan.sma",
        "region_code": PLACES[i % len(PLACES)],
        "privacy": "public",
        "channel": "web",
        "language": "id",
        "title": f"Laporan uji beban meja {i}",
        "submitted_at": datetime.now(UTC),
    }
    return events.new_event("report_submitted", tracking_id, body, None).wire


def seed(urls: dict, folder: Path, n: int) -> tuple[dict, str]:
    """(the portal's cookies, the routing token) once the liaison's queue holds ``n``."""
    add_officer(folder, LIAISON, "liaison", AGENCY)
    token = requests.post(
        f"{urls['agency_registry']}/auth/token",
        json={"username": LIAISON, "password": PASSWORD},
        timeout=10,
    ).json()["token"]
    exchange = Exchange("intake.events", type="topic", durable=True)
    local = threading.local()

    def publish(i: int) -> None:
        if not hasattr(local, "producer"):
            local.conn = Connection(urls["amqp"])
            local.producer = Producer(local.conn.channel(), exchange, serializer="json")
        local.producer.publish(submitted(i), routing_key="report_submitted", delivery_mode=2)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(publish, range(n)))
    deadline, total = time.monotonic() + 1800, 0
    while total < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {total} of {n} dispositions routed")
        time.sleep(2)
        total = requests.get(
            f"{urls['routing']}/desk/dispositions",
            params={"limit": 1},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()["total"]
    portal = requests.Session()
    csrf = CSRF.search(portal.get(f"{urls['portal']}/desk/login", timeout=10).text)[1]
    signed = portal.post(
        f"{urls['portal']}/desk/login",
        data={"csrf": csrf, "username": LIAISON, "password": PASSWORD},
        timeout=10,
    )
    assert "/desk/dispositions" in signed.url, signed.url
    return portal.cookies.get_dict(), token
