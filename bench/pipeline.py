"""Pipeline throughput and latency, next to a baseline measured in the same run.

Starts the whole system the way `make run` does (one process per service, on a vhost of its
own), once on SQLite files in a temporary folder and once on fresh PostgreSQL databases
(created on 127.0.0.1:5432 and dropped afterwards), submits N reports over HTTP from C client
threads, and measures each report from the moment it is sent until reporting has applied its
`report_routed` event. The baseline is the same kind of work without our code: bare nameko
events relayed through four hops, four processes as the services are deployed (one
`nameko run` each, handlers that only pass the event on), the source waiting for the broker's
confirm of each event as nameko's dispatchers do. Prints rates, latencies, their ratios, and
the CPU each process spent per report during the measured window (the broker's too, when
its beam.smp process can be read, and PostgreSQL's processes on PostgreSQL; both serve whoever
else shares them as well).

    python bench/pipeline.py [-n 1000] [-c 8] [-r RATE] [--database sqlite|postgresql|both]

Without a rate the clients send as fast as they can (throughput, with queueing in the
latencies); with ``-r 100`` they send a hundred a second (latency of an unsaturated system).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.processes import (  # noqa: E402
    MANAGEMENT,
    CpuWindow,
    drop_vhost,
    fresh_vhost,
    launched_pids,
    pg_databases,
)
from services import DATABASE_SERVICES, SERVICES  # noqa: E402
from shared.broker import ROLES  # noqa: E402

ENV_PREFIX = {
    "agency_registry": "REGISTRY",
    "routing": "ROUTING",
    "intake": "INTAKE",
    "notification": "NOTIFICATION",
    "reporting": "REPORTING",
    "portal": "PORTAL",
}
CASES = [
    ("pendidikan.sma", "73.11"),
    ("pendidikan.sd", "73.11.01"),
    ("kesehatan", "31.71"),
    ("perbankan_keuangan", "35.78"),
    ("infrastruktur", "51.71"),
]
HOPS = ("hop1", "hop2", "hop3", "hop4")


@dataclass
class Run:
    name: str
    rate: float
    latencies: list[float]
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds in the window


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    if process.poll() is None:
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


def run_pipeline(n: int, concurrency: int, rate: float, workdir: Path, database: str) -> Run:
    databases = pg_databases(DATABASE_SERVICES) if database == "postgresql" else nullcontext()
    with databases as pg_urls:
        urls = {
            service: (pg_urls or {}).get(service) or f"sqlite:///{workdir}/{service}.db"
            for service in DATABASE_SERVICES
        }
        return _run_system(n, concurrency, rate, workdir, database, urls)


def _run_system(n, concurrency, rate, workdir: Path, database: str, db_urls: dict) -> Run:
    from sqlalchemy import create_engine, text

    env = {
        **os.environ,
        "AMQP_URI": fresh_vhost("satupintu_bench"),
        "LOG_LEVEL": "WARNING",
        # the services' own broker users, apart from those of `make run`
        "BROKER_USER_PREFIX": "satupintu_bench-",
        "RABBITMQ_MANAGEMENT_URL": MANAGEMENT.removesuffix("/api"),
        "KEYS_DIR": str(workdir / "keys"),
        "HTTP_RATE_LIMIT": "0/60",  # every report comes from this one address
    }
    urls = {}
    for service in SERVICES:
        port = free_port()
        env[f"{ENV_PREFIX[service]}_HTTP"] = f"127.0.0.1:{port}"
        urls[service] = f"http://127.0.0.1:{port}"
        env[f"{service.upper()}_URL"] = urls[service]  # where the portal finds the others
    for service, url in db_urls.items():
        env[f"{ENV_PREFIX[service]}_DATABASE_URL"] = url
    log_path = workdir / f"satupintu-{database}.log"
    with open(log_path, "w") as log:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    journal = None
    try:
        print(f"starting the system on {database} (template load included)…", file=sys.stderr)
        try:
            wait_until(lambda: "satupintu is ready" in log_path.read_text(), 180, "the system")
        except SystemExit:
            print(log_path.read_text()[-3000:], file=sys.stderr)
            raise
        journal = create_engine(db_urls["reporting"].replace("postgresql:", "postgresql+psycopg2:"))
        sent: dict[str, float] = {}

        def applied() -> dict[str, float]:
            with journal.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT aggregate_id, applied_at FROM journal"
                        " WHERE event_type = 'report_routed'"
                    )
                ).all()
            return {tid: parse(at) for tid, at in rows if tid in sent}

        # warm up: a few reports all the way through (routing's replica of the registry, each
        # process's caches) before the measured window
        for i in range(5):
            answer = requests.post(f"{urls['intake']}/reports", json=report(-i), timeout=30)
            sent[answer.json()["tracking_id"]] = time.time()
        wait_until(lambda: len(applied()) == len(sent), 120, "the warm-up reports")
        sent.clear()
        session = requests.Session()
        cpu = CpuWindow(launched_pids(log_path.read_text()), database_server=database != "sqlite")
        cpu.start()
        began = time.time()
        slot = paced(rate, began)

        def submit(i: int) -> None:
            slot(i - 1)
            started = time.time()
            # a kept-alive connection the server has just closed fails before the request is
            # read: send it again (were it filed twice, only the answered one is measured)
            for attempt in range(3):
                try:
                    response = session.post(f"{urls['intake']}/reports", json=report(i), timeout=30)
                    break
                except requests.ConnectionError:
                    if attempt == 2:
                        raise
            response.raise_for_status()
            sent[response.json()["tracking_id"]] = started

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(submit, range(1, n + 1)))

        wait_until(lambda: len(applied()) == n, 300, "every report to reach reporting")
        spent = cpu.stop()
        done = applied()
        elapsed = max(done.values()) - began
        return Run(database, n / elapsed, [done[tid] - sent[tid] for tid in sent], spent)
    finally:
        if journal is not None:
            journal.dispose()
        stop(launcher)
        for role in ROLES:  # the broker users are the broker's, not this vhost's: remove them
            requests.delete(f"{MANAGEMENT}/users/{env['BROKER_USER_PREFIX']}{role}", timeout=10)
        drop_vhost("satupintu_bench")


def run_baseline(n: int, concurrency: int, rate: float, workdir: Path) -> Run:
    from nameko.amqp.publish import Publisher
    from nameko.constants import PERSISTENT
    from nameko.standalone.events import get_event_exchange

    vhost = "satupintu_bench_baseline"
    amqp_uri = fresh_vhost(vhost)
    out = workdir / "hops.out"
    out.write_text("")
    env = {**os.environ, "BENCH_HOPS_OUT": str(out)}
    hops = {
        hop: subprocess.Popen(
            [sys.executable, "-m", "shared.nameko_run", "--broker", amqp_uri, f"bench.hops:{cls}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for hop, cls in zip(HOPS, ("Hop1", "Hop2", "Hop3", "Hop4"), strict=True)
    }
    try:
        # what a nameko EventDispatcher does: persistent, and each publish waits for its confirm
        publisher = Publisher(amqp_uri, use_confirms=True, delivery_mode=PERSISTENT)
        exchange = get_event_exchange("bench_source", {})
        wait_until(lambda: _queues_ready(vhost), 60, "the hop queues")
        cpu = CpuWindow({hop: process.pid for hop, process in hops.items()})
        cpu.start()
        began = time.time()
        slot = paced(rate, began)

        def send(i: int) -> None:
            slot(i)
            publisher.publish(
                {"id": i, "sent": time.time()},
                exchange=exchange,
                routing_key="e0",
                declare=[exchange],
            )

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(send, range(n)))
        wait_until(lambda: len(out.read_text().splitlines()) >= n, 300, "the baseline events")
        spent = cpu.stop()
        rows = [line.split() for line in out.read_text().splitlines()]
        arrived = [float(row[2]) for row in rows]
        latencies = [float(row[2]) - float(row[1]) for row in rows]
        return Run("baseline", n / (max(arrived) - began), latencies, spent)
    finally:
        for process in hops.values():
            stop(process)
        drop_vhost(vhost)


def _queues_ready(vhost: str) -> bool:
    queues = requests.get(f"{MANAGEMENT}/queues/{vhost}", timeout=10).json()
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
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def show(runs: list[Run], baseline: Run, n: int) -> None:
    b50, b99 = percentiles(baseline.latencies)
    print(f"{'':30}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}{'p99/base':>9}")
    for run in [*runs, baseline]:
        p50, p99 = percentiles(run.latencies)
        label = f"satupintu on {run.name}" if run is not baseline else "baseline: 4 bare hops"
        print(
            f"{label:30}{run.rate:8.1f}{p50 * 1000:9.1f}{p99 * 1000:9.1f}"
            f"{run.rate / baseline.rate:7.2f}{p99 / b99:9.2f}"
        )
    print("\nCPU ms per report (per event for the baseline) in the measured window:")
    for run in [*runs, baseline]:
        parts = ", ".join(f"{name} {seconds * 1000 / n:.2f}" for name, seconds in run.cpu.items())
        print(f"  {run.name:12} {parts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="reports (and baseline events)")
    parser.add_argument("-c", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "-r",
        "--rate",
        type=float,
        default=0.0,
        help="reports a second (default: as fast as the clients can)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        runs = [run_pipeline(args.n, args.c, args.rate, workdir, db) for db in databases]
        baseline = run_baseline(args.n, args.c, args.rate, workdir)
    show(runs, baseline, args.n)
    pace = f"{args.rate:g}/s offered" if args.rate else "as fast as possible"
    load = " ".join(os.getloadavg().__repr__().strip("()").split(", "))
    print(f"(n={args.n}, {args.c} concurrent clients, {pace}; load average {load})")


if __name__ == "__main__":
    main()
