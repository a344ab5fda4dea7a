"""An import gives the figures the live pipeline gives for the same history.

The sample of tests/history (declines and re-dispatches, follow-ups, feedback either way,
completed, open, withdrawn, confidential and anonymous reports at four agencies of Barru) is
(a) imported with ``satupintu import`` into fresh databases, and (b) lived through the five real
services on the real broker: the reporter files at intake's HTTP API, staff decline (naming the
agency the record went to next) and post follow-ups at routing's desk, the reporter gives
feedback or withdraws at intake, with intake's and routing's clocks set to each step's time in
the record (shared.clock); at the history's end (``as_of``, a month after its last step) the
clocks' sweep runs once, breaching, escalating and completing what ran out by then, and the
import is given the same ``as_of``. Then reporting's answers (GET /stats and GET /statistics/… of the
nation, Barru and each agency, the live reporting service and one started on the imported
database) must be the same.

Compared: every count — reports per status, per agency and its government and province, per
category and channel, dispatches, declines, follow-ups, final follow-ups, feedback and
satisfaction, reopenings, withdrawals. Not compared: durations (hours to the first follow-up,
…) and what depends on them (on-time and overdue counts, colours): the live replay acts
seconds after the moment it sets, the live sweep acts at ``as_of`` where the import puts a
breach at its deadline, and the import takes the record's times as they are. A record's own
feedback timeout is left out of the sample: the live sweep would have to run at its deadline.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, get_extension
from sqlalchemy.orm import Session

from services import SERVICES, importing, service_class
from services.agency_registry import staff
from services.agency_registry.audit import AuditLog, Who
from shared.auth import TokenSigner
from shared.clock import Clock
from shared.db import make_engine
from shared.historical import time_of
from shared.messaging import declare, service_queues
from shared.staff_keys import load_private_key_file
from tests.factories import wait_for
from tests.history import sample, write
from tests.interface.agency_registry.test_agency_registry import PASSWORD, Client
from tests.interface.routing.test_routing_desk import Desk

STAFF = {
    "KAB-73-11-DINKES": "dinkes.barru",
    "KAB-73-11-RSUD": "rsud.barru",
    "PROV-73-RSUD": "rsud.sulsel",
    "KAB-73-11-DISDIK": "disdik.barru",
    "KAB-73-11-INSPEKTORAT": "itwil.barru",
}
WAIT = 60  # seconds for an effect to show: the services share two cores with much else
VOLATILE = ("hours", "seconds", "on_time", "overdue", "colour", "median", "p90", "mean", "late",
            "score", "rank", "window", "generated", "updated", "as_of", "period")  # fmt: skip


def replayable() -> list[dict]:
    """The sample without feedback timeouts, on the channels the HTTP API takes."""
    records = [record for record in sample() if not record["feedback_timeout"]]
    for record in records:
        if record["channel"] not in ("web", "mobile"):
            record["channel"] = "web"
    return records


@pytest.fixture
def live(container_factory, service_config, registry_db, rabbit_config, staff_keys):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(conn, [q for s in SERVICES for q in service_queues(service_class(s))])
    tokens = staff_tokens(registry_db, staff_keys[0])
    urls, containers = {}, {}
    for service in SERVICES:
        overrides = {"DATABASE_URL": registry_db} if service == "agency_registry" else {}
        if service == "routing":
            overrides["CLOCK_INTERVAL"] = 3600  # the test runs the sweep at the history's end
        config = service_config(service, **overrides)
        containers[service] = container_factory(service_class(service), config)
        containers[service].start()
        urls[service] = f"http://{config['WEB_SERVER_ADDRESS']}"
    registry = Client(urls["agency_registry"])
    registry.tokens.update(tokens)  # issued with the test key: no argon2 login per person
    return urls, containers, Desk(urls["routing"], registry)


def staff_tokens(registry_db: str, private_key_file) -> dict[str, str]:
    """The staff of STAFF (and a national admin) made at the registry, each with a token."""
    signer = TokenSigner(load_private_key_file(private_key_file))
    accounts = [("nasional", "national_admin", "KEMENPANRB")]
    accounts += [(name, "liaison", code) for code, name in STAFF.items()]
    engine = make_engine(registry_db)
    tokens = {}
    with Session(engine) as session, session.begin():
        log = AuditLog(session, Who("test", "test"), None)
        for username, role, agency in accounts:
            data = {"username": username, "full_name": username, "role": role,
                    "agency_code": agency, "password": PASSWORD}  # fmt: skip
            account = staff.create(session, log, None, data)
            tokens[username], _ = signer.issue(account["id"], username, role, agency, agency,
                                               account.get("version") or 0)  # fmt: skip
    engine.dispose()
    return tokens


def at(containers, moment, *services) -> None:
    for service in services:
        get_extension(containers[service], Clock).set(time_of(moment))


def replay(urls, containers, desk, record: dict) -> None:
    """One record's life through the running services."""
    hops = record["dispositions"]
    at(containers, record["submitted_at"], "intake")
    at(containers, hops[0]["at"], "routing")
    body = {
        "classification": record["classification"],
        "category_id": record["category_id"],
        "title": record["title"],
        "body": record["body"],
        "event_date": record["event_date"],
        "parties": record["parties"] or [],
        "location": {"region_code": record["region_code"]},
        "privacy": record["privacy"],
        "channel": record["channel"],
    }
    if record["reporter"]:
        body["reporter"] = {k: v for k, v in record["reporter"].items() if v}
    answer = requests.post(f"{urls['intake']}/reports", json=body, timeout=15)
    assert answer.status_code == 201, answer.text
    tid, key = answer.json()["tracking_id"], answer.json()["report_key"]

    def holder_is(code, status="dispatched"):
        answer = desk("GET", f"/desk/dispositions/{tid}", "nasional")
        if answer.status_code == 404:  # not routed yet
            return False
        detail = answer.json()
        seen[:] = [detail["agency_code"], detail["status"]["code"]]
        return detail["agency_code"] == code and detail["status"]["code"] == status

    seen: list = []

    try:
        wait_for(lambda: holder_is(hops[0]["agency_code"]), timeout=WAIT)
    except AssertionError:
        raise AssertionError(f"{record['tracking_id']} went to {seen}") from None
    for hop, following in zip(hops, hops[1:], strict=False):
        at(containers, hop["declined_at"], "routing", "intake")
        declined = desk("POST", f"/desk/dispositions/{tid}/decline", STAFF[hop["agency_code"]],
                        json={"reason": hop["reason"],
                              "suggested_agency_code": following["agency_code"]})  # fmt: skip
        assert declined.status_code == 200, declined.text
        wait_for(lambda code=following["agency_code"]: holder_is(code), timeout=WAIT)
    holder = hops[-1]["agency_code"]
    for followup in record["followups"]:
        at(containers, followup["at"], "routing", "intake")
        posted = desk("POST", f"/desk/dispositions/{tid}/followups", STAFF[holder],
                      json={"text": followup["text"], "final": followup["final"]})  # fmt: skip
        assert posted.status_code == 201, posted.text
        status = "awaiting_feedback" if followup["final"] else "in_progress"
        wait_for(lambda s=status: mirrored(urls, tid, key, s), timeout=WAIT)
    reporter = {"X-Report-Key": key}
    if record["feedback"]:
        feedback = record["feedback"]
        at(containers, feedback["at"], "routing", "intake")
        given = requests.post(f"{urls['intake']}/reports/{tid}/feedback", headers=reporter,
                              json={"satisfied": feedback["satisfied"],
                                    "note": feedback["note"]}, timeout=15)  # fmt: skip
        assert given.status_code == 200, given.text
        status = "completed" if feedback["satisfied"] else "in_progress"
        wait_for(lambda: holder_is(holder, status), timeout=WAIT)
    if record["withdrawn_at"]:
        at(containers, record["withdrawn_at"], "routing", "intake")
        gone = requests.post(f"{urls['intake']}/reports/{tid}/withdraw", headers=reporter,
                             json={"reason": "Sudah beres"}, timeout=15)  # fmt: skip
        assert gone.status_code == 200, gone.text
        wait_for(lambda: holder_is(holder, "archived"), timeout=WAIT)


def mirrored(urls, tid, key, status) -> bool:
    view = requests.get(f"{urls['intake']}/reports/{tid}", headers={"X-Report-Key": key},
                        timeout=10).json()  # fmt: skip
    return view["status"]["code"] == status


def counts_only(value):
    """The figures without what depends on durations (see the module's docstring)."""
    if isinstance(value, dict):
        return {k: counts_only(v) for k, v in value.items()
                if not any(word in k for word in VOLATILE)}  # fmt: skip
    if isinstance(value, list):
        return [counts_only(item) for item in value]
    return value


def answers(url: str, token: str) -> dict:
    paths = ["/stats", "/statistics/nation", "/statistics/provinces/PROV-73",
             "/statistics/governments/KAB-73-11", "/statistics/governments/KAB-73-11/agencies",
             *[f"/statistics/agencies/{code}" for code in STAFF]]  # fmt: skip
    found = {}
    for path in paths:
        response = requests.get(f"{url}{path}", params={"from": "2019-01-01"}, timeout=15,
                                headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert response.status_code == 200, (path, response.text)
        found[path] = counts_only(response.json())
    return found


def test_imported_history_gives_the_figures_the_live_pipeline_gives(
    live, tmp_path, container_factory, service_config
):
    urls, containers, desk = live
    records = replayable()
    for record in records:
        replay(urls, containers, desk, record)
    wait_for(lambda: requests.get(f"{urls['reporting']}/stats", timeout=10).json()["total"]
             == len(records), timeout=30)  # fmt: skip
    token = desk.registry.tokens["nasional"]  # the national view: no cell withheld
    before = answers(urls["reporting"], token)["/statistics/nation"]
    assert before["reports"] == len(records) and before["view"] != "public"
    assert all(
        before["by_status"][s]
        for s in ("dispatched", "in_progress", "awaiting_feedback", "completed", "archived")
    )  # every ending is in the sample
    # the history ends a month after its last step; the live sweep runs then, once, as the
    # first sweep after an import would if that were when the export was taken
    as_of = max(time_of(v) for r in records for v in _times(r)) + timedelta(days=30)
    at(containers, as_of.isoformat(), "routing", "intake")
    with entrypoint_hook(containers["routing"], "check_clocks") as sweep:
        done = sweep()
    assert done["breaches"] > 0

    path = tmp_path / "history.jsonl"
    write(path, records)
    imported_urls = {s: f"sqlite:///{tmp_path / 'imported'}-{s}.db" for s in importing.SERVICES}
    for service in importing.SERVICES:
        done = importing.import_one(service, path, imported_urls[service], quiet=True, as_of=as_of)
        assert (done.imported, done.skipped) == (len(records), 0)
    # reporting's answers from the imported database: the same service, on that database
    config = service_config("reporting", DATABASE_URL=imported_urls["reporting"])
    container_factory(service_class("reporting"), config).start()
    imported = answers(f"http://{config['WEB_SERVER_ADDRESS']}", token)
    assert not imported["/statistics/nation"]["by_status"]["awaiting_feedback"]  # timed out

    # the sweep's breaches, escalations and completions reach reporting in their own time
    try:
        wait_for(lambda: answers(urls["reporting"], token) == imported, timeout=WAIT)
    except AssertionError:
        pass  # the comparison below says where they differ
    lived = answers(urls["reporting"], token)
    assert lived["/statistics/agencies/KAB-73-11-RSUD"]["decline_rate"]["declines"] > 0
    for path_, figures in lived.items():
        assert imported[path_] == figures, path_


def _times(record: dict):
    yield record["submitted_at"]
    for hop in record["dispositions"]:
        yield from (value for value in (hop["at"], hop.get("declined_at")) if value)
    yield from (followup["at"] for followup in record["followups"])
    if record["feedback"]:
        yield record["feedback"]["at"]
    if record["withdrawn_at"]:
        yield record["withdrawn_at"]
