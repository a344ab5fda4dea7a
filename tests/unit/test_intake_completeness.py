"""Completeness per classification and for supervision categories (SPEC §2)."""

from datetime import date

import pytest

from services.intake import completeness

TODAY = date(2026, 11, 25)
BODY = "Jalan di depan pasar rusak berat sejak bulan lalu."


def complaint(**overrides):
    report = {
        "classification": "complaint",
        "category_id": "infrastruktur.jalan_kabupaten",
        "body": BODY,
        "region_code": "73.11",
        "event_date": date(2026, 11, 20),
        "parties": [],
        "target_agency_code": None,
    }
    report.update(overrides)
    return report


def test_a_complete_complaint_misses_nothing():
    assert completeness.missing(complaint(), TODAY) == []


@pytest.mark.parametrize(
    "overrides, missing",
    [
        ({"body": "Jalan rusak"}, ["body"]),
        ({"body": "x" * 30}, ["body"]),  # one long word is not a description
        ({"category_id": None}, ["category"]),
        ({"category_id": "tidak.ada"}, ["category"]),
        ({"region_code": None}, ["region"]),
        ({"region_code": "73"}, ["region"]),  # a province is not precise enough
        ({"event_date": None}, ["event_date"]),
        ({"event_date": date(2026, 11, 26)}, ["event_date"]),
        ({"category_id": "pungutan_liar.sekolah"}, ["parties"]),
        (
            {"body": "", "category_id": None, "region_code": None, "event_date": None},
            ["body", "category", "region", "event_date"],
        ),
    ],
)
def test_complaints_need_what_where_when_and_for_supervision_who(overrides, missing):
    assert completeness.missing(complaint(**overrides), TODAY) == missing


def test_a_supervision_complaint_naming_who_is_complete():
    report = complaint(category_id="pungutan_liar.sekolah", parties=[{"name": "Bendahara"}])
    assert completeness.missing(report, TODAY) == []


def test_an_aspiration_needs_body_and_category_only():
    aspiration = {"classification": "aspiration", "body": BODY, "category_id": "pariwisata"}
    assert completeness.missing(aspiration, TODAY) == []
    assert completeness.missing({**aspiration, "category_id": None}, TODAY) == ["category"]


def test_an_information_request_needs_a_category_or_an_agency():
    request = {"classification": "information_request", "body": BODY}
    assert completeness.missing(request, TODAY) == ["category_or_agency"]
    assert completeness.missing({**request, "target_agency_code": "KAB-73-11"}, TODAY) == []
    assert completeness.missing({**request, "category_id": "kesehatan"}, TODAY) == []
    assert completeness.routing_category({"category_id": None}) == completeness.INFORMATION_CATEGORY


def test_missing_items_are_told_in_the_reporters_language():
    told_id = completeness.describe(["event_date", "region"], "id")
    told_en = completeness.describe(["event_date", "region"], "en")
    assert [item["field"] for item in told_id] == ["event_date", "location.region_code"]
    assert told_id[0]["message"].startswith("tanggal kejadian")
    assert told_en[0]["message"].startswith("when it happened")
