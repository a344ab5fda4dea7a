"""One history, any order: routing's events for one report, shuffled and each sent twice (the
second time under another event id), end in the state SPEC §4 gives — in intake (which
mirrors routing by the disposition's version) and in reporting (which folds with the same
transition table). Real RabbitMQ and SQLite; a stand-in routing publishes the history."""

import random
from datetime import UTC, datetime, timedelta

import pytest
import requests
from nameko.testing.services import entrypoint_hook

from services.intake.service import Intake
from services.reporting.service import Reporting
from tests.factories import emitter, make_report, routed, wait_for

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # a Monday, 10:00 WITA
AGENCY = {"agency_code": "PROV-73-DISDIK", "agency_name": "Dinas Pendidikan Provinsi Sulsel"}


def history(tid):
    """Routing's events for one report, in the order routing made them (version 2 onwards)."""
    common = {"tracking_id": tid, "privacy": "public", **AGENCY}

    def followup(n, text, final, version):
        status = "awaiting_feedback" if final else "in_progress"
        return ("followup_posted", {**common, "followup_id": n, "text": text, "final": final,
                "status": status, "posted_at": T0 + timedelta(hours=version),
                "version": version})  # fmt: skip

    def changed(status, previous, reason, version):
        return ("report_status_changed", {**common, "status": status, "previous_status": previous,
                "reason": reason, "changed_at": T0 + timedelta(hours=version),
                "version": version})  # fmt: skip

    return [
        ("report_routed", {**routed(tid, routed_at=T0 + timedelta(hours=2)), "version": 2}),
        followup(1, "Kepala sekolah dipanggil.", False, 3),
        followup(2, "Pungutan dihentikan.", True, 4),
        changed("in_progress", "awaiting_feedback", "not_satisfied", 5),
        followup(3, "Uang gedung dikembalikan ke orang tua.", True, 6),
        changed("completed", "awaiting_feedback", "satisfied", 7),
    ]


@pytest.fixture
def services(container_factory, service_config, tmp_path):
    intake_config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"))
    intake = container_factory(Intake, intake_config)
    intake.start()
    reporting_config = service_config("reporting")
    container_factory(Reporting, reporting_config).start()
    routing = container_factory(emitter("routing"), service_config("routing"))
    routing.start()
    return (
        f"http://{intake_config['WEB_SERVER_ADDRESS']}",
        f"http://{reporting_config['WEB_SERVER_ADDRESS']}",
        routing,
    )


@pytest.mark.parametrize("seed", [1, 7])
def test_a_shuffled_history_with_duplicates_ends_in_the_same_state(services, seed):
    intake_url, reporting_url, routing = services
    tid = requests.post(f"{intake_url}/reports", json=make_report(), timeout=10).json()[
        "tracking_id"
    ]
    deliveries = history(tid) * 2
    random.Random(seed).shuffle(deliveries)
    with entrypoint_hook(routing, "emit") as emit:
        for event_type, body in deliveries:
            emit(event_type, tid, body)

    def intake_done():
        answer = requests.get(f"{intake_url}/reports/{tid}", timeout=5)
        if answer.status_code == 404:  # the public knows of it once intake mirrors a dispatch
            return None
        report = answer.json()
        followups = [line for line in report["timeline"] if line.get("kind") == "followup"]
        return report if report["status"]["code"] == "completed" and len(followups) == 3 else None

    report = wait_for(intake_done, timeout=20)
    assert report["agency"]["code"] == "PROV-73-DISDIK"
    notes = sorted(line["note"] for line in report["timeline"] if line.get("kind") == "followup")
    assert notes == sorted(
        [
            "Kepala sekolah dipanggil.",
            "Pungutan dihentikan.",
            "Uang gedung dikembalikan ke orang tua.",
        ]
    )  # each follow-up once, however often and late it came

    def reporting_done():
        stats = requests.get(f"{reporting_url}/stats", timeout=5).json()
        return stats if stats["by_status"].get("completed") == 1 else None

    stats = wait_for(reporting_done, timeout=20)
    assert {k: v for k, v in stats["by_status"].items() if v} == {"completed": 1}


def verdicts(tid, original):
    """Routing's events of a report corrected twice and then archived as a duplicate."""
    common = {"tracking_id": tid, "privacy": "public", "by_agency_code": "PROV-73-DISKOMINFO"}

    def corrected(before, after, version):
        return ("disposition_corrected", {**common, "before": {"category_id": before},
                "after": {"category_id": after}, "status": "dispatched",
                "corrected_at": T0 + timedelta(hours=version), "version": version})  # fmt: skip

    return [
        ("report_routed", {**routed(tid, routed_at=T0 + timedelta(hours=2)), "version": 2}),
        corrected("pendidikan.sma", "pendidikan.smk", 3),
        corrected("pendidikan.smk", "pendidikan.slb", 4),
        (
            "disposition_archived",
            {
                **common,
                "reason": "duplicate",
                "duplicate_of": original,
                "previous_status": "dispatched",
                "agency_code": "PROV-73-DISDIK",
                "archived_at": T0 + timedelta(hours=5),
                "version": 5,
            },
        ),  # fmt: skip
    ]


@pytest.mark.parametrize("seed", [2, 5])
def test_corrections_and_an_archive_in_any_order_end_alike(services, seed):
    intake_url, reporting_url, routing = services
    original = requests.post(f"{intake_url}/reports", json=make_report(), timeout=10).json()
    filed = requests.post(f"{intake_url}/reports", json=make_report(), timeout=10).json()
    tid, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}
    deliveries = verdicts(tid, original["tracking_id"]) * 2
    random.Random(seed).shuffle(deliveries)
    with entrypoint_hook(routing, "emit") as emit:
        for event_type, body in deliveries:
            emit(event_type, tid, body)

    def intake_done():
        report = requests.get(f"{intake_url}/reports/{tid}", headers=key, timeout=5).json()
        return report if report["status"]["code"] == "archived" else None

    wait_for(intake_done, timeout=20)
    # give the last deliveries time to land, then the state must be the final one
    wait_for(lambda: _settled(intake_url, tid, key), timeout=20)
    report = requests.get(f"{intake_url}/reports/{tid}", headers=key, timeout=5).json()
    assert (report["status"]["code"], report["category_id"]) == ("archived", "pendidikan.slb")

    def reporting_done():
        stats = requests.get(f"{reporting_url}/stats", timeout=5).json()
        return stats if stats["by_status"].get("archived") == 1 else None

    wait_for(reporting_done, timeout=20)


def _settled(intake_url, tid, key) -> bool:
    report = requests.get(f"{intake_url}/reports/{tid}", headers=key, timeout=5).json()
    return report["category_id"] == "pendidikan.slb"
