"""Figures for the agency registry (prints them; not a test).

1. the national template (with kecamatan) loaded into an empty SQLite registry: time;
2. grown to 100,000 agencies with synthetic village offices (one "Kantor Desa/Kelurahan" unit
   per village, below its kecamatan) loaded as a later load would be, events and all: time;
3. the in-process competence index at that size: build time and memory, then competent-agency
   and coordinator lookups per second with p50/p99/max over random (category, region) pairs;
4. the SQL reads at that size: get, ancestors, one subtree page, and the full snapshot.

    .venv/bin/python bench/registry.py [--agencies 100000] [--lookups 200000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services.agency_registry import directory  # noqa: E402
from services.agency_registry.competence import CompetenceIndex  # noqa: E402
from services.agency_registry.live_index import entry  # noqa: E402
from services.agency_registry.models import agencies, metadata  # noqa: E402
from services.agency_registry.template import AgencySpec, build_template, district_code  # noqa: E402
from services.agency_registry.template_load import load_template  # noqa: E402
from shared import categories  # noqa: E402
from shared.db import create_schema, infra, make_engine, outbox  # noqa: E402
from shared.regions import load_regions  # noqa: E402

VILLAGE_COMPETENCIES = ["dana_desa.penggunaan", "dana_desa.perangkat_desa", "dana_desa.bumdes"]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples_ns: list[int]) -> str:
    ordered = sorted(samples_ns)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000  # noqa: E731
    return f"p50 {p(0.50):.1f} µs, p99 {p(0.99):.1f} µs, max {ordered[-1] / 1000:.1f} µs"


def timed(label: str, call):
    started = time.perf_counter()
    result = call()
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def village_offices(regions, count: int) -> list[AgencySpec]:
    specs = []
    for village in regions.villages():
        if len(specs) >= count:
            break
        district = village.parent_code
        specs.append(
            AgencySpec(
                f"DESA-{village.code.replace('.', '-')}",
                f"Kantor Desa/Kelurahan {village.name}",
                "unit",
                district_code(district),
                [village.code],
                VILLAGE_COMPETENCIES,
            )
        )
    return specs


def load(engine, specs, regions) -> dict:
    with Session(engine) as session, session.begin():
        return load_template(session, specs, regions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=200_000)
    args = parser.parse_args()
    random.seed(7)
    regions = timed("region data (91,596 codes) loaded", load_regions)
    template = build_template(regions, with_districts=True)
    folder = Path(tempfile.mkdtemp(prefix="satupintu-bench-"))
    engine = make_engine(f"sqlite:///{folder}/agency_registry.db")
    create_schema(engine, infra, metadata)

    print(f"\n== template: {len(template)} agencies into an empty registry (SQLite)")
    counts = timed("load", lambda: load(engine, template, regions))
    print(f"   {counts}")
    counts = timed(
        "load again (idempotent, nothing changes)", lambda: load(engine, template, regions)
    )
    print(f"   {counts}")

    extra = village_offices(regions, args.agencies - len(template))
    print(f"\n== grown to {len(template) + len(extra)} agencies: {len(extra)} village offices")
    counts = timed(
        "later load (one event + audit line per new agency)",
        lambda: load(engine, template + extra, regions),
    )
    print(f"   created {counts['created']}, events in the outbox {counts['events']}")

    print("\n== in-process competence index")
    with Session(engine) as session:
        snapshot = timed("snapshot read (SQL, consistent)", lambda: directory.snapshot(session))
        size = len(json.dumps(snapshot).encode())
        print(f"   {len(snapshot['agencies'])} agencies, {size / 2**20:.1f} MiB as JSON")
        rss_before = rss_mib()
        tracemalloc.start()
        index = timed(
            "index build", lambda: CompetenceIndex(entry(a) for a in snapshot["agencies"])
        )
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"   index memory {current / 2**20:.1f} MiB (tracemalloc); process max RSS {rss_mib():.0f} MiB (was {rss_before:.0f} before the index)"
        )

    ids = list(categories.CATEGORIES)
    places = [""] + [r.code for r in regions.regencies()] + [r.code for r in regions.districts()]
    places += [r.code for r in random.sample(regions.villages(), 20_000)]
    queries = [(random.choice(ids), random.choice(places)) for _ in range(args.lookups)]
    for category_id, region_code in queries[:1000]:  # warm the category-key cache
        index.competent(category_id, region_code)
    samples, found = [], 0
    started = time.perf_counter()
    for category_id, region_code in queries:
        t0 = time.perf_counter_ns()
        found += len(index.competent(category_id, region_code))
        samples.append(time.perf_counter_ns() - t0)
    elapsed = time.perf_counter() - started
    print(
        f"competent_agencies: {len(queries)} lookups, {len(queries) / elapsed:,.0f}/s, "
        f"{percentiles(samples)}, {found / len(queries):.1f} agencies per answer"
    )
    samples = []
    for _, region_code in queries[:50_000]:
        t0 = time.perf_counter_ns()
        index.coordinator(region_code)
        samples.append(time.perf_counter_ns() - t0)
    print(f"coordinator_for: 50000 lookups, {percentiles(samples)}")

    print("\n== SQL reads at this size (SQLite, one process)")
    with Session(engine) as session:
        codes = list(session.execute(select(agencies.c.code)).scalars())
        sample = random.sample(codes, 2000)
        for label, call in [
            ("get", lambda code: directory.get(session, code)),
            ("ancestors", lambda code: directory.ancestors(session, code)),
            ("revision", lambda code: directory.revision(session)),
        ]:
            samples = []
            for code in sample:
                t0 = time.perf_counter_ns()
                call(code)
                samples.append(time.perf_counter_ns() - t0)
            print(f"{label}: {percentiles(samples)}")
        samples = []
        for code in ["KEMENPANRB", "PROV-73", "PROV-31", "KAB-73-11", "PROV-35"] * 40:
            path = directory.row(session, code).path
            t0 = time.perf_counter_ns()
            directory.subtree(session, path, None, 100, "/")
            samples.append(time.perf_counter_ns() - t0)
        print(f"subtree page of 100 (whole country, provinces, a regency): {percentiles(samples)}")
        pending = session.execute(select(func.count()).select_from(outbox)).scalar()
        print(f"outbox rows waiting for the relay: {pending}")
    engine.dispose()
    print(f"\nmax RSS of this process: {rss_mib():.0f} MiB; database in {folder}")


if __name__ == "__main__":
    main()
