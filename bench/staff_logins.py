"""Staff logins and the rest of the registry (prints figures; not a test).

The agency registry started as a process the way `make run` starts it (a vhost of its own, the
national template in a temporary SQLite file, login limits off so every attempt hashes), then:
1. /health alone, one request after another: p50/p99;
2. /health while C clients log in over and over (argon2id each time): /health p50/p99/max,
   and logins per second with their p50/p99. Hashing runs off the event loop
   (shared/passwords.py), so /health should stay fast (target: p99 below 50 ms at C=20).

    .venv/bin/python bench/staff_logins.py [-c 20] [-s 10]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.pipeline import free_port, fresh_vhost, percentiles  # noqa: E402
from bench.routing import healthy, start, wait_until  # noqa: E402

PASSWORD = "bench-" + secrets.token_urlsafe(16)  # made per run, never written down


def add_accounts(database_url: str, count: int) -> list[str]:
    from services.agency_registry import staff
    from services.agency_registry.audit import AuditLog, Who
    from shared.db import make_engine

    engine = make_engine(database_url)
    names = [f"bench.{n:02d}" for n in range(count)]
    with Session(engine) as session, session.begin():
        log = AuditLog(session, Who("bench", "bench"), None)
        for name in names:
            data = {"username": name, "full_name": name, "role": "agency_admin"}
            staff.create(
                session,
                log,
                None,
                {**data, "agency_code": "KAB-73-11-DINKES", "password": PASSWORD},
            )
    engine.dispose()
    return names


def sample_health(url: str, seconds: float, pause: float = 0.02) -> list[float]:
    times, deadline = [], time.monotonic() + seconds
    with requests.Session() as session:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = session.get(url, timeout=10)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
            time.sleep(pause)
    return times


def ms(values: list[float]) -> str:
    p50, p99 = percentiles(values)
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(values):.1f} ms (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--clients", type=int, default=20, help="parallel logins")
    parser.add_argument("-s", "--seconds", type=float, default=10.0, help="under load")
    args = parser.parse_args()

    from services.agency_registry.commands import load_template

    workdir = Path(tempfile.mkdtemp(prefix="satupintu-bench-logins-"))
    database_url = f"sqlite:///{workdir}/agency_registry.db"
    print("loading the template into the registry…", file=sys.stderr)
    load_template(with_districts=False, database_url=database_url)
    names = add_accounts(database_url, args.clients)
    port = free_port()
    env = {
        **os.environ,
        "AMQP_URI": fresh_vhost("satupintu_bench_logins"),
        "LOG_LEVEL": "WARNING",
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_HTTP": f"127.0.0.1:{port}",
        "STAFF_TOKEN_PRIVATE_KEY_FILE": str(workdir / "staff.key"),
        "STAFF_TOKEN_PUBLIC_KEY_FILE": str(workdir / "staff.pub"),
        "LOGIN_ACCOUNT_LIMIT": "0/60",
        "LOGIN_ADDRESS_LIMIT": "0/60",
        "MAX_WORKERS": str(max(10, args.clients + 5)),
    }
    log = open(workdir / "registry.log", "w")  # noqa: SIM115
    registry = start("agency_registry", "services.agency_registry.service:AgencyRegistry", env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: healthy(port), 120, "the registry")
        print(f"/health alone: {ms(sample_health(base + '/health', args.seconds))}")

        logins: list[float] = []
        stop = threading.Event()

        def log_in_repeatedly(name: str) -> None:
            with requests.Session() as session:
                while not stop.is_set():
                    started = time.perf_counter()
                    response = session.post(
                        base + "/auth/token",
                        json={"username": name, "password": PASSWORD},
                        timeout=60,
                    )
                    assert response.status_code == 200, response.text
                    logins.append((time.perf_counter() - started) * 1000)

        clients = [threading.Thread(target=log_in_repeatedly, args=(n,)) for n in names]
        for client in clients:
            client.start()
        time.sleep(1.0)  # every client has a login in flight
        before = len(logins)
        health = sample_health(base + "/health", args.seconds)
        done = len(logins) - before
        stop.set()
        for client in clients:
            client.join()
        print(f"/health during {args.clients} parallel logins: {ms(health)}")
        print(f"logins: {done / args.seconds:.1f}/s, {ms(logins)}")
        p99 = percentiles(health)[1]
        print(f"target /health p99 < 50 ms: {'met' if p99 < 50 else 'NOT met'} ({p99:.1f} ms)")
    finally:
        registry.terminate()
        registry.wait(10)
        log.close()


if __name__ == "__main__":
    main()
