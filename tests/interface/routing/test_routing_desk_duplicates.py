"""Duplicate candidates on the real RabbitMQ and SQLite (SPEC §4 archive as duplicate):
intake, which alone keeps the text, finds reports of the same regency and category family,
within 30 days, with alike words; routing shows only those the person may see; nothing is
archived until a coordinator says so. Registry, routing and intake all real."""

from datetime import datetime, timedelta

from sqlalchemy import create_engine, select, update

from services.intake.duplicates import THRESHOLD
from services.intake.models import duplicate_keys, reports
from tests.factories import wait_for
from tests.interface.routing.test_routing_desk import (
    keys_fixture,  # noqa: F401 — a fixture
    problem,
)
from tests.interface.routing.test_routing_desk_search import file, system  # noqa: F401 — a fixture

SD = {"category_id": "pendidikan.sd", "location": {"region_code": "73.11"}}
SERAGAM = dict(
    title="Pungutan uang seragam di SDN 12 Mangkoso",
    body="Sekolah SDN 12 Mangkoso meminta uang seragam Rp 500.000 kepada setiap siswa baru.",
)
SERAGAM_AGAIN = dict(
    title="Pungutan seragam SDN 12 Mangkoso",
    body="Orang tua siswa baru di SDN 12 Mangkoso diminta membayar uang seragam Rp 500.000 "
    "oleh sekolah.",
)


def candidates(desk, tid, who) -> list[dict]:
    return desk.detail(tid, who)["duplicate_candidates"]


def test_alike_reports_of_one_place_and_family_within_30_days_are_candidates(system):  # noqa: F811
    desk, intake_url, intake = system
    first = file(intake_url, desk, **SERAGAM, **SD)
    again = file(intake_url, desk, **SERAGAM_AGAIN, **SD)
    # the same words elsewhere, in another family, another matter, and (below) 31 days older
    soppeng = file(intake_url, desk, **SERAGAM_AGAIN, category_id="pendidikan.sd",
                   location={"region_code": "73.12"})  # fmt: skip
    health = file(intake_url, desk, **SERAGAM_AGAIN, category_id="kesehatan.puskesmas",
                  location={"region_code": "73.11"})  # fmt: skip
    other = file(intake_url, desk, title="Guru jarang hadir di SMPN 1 Barru",
                 body="Guru matematika di SMPN 1 Barru sering tidak masuk kelas, siswa "
                 "dibiarkan belajar sendiri.", **SD)  # fmt: skip
    old = file(intake_url, desk, **SERAGAM_AGAIN, **SD)
    engine = create_engine(intake.config["DATABASE_URL"])
    with engine.begin() as conn:
        at = conn.execute(select(reports.c.submitted_at).where(reports.c.tracking_id == first))
        first_at = at.scalar()
        for table in (reports, duplicate_keys):  # as if filed a month before the first
            conn.execute(
                update(table)
                .where(table.c.tracking_id == old)
                .values(submitted_at=first_at - timedelta(days=31))
            )

    of_first = candidates(desk, first, "kominfo.barru")
    assert [c["tracking_id"] for c in of_first] == [again]
    score = of_first[0]["score"]
    assert THRESHOLD <= score <= 100
    of_again = candidates(desk, again, "kominfo.barru")
    assert [(c["tracking_id"], c["score"]) for c in of_again] == [(first, score)]
    when = datetime.fromisoformat(of_again[0]["submitted_at"])
    assert when.replace(tzinfo=None) == first_at.replace(tzinfo=None)
    for lonely in (soppeng, health, other, old):
        found = [c["tracking_id"] for c in candidates(desk, lonely, "nasional")]
        assert first not in found and again not in found, lonely
    listed = desk("GET", f"/desk/dispositions/{first}/duplicates", "kominfo.barru")
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"items": of_first}

    # a suggestion only: both still stand where routing put them, in routing and in intake
    for tid in (first, again):
        assert desk.detail(tid, "nasional")["status"]["code"] == "dispatched"
    with engine.connect() as conn:
        statuses = conn.execute(
            select(reports.c.status).where(reports.c.tracking_id.in_([first, again]))
        ).scalars()
        assert "archived" not in set(statuses)

    # a coordinator decides: the archived duplicate is nobody's candidate any more
    archived = desk("POST", f"/desk/dispositions/{again}/archive", "kominfo.barru",
                    json={"reason": "duplicate", "duplicate_of": first})  # fmt: skip
    assert archived.status_code == 200, archived.text
    wait_for(lambda: candidates(desk, first, "kominfo.barru") == [])

    intake.stop()  # intake down: the detail still answers, the candidates are unknown
    assert desk.detail(first, "kominfo.barru")["duplicate_candidates"] is None
    down = desk("GET", f"/desk/dispositions/{first}/duplicates", "kominfo.barru")
    problem(down, 503, "unavailable")


def test_a_confidential_candidate_is_shown_only_to_who_may_see_it(system):  # noqa: F811
    desk, intake_url, _ = system
    public = file(intake_url, desk, **SERAGAM, **SD)
    secret = file(intake_url, desk, **SERAGAM_AGAIN, privacy="confidential", **SD)
    holder = desk.detail(public, "nasional")["agency_code"]
    assert desk.detail(secret, "nasional")["agency_code"] == holder == "KAB-73-11-DISDIK"
    moved = desk("POST", f"/desk/dispositions/{secret}/dispatch", "kominfo.barru",
                 json={"agency_code": "KAB-73-11-DINKES"})  # fmt: skip
    assert moved.status_code == 200, moved.text

    # the coordinator of Barru sees both; each agency only what it holds
    assert [c["tracking_id"] for c in candidates(desk, public, "kominfo.barru")] == [secret]
    assert [c["tracking_id"] for c in candidates(desk, secret, "kominfo.barru")] == [public]
    assert candidates(desk, public, "disdik.barru") == []
    assert candidates(desk, secret, "dinkes.barru") == []
    listed = desk("GET", f"/desk/dispositions/{public}/duplicates", "disdik.barru")
    assert listed.status_code == 200 and listed.json() == {"items": []}
    # and nobody reaches a report's candidates without reaching the report
    problem(desk("GET", f"/desk/dispositions/{secret}/duplicates", "disdik.barru"), 403,
            "out-of-subtree")  # fmt: skip
