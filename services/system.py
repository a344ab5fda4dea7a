"""The system-wide operator commands, over every service of ``services.SERVICES``:

satupintu declare        declare every handler queue and the dead-letter queue
satupintu dead-letters   list failed events; ``--replay [EVENT_ID]`` sends them back
satupintu broker-users   create or update the broker users and their permissions
satupintu migrate        every service's database to the newest revision of its history
satupintu revision S M   a new migration for service S after its models changed
satupintu run            broker users, declare, migrate, load the template, run all six services
"""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import urlparse

from kombu import Connection

from services import DATABASE_SERVICES, SERVICE_CLASSES, SERVICES, service_class
from shared.config import load_config


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


def _metadatas(service: str):
    import importlib

    from shared.db import infra

    return (infra, importlib.import_module(f"services.{service}.models").metadata)


def migrate(only: list[str]) -> int:
    """Each service's own database (its DATABASE_URL) upgraded, one after the other."""
    from shared import migrations
    from shared.db import make_engine

    for service in only or DATABASE_SERVICES:
        metadatas = _metadatas(service)
        engine = make_engine(load_config(service)["DATABASE_URL"])
        try:
            head = migrations.upgrade(engine, migrations.folder_of(metadatas[-1]), metadatas)
        finally:
            engine.dispose()
        print(f"{service}: schema at revision {head}")
    return 0


def revision(service: str, message: str) -> int:
    from shared import migrations

    made = migrations.new_revision(_metadatas(service), message)
    print(f"wrote {made}" if made else f"{service}: models and migrations agree, nothing written")
    return 0


def run_system(without_districts: bool) -> int:
    """Broker users first, then queues (as the operator), the template, and the services."""
    from services.agency_registry.commands import load_template
    from shared import broker
    from shared.launcher import run_all

    if broker_users(False, []) != 0:
        return 1
    base = base_amqp_uri()
    uris = {service: broker.uri_for(service, base) for service in SERVICES}
    declare(broker.uri_for("operator", base))
    migrate([])
    load_template(not without_districts)
    return run_all(SERVICE_CLASSES, uris)


def register(commands) -> None:
    commands.add_parser(
        "declare", help="declare handler queues and the dead-letter queue"
    ).set_defaults(run=lambda args: declare())
    letters = commands.add_parser("dead-letters", help="list (or replay) failed events")
    letters.add_argument(
        "--replay",
        nargs="?",
        const="*",
        metavar="EVENT_ID",
        help="replay all dead letters, or those of one event id",
    )
    letters.set_defaults(
        run=lambda args: dead_letters(
            args.replay == "*", None if args.replay in (None, "*") else args.replay
        )
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
    users.set_defaults(run=lambda args: broker_users(args.definitions, args.regional))
    upgrade = commands.add_parser("migrate", help="upgrade each service's database schema")
    upgrade.add_argument("service", nargs="*", choices=DATABASE_SERVICES, metavar="SERVICE")
    upgrade.set_defaults(run=lambda args: migrate(args.service))
    new = commands.add_parser("revision", help="write a migration after a models.py change")
    new.add_argument("service", choices=DATABASE_SERVICES)
    new.add_argument("message")
    new.set_defaults(run=lambda args: revision(args.service, args.message))
    run = commands.add_parser("run", help="run the whole system in this terminal")
    run.add_argument("--without-districts", action="store_true")
    run.set_defaults(run=lambda args: run_system(args.without_districts))
