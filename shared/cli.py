"""``satupintu``: the few verbs an operator needs.

satupintu declare            declare every handler queue and the dead-letter queue
satupintu load-template      load the national agency template into the registry (idempotent)
satupintu dead-letters       list failed events; ``--replay [EVENT_ID]`` sends them back
satupintu run                declare, load the template, run all five services; Ctrl-C stops
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from kombu import Connection

from shared.config import SERVICE_CLASSES, SERVICES, load_config


def service_class(service: str):
    module, cls = SERVICE_CLASSES[service].split(":")
    return getattr(importlib.import_module(module), cls)


def declare() -> int:
    from shared.messaging import declare as declare_queues
    from shared.messaging import service_queues

    queues = [queue for service in SERVICES for queue in service_queues(service_class(service))]
    with Connection(load_config("intake")["AMQP_URI"]) as conn:
        declare_queues(conn, queues)
    for queue in queues:
        print(f"declared {queue.name}")
    return 0


def progress_bar(label: str):
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def load_template(with_districts: bool, database_url: str | None = None) -> int:
    from sqlalchemy.orm import Session

    from services.agency_registry import agencies
    from services.agency_registry.models import metadata
    from services.agency_registry.template import build_template
    from shared.db import create_schema, infra, make_engine
    from shared.regions import load_regions

    engine = make_engine(database_url or load_config("agency_registry")["DATABASE_URL"])
    create_schema(engine, infra, metadata)
    regions = load_regions()
    specs = build_template(regions, with_districts=with_districts)
    with Session(engine) as session, session.begin():
        counts = agencies.load_template(session, specs, regions, progress_bar("agencies"))
    engine.dispose()
    print(
        f"template: {len(specs)} agencies ({counts['created']} created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged)"
    )
    return 0


def dead_letters(replay_all: bool, event_id: str | None) -> int:
    from shared.deadletters import list_dead_letters, replay

    amqp_uri = load_config("intake")["AMQP_URI"]
    if replay_all or event_id:
        letters = replay(amqp_uri, event_id)
        print(f"replayed {len(letters)}")
    else:
        letters = list_dead_letters(amqp_uri)
    for letter in letters:
        print(json.dumps(letter.summary()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="satupintu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("declare", help="declare handler queues and the dead-letter queue")
    template = commands.add_parser("load-template", help="load the national agency template")
    template.add_argument(
        "--without-districts",
        action="store_true",
        help="governments and their offices only, no kecamatan units",
    )
    letters = commands.add_parser("dead-letters", help="list (or replay) failed events")
    letters.add_argument(
        "--replay",
        nargs="?",
        const="*",
        metavar="EVENT_ID",
        help="replay all dead letters, or those of one event id",
    )
    run = commands.add_parser("run", help="run the whole system in this terminal")
    run.add_argument("--without-districts", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "declare":
        return declare()
    if args.command == "load-template":
        return load_template(not args.without_districts)
    if args.command == "dead-letters":
        return dead_letters(args.replay == "*", None if args.replay in (None, "*") else args.replay)
    from shared.launcher import run_all

    declare()
    load_template(not args.without_districts)
    return run_all()


if __name__ == "__main__":
    sys.exit(main())
