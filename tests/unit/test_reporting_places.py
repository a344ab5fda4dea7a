"""An agency's government and province (services.reporting.places). Pure."""

import pytest

from services.reporting import places
from services.reporting.places import Place


@pytest.mark.parametrize(
    "code, place",
    [
        ("KAB-73-11-DISDIK", Place("KAB-73-11", "PROV-73")),
        ("KEC-73-11-01", Place("KAB-73-11", "PROV-73")),
        ("KAB-73-11", Place("KAB-73-11", "PROV-73")),
        ("PROV-73-DISDIK", Place("PROV-73", "PROV-73")),
        ("KEMENKES", places.NATIONAL),
        ("PUSKESMAS-TANETE", places.NATIONAL),
    ],
)
def test_the_template_codes_say_where_an_agency_sits(code, place):
    assert places.derived(code) == place


def test_a_registered_path_wins_and_kinds_from_events_are_trusted():
    path = ["KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DINKES", "PUSKESMAS-TANETE"]
    assert places.from_path(path) == Place("KAB-73-11", "PROV-73")
    moved = ["KEMENPANRB", "PROV-96", "PEMKAB-BARU", "UPT-X"]
    kinds = {"PEMKAB-BARU": "regency_government"}
    assert places.from_path(moved, kinds) == Place("PEMKAB-BARU", "PROV-96")
    assert places.from_path(["KEMENPANRB", "KEMENKES", "RS-X"]) == places.NATIONAL


def test_region_codes_name_governments_and_provinces():
    assert places.scope_code("province", "73") == "PROV-73"
    assert places.scope_code("government", "73.11") == "KAB-73-11"
    assert places.scope_code("agency", "73") == "73"
    assert places.government_name("KAB-73-11") == "Kabupaten Barru"
    assert places.government_name("PROV-73") == "Provinsi Sulawesi Selatan"
    assert places.government_name("KEMENKES") is None


def test_a_derived_path_for_access_checks():
    assert places.derived_path("KAB-73-11-DISDIK") == [
        "KEMENPANRB",
        "PROV-73",
        "KAB-73-11",
        "KAB-73-11-DISDIK",
    ]
    assert places.derived_path("PROV-73") == ["KEMENPANRB", "PROV-73"]
    assert places.derived_path("OJK") == ["KEMENPANRB", "OJK"]
