"""Competent agencies and coordinators over the national template, and what an agency may
contain (registration.py); pure, on the real region data and category tree."""

from dataclasses import replace

import pytest

from services.agency_registry import registration
from services.agency_registry.competence import CompetenceIndex, Entry, check_query
from services.agency_registry.errors import (
    InvalidTransition,
    JurisdictionOutsideParent,
    UnknownCategory,
    UnknownRegion,
)
from services.agency_registry.template import build_template
from shared.regions import load_regions


@pytest.fixture(scope="module")
def regions():
    return load_regions()


@pytest.fixture(scope="module")
def specs(regions):
    return build_template(regions, with_districts=True)


def entries(specs):
    paths = {}
    for spec in specs:
        paths[spec.code] = paths.get(spec.parent_code, ()) + (spec.code,)
        yield Entry(
            spec.code,
            spec.name,
            spec.kind,
            spec.parent_code,
            paths[spec.code],
            "active",
            tuple(spec.jurisdictions),
            frozenset(spec.competencies),
            spec.is_coordinator,
        )


@pytest.fixture
def index(specs):
    return CompetenceIndex(entries(specs))


def codes(answers):
    return [answer["code"] for answer in answers]


def test_the_law_splits_education_between_levels(index):
    sma = index.competent("pendidikan.sma", "73.11.01.2002")
    assert sma[0] == {
        "code": "PROV-73-DISDIK",
        "name": "Dinas Pendidikan Provinsi Sulawesi Selatan",
        "kind": "opd",
        "level": "province",
        "jurisdiction": "73",
        "match": "exact",
    }
    assert "KAB-73-11-DISDIK" not in codes(sma)
    assert codes(index.competent("pendidikan.sd", "73.11"))[0] == "KAB-73-11-DISDIK"
    assert codes(index.competent("pendidikan.perguruan_tinggi", "73.11")) == ["KEMENDIKTISAINTEK"]


def test_most_local_first_then_exactness(index):
    health = index.competent("kesehatan", "73.11")
    found = codes(health)
    # regency offices before provincial before national; only covering governments
    assert found.index("KAB-73-11-DINKES") < found.index("PROV-73-DINKES") < found.index("KEMENKES")
    assert not any(code.startswith(("KAB-73-71", "PROV-74")) for code in found)
    kemenkes = health[found.index("KEMENKES")]
    assert (kemenkes["level"], kemenkes["match"]) == ("national", "exact")
    assert health[found.index("KAB-73-11-DINKES")]["match"] == "via_sub_topic"
    banking = index.competent("perbankan_keuangan.sistem_pembayaran", "")
    assert codes(banking) == ["BI", "OJK"]  # BI holds it exactly, OJK via the parent
    district = index.competent("administrasi_kependudukan.surat_pengantar", "73.11.01")
    assert district[0]["code"] == "KEC-73-11-01" and district[0]["level"] == "district"


def test_only_active_agencies_are_competent(index):
    index.put(replace(index.get("PROV-73-DISDIK"), status="suspended"))
    assert "PROV-73-DISDIK" not in codes(index.competent("pendidikan.sma", "73.11"))
    index.put(replace(index.get("PROV-73-DISDIK"), status="active"))
    assert codes(index.competent("pendidikan.sma", "73.11"))[0] == "PROV-73-DISDIK"


def test_coordinator_of_a_region(index):
    assert index.coordinator("73.11.01.2002")["code"] == "KAB-73-11-DISKOMINFO"
    assert index.coordinator("73")["code"] == "PROV-73-DISKOMINFO"
    assert index.coordinator("")["code"] == "KEMENPANRB"
    index.put(replace(index.get("KAB-73-11-DISKOMINFO"), status="suspended"))
    assert index.coordinator("73.11")["code"] == "PROV-73-DISKOMINFO"  # the next one up
    index.remove("KAB-73-11-DISKOMINFO")
    assert index.coordinator("73.11")["level"] == "province"


def test_queries_name_unknown_codes(regions):
    check_query(regions, "kesehatan", "73.11.01.2002")
    with pytest.raises(UnknownCategory):
        check_query(regions, "kesehatan.gigi", "73")
    with pytest.raises(UnknownRegion) as raised:
        check_query(regions, "kesehatan", "73.99")
    assert raised.value.errors == [
        {"field": "region_code", "message": "Wilayah '73.99' tidak ada / No region '73.99'"}
    ]


def test_contents_of_an_agency(regions):
    registration.check_contents(regions, ["73.11.01"], ["kesehatan.puskesmas"], ["73.11"], "unit")
    registration.check_contents(regions, [], ["perbankan_keuangan"], [], "national_agency")
    with pytest.raises(UnknownRegion) as raised:
        registration.check_contents(regions, ["73.11", "73.99"], [], [], "unit")
    assert raised.value.errors[0]["field"] == "jurisdictions.1"
    with pytest.raises(UnknownCategory):
        registration.check_contents(regions, ["73.11"], ["kesehatan.gigi"], [], "unit")
    with pytest.raises(JurisdictionOutsideParent):
        registration.check_contents(regions, ["73.71"], [], ["73.11"], "unit")
    with pytest.raises(JurisdictionOutsideParent):  # national below a regional parent
        registration.check_contents(regions, [], [], ["73.11"], "unit")
    errors = registration.children_outside(["73.11"], {"A": ["73.11.01"], "B": ["73.71"], "C": []})
    assert [error["message"] for error in errors] == [
        "sub-unit B covers 73.71",
        "sub-unit C is national",
    ]
    assert registration.timezone_for(regions, ["94.01"]) == "Asia/Jayapura"
    assert registration.timezone_for(regions, []) == "Asia/Jakarta"


def test_status_transitions():
    assert registration.transition("approve", "pending") == "active"
    assert registration.transition("reject", "pending") == "rejected"
    assert registration.transition("suspend", "active") == "suspended"
    assert registration.transition("reactivate", "suspended") == "active"
    for action, status in [
        ("approve", "active"),
        ("suspend", "pending"),
        ("reactivate", "rejected"),
    ]:
        with pytest.raises(InvalidTransition):
            registration.transition(action, status)
