"""The public listing and report page, and the category tree, on the real RabbitMQ and SQLite."""

import csv
import io
from datetime import datetime, timedelta

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.intake.service import Intake
from tests.factories import emitter, make_report, routed

HOSTILE = 'Nilai < 70 & "ditahan" \'guru\' =HYPERLINK("x")'


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"))
    container = container_factory(Intake, config)
    container.start()
    routing = container_factory(emitter("routing"), service_config("routing"))
    routing.start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"

    def file(dispatched=True, **overrides):
        tid = requests.post(f"{url}/reports", json=make_report(**overrides), timeout=5).json()[
            "tracking_id"
        ]
        if dispatched:
            with entrypoint_waiter(container, "on_report_routed"):
                with entrypoint_hook(routing, "emit") as emit:
                    emit(
                        "report_routed",
                        tid,
                        routed(
                            tid,
                            region_code=overrides.get("location", {}).get("region_code", "73.11"),
                        ),
                    )
        return tid

    return url, file


def test_the_listing_pages_and_filters_by_category_region_and_status(intake):
    url, file = intake
    sma = file(category_id="pendidikan.sma", location={"region_code": "73.11"})
    sd = file(category_id="pendidikan.sd", location={"region_code": "73.11.01"})
    health = file(category_id="kesehatan", location={"region_code": "31.71"})
    waiting = file(dispatched=False)  # not verified or dispatched yet: not public
    returned = file(dispatched=False, event_date=None)

    def listed(**params):
        body = requests.get(f"{url}/public/reports", params=params, timeout=5).json()
        return body["next"], [item["tracking_id"] for item in body["items"]]

    following, ids = listed()
    assert following is None and ids == [health, sd, sma]  # newest first, one page
    assert waiting not in ids and returned not in ids
    assert listed(category="pendidikan")[1] == [sd, sma]
    assert listed(category="pendidikan.sd")[1] == [sd]
    assert listed(region="73")[1] == [sd, sma] and listed(region="73.11.01")[1] == [sd]
    assert listed(status="completed") == (None, [])
    following, ids = listed(limit=2)
    assert ids == [health, sd] and listed(cursor=following, limit=2) == (None, [sma])
    bad = requests.get(f"{url}/public/reports", params={"status": "returned"}, timeout=5)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_text_is_stored_as_given_and_escaped_where_it_is_shown(intake):
    url, file = intake
    tid = file(title="Nilai rapor ditahan", body=HOSTILE + " oleh wali kelas sejak semester lalu.")
    stored = requests.get(f"{url}/reports/{tid}", timeout=5).json()
    assert stored["body"].startswith(HOSTILE)  # JSON carries it exactly

    page = requests.get(f"{url}/public/reports/{tid}", headers={"Accept": "text/html"}, timeout=5)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Nilai &lt; 70 &amp; &quot;ditahan&quot; &#x27;guru&#x27;" in page.text
    assert HOSTILE not in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]

    rows = list(
        csv.DictReader(io.StringIO(requests.get(f"{url}/public/reports.csv", timeout=5).text))
    )
    assert rows[0]["tracking_id"] == tid and rows[0]["body"].startswith("Nilai < 70")
    formula = file(
        title='=HYPERLINK("http://x")', body="Jalan rusak di depan pasar sentral kami sejak lama."
    )
    rows = list(
        csv.DictReader(io.StringIO(requests.get(f"{url}/public/reports.csv", timeout=5).text))
    )
    assert {row["tracking_id"]: row["title"] for row in rows}[formula].startswith("'=")


def test_a_public_page_hides_comments_and_unknown_reports(intake):
    url, file = intake
    tid = file()
    page = requests.get(f"{url}/public/reports/{tid}", timeout=5).json()
    assert page["status"] == "dispatched" and page["agency_name"]
    assert all(line["kind"] == "status" and "note" not in line for line in page["timeline"])
    assert requests.get(f"{url}/public/reports/LPR-0000-0000-0000", timeout=5).status_code == 404


def test_categories_are_served_as_a_tree(intake):
    url, _ = intake
    tree = requests.get(f"{url}/categories", timeout=5).json()["categories"]
    assert len(tree) == 20
    education = next(node for node in tree if node["id"] == "pendidikan")
    assert education["name"] == {"id": "Pendidikan", "en": "Education"}
    assert "pendidikan.sma" in [child["id"] for child in education["children"]]
    assert next(node for node in tree if node["id"] == "pungutan_liar")["supervision"] is True


MONTHS = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
          "Desember").split()  # fmt: skip


def test_the_html_page_gives_dates_in_indonesian_in_the_reports_local_time(intake):
    url, file = intake
    tid = file(event_date="2026-11-20")  # Barru, Sulawesi Selatan: WITA, UTC+8
    shown = requests.get(f"{url}/public/reports/{tid}", timeout=5).json()

    def wita(iso: str) -> str:
        local = datetime.fromisoformat(iso) + timedelta(hours=8)
        return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H.%M} WITA"

    page = requests.get(f"{url}/public/reports/{tid}", headers={"Accept": "text/html"}, timeout=5)
    assert f"<dd>{wita(shown['submitted_at'])}</dd>" in page.text  # filed
    assert "<dd>20 November 2026</dd>" in page.text  # the event's day
    assert shown["timeline"]
    for line in shown["timeline"]:
        assert f"<li>{wita(line['at'])}: {line['text']['id']}</li>" in page.text
    assert "UTC" not in page.text
