"""The whole system as separate processes, started the way the README starts it
(`satupintu run`: each service its own broker user), on the real RabbitMQ; reports go in over
HTTP. Routing is killed with SIGKILL while reports flow: every report still ends up dispatched
exactly once. The services never outlive the launcher, however it ends."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from services import SERVICES
from shared.config import ROOT
from tests.e2e.conftest import _alive, _service_pids
from tests.factories import make_report, wait_for

REPORTS = [
    ({"category_id": "pendidikan.sma", "location": {"region_code": "73.11"}}, "PROV-73-DISDIK"),
    ({"category_id": "pendidikan.sd", "location": {"region_code": "73.11.01"}}, "KAB-73-11-DISDIK"),
    ({"category_id": "perbankan_keuangan", "location": {"region_code": "31.71"}}, "OJK"),
]


def test_reports_flow_through_separate_processes_and_survive_routing_being_killed(running):
    urls, log_path = running
    submitted, keys = {}, {}
    routing_pid = _service_pids(log_path.read_text())["routing"]
    for n in range(30):
        overrides, agency = REPORTS[n % len(REPORTS)]
        response = requests.post(
            f"{urls['intake']}/reports", json=make_report(**overrides), timeout=10
        )
        assert response.status_code == 201, response.text
        submitted[response.json()["tracking_id"]] = agency
        keys[response.json()["tracking_id"]] = response.json()["report_key"]
        if n == 10:
            os.kill(routing_pid, signal.SIGKILL)

    def all_dispatched():
        return all(
            _report(urls, tid, keys[tid])["status"]["code"] == "dispatched" for tid in submitted
        )

    wait_for(all_dispatched, timeout=60, interval=0.5)
    assert _service_pids(log_path.read_text())["routing"] != routing_pid, (
        "routing was not restarted"
    )

    for tracking_id, agency in submitted.items():
        report = _report(urls, tracking_id, keys[tracking_id])
        assert report["agency"]["code"] == agency
        assert [line["status"] for line in report["timeline"]] == [
            "awaiting_verification",
            "dispatched",
        ]
        hops = requests.get(f"{urls['routing']}/dispositions/{tracking_id}", timeout=5).json()[
            "history"
        ]
        assert len(hops) == 1
        inbox = wait_for(lambda tid=tracking_id: _inbox_kinds(urls, tid, keys[tid]), timeout=20)
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


def _report(urls, tracking_id, report_key):
    """The reporter's view (a tracking id alone shows nothing before dispatch)."""
    headers = {"X-Report-Key": report_key}
    return requests.get(
        f"{urls['intake']}/reports/{tracking_id}", headers=headers, timeout=5
    ).json()


def _inbox_kinds(urls, tracking_id, key):
    items = requests.get(
        f"{urls['notification']}/inbox/{tracking_id}", headers={"X-Report-Key": key}, timeout=5
    ).json()["items"]
    kinds = [item["kind"] for item in items]
    return kinds if len(kinds) >= 2 else None


def _ready(log_path: Path, launcher) -> dict[str, int]:
    wait_for(
        lambda: "satupintu is ready" in log_path.read_text() or launcher.poll() is not None,
        timeout=90,
        interval=0.2,
    )
    assert launcher.poll() is None, log_path.read_text()[-3000:]
    pids = _service_pids(log_path.read_text())
    assert sorted(pids) == sorted(SERVICES)
    return pids


@pytest.mark.parametrize(
    "how", ["SIGKILL", "SIGHUP", "SIGINT from a background shell"], ids=lambda how: how
)
def test_the_services_are_gone_within_seconds_of_the_launcher(launch_env, tmp_path, how):
    env, _ = launch_env
    log_path = tmp_path / "satupintu.log"
    satupintu = f"{Path(sys.executable).parent / 'satupintu'} run --without-districts"
    pid_file = tmp_path / "launcher.pid"
    with open(log_path, "w") as log:
        # a non-interactive shell starts its background jobs with SIGINT ignored
        shell = subprocess.Popen(
            ["sh", "-c", f'{satupintu} & echo $! > "{pid_file}"; wait'],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    launcher_pid = int(wait_for(lambda: pid_file.exists() and pid_file.read_text().strip()))
    try:
        pids = _ready(log_path, shell)
        signum = {"SIGKILL": signal.SIGKILL, "SIGHUP": signal.SIGHUP}.get(how, signal.SIGINT)
        os.kill(launcher_pid, signum)
        wait_for(lambda: not any(_alive(pid) for pid in pids.values()), timeout=15, interval=0.2)
        assert shell.wait(timeout=30) == 0
        assert not _alive(launcher_pid)
    finally:
        for pid in (launcher_pid, *_service_pids(log_path.read_text()).values()):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
