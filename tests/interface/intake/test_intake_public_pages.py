"""The public listing's pages by cursor, on the real RabbitMQ and on SQLite and PostgreSQL:
reports stored in intake's own database (many in the same second, some confidential, some
not public yet) are read through GET /public/reports following each ``next``, with filters
kept, no report twice, none missing, a confidential one never; a cursor the listing did not
make is a problem, not a 500. Open311's page/page_size reads the same order."""

import base64
import json
from datetime import timedelta

import pytest
import requests
from sqlalchemy import insert

from services.intake.models import reports
from services.intake.service import Intake
from shared.db import make_engine, utcnow


@pytest.fixture(params=["sqlite", "postgresql"])
def intake(request, container_factory, service_config, tmp_path):
    overrides = {"DATABASE_URL": request.getfixturevalue("pg_database")()}
    if request.param == "sqlite":
        overrides = {}
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"), **overrides)
    container = container_factory(Intake, config)
    container.start()
    return config, f"http://{config['WEB_SERVER_ADDRESS']}"


def row(i: int, at, **values) -> dict:
    return {
        "tracking_id": f"LPR-TEST-{i:04d}",
        "classification": "complaint",
        "category_id": "pendidikan.sma" if i % 3 else "kesehatan",
        "title": f"Laporan {i}",
        "body": "Isi laporan yang cukup panjang untuk dibaca.",
        "region_code": "73.11" if i % 2 else "31.71",
        "privacy": "public" if i % 4 else "anonymous",
        "channel": "web",
        "language": "id",
        "status": "dispatched",
        "unsatisfied_rounds": 0,
        "submitted_at": at,
        "updated_at": at,
        **values,
    }


def store(config) -> tuple[list[str], set[str]]:
    """(the listed tracking ids newest first, the ones the public may never see)."""
    now = utcnow().replace(microsecond=0)
    same = now - timedelta(days=1)  # 30 reports in the very same second
    rows = [row(i, same) for i in range(30)]
    rows += [row(i, now - timedelta(hours=i)) for i in range(30, 45)]
    hidden = [
        row(100, same, privacy="confidential"),
        row(101, now, privacy="confidential", status="completed"),
        row(102, same, status="awaiting_verification"),
        row(103, now, status="returned"),
    ]
    engine = make_engine(config["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(insert(reports), rows + hidden)
    engine.dispose()
    listed = sorted(rows, key=lambda r: (r["submitted_at"], r["tracking_id"]), reverse=True)
    return [r["tracking_id"] for r in listed], {r["tracking_id"] for r in hidden}


def pages(url: str, **params) -> list[list[str]]:
    found, cursor = [], None
    while True:
        asked = {**params, **({"cursor": cursor} if cursor else {})}
        response = requests.get(f"{url}/public/reports", params=asked, timeout=10)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "total" not in body  # nothing is counted over the whole table
        found.append([item["tracking_id"] for item in body["items"]])
        cursor = body["next"]
        if cursor is None:
            return found
        assert len(found) < 50, "the cursors go round in circles"


def test_pages_follow_without_gaps_or_repeats_when_many_share_a_second(intake):
    config, url = intake
    listed, hidden = store(config)
    found = pages(url, limit=7)
    assert [len(page) for page in found] == [7] * 6 + [3]
    flat = [tid for page in found for tid in page]
    assert flat == listed  # newest first, ties broken by the tracking id, none twice
    assert not hidden & set(flat)


def test_filters_are_kept_across_cursors(intake):
    config, url = intake
    listed, _ = store(config)
    by_id = {f"LPR-TEST-{i:04d}": i for i in range(45)}
    health = [tid for tid in listed if by_id[tid] % 3 == 0]
    barru = [tid for tid in listed if by_id[tid] % 2]
    assert [t for page in pages(url, category="kesehatan", limit=4) for t in page] == health
    assert [t for page in pages(url, region="73", limit=4) for t in page] == barru
    both = [t for page in pages(url, category="kesehatan", region="73.11", limit=2) for t in page]
    assert both == [tid for tid in health if tid in barru] and len(both) > 2


def test_the_csv_gives_the_same_page_and_its_next(intake):
    config, url = intake
    listed, _ = store(config)
    first = requests.get(f"{url}/public/reports.csv", params={"limit": 5}, timeout=10)
    lines = first.text.strip().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == listed[:5]
    assert (
        first.headers["Link"].startswith("<?limit=5&cursor=")
        and 'rel="next"' in first.headers["Link"]
    )
    following = first.headers["Link"][2:].split(">")[0]
    second = requests.get(f"{url}/public/reports.csv?{following}", timeout=10)
    assert [line.split(",")[0] for line in second.text.strip().splitlines()[1:]] == listed[5:10]


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "!!!!",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _cursor("public", "yesterday", "LPR-TEST-0001"),
        _cursor("public", "2026-01-01T00:00:00", "LPR-TEST-0001"),  # no time zone
        _cursor("public", 12, "LPR-TEST-0001"),
        _cursor("public", "2026-01-01T00:00:00+00:00", ""),
        _cursor("-received", "2026-01-01T00:00:00+00:00", "LPR-TEST-0001"),  # the desk's
        _cursor({"a": 1}),
        "A" * 500,
    ],
)
def test_a_forged_cursor_is_a_problem_not_a_500(intake, cursor):
    _, url = intake
    for path in ("/public/reports", "/public/reports.csv"):
        response = requests.get(f"{url}{path}", params={"cursor": cursor}, timeout=10)
        assert response.status_code == 422, response.text
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "cursor"


def test_open311_pages_read_the_same_order(intake):
    config, url = intake
    listed, hidden = store(config)
    found = []
    for page in range(1, 6):
        answer = requests.get(
            f"{url}/open311/v2/requests.json", params={"page": page, "page_size": 10}, timeout=10
        )
        assert answer.status_code == 200, answer.text
        found += [item["service_request_id"] for item in answer.json()]
    assert found == listed and not hidden & set(found)
