"""``satupintu``: the few verbs an operator needs.

satupintu declare            declare every handler queue and the dead-letter queue
satupintu load-template      load the national agency template into the registry (idempotent)
satupintu create-admin       create a staff account, e.g. the first national_admin
satupintu dead-letters       list failed events; ``--replay [EVENT_ID]`` sends them back
satupintu deliveries         list notification deliveries (dead by default); ``--replay ID …``
satupintu broker-users       create or update the broker users and their permissions
satupintu run                broker users, declare, load the template, run all five services
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from urllib.parse import urlparse

from kombu import Connection

from shared.config import SERVICE_CLASSES, SERVICES, load_config


def service_class(service: str):
    module, cls = SERVICE_CLASSES[service].split(":")
    return getattr(importlib.import_module(module), cls)


def base_amqp_uri() -> str:
    """The broker's host, port and vhost (AMQP_URI, as every service's config.yml reads it)."""
    return load_config("intake")["AMQP_URI"]


def operator_amqp_uri() -> str:
    """OPERATOR_AMQP_URI; else AMQP_URI when it names a user; else the operator's broker user."""
    from shared import broker

    if os.environ.get("OPERATOR_AMQP_URI"):
        return os.environ["OPERATOR_AMQP_URI"]
    if urlparse(os.environ.get("AMQP_URI", "")).username:
        return os.environ["AMQP_URI"]
    return broker.uri_for("operator", base_amqp_uri())


def broker_users(print_definitions: bool, regional: list[str]) -> int:
    """Users and permissions of deploy/rabbitmq/permissions.yml, through the management API."""
    from shared import broker

    base = base_amqp_uri()
    vhost = broker.vhost_of(base)
    if print_definitions:
        json.dump(broker.definitions(vhost), sys.stdout, indent=2)
        print()
        return 0
    try:
        management = broker.Management(broker.management_url(base))
        made = broker.apply(management, vhost)
        for code in regional:
            given = "" if sys.stdin.isatty() else sys.stdin.readline().strip()
            secret = given or broker.password(f"regional_{code.replace('.', '_')}")
            made[f"regional {code}"] = broker.apply_regional(management, vhost, code, secret)
    except broker.BrokerSetupFailed as exc:
        print(f"satupintu: broker users not set: {exc}", file=sys.stderr)
        return 1
    for role, user in made.items():
        print(f"broker user {user} ({role}) on vhost {vhost}")
    return 0


def declare(amqp_uri: str | None = None) -> int:
    from shared.messaging import declare as declare_queues
    from shared.messaging import service_queues

    queues = [queue for service in SERVICES for queue in service_queues(service_class(service))]
    with Connection(amqp_uri or operator_amqp_uri()) as conn:
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


def _registry_engine(database_url: str | None):
    from services.agency_registry.models import metadata
    from shared.db import create_schema, infra, make_engine

    engine = make_engine(database_url or load_config("agency_registry")["DATABASE_URL"])
    create_schema(engine, infra, metadata)
    return engine


def load_template(with_districts: bool, database_url: str | None = None) -> int:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from services.agency_registry.models import staff
    from services.agency_registry.template import build_template
    from services.agency_registry.template_load import load_template as load
    from shared.auth import ensure_key_pair
    from shared.regions import load_regions

    # the registry signs staff tokens, the others verify them: both halves exist before start
    ensure_key_pair(load_config("agency_registry"))
    engine = _registry_engine(database_url)
    regions = load_regions()
    specs = build_template(regions, with_districts=with_districts)
    with Session(engine) as session, session.begin():
        counts = load(session, specs, regions, progress_bar("agencies"))
        has_admin = session.execute(
            select(staff.c.id).where(staff.c.role == "national_admin")
        ).first()
    engine.dispose()
    print(
        f"template: {len(specs)} agencies ({counts['created']} created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['kept']} kept as people changed them; {counts['events']} events; "
        f"registry revision {counts['revision']})"
    )
    if not has_admin:
        print("no national_admin yet: satupintu create-admin --username NAME", file=sys.stderr)
    return 0


def create_admin(args, database_url: str | None = None) -> int:
    """A staff account made from the command line (audited as cli:create-admin)."""
    import getpass

    from sqlalchemy.orm import Session

    from services.agency_registry import staff
    from services.agency_registry.audit import AuditLog, Who
    from services.agency_registry.template import ROOT_CODE
    from shared.web import Problem

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
    engine = _registry_engine(database_url)
    data = {
        "username": args.username,
        "full_name": args.full_name or args.username,
        "email": args.email,
        "role": args.role,
        "agency_code": args.agency or ROOT_CODE,
        "password": password,
    }
    try:
        with Session(engine) as session, session.begin():
            log = AuditLog(session, Who("cli:create-admin", "create-admin"), None)
            account = staff.create(session, log, None, data)
    except Problem as problem:
        details = "; ".join(f"{e['field']}: {e['message']}" for e in problem.errors)
        print(f"satupintu: {problem.title}: {details or problem.detail}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"created {account['role']} {account['username']} at {account['agency_code']}")
    return 0


def dead_letters(replay_all: bool, event_id: str | None) -> int:
    from shared.deadletters import list_dead_letters, replay

    amqp_uri = operator_amqp_uri()
    if replay_all or event_id:
        letters = replay(amqp_uri, event_id)
        print(f"replayed {len(letters)}")
    else:
        letters = list_dead_letters(amqp_uri)
    for letter in letters:
        print(json.dumps(letter.summary()))
    return 0


def deliveries(status: str, replay_ids: list[int]) -> int:
    """Asks the running notification service (RPC as the operator, with a timeout)."""
    from shared.rpc import CallerRpcProxy

    with CallerRpcProxy({"AMQP_URI": operator_amqp_uri()}, timeout=30) as cluster:
        if replay_ids:
            print(f"queued again: {cluster.notification.replay_deliveries(replay_ids)}")
            return 0
        for delivery in cluster.notification.list_deliveries(status):
            print(json.dumps(delivery, default=str))
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
    admin = commands.add_parser(
        "create-admin", help="create a staff account (first national_admin)"
    )
    admin.add_argument("--username", required=True)
    admin.add_argument("--full-name")
    admin.add_argument("--email")
    admin.add_argument("--role", default="national_admin")
    admin.add_argument("--agency", help="the agency's code (default: the root, KEMENPANRB)")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    letters = commands.add_parser("dead-letters", help="list (or replay) failed events")
    letters.add_argument(
        "--replay",
        nargs="?",
        const="*",
        metavar="EVENT_ID",
        help="replay all dead letters, or those of one event id",
    )
    sent = commands.add_parser("deliveries", help="list or replay notification deliveries")
    sent.add_argument(
        "--status", default="dead", choices=("queued", "sent", "failed", "dead", "skipped")
    )
    sent.add_argument(
        "--replay",
        nargs="+",
        type=int,
        default=[],
        metavar="ID",
        help="queue these dead deliveries again",
    )
    users = commands.add_parser(
        "broker-users", help="create or update the broker users and their permissions"
    )
    users.add_argument(
        "--definitions",
        action="store_true",
        help="print them as RabbitMQ definitions (rabbitmqctl import_definitions) instead",
    )
    users.add_argument(
        "--regional",
        action="append",
        default=[],
        metavar="CODE",
        help="also a regional instance's user (its password on standard input, or generated)",
    )
    run = commands.add_parser("run", help="run the whole system in this terminal")
    run.add_argument("--without-districts", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "declare":
        return declare()
    if args.command == "load-template":
        return load_template(not args.without_districts)
    if args.command == "create-admin":
        return create_admin(args)
    if args.command == "dead-letters":
        return dead_letters(args.replay == "*", None if args.replay in (None, "*") else args.replay)
    if args.command == "deliveries":
        return deliveries(args.status, args.replay)
    if args.command == "broker-users":
        return broker_users(args.definitions, args.regional)
    return run_system(args.without_districts)


def run_system(without_districts: bool) -> int:
    """Broker users first, then queues (as the operator), the template, and the services."""
    from shared import broker
    from shared.launcher import run_all

    if broker_users(False, []) != 0:
        return 1
    base = base_amqp_uri()
    uris = {service: broker.uri_for(service, base) for service in SERVICES}
    declare(broker.uri_for("operator", base))
    load_template(not without_districts)
    return run_all(uris)


if __name__ == "__main__":
    sys.exit(main())
