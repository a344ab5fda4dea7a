"""docker-compose.yml runs the same system as `make run` (no Docker engine here: its structure
is checked against the services' own configuration instead)."""

import re
from urllib.parse import unquote, urlparse

import pytest
import yaml

from services import SERVICE_CLASSES
from services.deployment import DATABASE_SERVICES
from shared.config import ROOT, config_path


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
        read_by_shared_code = name in ("KEYS_DIR", "STAFF_TOKEN_PUBLIC_KEY_FILE")
        assert f"${{{name}:" in raw_config or name.endswith("_DATABASE_URL") or read_by_shared_code
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


def test_every_service_database_is_created_with_its_own_owner(compose):
    init = (ROOT / "deploy/postgres/init-users.sh").read_text()
    assert (
        "./deploy/postgres/init-users.sh:/docker-entrypoint-initdb.d/init-users.sh:ro"
        in compose["postgres"]["volumes"]
    )
    services = re.search(r"for service in ([\w ]+); do", init).group(1).split()
    assert sorted(services) == sorted(DATABASE_SERVICES)
    assert 'CREATE DATABASE :"name" OWNER :"name";' in init
    for service in DATABASE_SERVICES:
        [url] = [
            v for k, v in compose[service]["environment"].items() if k.endswith("_DATABASE_URL")
        ]
        parts = urlparse(url)
        assert parts.username == service and parts.path == f"/{service}", url
        assert parts.password is None, "no database password in the compose file"


def test_the_image_ships_the_region_data_with_its_licence():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY data ./data" in dockerfile
    # the broker permissions are read at run time (satupintu broker-users), from /app
    assert "COPY deploy/rabbitmq ./deploy/rabbitmq" in dockerfile
    assert "PYTHONPATH=/app" in dockerfile
    assert (ROOT / "data/regions/LICENSE-ODbL.md").exists()


def _mounts(spec: dict) -> dict[str, str]:
    """{target: subpath of the keys volume} of one container."""
    return {
        volume["target"]: volume["volume"]["subpath"]
        for volume in spec.get("volumes", [])
        if isinstance(volume, dict) and volume.get("source") == "keys"
    }


def test_the_broker_and_database_are_not_published_and_nobody_is_guest(compose):
    assert "ports" not in compose["rabbitmq"] and "ports" not in compose["postgres"]
    text = (ROOT / "docker-compose.yml").read_text()
    assert "guest" not in text
    for spec in compose.values():
        for value in (spec.get("environment") or {}).values():
            parts = urlparse(str(value))
            if parts.scheme in ("amqp", "postgresql", "http"):
                assert parts.password is None, value  # credentials come from /run/keys


@pytest.mark.parametrize("service", list(SERVICE_CLASSES))
def test_each_service_logs_in_as_its_own_broker_user_with_only_its_own_keys(compose, service):
    spec = compose[service]
    command = spec["command"]
    assert command[:5] == ["python", "-m", "shared.serve", "--broker-role", service]
    assert spec["environment"]["AMQP_URI"] == "amqp://rabbitmq:5672/"
    assert _mounts(spec) == {"/run/keys": service}
    assert spec["environment"]["KEYS_DIR"] == "/run/keys"


def test_setup_makes_the_broker_users_as_administrator_before_declaring(compose):
    setup = compose["setup"]
    script = setup["command"][-1]
    assert script.index("satupintu broker-users") < script.index("satupintu declare")
    assert setup["command"][:3] == ["python", "-m", "shared.serve"]
    assert _mounts(setup) == {"/run/keys": "setup"}
    assert compose["secrets"]["command"][-2:] == ["secrets", "/keys"]
    for name in ("rabbitmq", "postgres"):
        assert compose[name]["depends_on"]["secrets"]["condition"] == (
            "service_completed_successfully"
        )
    assert _mounts(compose["rabbitmq"]) == {"/etc/rabbitmq/conf.d": "rabbitmq"}
    assert compose["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/keys/db-postgres"


def test_each_container_folder_holds_what_it_reads_and_only_the_registry_signs(compose, tmp_path):
    from services.deployment import make_secrets

    make_secrets(tmp_path)
    again = {p: p.read_text() for p in tmp_path.rglob("*") if p.is_file()}
    make_secrets(tmp_path)
    assert again == {p: p.read_text() for p in tmp_path.rglob("*") if p.is_file()}, "kept"

    def files(folder):
        return {p.name for p in (tmp_path / folder).iterdir()}

    for service in SERVICE_CLASSES:
        spec = compose[service]
        held = files(service)
        own = {f"broker-{service}"} | ({f"db-{service}"} if service in DATABASE_SERVICES else set())
        assert own <= held
        assert not {name for name in held if name.startswith(("broker-", "db-"))} - own, (
            "no other service's password"
        )
        for name, value in spec["environment"].items():
            if str(value).startswith("/run/keys/"):
                assert value.removeprefix("/run/keys/") in held, (service, name)
        assert ("staff-token.key" in held) == (service == "agency_registry")
        assert "staff-token.pub" in held
        assert (tmp_path / service / "staff-token.pub").read_text() == (
            tmp_path / "agency_registry" / "staff-token.pub"
        ).read_text()
        assert oct((tmp_path / service / f"broker-{service}").stat().st_mode & 0o777) == "0o600"
    assert {f"db-{service}" for service in DATABASE_SERVICES} | {"db-postgres"} == files("postgres")
    conf = (tmp_path / "rabbitmq" / "20-admin.conf").read_text()
    assert "default_user = satupintu_admin" in conf
    assert (tmp_path / "setup" / "broker-admin").read_text().strip() in conf


def test_a_service_is_started_with_its_own_credentials_filled_in(tmp_path):
    import subprocess
    import sys

    (tmp_path / "broker-routing").write_text("routing-password-of-some-length\n")
    (tmp_path / "db-routing").write_text("db password/with:odd@chars\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "KEYS_DIR": str(tmp_path),
        "AMQP_URI": "amqp://rabbitmq:5672/",
        "ROUTING_DATABASE_URL": "postgresql://routing@postgres:5432/routing",
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.serve",
            "--broker-role",
            "routing",
            "--",
            "sh",
            "-c",
            'echo "$AMQP_URI"; echo "$ROUTING_DATABASE_URL"',
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert shown.returncode == 0, shown.stderr
    amqp, database = shown.stdout.split()
    assert amqp == "amqp://routing:routing-password-of-some-length@rabbitmq:5672/"
    parsed = urlparse(database)
    assert (parsed.username, parsed.hostname, parsed.path) == ("routing", "postgres", "/routing")
    assert unquote(parsed.password) == "db password/with:odd@chars"


@pytest.mark.parametrize("service", ["intake", "routing"])
def test_stored_files_live_on_a_volume_every_copy_shares(compose, service):
    spec = compose[service]
    folder = spec["environment"][f"{service.upper()}_BLOB_DIR"]
    assert f"${{{service.upper()}_BLOB_DIR:" in config_path(service).read_text()
    assert f"{service}-blobs:{folder}" in spec["volumes"]
    volumes = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["volumes"]
    assert f"{service}-blobs" in volumes
    assert folder in (ROOT / "Dockerfile").read_text()  # made and owned by the service's user


def test_intake_trusts_forwarded_addresses_only_from_the_systems_own_network():
    whole = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    [subnet] = [pool["subnet"] for pool in whole["networks"]["default"]["ipam"]["config"]]
    trusted = whole["services"]["intake"]["environment"]["INTAKE_TRUSTED_PROXIES"]
    assert trusted == subnet  # the same setting (nameko's YAML loader fills ${…} in)
    raw = (ROOT / "docker-compose.yml").read_text()
    assert "INTAKE_TRUSTED_PROXIES: ${SATUPINTU_SUBNET:-172.31.250.0/24}" in raw
