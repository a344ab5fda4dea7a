"""The five services in containers on this test's vhost and SQLite files, with staff accounts
and a few dispatched reports: the ids, codes and credentials a fuzz of their HTTP APIs needs
to reach past "not found" and "sign in first"."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from kombu import Connection
from sqlalchemy.orm import Session

from services import SERVICES, service_class
from services.intake import keys
from shared.db import make_engine
from shared.messaging import declare, service_queues
from tests.factories import GATEWAY_KEY, make_report, wait_for
from tests.interface.agency_registry.test_agency_registry import PASSWORD, add_staff
from tests.interface.intake.test_intake_accounts import SITI

STAFF = [
    ("nasional", "national_admin", "KEMENPANRB"),
    ("kominfo.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO"),
    ("dinkes.barru", "liaison", "KAB-73-11-DINKES"),
    ("disdik.sulsel", "liaison", "PROV-73-DISDIK"),
]
AGENCIES = ["KEMENPANRB", "PROV-73", "PROV-73-DISDIK", "KAB-73-11", "KAB-73-11-DINKES"]
REGIONS = ["73", "73.11", "73.11.01"]
TIMEOUT = 30  # argon2 sign-ins on a loaded machine
CATEGORIES = ["pendidikan.sma", "kesehatan", "infrastruktur.jalan_kabupaten"]


@dataclass
class System:
    urls: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)  # username → staff token
    staff_ids: list[str] = field(default_factory=list)
    reports: dict[str, dict] = field(default_factory=dict)  # tracking id → headers proving it
    gateway_key: str = GATEWAY_KEY
    open311_key: str = ""
    reporter_token: str = ""  # a signed-in reporter's, who filed one of ``reports``
    open311_token: str = ""  # the token of an Open311 request (also one of ``reports``)
    password: str = PASSWORD


def start(container_factory, service_config, registry_db, overrides=None) -> System:
    """Every service started, staff signed in, five reports filed (public, anonymous and
    confidential with a report key, one by a signed-in reporter, one over Open311) and
    dispatched."""
    overrides = overrides or {}
    amqp = service_config("intake")["AMQP_URI"]
    with Connection(amqp) as conn:
        declare(conn, [q for name in SERVICES for q in service_queues(service_class(name))])
    add_staff(registry_db, *STAFF)
    urls = {}
    for name in SERVICES:
        extra = dict(overrides.get(name, {}))
        if name == "agency_registry":
            extra["DATABASE_URL"] = registry_db
        if name == "intake":
            extra["SMS_GATEWAY_KEY"] = GATEWAY_KEY
        config = service_config(name, **extra)
        container_factory(service_class(name), config).start()
        urls[name] = f"http://{config['WEB_SERVER_ADDRESS']}"
        if name == "intake":
            engine = make_engine(config["DATABASE_URL"])
            with Session(engine) as session, session.begin():
                open311_key = keys.issue(session, "Aplikasi Kota Makassar")
            engine.dispose()
    system = System(urls, open311_key=open311_key)
    for username, _, _ in STAFF:
        answer = requests.post(
            f"{urls['agency_registry']}/auth/token",
            json={"username": username, "password": PASSWORD},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200, answer.text
        system.tokens[username] = answer.json()["token"]
        system.staff_ids.append(str(answer.json()["staff"]["id"]))
    for privacy in ("public", "anonymous", "confidential"):
        filed = requests.post(
            f"{urls['intake']}/reports", json=make_report(privacy=privacy), timeout=TIMEOUT
        )
        assert filed.status_code == 201, filed.text
        system.reports[filed.json()["tracking_id"]] = {"X-Report-Key": filed.json()["report_key"]}
    intake = urls["intake"]
    assert requests.post(f"{intake}/reporters", json=SITI, timeout=TIMEOUT).status_code == 201
    login = {"login": SITI["username"], "password": SITI["password"]}
    system.reporter_token = requests.post(f"{intake}/login", json=login, timeout=TIMEOUT).json()[
        "token"
    ]
    mine = requests.post(
        f"{intake}/reports",
        json=make_report(),
        headers={"Authorization": f"Bearer {system.reporter_token}"},
        timeout=TIMEOUT,
    )
    assert mine.status_code == 201, mine.text
    system.reports[mine.json()["tracking_id"]] = {
        "Authorization": f"Bearer {system.reporter_token}"
    }
    form = {
        "api_key": system.open311_key,
        "service_code": "pendidikan.sma",
        "description": "Pungutan liar di SMA negeri, diminta uang gedung tanpa dasar.",
        "address_id": "73.11",
        "attribute[event_date]": "2026-11-20",
    }
    posted = requests.post(f"{intake}/open311/v2/requests.json", data=form, timeout=TIMEOUT)
    assert posted.status_code == 201, posted.text
    system.open311_token = posted.json()[0]["token"]
    system.reports[posted.json()[0]["service_request_id"]] = {
        "X-Open311-Token": system.open311_token
    }
    for tracking_id in system.reports:
        wait_for(
            lambda tid=tracking_id: (
                requests.get(
                    f"{urls['routing']}/desk/dispositions/{tid}",
                    headers={"Authorization": f"Bearer {system.tokens['nasional']}"},
                    timeout=TIMEOUT,
                ).status_code
                == 200
            ),
            timeout=20,
        )
    return system
