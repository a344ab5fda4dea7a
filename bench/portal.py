"""Page times of the portal next to the API calls it makes (prints them; not a test).

Starts the whole system as `make run` does (the launcher, the national template, fresh SQLite
files, its own RabbitMQ vhost, free ports), files a few reports, then sends R requests with C
concurrent clients to each page and, in the same run, the same upstream calls the page makes,
made the same way (at the same time when the page makes them at the same time):

    /                 ← reporting /statistics/nation  ‖  intake /public/reports?limit=5
    /lapor            ← none: intake's /categories and /regions are kept a few minutes
    /lacak/<id>       ← intake /reports/<id> (the public view)
    /desk/dispositions  ← routing /desk/dispositions?sort=due&limit=25  ‖  notification
                          /staff/inbox?limit=1, with --desk N dispositions in the liaison's
                          scope (bench/desk_queue.py), signed in (cookie; token for the APIs),
                          --desk-clients officers at once

and prints per page its p50/p95, the p95 of its upstream calls, and what the portal adds.

    .venv/bin/python bench/portal.py [-c 20] [-r 400] [--desk 10000] [--desk-clients 5]
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

from bench.desk_queue import seed  # noqa: E402
from tests.browser.system import running_system  # noqa: E402
from tests.factories import make_report  # noqa: E402


def fetch(session: requests.Session, url: str) -> None:
    response = session.get(url, timeout=30)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")


class Client:
    """One simulated visitor: its own connections, and helpers for calls made together."""

    def __init__(self, width: int, headers=None, cookies=None):
        self.sessions = [requests.Session() for _ in range(width)]
        for session in self.sessions:
            session.headers.update(headers or {})
            session.cookies.update(cookies or {})
        self.helpers = ThreadPoolExecutor(width) if width > 1 else None

    def timed(self, urls: tuple[str, ...]) -> float:
        """The time until every url has answered, all asked at once."""
        started = time.perf_counter()
        if self.helpers is None:
            fetch(self.sessions[0], urls[0])
        else:
            list(self.helpers.map(fetch, self.sessions, urls))
        return time.perf_counter() - started


def load(samples, clients: int, requests_total: int, headers=None, cookies=None) -> list[float]:
    """requests_total samples from ``samples`` (each a tuple of urls asked together)."""
    width = max(len(sample) for sample in samples)
    visitors = [Client(width, headers, cookies) for _ in range(clients)]
    jobs = [(visitors[n % clients], samples[n % len(samples)]) for n in range(requests_total)]
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda job: job[0].timed(job[1]), jobs))


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--clients", type=int, default=20)
    parser.add_argument("-r", "--requests", type=int, default=400)
    parser.add_argument("--desk", type=int, default=10_000, help="dispositions (0: no desk)")
    parser.add_argument(
        "--desk-clients", type=int, default=5, help="officers at once (an agency has few)"
    )
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
        cases = {  # page: (page urls, the upstream calls behind each, asked together)
            "/": (
                [f"{portal}/"],
                [(f"{reporting}/statistics/nation", f"{intake}/public/reports?limit=5")],
            ),
            "/lapor": ([f"{portal}/lapor"], []),
            "/lacak": (
                [f"{portal}/lacak/{i}" for i in ids],
                [(f"{intake}/reports/{i}",) for i in ids],
            ),
        }
        signed = {name: {} for name in cases}  # page: (cookies, API headers)
        if args.desk:
            print(f"routing {args.desk} dispositions into one liaison's queue…", file=sys.stderr)
            cookies, token = seed(urls, Path(folder), args.desk)
            routing, notification = urls["routing"], urls["notification"]
            cases["/desk"] = (
                [f"{portal}/desk/dispositions"],
                [
                    (
                        f"{routing}/desk/dispositions?sort=due&offset=0&limit=25",
                        f"{notification}/staff/inbox?limit=1",
                    )
                ],
            )
            signed["/desk"] = {"cookies": cookies, "headers": {"Authorization": f"Bearer {token}"}}
        for name, (pages, apis) in cases.items():  # warm: the portal reads its lookups once
            load([(url,) for url in pages], 2, 10, cookies=signed[name].get("cookies"))
            if apis:
                load(apis, 2, 10, headers=signed[name].get("headers"))
        print(f"{args.clients} concurrent clients, {args.requests} requests each (ms)")
        print(
            f"{'page':8} {'page p50':>9} {'page p95':>9} {'api p50':>9} {'api p95':>9} "
            f"{'added p95':>10}"
        )
        for name, (pages, apis) in cases.items():
            cookies, headers = signed[name].get("cookies"), signed[name].get("headers")
            clients = args.desk_clients if name == "/desk" else args.clients
            if name == "/desk":
                print(f"/desk: {clients} concurrent officers, {args.desk} dispositions in scope")
            page_times = load([(url,) for url in pages], clients, args.requests, None, cookies)
            api_times = load(apis, clients, args.requests, headers) if apis else []
            print(
                f"{name:8} {p(page_times, 50):9.1f} {p(page_times, 95):9.1f} "
                f"{p(api_times, 50):9.1f} {p(api_times, 95):9.1f} "
                f"{p(page_times, 95) - p(api_times, 95):10.1f}"
            )


if __name__ == "__main__":
    main()
