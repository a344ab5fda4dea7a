"""Resident memory of every service at 100,000 agencies, next to the template alone, in one run.

Starts the whole system the way `make run` does (bench/pipeline.py: a vhost of its own, broker
users of its own, databases in a temporary folder, ``python -m services.cli run``), which loads
the national template with its kecamatan. Then:

1. template: files a few reports (routing's replica is loaded), reads every service's VmRSS and
   VmHWM from /proc, and times routing's decisions (its ``on_report_submitted`` entrypoint);
2. grown: registers agencies until there are N — a puskesmas and an SMP per kecamatan, then a
   Kantor Desa/Kelurahan per village, each with the jurisdiction and competencies of such an
   office — written into the registry's database the way ``satupintu load-template`` writes a
   later load (one ``agency_registered`` event per agency through its outbox), waits until
   routing's replica holds them all (the events), and measures again;
3. restarted: stops the system and starts it again on the same databases, so routing reads the
   N-agency snapshot over RPC (its time is routing's ``satupintu_replica_snapshot_seconds``),
   files reports that only the new agencies can own (proving the replica is the one used),
   waits until reporting has applied every agency event (it goes on after the restart: its
   queue is durable), and measures again.

    .venv/bin/python bench/agencies_memory.py [-n 100000] [--limit-mib 300]
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import ENV_PREFIX, free_port, fresh_vhost, stop, wait_until  # noqa: E402
from services import DATABASE_SERVICES, SERVICES  # noqa: E402
from shared.broker import ROLES  # noqa: E402

MANAGEMENT = "http://guest:guest@127.0.0.1:15672/api"
PROCESSES = ("intake", "routing", "agency_registry", "notification", "reporting", "portal")
VILLAGE = ["dana_desa.penggunaan", "dana_desa.perangkat_desa", "dana_desa.bumdes"]
# what the template alone routes (to regency, province and national bodies)
TEMPLATE_CASES = [
    ("pendidikan.sma", "73.11"),
    ("pendidikan.sd", "73.11.01"),
    ("kesehatan", "31.71"),
    ("infrastruktur", "51.71"),
]
DECISIONS = 20  # reports filed per phase to time routing's decisions


def office_specs(regions, count: int) -> list:
    """``count`` offices below the template's: a puskesmas and an SMP per kecamatan, then a
    Kantor Desa/Kelurahan per village (parents are template agencies)."""
    from services.agency_registry.template import AgencySpec, district_code, government_code

    specs = []
    for district in regions.districts():
        suffix = district.code.replace(".", "-")
        government = government_code(district.parent_code)
        specs.append(
            AgencySpec(
                f"PUSKESMAS-{suffix}",
                f"Puskesmas {district.name}",
                "unit",
                f"{government}-DINKES",
                [district.code],
                ["kesehatan.puskesmas"],
            )
        )
        specs.append(
            AgencySpec(
                f"SMPN-{suffix}",
                f"SMP Negeri 1 {district.name}",
                "unit",
                f"{government}-DISDIK",
                [district.code],
                ["pendidikan.smp"],
            )
        )
    for village in regions.villages():
        specs.append(
            AgencySpec(
                f"DESA-{village.code.replace('.', '-')}",
                f"Kantor Desa/Kelurahan {village.name}",
                "unit",
                district_code(village.parent_code),
                [village.code],
                VILLAGE,
            )
        )
    return specs[:count]


def register(database: Path, specs: list) -> dict:
    """Write ``specs`` into the registry's database as a later template load does."""
    from sqlalchemy.orm import Session

    from services.agency_registry.audit import Who
    from services.agency_registry.template_load import load_template
    from shared.db import make_engine
    from shared.regions import load_regions

    engine = make_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session, session.begin():
            return load_template(
                session, specs, load_regions(), who=Who("cli:bench-offices", "bench-offices")
            )
    finally:
        engine.dispose()


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def metric(url: str, name: str, labels: str = "") -> float | None:
    """A figure from a service's /metrics; None if it has none (or is too busy to answer)."""
    try:
        text = requests.get(f"{url}/metrics", timeout=30).text
    except requests.RequestException:
        return None
    pattern = re.compile(rf"^{re.escape(name)}(\{{[^}}]*\}})? (\S+)$", re.M)
    for found in pattern.finditer(text):
        if labels in (found[1] or ""):
            return float(found[2])
    return None


class System:
    """The whole system on one vhost and one folder of databases; started and stopped whole."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.vhost = f"satupintu_bench_memory_{os.getpid()}"
        self.env = {
            **os.environ,
            "AMQP_URI": fresh_vhost(self.vhost),
            "LOG_LEVEL": "WARNING",
            "BROKER_USER_PREFIX": f"satupintu_bench_memory_{os.getpid()}-",
            "RABBITMQ_MANAGEMENT_URL": MANAGEMENT.removesuffix("/api"),
            "KEYS_DIR": str(workdir / "keys"),
            "HTTP_RATE_LIMIT": "0/60",
        }
        self.urls = {}
        for service in SERVICES:
            port = free_port()
            prefix = ENV_PREFIX.get(service, service.upper())
            self.env[f"{prefix}_HTTP"] = f"127.0.0.1:{port}"
            self.urls[service] = f"http://127.0.0.1:{port}"
            if service in DATABASE_SERVICES:
                self.env[f"{prefix}_DATABASE_URL"] = f"sqlite:///{workdir}/{service}.db"
                self.env[f"{service.upper()}_URL"] = self.urls[service]  # the portal's upstreams
        self.launcher = None
        self.pids: dict[str, int] = {}
        self.starts = 0

    def start(self) -> float:
        self.starts += 1
        log_path = self.workdir / f"satupintu-{self.starts}.log"
        began = time.monotonic()
        with open(log_path, "w") as log:
            self.launcher = subprocess.Popen(
                [sys.executable, "-m", "services.cli", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(lambda: "satupintu is ready" in log_path.read_text(), 600, "the system")
        text = log_path.read_text()
        self.pids = {m[1]: int(m[2]) for m in re.finditer(r"started (\w+) \(pid (\d+)\)", text)}
        return time.monotonic() - began

    def stop(self) -> None:
        if self.launcher is not None:
            stop(self.launcher)
            self.launcher = None

    def remove_users(self) -> None:
        """The broker users are the broker's, not the vhost's: remove both."""
        requests.delete(f"{MANAGEMENT}/vhosts/{self.vhost}", timeout=10)
        for role in ROLES:
            requests.delete(
                f"{MANAGEMENT}/users/{self.env['BROKER_USER_PREFIX']}{role}", timeout=10
            )

    def replica_size(self) -> float | None:
        return metric(self.urls["routing"], "satupintu_replica_agencies")

    def resident(self) -> dict[str, tuple[float, float]]:
        return {service: memory(self.pids[service]) for service in PROCESSES}

    def file(self, cases: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
        """File one report per (category, region); {tracking id: case} once reporting has
        applied their ``report_routed``."""
        filed = {}
        for i, (category, region) in enumerate(cases):
            response = requests.post(
                f"{self.urls['intake']}/reports", json=report(i, category, region), timeout=60
            )
            response.raise_for_status()
            filed[response.json()["tracking_id"]] = (category, region)
        wait_until(lambda: len(self.routed(filed)) == len(filed), 300, "the reports' routing")
        return filed

    def routed(self, filed) -> dict[str, str]:
        """{tracking id: the agency routing chose}, as reporting recorded it."""
        with sqlite3.connect(self.workdir / "reporting.db") as db:
            rows = db.execute(
                "SELECT tracking_id, agency_code FROM reports WHERE agency_code IS NOT NULL"
            ).fetchall()
        return {tid: code for tid, code in rows if tid in filed}

    def decision_seconds(self) -> tuple[float, float]:
        """(sum, count) of routing's on_report_submitted durations so far."""
        labels = 'entrypoint="on_report_submitted"'
        name = "satupintu_entrypoint_duration_seconds"
        for _ in range(10):
            total = metric(self.urls["routing"], f"{name}_sum", labels)
            count = metric(self.urls["routing"], f"{name}_count", labels)
            if total is not None and count is not None:
                return total, count
            time.sleep(1)
        raise SystemExit("routing does not tell its decision times")


def report(i: int, category: str, region: str) -> dict:
    return {
        "classification": "complaint",
        "category_id": category,
        "title": f"Laporan uji memori {i}",
        "body": "Isi laporan untuk uji memori.",
        "event_date": date.today().isoformat(),
        "location": {"region_code": region},
        "privacy": "public",
    }


def decision_ms(system: System, cases) -> float:
    """Mean time routing spends deciding (and recording) a report, in ms, over ``cases``."""
    total0, count0 = system.decision_seconds()
    system.file(cases)
    total1, count1 = system.decision_seconds()
    return (total1 - total0) / max(1, count1 - count0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="agencies in the registry")
    parser.add_argument("--limit-mib", type=float, default=300.0)
    args = parser.parse_args()
    from services.agency_registry.template import build_template
    from shared.regions import load_regions

    regions = load_regions()
    template = len(build_template(regions, with_districts=True))
    specs = office_specs(regions, max(0, args.n - template))
    firsts = {spec.competencies[0]: spec for spec in reversed(specs)}  # the first of each kind
    new_cases = [(spec.competencies[0], spec.jurisdictions[0]) for spec in firsts.values()]
    figures: dict[str, dict] = {}
    timing: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        system = System(Path(tmp))
        try:
            print("starting the system (template load included)…", file=sys.stderr)
            timing["start (template)"] = system.start()
            system.file(TEMPLATE_CASES)  # the replica is loaded, every path warm
            wait_until(lambda: system.replica_size() == template, 120, "the template replica")
            timing["snapshot (template) s"] = metric(
                system.urls["routing"], "satupintu_replica_snapshot_seconds"
            )
            timing["decision (template) ms"] = decision_ms(system, TEMPLATE_CASES * 5)
            figures["template"] = system.resident()

            print(f"registering {len(specs)} offices…", file=sys.stderr)
            began = time.monotonic()
            counts = register(Path(tmp) / "agency_registry.db", specs)
            timing["registry write s"] = time.monotonic() - began
            total = template + counts["created"]
            wait_until(lambda: system.replica_size() == total, 1800, "the replica (events)")
            timing["events to routing s"] = time.monotonic() - began
            figures["grown (events)"] = system.resident()

            print("restarting at this size…", file=sys.stderr)
            system.stop()
            timing["start (grown)"] = system.start()
            filed = system.file(new_cases)
            wait_until(lambda: system.replica_size() == total, 600, "the replica (snapshot)")
            timing["snapshot (grown) s"] = metric(
                system.urls["routing"], "satupintu_replica_snapshot_seconds"
            )
            timing["decision (grown) ms"] = decision_ms(system, (TEMPLATE_CASES + new_cases) * 3)
            with sqlite3.connect(Path(tmp) / "reporting.db") as db:
                wait_until(
                    lambda: (
                        db.execute("SELECT count(*) FROM agencies WHERE version > 0").fetchone()[0]
                        >= counts["created"]
                    ),
                    1800,
                    "reporting (events)",
                )
            timing["events to reporting s"] = time.monotonic() - began  # across the restart
            figures["restarted"] = system.resident()
            chosen = system.routed(filed)
        finally:
            system.stop()
            system.remove_users()
    print_table(figures, args.limit_mib, template, total)
    print()
    for name, value in timing.items():
        print(f"{name:28}{value:10.2f}")
    print("\nreports that only the new offices can own:")
    for tid, (category, region) in filed.items():
        print(f"  {category:24} {region:16} → {chosen[tid]}")
    wrong = [tid for tid in filed if not chosen[tid].startswith(("PUSKESMAS-", "SMPN-", "DESA-"))]
    if wrong:
        raise SystemExit(f"routed to an agency that is not a new office: {wrong}")


def print_table(figures: dict, limit: float, template: int, total: int) -> None:
    phases = list(figures)
    print(f"\nresident memory, MiB (RSS / peak HWM); template {template} agencies, grown {total}")
    print(f"{'':16}" + "".join(f"{phase:>22}" for phase in phases) + f"{'< ' + str(int(limit)):>8}")
    for service in PROCESSES:
        cells = "".join(
            f"{figures[p][service][0]:13.0f} / {figures[p][service][1]:5.0f}" for p in phases
        )
        worst = max(max(figures[p][service]) for p in phases)
        print(f"{service:16}{cells}{'yes' if worst < limit else 'NO':>8}")


if __name__ == "__main__":
    main()
