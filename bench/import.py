"""Figures for ``satupintu import`` (prints them; not a test).

1. generates N historical reports (default 1,500,000, LAPOR!'s total by 2023) as a JSON-lines
   file (shared.historical's format): categories and locations down to districts, channels,
   the privacy mix, agencies chosen by routing's own policy over the national template (and
   the next one it would choose after a decline), 1–3 dispositions, follow-ups, feedback,
   feedback timeouts, withdrawals, open and closed reports, times over 2016–2023; deterministic
   for a seed;
2. runs ``satupintu import FILE`` into fresh databases in a temporary folder (SQLite; with
   ``--postgres`` fresh PostgreSQL databases), the services two at a time (``--jobs``), and
   prints per service records/s, wall time and peak RSS (each importer's VmHWM), the total
   wall time, and the time projected for 1.5 M records at the measured rate.

    .venv/bin/python bench/import.py [-n 1500000] [--seed 7] [--jobs 2] [--postgres]
        [--file PATH (reuse a generated file)] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.agency_registry.template import build_template  # noqa: E402
from services.routing.rules.policy import Directory, decide  # noqa: E402
from services.routing.rules.replica_state import views_from_template  # noqa: E402
from shared import categories  # noqa: E402
from shared.calendar import WorkingCalendar  # noqa: E402
from shared.regions import load_regions  # noqa: E402
from shared.tracking import ALPHABET, _format, check_char  # noqa: E402

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START = datetime(2016, 1, 1, tzinfo=UTC)
END = datetime(2024, 1, 1, tzinfo=UTC)
TARGET = 1_500_000
CHANNELS = {"web": 40, "mobile": 30, "sms": 12, "twitter": 8, "open311": 4, "email": 4,
            "walk_in": 2}  # fmt: skip
WORDS = ("jalan rusak sekolah guru puskesmas pelayanan antrian pungutan biaya izin bantuan "
         "sosial air listrik sampah banjir dokumen ktp akta lambat petugas desa dana").split()  # fmt: skip
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class World:
    """Where reports come from and which agency routing's policy gives each."""

    def __init__(self):
        regions = load_regions(with_villages=False)
        specs = build_template(regions)
        self.directory = Directory(views_from_template(specs, regions))
        self.districts = [region.code for region in regions.districts()]
        self.categories = [code for code in categories.CATEGORIES if "." in code]
        self.calendar = WorkingCalendar()
        self._decided: dict = {}

    def holders(self, category: str, region: str, count: int) -> list[tuple[str, str]]:
        """Up to ``count`` (agency, rule) routing would choose, each after the others declined."""
        key = (category, region, count)
        if key not in self._decided:
            found, excluded = [], frozenset()
            for _ in range(count):
                decision = decide(self.directory, category, region, excluded=excluded)
                if decision.rule == "coordinator" or decision.agency_code in excluded:
                    break
                found.append((decision.agency_code, decision.rule))
                excluded |= {decision.agency_code}
            self._decided[key] = found
        return self._decided[key]


def record(rng: random.Random, world: World, number: int) -> dict:
    payload = "".join(rng.choice(ALPHABET) for _ in range(11))
    tracking_id = _format(payload + check_char(payload))
    while True:
        category, region = rng.choice(world.categories), rng.choice(world.districts)
        wanted = rng.choices((1, 2, 3), (90, 8, 2))[0]
        holders = world.holders(category, region, wanted)
        if holders:
            break
    privacy = rng.choices(("public", "anonymous", "confidential"), (80, 12, 8))[0]
    at = START + (END - START) * rng.random() ** 0.8  # more reports in later years
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
    reporter = None
    if privacy != "anonymous":
        reporter = {"name": f"Warga {number}", "phone": f"+62812{number:08d}",
                    "email": f"warga{number}@contoh.id"}  # fmt: skip
    rec = {
        "tracking_id": tracking_id,
        "submitted_at": iso(at),
        "classification": rng.choices(
            ("complaint", "aspiration", "information_request"), (7, 2, 1)
        )[0],  # fmt: skip
        "category_id": category,
        "region_code": region,
        "privacy": privacy,
        "channel": rng.choices(tuple(CHANNELS), tuple(CHANNELS.values()))[0],
        "language": "id" if rng.random() < 0.97 else "en",
        "title": " ".join(words.split()[:6]).capitalize(),
        "body": words.capitalize() + ".",
        "reporter": reporter,
        "dispositions": [],
        "followups": [],
        "feedback": None,
        "feedback_timeout": False,
        "withdrawn_at": None,
    }
    at += timedelta(minutes=rng.uniform(1, 4000))
    for index, (code, rule) in enumerate(holders):
        hop = {"agency_code": code, "rule": rule, "at": iso(at)}
        if index < len(holders) - 1:
            at += timedelta(hours=rng.uniform(2, 120))
            hop.update(declined_at=iso(at), reason="Bukan kewenangan kami")
            at += timedelta(minutes=rng.uniform(1, 600))
        rec["dispositions"].append(hop)
    if rng.random() < 0.01:
        rec["withdrawn_at"] = iso(at + timedelta(hours=rng.uniform(1, 100)))
        return rec
    if rng.random() < 0.87:
        for _ in range(rng.choices((0, 1, 2), (5, 3, 1))[0]):
            at += timedelta(hours=rng.lognormvariate(3.3, 1.0))
            rec["followups"].append({"at": iso(at), "text": "Sedang kami tangani.",
                                     "final": False})  # fmt: skip
        if rng.random() < 0.8:
            at += timedelta(hours=rng.lognormvariate(4.0, 0.8))
            rec["followups"].append({"at": iso(at), "text": "Sudah kami selesaikan.",
                                     "final": True})  # fmt: skip
            roll = rng.random()
            if roll < 0.45:
                rec["feedback"] = {"at": iso(at + timedelta(hours=rng.uniform(1, 200))),
                                   "satisfied": roll < 0.38, "note": "Terima kasih."}  # fmt: skip
            elif at + 16 * DAY < END:  # the feedback clock ran out before the export
                rec["feedback_timeout"] = True
    return rec


def generate(path: Path, n: int, seed: int) -> float:
    started = time.perf_counter()
    rng, world = random.Random(seed), World()
    with open(path, "w", encoding="utf-8") as out:
        for number in range(n):
            out.write(json.dumps(record(rng, world, number), separators=(",", ":")) + "\n")
            if number % 50000 == 0:
                print(f"\rgenerating {number}/{n}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - started


def fresh_databases(workdir: Path, postgres: bool) -> tuple[dict, list[str]]:
    env, made = {}, []
    for service in ("intake", "routing", "reporting"):
        if postgres:
            import psycopg2

            name = f"satupintu_import_{service}_{uuid.uuid4().hex[:6]}"
            admin = psycopg2.connect(PG_ADMIN_URL)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
            admin.close()
            made.append(name)
            env[f"{service.upper()}_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{name}"
        else:
            env[f"{service.upper()}_DATABASE_URL"] = f"sqlite:///{workdir / service}.db"
    return env, made


def drop(names: list[str]) -> None:
    import psycopg2

    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=TARGET)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--file", help="an already generated file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="satupintu-import-"))
    path = Path(args.file) if args.file else workdir / "history.jsonl"
    if not args.file:
        seconds = generate(path, args.n, args.seed)
        print(f"generated {args.n} records ({path.stat().st_size / 1e6:.0f} MB) in {seconds:.0f} s")
    lines = sum(1 for _ in open(path, "rb"))
    env, made = fresh_databases(workdir, args.postgres)
    print(f"load: {os.getloadavg()}")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "import", str(path), "--jobs", str(args.jobs),
         "--quiet"],
        env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    print(done.stdout, end="")
    summaries = [json.loads(line.split(" ", 1)[1]) for line in done.stderr.splitlines()
                 if line.startswith("IMPORT-SUMMARY ")]  # fmt: skip
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr)
    print(
        f"\n{lines} records, {args.jobs} services at a time, {'PostgreSQL' if args.postgres else 'SQLite'}"
    )
    print(f"{'service':<10} {'records/s':>10} {'seconds':>9} {'CPU s':>8} {'peak RSS MiB':>13} "
          f"{'skipped':>8}")  # fmt: skip
    for item in summaries:
        print(f"{item['service']:<10} {item['records_per_second']:>10} {item['seconds']:>9} "
              f"{item['cpu_seconds']:>8} {item['peak_rss_mb']:>13} {item['skipped']:>8}")  # fmt: skip
    cpu = [item["cpu_seconds"] * TARGET / max(lines, 1) for item in summaries]
    if cpu:  # two cores, one process each: the work is the CPU it takes, spread over both
        alone = max(sum(cpu) / 2, max(cpu))
        print(f"CPU for {TARGET:,}: " + ", ".join(
            f"{item['service']} {c / 60:.0f} min" for item, c in zip(summaries, cpu, strict=True))
            + f"; on 2 idle cores about {alone / 60:.0f} min")  # fmt: skip
    print(f"total wall time: {wall:.0f} s; load after: {os.getloadavg()}")
    print(
        f"projected for {TARGET:,} records at this rate: {wall * TARGET / max(lines, 1) / 60:.0f} min"
    )
    if made:
        drop(made)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept: {workdir}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
