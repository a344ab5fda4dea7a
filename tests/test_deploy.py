"""docker-compose.yml runs the same system as `make run` (no Docker engine here: its structure
is checked against the services' own configuration instead)."""

import re

import pytest
import yaml

from shared.config import ROOT, SERVICE_CLASSES, config_path


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def default_port(service: str) -> str:
    raw = config_path(service).read_text()
    return re.search(r"WEB_SERVER_ADDRESS: \$\{\w+:[\d.]+:(\d+)\}", raw).group(1)


@pytest.mark.parametrize("service", list(SERVICE_CLASSES))
def test_each_service_runs_from_the_one_image_with_its_own_config_and_health_check(
    compose, service
):
    spec = compose[service]
    assert spec["image"] == "satupintu:latest"
    assert spec["command"][-3:] == [
        "--config",
        f"services/{service}/config.yml",
        SERVICE_CLASSES[service],
    ]
    assert f"127.0.0.1:{default_port(service)}/health" in " ".join(spec["healthcheck"]["test"])
    assert spec["depends_on"]["setup"]["condition"] == "service_completed_successfully"
    raw_config = config_path(service).read_text()
    for name in spec["environment"]:
        assert f"${{{name}:" in raw_config or name.endswith("_DATABASE_URL"), name
    own_database = [
        name
        for name in spec["environment"]
        if name.endswith("_DATABASE_URL") and f"${{{name}:" in raw_config
    ]
    if "DATABASE_URL:" not in raw_config:  # the portal keeps no data of its own
        assert own_database == []
        return
    assert len(own_database) == 1, "each service reads exactly its own database"
    assert spec["environment"][own_database[0]].startswith("postgresql://")


def test_routing_can_be_scaled(compose):
    routing = compose["routing"]
    assert "ports" not in routing and "container_name" not in routing


def test_queues_are_declared_and_the_template_loaded_before_services_start(compose):
    setup = compose["setup"]
    assert "satupintu declare" in setup["command"][-1]
    assert "satupintu load-template" in setup["command"][-1]
    assert setup["depends_on"] == {
        "rabbitmq": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    assert "management" in compose["rabbitmq"]["image"]
    assert "healthcheck" in compose["rabbitmq"] and "healthcheck" in compose["postgres"]


def test_every_service_database_is_created(compose):
    init = (ROOT / "deploy/postgres/init.sql").read_text()
    urls = compose["agency_registry"]["environment"]
    for name, url in urls.items():
        if name.endswith("_DATABASE_URL"):
            assert f"CREATE DATABASE {url.rsplit('/', 1)[1]};" in init


def test_the_image_ships_the_region_data_with_its_licence():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY data ./data" in dockerfile
    assert (ROOT / "data/regions/LICENSE-ODbL.md").exists()
