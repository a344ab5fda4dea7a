"""Completeness per classification and for supervision categories (SPEC §2)."""

import json
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


@pytest.mark.parametrize(
    "body, actionable",
    [
        ("Air keruh tiga hari.", True),  # 20 characters, 4 words: just enough
        ("Air keruh dua hari.", False),  # 19 characters, 4 words
        ("Jembatan penyeberangan ambruk", False),  # 29 characters but 3 words
        ("Jembatan penyeberangan ambruk total", True),  # 35 characters, 4 words
        ("   Air keruh dua hari.   ", False),  # 25 with the padding, 19 without
        ("Air\nkeruh\ttiga  hari.", True),  # any whitespace separates words
        (None, False),
    ],
)
def test_a_body_needs_twenty_characters_and_four_words(body, actionable):
    assert completeness.body_is_actionable(body) is actionable
    expected = [] if actionable else ["body"]
    assert completeness.missing(complaint(body=body), TODAY) == expected


@pytest.mark.parametrize(
    "event_date, missing",
    [
        (date(2026, 11, 25), []),  # today is not the future
        (date(2026, 11, 24), []),
        (date(2026, 11, 26), ["event_date"]),
        (date(2027, 1, 1), ["event_date"]),
    ],
)
def test_the_event_date_may_be_today_but_not_later(event_date, missing):
    assert completeness.missing(complaint(event_date=event_date), TODAY) == missing


@pytest.mark.parametrize(
    "region_code, missing",
    [
        ("73.11", []),  # regency
        ("73.11.01", []),  # district
        ("73.11.01.2002", []),  # village
        ("73", ["region"]),  # province
        ("", ["region"]),
    ],
)
def test_a_complaint_is_located_at_regency_level_or_deeper(region_code, missing):
    assert completeness.missing(complaint(region_code=region_code), TODAY) == missing


def test_an_information_request_needs_neither_place_nor_date_but_a_body():
    request = {"classification": "information_request", "body": "", "category_id": None}
    assert completeness.missing(request, TODAY) == ["body", "category_or_agency"]
    # an unknown category does not count, an agency does
    unknown = {"classification": "information_request", "body": BODY, "category_id": "tidak.ada"}
    assert completeness.missing(unknown, TODAY) == ["category_or_agency"]
    named = {**unknown, "target_agency_code": "KAB-73-11"}
    assert completeness.missing(named, TODAY) == []


def test_an_aspiration_needs_neither_place_nor_date_nor_parties():
    aspiration = {"classification": "aspiration", "body": "singkat", "category_id": None}
    assert completeness.missing(aspiration, TODAY) == ["body", "category"]
    supervision = {"classification": "aspiration", "body": BODY, "category_id": "maladministrasi"}
    assert completeness.missing(supervision, TODAY) == []


def test_an_unknown_category_asks_for_the_category_not_for_parties():
    report = complaint(category_id="pungutan_liar.tidak_ada", parties=[])
    assert completeness.missing(report, TODAY) == ["category"]


def test_every_item_is_told_in_indonesian_or_english_with_its_field():
    items = ["body", "category", "region", "event_date", "parties", "category_or_agency"]
    assert completeness.describe(items, "id") == [
        {
            "item": "body",
            "field": "body",
            "message": "uraian kejadian (minimal 20 karakter, 4 kata)",
        },
        {"item": "category", "field": "category_id", "message": "kategori laporan"},
        {
            "item": "region",
            "field": "location.region_code",
            "message": "lokasi kejadian (kabupaten/kota atau lebih rinci)",
        },
        {
            "item": "event_date",
            "field": "event_date",
            "message": "tanggal kejadian (tidak di masa depan)",
        },
        {
            "item": "parties",
            "field": "parties",
            "message": "pihak yang terlibat (nama atau jabatan)",
        },
        {
            "item": "category_or_agency",
            "field": "category_id",
            "message": "kategori atau instansi tujuan",
        },
    ]
    english = completeness.describe(["body"], "en")
    assert english[0]["message"] == "what happened (at least 20 characters, 4 words)"
    # a language the messages are not written in gets Indonesian
    assert completeness.describe(["body"], "jv") == completeness.describe(["body"], "id")


def test_routing_gets_the_reports_own_category_when_it_has_one():
    assert completeness.routing_category({"category_id": "kesehatan"}) == "kesehatan"
    assert (
        completeness.routing_category({"category_id": None})
        == "komunikasi_informatika.informasi_publik"
    )


def test_the_classification_is_compared_by_value_as_read_from_a_request():
    # as decoded from JSON: an equal string, not the very object in the module's source
    information = json.loads('"information_request"')
    aspiration = json.loads('"aspiration"')
    request = {"classification": information, "body": BODY, "target_agency_code": "KAB-73-11"}
    assert completeness.missing(request, TODAY) == []
    wish = {"classification": aspiration, "body": BODY, "category_id": "pariwisata"}
    assert completeness.missing(wish, TODAY) == []


def test_without_a_classification_the_complaint_rules_apply():
    assert completeness.missing(complaint(classification=None), TODAY) == []
    bare = {"classification": None, "body": BODY, "category_id": "pariwisata"}
    assert completeness.missing(bare, TODAY) == ["region", "event_date"]
