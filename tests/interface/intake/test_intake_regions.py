"""GET /regions: the location picker's lookup, on a real intake container."""

import pytest
import requests

from services.intake.service import Intake


@pytest.fixture
def intake_url(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"))
    container_factory(Intake, config).start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


def test_regions_go_from_the_provinces_down_to_one_level_below_a_code(intake_url):
    provinces = requests.get(f"{intake_url}/regions", timeout=10).json()
    assert provinces["parent"] is None
    assert len(provinces["regions"]) == 38  # SPEC §6: the 38 provinces
    assert {"code": "73", "name": "Sulawesi Selatan", "level": "province"} in provinces["regions"]

    regencies = requests.get(f"{intake_url}/regions", params={"parent": "73"}, timeout=10).json()
    assert {"code": "73.11", "name": "Kabupaten Barru", "level": "regency"} in regencies["regions"]
    districts = requests.get(f"{intake_url}/regions?parent=73.11", timeout=10).json()
    assert districts["parent"]["name"] == "Kabupaten Barru"
    assert districts["regions"] and all(
        r["code"].startswith("73.11.") and r["level"] == "district" for r in districts["regions"]
    )


def test_an_unknown_parent_is_a_problem_not_an_empty_list(intake_url):
    response = requests.get(f"{intake_url}/regions?parent=99.99", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
