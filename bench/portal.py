"""Page times of the portal next to the API calls it makes (prints them; not a test).

Starts the whole system as `make run` does (the launcher, the national template, fresh SQLite
files, its own RabbitMQ vhost, free ports), files a few reports, then sends R requests with C
concurrent clients to each page and, in the same run, to the intake/reporting calls behind it:

    /                 ← intake /public/reports?limit=5, reporting /statistics/nation
    /lapor            ← intake /categories, /regions (read once, then kept a few minutes)
    /lacak/<id>       ← intake /reports/<id>

    .venv/bin/python bench/portal.py [-c 20] [-r 400]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.system import running_system  # noqa: E402
from tests.factories import make_report  # noqa: E402


def timed(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url, timeout=30)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def load(urls: list[str], clients: int, requests_total: int) -> list[float]:
    sessions = [requests.Session() for _ in range(clients)]
    jobs = [(sessions[n % clients], urls[n % len(urls)]) for n in range(requests_total)]
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda job: timed(*job), jobs))


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--clients", type=int, default=20)
    parser.add_argument("-r", "--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, running_system(Path(folder)) as urls:
        intake, portal, reporting = urls["intake"], urls["portal"], urls["reporting"]
        ids = []
        for _ in range(20):
            answer = requests.post(f"{intake}/reports", json=make_report(), timeout=10)
            ids.append(answer.json()["tracking_id"])
        deadline = time.monotonic() + 120  # public once routing has dispatched it
        for tracking_id in ids:
            while requests.get(f"{intake}/reports/{tracking_id}", timeout=10).status_code != 200:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{tracking_id} never became public")
                time.sleep(0.2)
        cases = {
            "/": (
                [f"{portal}/"],
                [f"{intake}/public/reports?limit=5", f"{reporting}/statistics/nation"],
            ),
            "/lapor": ([f"{portal}/lapor"], [f"{intake}/categories", f"{intake}/regions"]),
            "/lacak": (
                [f"{portal}/lacak/{i}" for i in ids],
                [f"{intake}/reports/{i}" for i in ids],
            ),
        }
        for urls_ in cases.values():  # warm: the portal reads its lookups once
            load(urls_[0] + urls_[1], 2, 10)
        print(f"{args.clients} concurrent clients, {args.requests} requests each (ms)")
        print(f"{'page':10} {'page p50':>9} {'page p95':>9} {'api p50':>9} {'api p95':>9}")
        for name, (pages, apis) in cases.items():
            page_times = load(pages, args.clients, args.requests)
            api_times = load(apis, args.clients, args.requests)
            print(
                f"{name:10} {p(page_times, 50):9.1f} {p(page_times, 95):9.1f} "
                f"{p(api_times, 50):9.1f} {p(api_times, 95):9.1f}"
            )


if __name__ == "__main__":
    main()
