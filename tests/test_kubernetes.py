"""deploy/kubernetes/ runs the same system as docker-compose.yml (no cluster here): every
manifest is checked offline against the Kubernetes schemas (kubernetes-validate, strict: an
unknown field is an error), then against the services' own configuration, the Dockerfile and
compose, and the setup Job's database script is run on the real PostgreSQL."""

import os
import re
import subprocess
import uuid
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from services import SERVICE_CLASSES
from services.deployment import DATABASE_SERVICES
from shared.config import ROOT, config_path

K8S = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.30.0"  # the oldest release still supported upstream when written
PORTAL = ("portal", "services.portal.service:Portal", 8000)  # built on another branch
PORTS = {
    "intake": 8001,
    "routing": 8002,
    "agency_registry": 8003,
    "notification": 8004,
    "reporting": 8005,
    "portal": 8000,
}


def k8s_name(service: str) -> str:
    return service.replace("_", "-")


def manifests() -> list[tuple[Path, dict]]:
    found = []
    for path in sorted(K8S.glob("*.yml")):
        if path.name != "kustomization.yml":
            found += [(path, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


@pytest.fixture(scope="module")
def objects():
    """{(kind, name): object} of every manifest."""
    return {(doc["kind"], doc["metadata"]["name"]): doc for _, doc in manifests()}


@pytest.fixture(scope="module")
def kustomization():
    return yaml.safe_load((K8S / "kustomization.yml").read_text())


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


@pytest.fixture(scope="module")
def placed(tmp_path_factory):
    """{folder: {file: value}} as `satupintu secrets` makes them."""
    from services.deployment import make_secrets

    root = tmp_path_factory.mktemp("keys")
    make_secrets(root)
    return {
        folder.name: {f.name: f.read_text() for f in folder.iterdir()}
        for folder in root.iterdir()
        if folder.name != ".all"
    }


@pytest.mark.parametrize("path, doc", manifests(), ids=lambda v: getattr(v, "name", None))
def test_every_manifest_is_valid_against_the_kubernetes_schema(path, doc):
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_a_wrong_manifest_is_refused_offline():
    """The check can fail: a port given as text and an unknown field are both refused."""
    bad_port = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}}
    bad_port["spec"] = {"ports": [{"port": "eight thousand"}]}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad_port, KUBERNETES_VERSION, strict=True)
    [(_, deployment)] = [(p, d) for p, d in manifests() if d["kind"] == "Deployment"][:1]
    typo = yaml.safe_load(yaml.safe_dump(deployment))
    typo["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, KUBERNETES_VERSION, strict=True)


def test_kustomization_applies_every_manifest(kustomization):
    files = {p.name for p in K8S.glob("*.yml")} - {"kustomization.yml"}
    assert set(kustomization["resources"]) == files
    assert kustomization["namespace"] == "satupintu"


SERVICES = list(SERVICE_CLASSES)  # the portal among them


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_deployment_service_and_autoscaler(objects, service):
    name = k8s_name(service)
    deployment = objects[("Deployment", name)]
    svc = objects[("Service", name)]
    hpa = objects[("HorizontalPodAutoscaler", name)]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert svc["spec"]["selector"].items() <= labels.items()
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    assert 1 < hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    [container] = pod["spec"]["containers"]
    [port] = container["ports"]
    assert port["containerPort"] == PORTS[service]
    [service_port] = svc["spec"]["ports"]
    assert service_port["targetPort"] in (port["name"], port["containerPort"])
    assert service_port["port"] == PORTS[service]


def _port_of(config_text: str) -> int:
    return int(re.search(r"WEB_SERVER_ADDRESS: \$\{\w+:[\d.]+:(\d+)\}", config_text).group(1))


@pytest.mark.parametrize("service", SERVICES)
def test_probes_ask_health_on_the_port_the_service_listens_on(objects, service):
    [container] = objects[("Deployment", k8s_name(service))]["spec"]["template"]["spec"][
        "containers"
    ]
    if service in SERVICE_CLASSES:
        assert _port_of(config_path(service).read_text()) == PORTS[service]
    [port] = container["ports"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/health", probe
        assert get["port"] in (port["name"], port["containerPort"]), probe
    # a database outage answers 503 for a while: liveness must outlast it, readiness not
    liveness, readiness = container["livenessProbe"], container["readinessProbe"]
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 120
    assert readiness["periodSeconds"] * readiness["failureThreshold"] <= 30


@pytest.mark.parametrize("service", SERVICES)
def test_resources_are_requested_and_limited(objects, service):
    [container] = objects[("Deployment", k8s_name(service))]["spec"]["template"]["spec"][
        "containers"
    ]
    for kind in ("requests", "limits"):
        assert set(container["resources"][kind]) == {"cpu", "memory"}, kind


@pytest.mark.parametrize("service", list(SERVICE_CLASSES))
def test_each_pod_runs_the_image_and_command_compose_runs(objects, compose, service):
    [container] = objects[("Deployment", k8s_name(service))]["spec"]["template"]["spec"][
        "containers"
    ]
    assert container["command"] == compose[service]["command"]
    assert container["image"] == compose[service]["image"] == "satupintu:latest"
    assert container["command"][-3:] == [
        "--config",
        f"services/{service}/config.yml",
        SERVICE_CLASSES[service],
    ]


def test_the_portal_runs_like_the_others(objects):
    [container] = objects[("Deployment", "portal")]["spec"]["template"]["spec"]["containers"]
    name, cls, _ = PORTAL
    assert container["image"] == "satupintu:latest"
    assert container["command"] == [
        *("python", "-m", "shared.serve", "--broker-role", name, "--"),
        *("python", "-m", "shared.nameko_run", "--config", f"services/{name}/config.yml", cls),
    ]


def test_commands_and_mounts_fit_the_dockerfile(objects):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "WORKDIR /app" in dockerfile and "PYTHONPATH=/app" in dockerfile
    assert "COPY services ./services" in dockerfile and "COPY shared ./shared" in dockerfile
    for module in ("serve", "nameko_run"):
        assert (ROOT / "shared" / f"{module}.py").exists()
    for (kind, _), obj in objects.items():
        if kind not in ("Deployment", "Job"):
            continue
        for container in obj["spec"]["template"]["spec"]["containers"]:
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            if container["image"].startswith("satupintu"):
                # a read-only root: the code's own var/ folder and /tmp are writable volumes
                assert container["securityContext"]["readOnlyRootFilesystem"] is True
                assert {"/app/var", "/tmp", "/run/keys"} <= mounts


def _secret_files(kustomization) -> dict[str, list[str]]:
    return {
        gen["name"]: [Path(f).name for f in gen["files"]]
        for gen in kustomization["secretGenerator"]
    }


@pytest.mark.parametrize("service", SERVICES)
def test_each_pod_mounts_only_its_own_keys(objects, kustomization, placed, service):
    pod = objects[("Deployment", k8s_name(service))]["spec"]["template"]["spec"]
    [keys] = [v for v in pod["volumes"] if "secret" in v]
    secret = keys["secret"]["secretName"]
    assert secret == f"satupintu-keys-{k8s_name(service)}"
    assert keys["secret"]["defaultMode"] == 0o440
    files = _secret_files(kustomization)[secret]
    assert sorted(files) == sorted(placed[service]), "exactly what services.deployment makes"
    assert ("staff-token.key" in files) == (service == "agency_registry")
    [container] = pod["containers"]
    [mount] = [m for m in container["volumeMounts"] if m["name"] == keys["name"]]
    assert mount["mountPath"] == "/run/keys" and mount["readOnly"] is True
    env = {}
    for ref in container["envFrom"]:
        env.update(objects[("ConfigMap", ref["configMapRef"]["name"])]["data"])
    assert env["KEYS_DIR"] == "/run/keys"
    for name, value in env.items():
        if str(value).startswith("/run/keys/"):
            assert value.removeprefix("/run/keys/") in files, name
    own = [n for n in env if n.endswith("_DATABASE_URL")]
    if service in DATABASE_SERVICES:
        assert own == [n for n in compose_env(service) if n.endswith("_DATABASE_URL")], (
            "the database compose gives it"
        )
        assert env[own[0]] == compose_env(service)[own[0]]


def compose_env(service):
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service][
        "environment"
    ]


def test_no_secret_value_is_in_a_configmap(objects, placed):
    values = {v.strip() for files in placed.values() for v in files.values()}
    values |= {
        line.split("=", 1)[1].strip()
        for line in placed["rabbitmq"]["20-admin.conf"].splitlines()
        if "=" in line
    }
    values = {v for v in values if len(v) >= 16}
    for (kind, name), obj in objects.items():
        if kind != "ConfigMap":
            continue
        text = yaml.safe_dump(obj)
        assert not [v for v in values if v in text], name
        for key, value in obj.get("data", {}).items():
            assert not re.search(r"PASSWORD|SECRET|TOKEN(?!_\w*_FILE)|_KEY$", key), (name, key)
            for url in re.findall(r"\w+://\S+", str(value)):
                assert not re.match(r"\w+://[^/@\s]*:[^/@\s]*@", url), (name, key)
    assert not [obj for (kind, _), obj in objects.items() if kind == "Secret"], (
        "Secrets come from the key files (kustomization.yml), never from the repository"
    )


def test_the_setup_job_does_what_compose_setup_does(objects, compose, kustomization, placed):
    job = objects[("Job", "satupintu-setup")]["spec"]["template"]["spec"]
    [setup] = job["containers"]
    assert setup["command"] == compose["setup"]["command"]
    [databases] = job["initContainers"]
    env = {e["name"]: e["value"] for e in databases["env"]}
    assert sorted(env["SERVICES"].split()) == sorted(DATABASE_SERVICES)
    volumes = {v["name"]: v for v in job["volumes"]}
    files = _secret_files(kustomization)
    for container, folder in ((setup, "setup"), (databases, "postgres")):
        [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == "/run/keys"]
        secret = volumes[mount["name"]]["secret"]["secretName"]
        assert secret == f"satupintu-keys-{folder}"
        assert sorted(files[secret]) == sorted(placed[folder])
    own = {e["name"]: e["value"] for e in setup["env"]}
    assert own["REGISTRY_DATABASE_URL"] == compose["setup"]["environment"]["REGISTRY_DATABASE_URL"]


def test_the_setup_script_makes_each_login_and_database_and_can_run_again(objects, tmp_path):
    import psycopg2

    script = objects[("ConfigMap", "satupintu-setup-scripts")]["data"]["create-databases.sh"]
    (tmp_path / "create-databases.sh").write_text(script)
    names = [f"satupintu_k8s_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        (tmp_path / f"db-{name}").write_text(f"password-of-{name}\n")
    env = {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "PGUSER": "postgres",
        "PGPASSWORD": "unused-trust-auth",
        "KEYS": str(tmp_path),
        "SERVICES": " ".join(names),
    }
    admin = psycopg2.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    admin.autocommit = True
    try:
        for _ in range(2):  # the Job runs again after an upgrade
            run = subprocess.run(
                ["sh", str(tmp_path / "create-databases.sh")],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert run.returncode == 0, run.stderr
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT datname, pg_get_userbyid(datdba), has_database_privilege("
                "'public', datname, 'CONNECT') FROM pg_database WHERE datname = ANY(%s)",
                (names,),
            )
            assert sorted(cursor.fetchall()) == sorted((n, n, False) for n in names)
            cursor.execute(
                "SELECT rolname, rolpassword IS NOT NULL FROM pg_authid WHERE rolname = ANY(%s)",
                (names,),
            )
            assert sorted(cursor.fetchall()) == sorted((n, True) for n in names)
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.close()
