"""Coordinates → regency (shared.region_points) and the order an Open311 form is located in."""

import pytest
from werkzeug.datastructures import MultiDict

from services.intake.open311 import georeport
from shared import region_points


@pytest.mark.parametrize(
    "latitude, longitude, code",
    [
        (-5.1477, 119.4327, "73.71"),  # Jl. Jend. Sudirman, Kota Makassar
        (-4.4266, 119.6200, "73.11"),  # Barru town
        (-7.7956, 110.3695, "34.71"),  # Kota Yogyakarta, the Kraton
        (-8.0, 105.0, None),  # the Indian Ocean, 100 km from any place
        (35.68, 139.69, None),  # Tokyo: not Indonesia at all
        (-6.2146, 106.8451, None),  # central Jakarta: GeoNames names no regency there
    ],
)
def test_a_point_is_in_the_regency_of_its_nearest_place(latitude, longitude, code):
    assert region_points.regency_at(latitude, longitude) == code


def test_the_distance_is_the_great_circle():
    # one degree of latitude is 6371 km × π / 180 = 111.19 km
    assert region_points.distance_km(0, 120, 1, 120) == pytest.approx(111.19, abs=0.01)


def test_beyond_max_km_there_is_no_guess():
    makassar = region_points.Place("73.71", -5.14861, 119.43194, "Makassar")
    # 0.25° of latitude south is 27.8 km: past the 25 km limit
    assert region_points.nearest_place(-5.39861, 119.43194, [makassar]) is None
    assert region_points.nearest_place(-5.30, 119.43194, [makassar])[0] == makassar


MAKASSAR_POINT = {"lat": "-5.1477", "long": "119.4327"}


@pytest.mark.parametrize(
    "where, code",
    [
        ({**MAKASSAR_POINT}, "73.71"),
        ({**MAKASSAR_POINT, "address_id": "73.11"}, "73.11"),  # a code wins
        ({**MAKASSAR_POINT, "address_string": "Jl. Sultan Hasanuddin, Barru"}, "73.11"),
        ({**MAKASSAR_POINT, "address_string": "Jl. Sultan Hasanuddin"}, "73.71"),
        ({"lat": "north", "long": "119.4327"}, None),  # the schema refuses it, by name
        ({"lat": "nan", "long": "119.4327"}, None),
        ({}, None),
    ],
)
def test_a_form_is_located_by_code_then_place_name_then_point(where, code):
    draft = georeport.draft_from_form(
        MultiDict({"service_code": "infrastruktur.drainase", **where})
    )
    assert draft["location"]["region_code"] == code
