"""Reporting's HTTP API in a real container on the real RabbitMQ and a SQLite file filled through
the projection: cards, the worked ranking example of docs/reporting.md, JSON and CSV, windows,
the public view's withheld cells and the staff view, errors, /metrics."""

import csv
import io
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy.orm import Session

from services.reporting import projection, synthetic
from services.reporting.models import metadata
from services.reporting.service import Reporting
from shared.auth import TokenSigner
from shared.db import create_schema, infra, make_engine
from shared.events import new_event
from shared.staff_keys import generate_key_pair, load_private_key_file

JANUARY = {"from": "2026-01-01", "to": "2026-01-31"}
START = datetime(2026, 1, 12, 1, 0, tzinfo=UTC)


def confidential_at_wajo() -> list[synthetic.Plan]:
    """Three reports at one office of Kabupaten Wajo, one of them confidential."""
    return [
        synthetic.Plan(
            f"LPR-WAJO-{i}",
            "KAB-73-13-DISDIK",
            START,
            agency_name="Dinas Pendidikan Kabupaten Wajo",
            region_code="73.13",
            privacy="confidential" if i == 0 else "public",
            first_followup_after=3 * synthetic.HOUR,
        )
        for i in range(3)
    ]


@pytest.fixture
def api(container_factory, service_config, tmp_path):
    keys = (tmp_path / "staff.key", tmp_path / "staff.pub")
    generate_key_pair(*keys)
    config = service_config("reporting", STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]))
    engine = make_engine(config["DATABASE_URL"])
    create_schema(engine, infra, metadata)
    plans = synthetic.ranking_example(START) + confidential_at_wajo()
    with Session(engine) as session, session.begin():
        for plan in plans:
            for kind, body in synthetic.events(plan):
                projection.apply(session, new_event(kind, plan.tracking_id, body, None))
    engine.dispose()
    container = container_factory(Reporting, config)
    container.start()
    signer = TokenSigner(load_private_key_file(keys[0]))

    def token(scope: str) -> dict:
        issued, _ = signer.issue("s1", "staff", "coordinator_admin", scope, scope)
        return {"Authorization": f"Bearer {issued}"}

    return f"http://{config['WEB_SERVER_ADDRESS']}", token


def get(url, path, **kwargs):
    return requests.get(f"{url}{path}", timeout=10, **kwargs)


def test_the_worked_example_ranks_the_governments_of_sulawesi_selatan(api):
    url, _ = api
    answer = get(url, "/rankings/provinces/73", params=JANUARY).json()
    assert answer["province"]["code"] == "PROV-73"
    assert answer["province"]["name"] == "Provinsi Sulawesi Selatan"
    ranked = [row for row in answer["governments"] if row["rank"] is not None]
    assert [
        (row["rank"], row["name"], row["score"], row["mean_first_followup_hours"]) for row in ranked
    ] == [
        (1, "Kota Makassar", 90.0, 45.6),
        (2, "Kabupaten Barru", 83.3, 18.4),
        (3, "Kabupaten Bone", 83.3, 58.33),
        (4, "Kabupaten Gowa", 80.0, 12.0),
    ]
    codes = [row["code"] for row in answer["governments"]]
    assert len(codes) == 24 and "PROV-73" not in codes  # every regency and city, not the province
    parepare = next(row for row in answer["governments"] if row["code"] == "KAB-73-72")
    assert (parepare["rank"], parepare["score"]) == (None, 100.0)

    later = get(url, "/rankings/provinces/PROV-73", params={"from": "2026-02-01"}).json()
    assert {row["rank"] for row in later["governments"]} == {None}


def test_rankings_and_cards_come_as_csv(api):
    url, _ = api
    response = get(url, "/rankings/provinces/73", params={**JANUARY, "format": "csv"})
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "ranking-PROV-73.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(row["rank"], row["code"], row["score"]) for row in rows[:4]] == [
        ("1", "KAB-73-71", "90.0"),
        ("2", "KAB-73-11", "83.3"),
        ("3", "KAB-73-08", "83.3"),
        ("4", "KAB-73-06", "80.0"),
    ]
    barru = rows[1]  # five answered (in progress), one unanswered (still dispatched)
    assert (barru["by_colour.red"], barru["by_colour.yellow"], barru["by_colour.green"]) == (
        "1",
        "5",
        "0",
    )
    card = get(url, "/statistics/agencies/KAB-73-11-DISDIK", headers={"Accept": "text/csv"})
    [row] = list(csv.DictReader(io.StringIO(card.text)))
    assert row["scope.code"] == "KAB-73-11-DISDIK"
    assert (row["reports"], row["by_status.in_progress"], row["by_colour.red"]) == ("6", "5", "1")
    assert row["times.first_followup.count"] == "5"


def test_cards_roll_up_from_agency_to_nation(api):
    url, token = api
    barru = get(url, "/statistics/governments/73.11", params=JANUARY).json()
    assert barru["scope"] == {"kind": "government", "code": "KAB-73-11", "name": "Kabupaten Barru"}
    assert barru["reports"] == 6
    assert barru["overdue"]["first_followup"] == 1
    assert barru["deadline_compliance"]["first_followup"] == {
        "on_time": 5,
        "settled": 6,
        "rate": 0.8333,
    }
    assert barru["times"]["first_followup"]["mean_hours"] == 18.4
    province = get(url, "/statistics/provinces/PROV-73", params=JANUARY).json()
    assert province["reports"] == 6 + 6 + 12 + 5 + 3 + 5 + 3  # the province's own office too
    nation = get(url, "/statistics/nation", headers=token("KEMENPANRB")).json()
    assert nation["reports"] == province["reports"]
    assert nation["by_colour"]["red"] == 1 + 2 + 1  # unanswered: Barru, Makassar (2), Gowa
    # Wajo's confidential report is among the nation's 40: the public does not see a 4
    assert get(url, "/statistics/nation").json()["by_colour"]["red"] is None
    agencies = get(url, "/statistics/governments/KAB-73-11/agencies").json()["agencies"]
    assert [card["scope"]["code"] for card in agencies] == ["KAB-73-11-DISDIK"]
    assert agencies[0]["scope"]["government_code"] == "KAB-73-11"


def test_the_public_never_sees_a_small_count_with_a_confidential_report_in_it(api):
    url, token = api
    public = get(url, "/statistics/agencies/KAB-73-13-DISDIK").json()
    assert public["view"] == "public"
    assert public["reports"] is None and public["by_status"]["in_progress"] is None
    assert public["by_status"]["completed"] == 0
    assert "reports" in public["suppressed"] and "by_status.in_progress" in public["suppressed"]
    as_csv = get(url, "/statistics/agencies/KAB-73-13-DISDIK", params={"format": "csv"}).text
    [row] = list(csv.DictReader(io.StringIO(as_csv)))
    assert row["reports"] == "<5" and row["by_status.completed"] == "0"

    for scope in ("KEMENPANRB", "PROV-73", "KAB-73-13"):  # staff whose scope covers it
        staff = get(url, "/statistics/agencies/KAB-73-13-DISDIK", headers=token(scope)).json()
        assert (staff["view"], staff["reports"], staff["suppressed"]) == ("staff", 3, [])
    elsewhere = get(url, "/statistics/agencies/KAB-73-13-DISDIK", headers=token("KAB-73-11"))
    assert elsewhere.json()["reports"] is None

    stats = get(url, "/stats").json()
    wajo = next(e for e in stats["agencies"] if e["agency_code"] == "KAB-73-13-DISDIK")
    assert wajo["counts"] == {"in_progress": None}
    barru = next(e for e in stats["agencies"] if e["agency_code"] == "KAB-73-11-DISDIK")
    assert barru["counts"] == {"dispatched": 1, "in_progress": 5}  # no confidential report there
    assert stats["total"] == 40

    ranking = get(url, "/rankings/provinces/73").json()["governments"]
    wajo_line = next(row for row in ranking if row["code"] == "KAB-73-13")
    assert wajo_line["reports"] is None and "reports" in wajo_line["suppressed"]


def test_bad_requests_are_problems_that_name_the_field(api):
    url, _ = api
    bad = get(url, "/statistics/nation", params={"from": "2026-02-30"})
    assert bad.status_code == 422
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    assert bad.json()["errors"] == [
        {"field": "from", "message": "Tanggal YYYY-MM-DD / A date as YYYY-MM-DD"}
    ]
    backwards = get(url, "/rankings/provinces", params={"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to"
    assert get(url, "/statistics/agencies/NOPE").status_code == 404
    forged = get(url, "/statistics/nation", headers={"Authorization": "Bearer a.b.c"})
    assert forged.status_code == 401


def test_provinces_are_ranked_nationally(api):
    url, token = api
    answer = get(url, "/rankings/provinces", params=JANUARY, headers=token("KEMENPANRB")).json()
    assert answer["view"] == "staff"
    assert len(answer["provinces"]) == 38
    [first, *rest] = answer["provinces"]
    # Sulawesi Selatan: 34 of 38 settled on time (Wajo's 3 and the province's own 5 included)
    assert (first["code"], first["rank"], first["settled"], first["on_time"]) == (
        "PROV-73",
        1,
        38,
        34,
    )
    assert {row["rank"] for row in rest} == {None}


def test_metrics_show_the_overdue_reports(api):
    url, _ = api
    text = get(url, "/metrics").text
    assert 'satupintu_reports_overdue{clock="first_followup"} 2.0' in text
    assert 'satupintu_reports_overdue{clock="verification"} 0.0' in text


def test_a_small_window_has_exact_medians_that_agree_with_the_mean(api):
    """docs/reporting.md's example, worked by hand: Barru answered after 2, 4, 6, 30 and 50
    hours, Bone after 10, 20, 30, 40, 50 and 200; every report was verified 2 minutes after it
    came in. The histogram would have said 0.5 h for that verification median."""
    url, _ = api
    barru = get(url, "/statistics/governments/KAB-73-11", params=JANUARY).json()["times"]
    assert barru["first_followup"] == {
        "count": 5,
        "median_hours": 6.0,  # the middle of 2, 4, 6, 30, 50
        "p90_hours": 42.0,  # rank 0.9 × 4 = 3.6: 30 + 0.6 × (50 − 30)
        "mean_hours": 18.4,
        "quantiles": "exact",
    }
    assert barru["verification"] == {
        "count": 6,
        "median_hours": 0.03,  # 2 minutes, as the mean
        "p90_hours": 0.03,
        "mean_hours": 0.03,
        "quantiles": "exact",
    }
    bone = get(url, "/statistics/governments/KAB-73-08", params=JANUARY).json()["times"]
    assert (bone["first_followup"]["median_hours"], bone["first_followup"]["p90_hours"]) == (
        35.0,  # the mean of the middle two, 30 and 40
        125.0,  # rank 0.9 × 5 = 4.5: 50 + 0.5 × (200 − 50)
    )
    ranked = get(url, "/rankings/provinces/73", params=JANUARY).json()["governments"]
    medians = {row["code"]: (row["median_first_followup_hours"], row["median_quantiles"])
               for row in ranked if row["answered"]}  # fmt: skip
    assert medians["KAB-73-11"] == (6.0, "exact")
    assert medians["KAB-73-08"] == (35.0, "exact")
    assert medians["KAB-73-71"] == (24.0, "exact")  # 24 nine times, then 240


def test_the_publics_figures_may_be_kept_a_while_and_a_staff_view_never(api):
    url, token = api
    for path in ("/statistics/nation", "/statistics/provinces/73", "/rankings/provinces"):
        public = get(url, path)
        assert public.headers["Cache-Control"] == "public, max-age=30"
        assert public.headers["Vary"] == "Authorization"
        staff = get(url, path, headers=token("KEMENPANRB"))
        assert staff.headers["Cache-Control"] == "private, no-store"
    as_csv = get(url, "/statistics/nation", params={"format": "csv"})
    assert as_csv.headers["Cache-Control"] == "public, max-age=30"
