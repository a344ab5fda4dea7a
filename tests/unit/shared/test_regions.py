"""Region index over the shipped Kemendagri CSVs (real data, nothing faked)."""

import pytest

from shared.regions import (
    PROVINCE_TIMEZONES,
    Region,
    Regions,
    code_depth,
    covers,
    load_regions,
    prefixes,
    title_name,
)

BARRU = "73.11"


@pytest.fixture(scope="module")
def regions() -> Regions:
    return load_regions()


def test_counts_match_the_shipped_data(regions):
    assert len(regions.provinces()) == 38
    assert len(regions.regencies()) == 514
    assert len(regions.districts()) == 7277
    assert len(regions.villages()) == 83763
    assert len(regions) == 38 + 514 + 7277 + 83763


def test_every_region_sits_under_an_existing_parent_with_a_matching_code(regions):
    for region in regions.regencies() + regions.districts() + regions.villages():
        assert region.parent_code in regions, region.code
        assert region.code.rpartition(".")[0] == region.parent_code, region.code
        assert code_depth(region.code) == region.level


def test_get_a_regency(regions):
    barru = regions.get(BARRU)
    assert barru == Region(BARRU, "KABUPATEN BARRU", 2, "73")
    assert barru.display_name == "Kabupaten Barru"
    assert regions.get("73.99") is None


def test_level_and_exists(regions):
    assert [regions.level(c) for c in ("73", "73.11", "73.11.01", "73.11.01.2002")] == [1, 2, 3, 4]
    assert regions.exists("73.11.01.2002")
    assert not regions.exists("73.11.99")
    assert regions.level("99") is None


def test_province_and_regency_of(regions):
    assert regions.province_of("73.11.01.2002").code == "73"
    assert regions.province_of("73").code == "73"
    # a district code missing from the data (regions split) still has a known province
    assert regions.province_of("73.11.99").name == "SULAWESI SELATAN"
    assert regions.regency_of("73.11.01.2002").code == BARRU
    assert regions.regency_of(BARRU).code == BARRU
    assert regions.regency_of("73") is None


def test_chain_runs_from_province_down(regions):
    chain = regions.chain("73.11.01.2002")
    assert [r.code for r in chain] == ["73", "73.11", "73.11.01", "73.11.01.2002"]
    assert [r.level for r in chain] == [1, 2, 3, 4]


def test_listing_children(regions):
    sulsel = regions.regencies("73")
    assert len(sulsel) == 24
    assert BARRU in {r.code for r in sulsel}
    assert all(r.parent_code == "73" for r in sulsel)
    barru_districts = regions.districts(BARRU)
    assert len(barru_districts) == 7
    assert all(r.code.startswith("73.11.") for r in barru_districts)


@pytest.mark.parametrize(
    "code, zone",
    [
        ("", "Asia/Jakarta"),
        ("31.71", "Asia/Jakarta"),
        ("61", "Asia/Jakarta"),
        ("62", "Asia/Jakarta"),
        ("51", "Asia/Makassar"),
        ("52", "Asia/Makassar"),
        ("53", "Asia/Makassar"),
        ("63", "Asia/Makassar"),
        ("64.01", "Asia/Makassar"),
        ("65", "Asia/Makassar"),
        ("73.11.01.2002", "Asia/Makassar"),
        ("76", "Asia/Makassar"),
        ("81", "Asia/Jayapura"),
        ("82", "Asia/Jayapura"),
        ("91", "Asia/Jayapura"),
        ("96", "Asia/Jayapura"),
    ],
)
def test_timezone_by_province(regions, code, zone):
    assert regions.timezone(code) == zone


def test_every_province_has_a_timezone_and_no_other(regions):
    assert {r.code for r in regions.provinces()} == set(PROVINCE_TIMEZONES)


def test_timezone_of_an_unknown_province_raises(regions):
    with pytest.raises(KeyError):
        regions.timezone("99.01")


def test_code_helpers():
    assert [code_depth(c) for c in ("", "73", "73.11", "73.11.01", "73.11.01.2002")] == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert prefixes("73.11.01") == ["73", "73.11", "73.11.01"]
    assert prefixes("") == []
    assert covers("73.11", "73.11.01.2002")
    assert covers("73.11", "73.11")
    assert covers("", "73.11")
    assert not covers("73.1", "73.11")
    assert not covers("73.11.01", "73.11")


def test_title_name_keeps_indonesian_conventions():
    assert title_name("KABUPATEN PANGKAJENE DAN KEPULAUAN") == "Kabupaten Pangkajene dan Kepulauan"
    assert title_name("DKI JAKARTA") == "DKI Jakarta"
    assert title_name("KOTA BAU-BAU") == "Kota Bau-Bau"


def test_load_regions_is_cached_per_option():
    assert load_regions() is load_regions()
    without = load_regions(with_villages=False)
    assert without is not load_regions()
    assert not without.exists("73.11.01.2002")
    assert without.exists("73.11.01")
    assert without.villages() == []


def test_path_can_be_overridden(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n73,SULAWESI SELATAN\n")
    (tmp_path / "regencies.csv").write_text("code,province_code,name\n73.11,73,KABUPATEN BARRU\n")
    (tmp_path / "districts.csv").write_text("code,regency_code,name\n73.11.01,73.11,Tanete Riaja\n")
    (tmp_path / "villages.csv").write_text("code,district_code,name\n73.11.01.2002,73.11.01,X\n")
    small = load_regions(tmp_path)
    assert len(small) == 4
    assert small.get("73.11.01").name == "Tanete Riaja"
