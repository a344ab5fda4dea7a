"""History from an earlier system into every service's store (the format: shared.historical,
docs/import.md).

    satupintu import FILE [--service intake|routing|reporting] [--jobs 2] [--batch 2000]
                          [--as-of TIME] [--agencies template|registry|FILE]
                          [--database-url URL] [--quiet]

Without ``--service``, one process per service that keeps something of a report (intake,
routing, reporting), ``--jobs`` at a time, each against its own database as the service is
configured (``<SERVICE>_DATABASE_URL``, a SQLite file under var/ by default) and writing only
its own tables. Each is resumable (shared.importing): run the same command again after a crash
and every service goes on from its last committed batch; a finished service says so at once.
The registry and notification keep nothing per historical report (no inbox, no delivery is
made up for what was told long ago).

Records name agencies by code: those of the national template (the registry's starting tree),
or with ``--agencies registry`` the running registry's, staff-registered ones included, read
once from its snapshot for every service (services.import_agencies). Nothing is published:
consumers get history by this import, not from events.
``--as-of`` is when the history ends (by default the file's modification time: when the export
was written), kept in each service's checkpoint so that every service and every resumed run
read the file alike. A deadline of an open report that passed before it passed in the old
system: its breach, escalation or feedback timeout is imported as history, its reminder as
sent. Routing's clocks run on from there, and the live sweep acts only on what falls due after.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import event

from services import import_agencies
from shared import historical
from shared.calendar import from_config
from shared.config import load_config
from shared.db import create_schema, infra, make_engine
from shared.importing import BATCH, AsOfConflict, as_of_for, run

# the services that keep reports, the costliest first (CPU per record, bench/import.py):
# reporting's share takes longest, so it starts at once and the others share the second job
SERVICES = ("reporting", "routing", "intake")
SQLITE_CACHE_KIB = 256 * 1024  # per importer process, well inside its 1 GB


def region_check():
    from shared.regions import load_regions

    regions = load_regions(with_villages=True)
    return regions.exists


def import_one(service: str, path, database_url=None, batch=BATCH, quiet=False, as_of=None,
               agencies=import_agencies.TEMPLATE):  # fmt: skip
    """One service's import of ``path``; the shared.importing.Outcome. ``as_of``: when the
    history ends (shared.importing.as_of_for; None: the checkpoint's, or the file's time);
    ``agencies``: the ones records may name (services.import_agencies: the template, or a
    registry snapshot's file)."""
    from services.routing.importing import Escalations
    from services.routing.rules.policy import Directory

    module = importlib.import_module(f"services.{service}.importing")
    config = load_config(service)
    engine = make_engine(database_url or config["DATABASE_URL"])
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _cache(dbapi_connection, _record):  # a bigger page cache: random keys, big indexes
            dbapi_connection.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    try:
        create_schema(engine, infra, module.METADATA)
        as_of = as_of_for(engine, module.CHECKPOINTS, path, as_of)
        routing = load_config("routing")  # the clocks and the escalations are routing's
        directory = Directory(import_agencies.views(agencies))  # routing's policy reads it
        if service == "routing":
            write = module.Writer(config, directory, as_of)
        else:
            write = module.Writer()
        stored = module.STORED_TRACKING_IDS
        return run(engine, module.CHECKPOINTS, path, write, stored,
                   import_agencies.agencies(agencies), region_check(), from_config(routing),
                   service, batch=batch, quiet=quiet, as_of=as_of,
                   escalated_to=Escalations(routing, directory))  # fmt: skip
    finally:
        engine.dispose()


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(service: str, outcome) -> dict:
    return {
        "service": service,
        "lines": outcome.lines,
        "imported": outcome.imported,
        "skipped": outcome.skipped,
        "skipped_by_reason": dict(outcome.counts),
        "examples": outcome.examples,
        "as_of": outcome.as_of.isoformat() if outcome.as_of else None,
        "already_finished": outcome.already,
        "this_run": outcome.this_run,
        "seconds": round(outcome.seconds, 2),
        "records_per_second": round(outcome.this_run / outcome.seconds, 1)
        if outcome.seconds
        else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "cpu_seconds": round(cpu_seconds(), 1),
    }


def cpu_seconds() -> float:
    """CPU this process used (user and system): what the import costs whatever else runs."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _print(done: dict) -> None:
    if done["already_finished"]:
        print(f"import {done['service']}: already finished ({done['imported']} records)")
    else:
        print(
            f"import {done['service']}: {done['imported']} imported, {done['skipped']} skipped, "
            f"{done['this_run']} read in {done['seconds']} s "
            f"({done['records_per_second']}/s), peak RSS {done['peak_rss_mb']} MiB; "
            f"history as of {done['as_of']}"
        )
    if done["skipped"]:
        print(f"  skipped: {done['skipped_by_reason']}; first: {done['examples']}")
    print("IMPORT-SUMMARY " + json.dumps(done), file=sys.stderr)


def run_all(path, services, jobs: int, batch: int, quiet: bool, as_of=None,
            agencies=import_agencies.TEMPLATE) -> int:  # fmt: skip
    """Every service's import in its own process, ``jobs`` at a time; 0 if all succeeded."""
    waiting, running, failed = list(services), [], []
    started = time.perf_counter()
    while waiting or running:
        while waiting and len(running) < jobs:
            service = waiting.pop(0)
            argv = [sys.executable, "-m", "services.cli", "import", str(path), "--service",
                    service, "--batch", str(batch)] + (["--quiet"] if quiet else [])  # fmt: skip
            if as_of is not None:
                argv += ["--as-of", as_of.isoformat()]
            argv += ["--agencies", str(agencies)]
            running.append((service, subprocess.Popen(argv)))
        for service, process in list(running):
            if process.poll() is not None:
                running.remove((service, process))
                if process.returncode:
                    failed.append(service)
        time.sleep(0.2)
    print(f"import: {len(services)} services in {time.perf_counter() - started:.1f} s"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))  # fmt: skip
    return 1 if failed else 0


def command(args) -> int:
    as_of = None
    if args.as_of is not None:
        try:
            as_of = historical.time_of(args.as_of)
        except historical.Refused:
            print(f"--as-of {args.as_of!r} is not a time (ISO 8601)", file=sys.stderr)
            return 2
        if as_of > datetime.now(UTC):
            print(f"--as-of {args.as_of} is in the future", file=sys.stderr)
            return 2
    try:  # the registry's are read once here, for every service alike
        agencies, count = import_agencies.source_of(args.agencies, load_config("routing"))
    except import_agencies.Unavailable as why:
        print(f"--agencies {args.agencies}: {why}", file=sys.stderr)
        return 2
    if count is not None:
        print(f"import: {count} agencies from the registry in {agencies}")
    if args.service:
        try:
            outcome = import_one(args.service, args.file, args.database_url, args.batch,
                                 args.quiet, as_of, agencies)  # fmt: skip
        except AsOfConflict as conflict:
            print(f"import {args.service}: {conflict}", file=sys.stderr)
            return 2
        _print(summary(args.service, outcome))
        return 0
    if args.database_url:
        print("--database-url needs --service", file=sys.stderr)
        return 2
    return run_all(args.file, SERVICES, max(1, args.jobs), args.batch, args.quiet, as_of,
                   agencies)  # fmt: skip


def register(commands) -> None:
    """``satupintu import FILE [--service S] [--jobs N] [--batch N] [--quiet]``."""
    parser = commands.add_parser(
        "import", help="load historical reports (JSON lines) into every service (resumable)"
    )
    parser.add_argument("file", help="the JSON-lines file (docs/import.md)")
    parser.add_argument("--service", choices=SERVICES, help="only this service's share")
    parser.add_argument("--jobs", type=int, default=2, help="services imported at once")
    parser.add_argument("--batch", type=int, default=BATCH, help="records per transaction")
    parser.add_argument("--database-url", help="with --service: instead of its DATABASE_URL")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--as-of",
        help="when the history ends (ISO 8601; default: the file's modification time): "
        "deadlines that passed before it passed in the old system",
    )
    parser.add_argument(
        "--agencies",
        default=import_agencies.TEMPLATE,
        help="the agencies records may name: template (default), registry (the running "
        "registry's, snapshot once for every service) or a snapshot file",
    )
    parser.set_defaults(run=command)
