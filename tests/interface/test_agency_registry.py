"""The agency registry with the national template, on the real RabbitMQ and SQLite."""

import pytest
import requests
from nameko.testing.services import entrypoint_hook

from services.agency_registry.service import AgencyRegistry


@pytest.fixture
def registry(container_factory, service_config, registry_db):
    config = service_config("agency_registry", DATABASE_URL=registry_db)
    container = container_factory(AgencyRegistry, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


def test_rpc_lookups(registry):
    container, _ = registry
    with entrypoint_hook(container, "get_agency") as get_agency:
        agency = get_agency("PROV-73-DISDIK")
        assert get_agency("NOPE") is None
    assert agency["path"] == ["KEMENPANRB", "PROV-73", "PROV-73-DISDIK"]
    assert agency["jurisdictions"] == ["73"]
    assert "pendidikan.sma" in agency["competencies"]
    assert agency["timezone"] == "Asia/Makassar"  # Sulawesi Selatan keeps WITA
    with entrypoint_hook(container, "snapshot") as snapshot:
        whole = snapshot()
    codes = {agency["code"] for agency in whole["agencies"]}
    assert len(codes) == len(whole["agencies"]) > 10_000
    assert {"KEMENPANRB", "OMBUDSMAN", "PROV-73", "KAB-73-11-DISKOMINFO"} <= codes
    with entrypoint_hook(container, "revision") as revision:
        assert revision() == whole["revision"]


def test_http_agency_and_children(registry):
    _, url = registry
    barru = requests.get(f"{url}/agencies/KAB-73-11", timeout=5).json()
    assert barru["name"] == "Pemerintah Kabupaten Barru"
    page = requests.get(f"{url}/agencies/KAB-73-11/children?limit=5", timeout=5).json()
    assert len(page["items"]) == 5
    rest = requests.get(f"{url}/agencies/KAB-73-11/children?offset=5&limit=500", timeout=5).json()
    all_children = {item["code"] for item in page["items"] + rest["items"]}
    assert "KAB-73-11-DISKOMINFO" in all_children
    assert all(item["parent_code"] == "KAB-73-11" for item in page["items"] + rest["items"])


def test_unknown_agency_is_a_problem(registry):
    _, url = registry
    response = requests.get(f"{url}/agencies/NOPE", timeout=5)
    assert response.status_code == 404
    assert response.json()["type"] == "urn:satupintu:problem:not-found"
