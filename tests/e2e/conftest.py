"""The whole system as the README starts it (`satupintu run`, each service its own broker
user), on this test's vhost of the real RabbitMQ, with SQLite files in tmp_path."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from services import SERVICES
from shared.config import ROOT
from tests.conftest import free_port
from tests.factories import wait_for


@pytest.fixture
def extra_env() -> dict:
    """More environment for the launcher; a test module overrides it (secrets, channels)."""
    return {}


ENV_PREFIX = {
    "agency_registry": "REGISTRY",
    "routing": "ROUTING",
    "intake": "INTAKE",
    "notification": "NOTIFICATION",
    "reporting": "REPORTING",
    "portal": "PORTAL",
}


@pytest.fixture
def launch_env(request, rabbit_config, tmp_path, extra_env):
    """(env, urls): the launcher's environment on this test's vhost, its broker users prefixed
    with the vhost's name (deleted after the test) and made with the fixtures' administrator."""
    from shared.broker import ROLES, Management

    prefix = f"{rabbit_config['vhost']}-"
    env = {
        **os.environ,
        "AMQP_URI": rabbit_config["AMQP_URI"],
        "OUTBOX_RELAY_INTERVAL": "0.2",
        "BROKER_USER_PREFIX": prefix,
        "RABBITMQ_MANAGEMENT_URL": request.config.getoption("RABBIT_API_URI"),
        "KEYS_DIR": str(tmp_path / "keys"),
        **extra_env,
    }
    urls = {}
    for service in SERVICES:
        port = free_port()
        env[f"{ENV_PREFIX[service]}_HTTP"] = f"127.0.0.1:{port}"
        env[f"{ENV_PREFIX[service]}_DATABASE_URL"] = f"sqlite:///{tmp_path}/{service}.db"
        urls[service] = f"http://127.0.0.1:{port}"
        env[f"{service.upper()}_URL"] = urls[service]  # where the portal finds it
    yield env, urls
    management = Management(request.config.getoption("RABBIT_API_URI"))
    for role in ROLES:
        management.delete_user(prefix + role)


@pytest.fixture
def running(launch_env, tmp_path):
    env, urls = launch_env
    log_path = tmp_path / "satupintu.log"
    with open(log_path, "w") as log:
        launcher = subprocess.Popen(
            [Path(sys.executable).parent / "satupintu", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: "satupintu is ready" in log_path.read_text() or launcher.poll() is not None,
            timeout=90,
            interval=0.2,
        )
        assert launcher.poll() is None, log_path.read_text()[-3000:]
        yield urls, log_path
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            assert launcher.wait(timeout=30) == 0
        finally:
            if launcher.poll() is None:
                launcher.kill()
    pids = _service_pids(log_path.read_text())
    assert pids and not any(_alive(pid) for pid in pids.values()), "a service outlived Ctrl-C"


def _service_pids(log: str) -> dict[str, int]:
    pids = {}
    for service, pid in re.findall(r"started (\w+) \(pid (\d+)\)", log):
        pids[service] = int(pid)  # the last start wins
    return pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead too
        return stat.read().split()[2] != "Z"
