"""The whole system as separate processes, started the way the README starts it
(`satupintu run`), on the real RabbitMQ; reports go in over HTTP. Routing is killed with
SIGKILL while reports flow: every report still ends up dispatched exactly once."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from shared.config import ROOT, SERVICES
from tests.conftest import free_port
from tests.factories import make_report, wait_for

ENV_PREFIX = {
    "agency_registry": "REGISTRY",
    "routing": "ROUTING",
    "intake": "INTAKE",
    "notification": "NOTIFICATION",
    "reporting": "REPORTING",
    "portal": "PORTAL",
}


@pytest.fixture
def running(rabbit_config, tmp_path):
    env = {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"], "OUTBOX_RELAY_INTERVAL": "0.2"}
    urls = {}
    for service in SERVICES:
        port = free_port()
        env[f"{ENV_PREFIX[service]}_HTTP"] = f"127.0.0.1:{port}"
        env[f"{ENV_PREFIX[service]}_DATABASE_URL"] = f"sqlite:///{tmp_path}/{service}.db"
        urls[service] = f"http://127.0.0.1:{port}"
        env[f"{service.upper()}_URL"] = urls[service]  # where the portal finds it
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


REPORTS = [
    ({"category_id": "pendidikan.sma", "location": {"region_code": "73.11"}}, "PROV-73-DISDIK"),
    ({"category_id": "pendidikan.sd", "location": {"region_code": "73.11.01"}}, "KAB-73-11-DISDIK"),
    ({"category_id": "perbankan_keuangan", "location": {"region_code": "31.71"}}, "OJK"),
]


def test_reports_flow_through_separate_processes_and_survive_routing_being_killed(running):
    urls, log_path = running
    submitted = {}
    routing_pid = _service_pids(log_path.read_text())["routing"]
    for n in range(30):
        overrides, agency = REPORTS[n % len(REPORTS)]
        response = requests.post(
            f"{urls['intake']}/reports", json=make_report(**overrides), timeout=10
        )
        assert response.status_code == 201, response.text
        submitted[response.json()["tracking_id"]] = agency
        if n == 10:
            os.kill(routing_pid, signal.SIGKILL)

    def all_dispatched():
        return all(_report(urls, tid)["status"]["code"] == "dispatched" for tid in submitted)

    wait_for(all_dispatched, timeout=60, interval=0.5)
    assert _service_pids(log_path.read_text())["routing"] != routing_pid, (
        "routing was not restarted"
    )

    for tracking_id, agency in submitted.items():
        report = _report(urls, tracking_id)
        assert report["agency"]["code"] == agency
        assert [line["status"] for line in report["timeline"]] == [
            "awaiting_verification",
            "dispatched",
        ]
        hops = requests.get(f"{urls['routing']}/dispositions/{tracking_id}", timeout=5).json()[
            "history"
        ]
        assert len(hops) == 1
        inbox = wait_for(lambda tid=tracking_id: _inbox_kinds(urls, tid), timeout=20)
        assert sorted(inbox) == ["report_received", "report_routed"]

    def counted():
        stats = requests.get(f"{urls['reporting']}/stats", timeout=5).json()
        return (
            stats
            if stats["total"] == len(submitted)
            and stats["by_status"].get("dispatched") == len(submitted)
            else None
        )

    wait_for(counted, timeout=20, interval=0.3)
    for service, url in urls.items():
        assert requests.get(f"{url}/health", timeout=5).status_code == 200, service


def _report(urls, tracking_id):
    return requests.get(f"{urls['intake']}/reports/{tracking_id}", timeout=5).json()


def _inbox_kinds(urls, tracking_id):
    items = requests.get(f"{urls['notification']}/inbox/{tracking_id}", timeout=5).json()["items"]
    kinds = [item["kind"] for item in items]
    return kinds if len(kinds) >= 2 else None
