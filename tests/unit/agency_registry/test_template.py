"""The national agency template built from the real region data (pure, nothing faked)."""

import re
from collections import Counter

import pytest

from services.agency_registry.template import (
    KINDS,
    NATIONAL_BODIES,
    PROVINCIAL_OPDS,
    REGENCY_OPDS,
    ROOT_CODE,
    build_template,
    government_code,
)
from shared import categories
from shared.regions import load_regions

GOVERNMENT_KINDS = {"provincial_government", "regency_government", "city_government"}


@pytest.fixture(scope="module")
def regions():
    return load_regions(with_villages=False)


@pytest.fixture(scope="module")
def specs(regions):
    return build_template(regions)


@pytest.fixture(scope="module")
def by_code(specs):
    return {spec.code: spec for spec in specs}


def test_counts(specs):
    kinds = Counter(spec.kind for spec in specs)
    expected = (
        1 + len(NATIONAL_BODIES) + 38 * (1 + len(PROVINCIAL_OPDS)) + 514 * (1 + len(REGENCY_OPDS))
    )
    assert len(specs) == expected, f"{len(specs)} agencies, expected {expected}"
    assert len(specs) > 10_000, f"only {len(specs)} agencies"
    assert kinds["provincial_government"] == 38
    assert kinds["regency_government"] + kinds["city_government"] == 514
    assert kinds["city_government"] == 98


def test_districts_are_units_only_on_request(regions, specs):
    with_districts = build_template(regions, with_districts=True)
    units = [s for s in with_districts if s.code.startswith("KEC-")]
    assert not any(s.code.startswith("KEC-") for s in specs)
    assert len(units) == 7277, f"{len(with_districts)} agencies with districts"
    assert len(with_districts) == len(specs) + 7277
    tanete = next(s for s in units if s.code == "KEC-73-11-01")
    assert tanete.kind == "unit"
    assert tanete.parent_code == "KAB-73-11"
    assert tanete.jurisdictions == ["73.11.01"]
    assert tanete.name == "Kecamatan Tanete Riaja"
    assert "administrasi_kependudukan.surat_pengantar" in tanete.competencies
    sentani = next(s for s in units if s.code == "KEC-91-03-01")
    assert sentani.name == "Distrik Sentani"  # Papua calls its districts distrik


def test_codes_are_unique_and_uppercase_ascii(specs):
    codes = [spec.code for spec in specs]
    assert len(set(codes)) == len(codes)
    bad = [code for code in codes if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", code)]
    assert bad == []


def test_parents_come_before_children_and_only_the_root_has_none(specs):
    seen: set[str] = set()
    for spec in specs:
        if spec.parent_code is None:
            assert spec.code == ROOT_CODE
        else:
            assert spec.parent_code in seen, f"{spec.code} before its parent {spec.parent_code}"
        seen.add(spec.code)
    assert specs[0].code == ROOT_CODE


def test_root_is_the_national_coordinator(by_code):
    root = by_code[ROOT_CODE]
    assert (root.kind, root.jurisdictions, root.is_coordinator) == ("national_ministry", [], True)


def test_kinds_and_verification_modes_are_known(specs):
    assert {spec.kind for spec in specs} <= KINDS
    assert {spec.verification_mode for spec in specs} == {"auto"}


def test_every_competency_is_a_known_category(regions):
    unknown = {
        (spec.code, cid)
        for spec in build_template(regions, with_districts=True)
        for cid in spec.competencies
        if not categories.exists(cid)
    }
    assert unknown == set()


def test_every_category_has_an_owner_somewhere(regions):
    held = {
        cid for spec in build_template(regions, with_districts=True) for cid in spec.competencies
    }
    orphans = [
        cid
        for cid in categories.CATEGORIES
        if not held.intersection(categories.ancestors(cid))
        and not held.intersection(categories.descendants(cid))
    ]
    assert orphans == []


def test_every_government_has_exactly_one_coordinator_its_diskominfo(specs):
    coordinators = Counter(
        spec.parent_code for spec in specs if spec.is_coordinator and spec.parent_code is not None
    )
    governments = [spec for spec in specs if spec.kind in GOVERNMENT_KINDS]
    assert len(governments) == 38 + 514
    for government in governments:
        assert coordinators[government.code] == 1, government.code
    diskominfo = {spec.code for spec in specs if spec.is_coordinator}
    assert diskominfo == {ROOT_CODE} | {f"{g.code}-DISKOMINFO" for g in governments}


def test_governments_own_no_category_and_their_opds_share_their_jurisdiction(specs, by_code):
    for spec in specs:
        if spec.kind in GOVERNMENT_KINDS:
            assert spec.competencies == [], spec.code
        if spec.kind == "opd":
            parent = by_code[spec.parent_code]
            assert parent.kind in GOVERNMENT_KINDS
            assert spec.jurisdictions == parent.jurisdictions, spec.code


def test_national_bodies_cover_the_whole_country(by_code):
    for code, *_ in NATIONAL_BODIES:
        assert by_code[code].jurisdictions == [], code
    assert by_code["OMBUDSMAN"].kind == "oversight_body"
    assert by_code["KSP"].kind == "oversight_body"
    assert "perbankan_keuangan" in by_code["OJK"].competencies


def test_the_competency_table_splits_education_between_levels(by_code):
    assert set(by_code["PROV-73-DISDIK"].competencies) == {
        "pendidikan.sma",
        "pendidikan.smk",
        "pendidikan.slb",
    }
    assert set(by_code["KAB-73-11-DISDIK"].competencies) == {
        "pendidikan.paud",
        "pendidikan.sd",
        "pendidikan.smp",
    }
    assert by_code["KEMENDIKTISAINTEK"].competencies == ["pendidikan.perguruan_tinggi"]


def test_names_kinds_and_codes_of_sulawesi_selatan(by_code):
    assert by_code["PROV-73"].name == "Pemerintah Provinsi Sulawesi Selatan"
    assert by_code["PROV-73"].kind == "provincial_government"
    assert by_code["PROV-73"].parent_code == ROOT_CODE
    assert by_code["PROV-73-DISDIK"].name == "Dinas Pendidikan Provinsi Sulawesi Selatan"
    assert by_code["KAB-73-11"].name == "Pemerintah Kabupaten Barru"
    assert by_code["KAB-73-11"].kind == "regency_government"
    assert by_code["KAB-73-11"].parent_code == "PROV-73"
    assert by_code["KAB-73-11-DISDIK"].name == "Dinas Pendidikan Kabupaten Barru"
    assert by_code["KAB-73-71"].kind == "city_government"
    assert by_code["KAB-73-71-DISKOMINFO"].name == (
        "Dinas Komunikasi dan Informatika Kota Makassar"
    )
    assert by_code["PROV-31-DINKES"].name == "Dinas Kesehatan Provinsi DKI Jakarta"
    assert by_code["KAB-73-10"].name == "Pemerintah Kabupaten Pangkajene dan Kepulauan"


def test_government_code():
    assert government_code("73") == "PROV-73"
    assert government_code("73.11") == "KAB-73-11"
    assert government_code("73.71") == "KAB-73-71"
