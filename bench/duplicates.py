"""Duplicate candidate lookup figures (prints them; not a test).

Fills intake's ``duplicate_keys`` table (services/intake/models.py) directly with N reports
(default 1,000,000) in a SQLite file and a fresh PostgreSQL database: Indonesian texts from
templates per category family, with places, school and health-centre names and amounts,
across the 514 regencies (Zipf-weighted: a city files far more than a remote regency) and the
20 category families over ~3.5 years (800 a day on average), plus a viral burst of BURST
reports about one matter in Makassar (pendidikan) in one week. Each text is normalised as at
submission (services.intake.duplicates.normalised). Then it times
services.intake.duplicates.candidates (the query intake's RPC runs) for random stored reports
and for reports inside the burst: p50/p95/p99 in ms, rows read per lookup (p50/p99/max) and
candidates found.

    .venv/bin/python bench/duplicates.py [-n 1000000] [--lookups 2000]
        [--databases sqlite,postgresql] [--burst 20000]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from services.intake.duplicates import candidates, normalised  # noqa: E402
from services.intake.models import duplicate_keys  # noqa: E402
from shared import categories  # noqa: E402
from shared.db import make_engine  # noqa: E402

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START = datetime(2023, 6, 1, tzinfo=UTC)
DAYS = 1250
BURST_PLACE = ("73.71", "pendidikan")
ISSUES = {
    "pendidikan": [
        (
            "Pungutan uang {thing} di {school}",
            "Sekolah {school} di {place} meminta uang {thing} "
            "Rp {amount} kepada setiap siswa baru tanpa kuitansi.",
        ),
        (
            "Guru jarang hadir di {school}",
            "Guru di {school} {place} sering tidak masuk kelas "
            "sejak {month}, siswa dibiarkan belajar sendiri.",
        ),
        (
            "Ijazah ditahan {school}",
            "Ijazah anak kami ditahan {school} karena belum membayar uang {thing} Rp {amount}.",
        ),
    ],
    "kesehatan": [
        (
            "Obat habis di {puskesmas}",
            "Stok obat kosong sejak {month} di {puskesmas} {place}, "
            "pasien disuruh membeli sendiri di apotek.",
        ),
        (
            "Pelayanan BPJS ditolak di {puskesmas}",
            "Peserta BPJS ditolak berobat di {puskesmas} {place} dan diminta membayar Rp {amount}.",
        ),
    ],
    "infrastruktur": [
        (
            "Jalan rusak di {place}",
            "Jalan poros {place} berlubang dan tergenang sejak {month}, "
            "sudah ada {amount_small} kecelakaan motor.",
        ),
        (
            "Jembatan putus di {place}",
            "Jembatan penghubung desa di {place} putus, warga menyeberang sungai dengan rakit.",
        ),
    ],
    "administrasi_kependudukan": [
        (
            "KTP-el belum jadi",
            "Sudah {amount_small} bulan KTP-el saya belum dicetak di "
            "Disdukcapil, katanya blangko habis, warga {place}.",
        ),
        (
            "Pungutan kartu keluarga di {place}",
            "Petugas kelurahan {place} meminta Rp {amount} untuk mengurus kartu keluarga baru.",
        ),
    ],
}
GENERIC = [
    (
        "Pelayanan lambat di kantor {place}",
        "Pengurusan {thing} di kantor {place} sudah "
        "{amount_small} minggu tidak selesai, petugas selalu meminta kembali besok.",
    ),
    (
        "Pungutan liar {thing} di {place}",
        "Oknum petugas di {place} meminta uang Rp {amount} "
        "untuk {thing}, padahal seharusnya gratis.",
    ),
    (
        "Bantuan tidak tepat sasaran di {place}",
        "Bantuan {thing} di {place} diberikan kepada "
        "keluarga perangkat desa, warga miskin tidak mendapat.",
    ),
]
THINGS = ["seragam", "gedung", "komite", "buku", "perpisahan", "izin usaha", "sertifikat",
          "bantuan sosial", "pupuk", "beras", "surat keterangan", "akta kelahiran"]  # fmt: skip
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]  # fmt: skip
SCHOOLS = ["SDN {n} {place}", "SMPN {n} {place}", "SMAN {n} {place}", "SD Inpres {place}",
           "MTs Negeri {n} {place}"]  # fmt: skip


def places() -> tuple[list[str], dict[str, list[str]]]:
    with open(ROOT / "data/regions/regencies.csv") as f:
        regencies = [row["code"] for row in csv.DictReader(f)]
    districts: dict[str, list[str]] = {}
    with open(ROOT / "data/regions/districts.csv") as f:
        for row in csv.DictReader(f):
            districts.setdefault(row["regency_code"], []).append(row["name"])
    return regencies, districts


def a_text(rng: random.Random, family: str, names: list[str]) -> tuple[str, str]:
    place = rng.choice(names) if names else "kota"
    title, body = rng.choice(ISSUES.get(family, GENERIC))
    slots = {
        "place": place,
        "school": rng.choice(SCHOOLS).format(n=rng.randint(1, 40), place=place),
        "puskesmas": f"Puskesmas {rng.choice(names) if names else place}",
        "thing": rng.choice(THINGS),
        "amount": f"{rng.randint(5, 200) * 10_000:,}".replace(",", "."),
        "amount_small": rng.randint(2, 9),
        "month": rng.choice(MONTHS),
    }
    return title.format(**slots), body.format(**slots)


def rows(n: int, burst: int, seed: int = 7):
    """(tracking_id, regency, family, submitted_at, words), n in all, ``burst`` of them in
    BURST_PLACE within one week."""
    rng = random.Random(seed)
    regencies, districts = places()
    rng.shuffle(regencies)
    regency_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(regencies))]
    families = categories.top_level()
    family_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(families))]
    burst_title, burst_body = a_text(rng, "pendidikan", districts["73.71"])
    burst_at = START + timedelta(days=DAYS - 30)
    for i in range(n):
        if i < burst:
            regency, family = BURST_PLACE
            at = burst_at + timedelta(seconds=rng.uniform(0, 7 * 86400))
            # one viral matter, told in many voices: a sentence of one's own added
            title, body = burst_title, f"{burst_body} {a_text(rng, family, districts[regency])[1]}"
        else:
            regency = rng.choices(regencies, regency_weights)[0]
            family = rng.choices(families, family_weights)[0]
            at = START + timedelta(seconds=rng.uniform(0, DAYS * 86400))
            title, body = a_text(rng, family, districts.get(regency, []))
        yield (f"LPR-B{i:011d}", regency, family, at, normalised(title, body))


class Target:
    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        if kind == "sqlite":
            self.path = workdir / "intake.db"
            self.url = f"sqlite:///{self.path}"
        else:
            import psycopg2

            self.name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
            admin = psycopg2.connect(PG_ADMIN_URL)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            admin.close()
            self.url = f"postgresql://postgres@127.0.0.1:5432/{self.name}"
        self.engine = make_engine(self.url)
        duplicate_keys.create(self.engine)

    def write(self, batch: list) -> None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.kind == "sqlite":
                cursor.executemany(
                    "INSERT INTO duplicate_keys VALUES (?, ?, ?, ?, ?)",
                    [(t, r, f, at.replace(tzinfo=None).isoformat(" "), w)
                     for t, r, f, at, w in batch],
                )  # fmt: skip
            else:
                buffer = io.StringIO()
                csv.writer(buffer).writerows(batch)
                buffer.seek(0)
                cursor.copy_expert("COPY duplicate_keys FROM STDIN WITH (FORMAT csv)", buffer)
            raw.commit()
        finally:
            raw.close()

    def analyse(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("ANALYZE"))

    def size(self) -> str:
        if self.kind == "sqlite":
            return f"{self.path.stat().st_size / 2**20:.0f} MiB"
        with self.engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        return f"{size / 2**20:.0f} MiB"

    def drop(self) -> None:
        self.engine.dispose()
        if self.kind == "postgresql":
            import psycopg2

            admin = psycopg2.connect(PG_ADMIN_URL)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(target: Target, ids: list[str], label: str) -> None:
    times, scanned, found = [], [], []
    with target.engine.connect() as conn:
        candidates(conn, ids[0])  # warm the connection
        for tid in ids:
            started = time.perf_counter()
            result, rows_read = candidates(conn, tid)
            times.append((time.perf_counter() - started) * 1000)
            scanned.append(rows_read)
            found.append(len(result))
    print(
        f"  {label:<22} {len(ids):>5} lookups  p50 {percentile(times, 50):6.2f} ms  "
        f"p95 {percentile(times, 95):6.2f} ms  p99 {percentile(times, 99):6.2f} ms  | rows "
        f"read p50 {percentile(scanned, 50):.0f} p99 {percentile(scanned, 99):.0f} max "
        f"{max(scanned)}  | candidates mean {statistics.mean(found):.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--burst", type=int, default=20_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    rng = random.Random(11)
    lookups = [f"LPR-B{rng.randrange(args.burst, args.n):011d}" for _ in range(args.lookups)]
    in_burst = [f"LPR-B{rng.randrange(args.burst):011d}" for _ in range(args.lookups // 4)]
    with tempfile.TemporaryDirectory() as workdir:
        for kind in args.databases.split(","):
            target = Target(kind, Path(workdir))
            try:
                started, batch = time.perf_counter(), []
                for row in rows(args.n, args.burst):
                    batch.append(row)
                    if len(batch) == 50_000:
                        target.write(batch)
                        batch = []
                if batch:
                    target.write(batch)
                target.analyse()
                print(
                    f"{kind}: {args.n:,} reports stored in {time.perf_counter() - started:.0f} s "
                    f"({target.size()})"
                )
                measure(target, lookups, "random reports")
                measure(target, in_burst, f"in a burst of {args.burst:,}")
            finally:
                target.drop()


if __name__ == "__main__":
    main()
