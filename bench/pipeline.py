"""Pipeline throughput and latency, next to a baseline measured in the same run.

Starts the whole system the way `make run` does (separate processes, on a vhost of its own and
databases in a temporary folder), submits N reports over HTTP from C client threads, and
measures each report from the moment it is sent until reporting has applied its
`report_routed` event. Then the baseline: the same number of bare nameko events relayed
through four hops with handlers that do nothing. Prints both and their ratio.

    python bench/pipeline.py [-n 500] [-c 8] [-r RATE]

Without a rate the clients send as fast as they can (throughput, with queueing in the
latencies); with ``-r 10`` they send ten a second (latency of an unsaturated system).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services import SERVICES  # noqa: E402
from shared.broker import ROLES  # noqa: E402

MANAGEMENT = "http://guest:guest@127.0.0.1:15672/api"
ENV_PREFIX = {
    "agency_registry": "REGISTRY",
    "routing": "ROUTING",
    "intake": "INTAKE",
    "notification": "NOTIFICATION",
    "reporting": "REPORTING",
}
CASES = [
    ("pendidikan.sma", "73.11"),
    ("pendidikan.sd", "73.11.01"),
    ("kesehatan", "31.71"),
    ("perbankan_keuangan", "35.78"),
    ("infrastruktur", "51.71"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_vhost(name: str) -> str:
    requests.delete(f"{MANAGEMENT}/vhosts/{name}", timeout=10)
    requests.put(f"{MANAGEMENT}/vhosts/{name}", timeout=10).raise_for_status()
    requests.put(
        f"{MANAGEMENT}/permissions/{name}/guest",
        timeout=10,
        json={"configure": ".*", "write": ".*", "read": ".*"},
    ).raise_for_status()
    return f"amqp://guest:guest@127.0.0.1:5672/{name}"


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def stop(process: subprocess.Popen) -> None:
    # SIGTERM, not SIGINT: a background job of a non-interactive shell ignores SIGINT
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def paced(rate: float, began: float):
    """Wait for item i's slot when sending ``rate`` items a second (no wait if rate is 0)."""

    def wait(i: int) -> None:
        if rate:
            time.sleep(max(0.0, began + i / rate - time.time()))

    return wait


def run_pipeline(n: int, concurrency: int, rate: float, workdir: Path) -> tuple[float, list[float]]:
    env = {
        **os.environ,
        "AMQP_URI": fresh_vhost("satupintu_bench"),
        "LOG_LEVEL": "WARNING",
        # the services' own broker users, apart from those of `make run`
        "BROKER_USER_PREFIX": "satupintu_bench-",
        "RABBITMQ_MANAGEMENT_URL": MANAGEMENT.removesuffix("/api"),
        "KEYS_DIR": str(workdir / "keys"),
    }
    env["HTTP_RATE_LIMIT"] = "0/60"  # every report comes from this one address
    urls = {}
    for service in SERVICES:
        port = free_port()
        env[f"{ENV_PREFIX[service]}_HTTP"] = f"127.0.0.1:{port}"
        env[f"{ENV_PREFIX[service]}_DATABASE_URL"] = f"sqlite:///{workdir}/{service}.db"
        urls[service] = f"http://127.0.0.1:{port}"
    log_path = workdir / "satupintu.log"
    with open(log_path, "w") as log:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        print("starting the system (template load included)…", file=sys.stderr)
        wait_until(lambda: "satupintu is ready" in log_path.read_text(), 120, "the system")
        requests.post(f"{urls['intake']}/reports", json=report(0), timeout=10)  # warm the replica
        sent: dict[str, float] = {}
        session = requests.Session()
        began = time.time()
        slot = paced(rate, began)

        def submit(i: int) -> None:
            slot(i - 1)
            started = time.time()
            response = session.post(f"{urls['intake']}/reports", json=report(i), timeout=30)
            response.raise_for_status()
            sent[response.json()["tracking_id"]] = started

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(submit, range(1, n + 1)))
        journal = sqlite3.connect(workdir / "reporting.db")

        def applied() -> dict[str, float]:
            rows = journal.execute(
                "SELECT aggregate_id, applied_at FROM journal WHERE event_type = 'report_routed'"
            ).fetchall()
            return {tid: parse(at) for tid, at in rows if tid in sent}

        wait_until(lambda: len(applied()) == n, 300, "every report to reach reporting")
        done = applied()
        elapsed = max(done.values()) - began
        return n / elapsed, [done[tid] - sent[tid] for tid in sent]
    finally:
        stop(launcher)
        for role in ROLES:  # the broker users are the broker's, not this vhost's: remove them
            requests.delete(f"{MANAGEMENT}/users/{env['BROKER_USER_PREFIX']}{role}", timeout=10)


def run_baseline(n: int, concurrency: int, rate: float, workdir: Path) -> tuple[float, list[float]]:
    from nameko.standalone.events import event_dispatcher

    amqp_uri = fresh_vhost("satupintu_bench_baseline")
    out = workdir / "hops.out"
    out.touch()
    env = {**os.environ, "BENCH_HOPS_OUT": str(out)}
    hops = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.nameko_run",
            "--broker",
            amqp_uri,
            "bench.hops:Hop1",
            "bench.hops:Hop2",
            "bench.hops:Hop3",
            "bench.hops:Hop4",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        dispatch = event_dispatcher({"AMQP_URI": amqp_uri})
        wait_until(lambda: _queues_ready(), 60, "the hop queues")
        began = time.time()
        slot = paced(rate, began)

        def send(i: int) -> None:
            slot(i)
            dispatch("bench_source", "e0", {"id": i, "sent": time.time()})

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(send, range(n)))
        wait_until(lambda: len(out.read_text().splitlines()) >= n, 300, "the baseline events")
        rows = [line.split() for line in out.read_text().splitlines()]
        arrived = [float(row[2]) for row in rows]
        return n / (max(arrived) - began), [float(row[2]) - float(row[1]) for row in rows]
    finally:
        stop(hops)


def _queues_ready() -> bool:
    queues = requests.get(f"{MANAGEMENT}/queues/satupintu_bench_baseline", timeout=10).json()
    return sum(1 for queue in queues if queue["name"].startswith("evt-")) >= 4


def report(i: int) -> dict:
    category, region = CASES[i % len(CASES)]
    return {
        "classification": "complaint",
        "category_id": category,
        "title": f"Laporan uji beban {i}",
        "body": "Isi laporan untuk uji beban.",
        "event_date": date.today().isoformat(),  # a complete report: intake sends it to routing
        "location": {"region_code": region},
        "privacy": "public",
    }


def parse(value) -> float:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="reports (and baseline events)")
    parser.add_argument("-c", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "-r",
        "--rate",
        type=float,
        default=0.0,
        help="reports a second (default: as fast as the clients can)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rate, latencies = run_pipeline(args.n, args.c, args.rate, workdir)
        base_rate, base_latencies = run_baseline(args.n, args.c, args.rate, workdir)
    p50, p99 = percentiles(latencies)
    b50, b99 = percentiles(base_latencies)
    print(f"{'':28}{'reports/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'satupintu pipeline':28}{rate:10.1f}{p50 * 1000:10.1f}{p99 * 1000:10.1f}")
    print(f"{'baseline: 4 bare hops':28}{base_rate:10.1f}{b50 * 1000:10.1f}{b99 * 1000:10.1f}")
    print(
        f"{'ratio pipeline/baseline':28}{rate / base_rate:10.2f}{p50 / b50:10.2f}{p99 / b99:10.2f}"
    )
    pace = f"{args.rate:g}/s offered" if args.rate else "as fast as possible"
    print(f"(n={args.n}, {args.c} concurrent clients, {pace}; SQLite databases)")


if __name__ == "__main__":
    main()
