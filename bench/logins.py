"""Does a burst of reporter logins stall intake? `/health` latency idle and during logins.

Starts intake alone as `make run` would (its own process, a vhost of its own, a SQLite
database and keys in a temporary folder), registers one reporter, then measures `/health`
round trips: first idle, then while C client threads (20 by default) fire logins back to back
for D seconds — each login is an argon2id verification (64 MiB, 3 passes), which intake runs in
eventlet's OS thread pool so the event loop keeps serving, at most PASSWORD_HASHING_SLOTS at
once so the other nameko workers stay free (the rest get 503 and retry). Prints p50/p99 of
`/health` for both, the logins' own latency, logins per second, and how many were turned away.

    python bench/logins.py [-c 20] [-d 10]
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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import fresh_vhost  # noqa: E402
from shared.staff_keys import generate_key_pair  # noqa: E402

REPORTER = {
    "nik": "7311015208900001",
    "full_name": "Siti Rahmawati",
    "gender": "female",
    "birth_date": "1990-08-12",
    "username": "siti.bench",
    "phone": "0812-9999-0001",
    "email": "siti.bench@example.id",
    "password": "kata-sandi-panjang",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99


def start_intake(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    generate_key_pair(workdir / "staff.key", workdir / "staff.pub")
    env = {
        **os.environ,
        "AMQP_URI": fresh_vhost("satupintu_bench_logins"),
        "INTAKE_HTTP": f"127.0.0.1:{port}",
        "INTAKE_DATABASE_URL": f"sqlite:///{workdir}/intake.db",
        "INTAKE_BLOB_DIR": str(workdir / "blobs"),
        "KEYS_DIR": str(workdir / "keys"),
        "STAFF_TOKEN_PUBLIC_KEY_FILE": str(workdir / "staff.pub"),
        "HTTP_RATE_LIMIT": "0/60",  # every request comes from this one address
        "LOGIN_RATE_LIMIT": "0/60",
        "LOGIN_CLIENT_RATE_LIMIT": "0/60",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.nameko_run",
            "--config",
            "services/intake/config.yml",
            "services.intake.service:Intake",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit("intake did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def health_latencies(url: str, until) -> list[float]:
    """Sequential /health round trips (ms) while ``until()`` is False."""
    session = requests.Session()
    found = []
    while not until():
        began = time.perf_counter()
        session.get(f"{url}/health", timeout=30).raise_for_status()
        found.append((time.perf_counter() - began) * 1000)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--clients", type=int, default=20, help="parallel login clients")
    parser.add_argument("-d", "--duration", type=float, default=10.0, help="seconds of each phase")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="satupintu-bench-logins-") as folder:
        process, url = start_intake(Path(folder))
        try:
            created = requests.post(f"{url}/reporters", json=REPORTER, timeout=30)
            created.raise_for_status()
            idle_end = time.monotonic() + args.duration
            idle = health_latencies(url, lambda: time.monotonic() > idle_end)

            done = threading.Event()
            logins, shed = [], []

            def client(n: int) -> None:
                session = requests.Session()
                password = REPORTER["password"] if n % 2 else "tebakan-yang-salah"
                while not done.is_set():
                    began = time.perf_counter()
                    response = session.post(
                        f"{url}/login",
                        json={"login": REPORTER["username"], "password": password},
                        timeout=60,
                    )
                    assert response.status_code in (200, 401, 503), response.text
                    if response.status_code == 503:  # every hashing slot taken: shed
                        shed.append(1)
                        time.sleep(response.json()["retry_after"])  # as a client is asked to
                        continue
                    logins.append((time.perf_counter() - began) * 1000)

            with ThreadPoolExecutor(args.clients) as pool:
                for n in range(args.clients):
                    pool.submit(client, n)
                time.sleep(1)  # every client is logging in before /health is measured
                busy_end = time.monotonic() + args.duration
                busy = health_latencies(url, lambda: time.monotonic() > busy_end)
                done.set()
        finally:
            stop(process)
    print(f"intake /health while {args.clients} clients log in back to back ({args.duration:g} s)")
    print(f"{'':24}{'requests':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, values in (("/health idle", idle), ("/health during logins", busy)):
        p50, p99 = percentiles(values)
        print(f"{name:24}{len(values):>10}{p50:>10.1f}{p99:>10.1f}")
    p50, p99 = percentiles(logins)
    print(f"{'login':24}{len(logins):>10}{p50:>10.1f}{p99:>10.1f}")
    print(
        f"logins/s: {len(logins) / (args.duration + 1):.1f}; turned away (503, hashing slots "
        f"full, retried after the retry_after asked): {len(shed)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
