"""The registry's operator commands: ``satupintu load-template`` and ``satupintu create-admin``.

Both write the registry's own database directly (its DATABASE_URL), the way a migration does,
so they work before the service first starts.
"""

from __future__ import annotations

import sys

from shared.config import load_config
from shared.progress import progress_bar


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
    from shared.regions import load_regions
    from shared.staff_keys import ensure_key_pair

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
        f"{counts['kept']} kept as people changed them, {counts['followed']} moved with an "
        f"agency above them; {counts['events']} events; "
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
    from shared.problems import Problem

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


def register(commands) -> None:
    template = commands.add_parser("load-template", help="load the national agency template")
    template.add_argument(
        "--without-districts",
        action="store_true",
        help="governments and their offices only, no kecamatan units",
    )
    template.set_defaults(run=lambda args: load_template(not args.without_districts))
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
    admin.set_defaults(run=create_admin)
