"""Page times of the portal next to the API calls it makes (prints them; not a test).

Starts the whole system as `make run` does (the launcher, the national template, fresh SQLite
files, its own RabbitMQ vhost, free ports), files a few reports, then sends R requests with C
concurrent clients to each page and, in the same run, the same upstream calls the page makes,
made the same way (at the same time when the page makes them at the same time):

    /                 ← reporting /statistics/nation  ‖  intake /public/reports?limit=5
                        (reporting marks its public figures public, max-age=30: the portal
                        asks for them twice a minute, so the page mostly waits for intake)
    /lapor            ← none: intake's /categories and /regions are kept a few minutes
    /lacak/<id>       ← intake /reports/<id> (the public view)
    /desk/dispositions  ← routing /desk/dispositions?sort=due&limit=25  ‖  notification
                          /staff/inbox?limit=1, with --desk N dispositions in the liaison's
                          scope (bench/desk_queue.py), signed in (cookie; token for the APIs),
                          --desk-clients officers at once

and prints per page its p50/p95, the p95 of its upstream calls, what the portal adds, and
the page's p95 as a ratio of its API's (the machine's load moves both; the ratio less).

The clients speak HTTP/1.1 over kept-alive connections with http.client, the least CPU a
Python client spends per request, so the load generator takes as little as it can of the
cores the services share with it. ``--copies N`` starts N-1 more portal processes on the
same port (SO_REUSEPORT: the kernel spreads connections over them, as a load balancer
would over copies behind it).

    .venv/bin/python bench/portal.py [-c 20] [-r 400] [--copies 1] [--desk 10000]
                                     [--desk-clients 5] [--repeat 1]

``--repeat N`` measures every page N times on the same system (seeding 10,000 dispositions
takes minutes; a noisy machine wants more than one measurement).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.desk_queue import seed  # noqa: E402
from tests.browser.system import running_system  # noqa: E402
from tests.factories import make_report  # noqa: E402


class Connection:
    """Kept-alive HTTP/1.1 to every host a visitor asks, with the cookie the portal set."""

    def __init__(self, signed: dict | None = None):
        self.hosts: dict[str, http.client.HTTPConnection] = {}
        signed = signed or {}
        self.cookie = "; ".join(f"{k}={v}" for k, v in (signed.get("cookies") or {}).items())
        self.headers = dict(signed.get("headers") or {})

    def get(self, url: str) -> None:
        parts = urlsplit(url)
        conn = self.hosts.get(parts.netloc)
        if conn is None:
            conn = self.hosts[parts.netloc] = http.client.HTTPConnection(parts.netloc, timeout=30)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {**self.headers, **({"Cookie": self.cookie} if self.cookie else {})}
        conn.request("GET", target, headers=headers)
        response = conn.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def fetch(connection: Connection, url: str) -> None:
    connection.get(url)


class Client:
    """One simulated visitor: its own connections, and helpers for calls made together."""

    def __init__(self, width: int, signed: dict | None = None):
        self.sessions = [Connection(signed) for _ in range(width)]
        self.helpers = ThreadPoolExecutor(width) if width > 1 else None

    def timed(self, urls: tuple[str, ...]) -> float:
        """The time until every url has answered, all asked at once."""
        started = time.perf_counter()
        if self.helpers is None:
            fetch(self.sessions[0], urls[0])
        else:
            list(self.helpers.map(fetch, self.sessions, urls))
        return time.perf_counter() - started


def load(
    samples: list[tuple[str, ...]], visitors: list[Client], requests_total: int
) -> list[float]:
    """requests_total samples from ``samples`` (each a tuple of urls asked together), each
    visitor asking its share one after the other on its own connections."""
    clients = len(visitors)

    def visit(n: int) -> list[float]:
        asked = range(n, requests_total, clients)
        return [visitors[n].timed(samples[k % len(samples)]) for k in asked]

    with ThreadPoolExecutor(clients) as pool:
        return [t for times in pool.map(visit, range(clients)) for t in times]


def interleaved(pages, apis, clients: int, requests_total: int, rounds: int = 8, signed=None):
    """Page and API times, asked in alternating rounds so both meet the same machine (the
    cores are shared: another process's burst would otherwise land on one side only).
    ``signed``: {"cookies": the portal's, "headers": the APIs'} of a signed-in officer."""
    signed = signed or {}
    page_visitors = [Client(1, {"cookies": signed.get("cookies")}) for _ in range(clients)]
    api_signed = {"headers": signed.get("headers")}
    width = max((len(a) for a in apis), default=1)
    api_visitors = [Client(width, api_signed) for _ in range(clients)] if apis else []
    page_times, api_times = [], []
    for _ in range(rounds):
        page_times += load([(url,) for url in pages], page_visitors, requests_total // rounds)
        if apis:
            api_times += load(apis, api_visitors, requests_total // rounds)
    return page_times, api_times


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if values else 0.0


@contextmanager
def portal_copies(folder: Path, copies: int):
    """``copies - 1`` more portal processes beside the launcher's, with its environment (the
    same port, broker user and session key)."""
    started = re.search(r"started portal \(pid (\d+)\)", (folder / "satupintu.log").read_text())
    environ = Path(f"/proc/{started.group(1)}/environ").read_bytes().split(b"\0")
    env = dict(item.decode().split("=", 1) for item in environ if b"=" in item)
    command = [sys.executable, "-m", "shared.nameko_run", "--config"]
    command += ["services/portal/config.yml", "services.portal.service:Portal"]
    root = Path(__file__).resolve().parents[1]
    extra = [
        subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(copies - 1)
    ]
    try:
        time.sleep(6 if extra else 0)  # each copy up and listening
        yield [int(started.group(1))] + [process.pid for process in extra]
    finally:
        for process in extra:
            process.terminate()
            process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--clients", type=int, default=20)
    parser.add_argument("-r", "--requests", type=int, default=400)
    parser.add_argument("--copies", type=int, default=1, help="portal processes on its port")
    parser.add_argument("--desk", type=int, default=10_000, help="dispositions (0: no desk)")
    parser.add_argument(
        "--desk-clients", type=int, default=5, help="officers at once (an agency has few)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="measurements of each page")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        running_system(Path(folder)) as urls,
        portal_copies(Path(folder), args.copies) as portal_pids,
    ):
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
        signed = {name: {} for name in cases}
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
            interleaved(pages, apis, 2, 16, rounds=1, signed=signed[name])
        for _ in range(args.repeat):
            measure(cases, signed, args, portal_pids)


def measure(cases: dict, signed: dict, args, portal_pids: list[int]) -> None:
    """One table: per page its p50/p95 beside its upstream calls'."""
    print(
        f"{args.clients} concurrent clients, {args.requests} requests each (ms), "
        f"{args.copies} portal process(es), load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'page':8} {'page p50':>9} {'page p95':>9} {'api p50':>9} {'api p95':>9} "
        f"{'added p95':>10} {'ratio p95':>10} {'portal CPU/page':>16}"
    )
    for name, (pages, apis) in cases.items():
        before = cpu_seconds(portal_pids)
        clients = args.desk_clients if name == "/desk" else args.clients
        page_times, api_times = interleaved(
            pages, apis, clients, args.requests, signed=signed[name]
        )
        cpu = (cpu_seconds(portal_pids) - before) / len(page_times) * 1000
        page95, api95 = p(page_times, 95), p(api_times, 95)
        ratio = f"{page95 / api95:10.2f}" if api95 else f"{'–':>10}"
        print(
            f"{name:8} {p(page_times, 50):9.1f} {page95:9.1f} "
            f"{p(api_times, 50):9.1f} {api95:9.1f} {page95 - api95:10.1f} {ratio} "
            f"{cpu:13.2f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
