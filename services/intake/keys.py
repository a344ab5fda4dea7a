"""API keys issued to Open311 integrators (an app, a city's portal). Only a digest is kept.

Issue one against intake's database:

    .venv/bin/python -m services.intake.keys issue "Aplikasi Kota Makassar"
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import sys
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from services.intake.models import open311_keys


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(session, integrator: str, now: datetime | None = None) -> str:
    """A new key for ``integrator`` (replacing its old one); shown once, stored as a digest."""
    key = "o311_" + secrets.token_urlsafe(24)
    session.execute(
        update(open311_keys)
        .where(open311_keys.c.integrator == integrator)
        .values(integrator=f"{integrator} (revoked {secrets.token_hex(4)})", active=False)
    )
    session.execute(
        insert(open311_keys).values(
            key_hash=digest(key),
            integrator=integrator,
            active=True,
            created_at=now or datetime.now(UTC),
        )
    )
    return key


def integrator_of(session, key: str | None) -> str | None:
    if not key or len(key) > 128:
        return None
    return session.execute(
        select(open311_keys.c.integrator).where(
            open311_keys.c.key_hash == digest(key), open311_keys.c.active.is_(True)
        )
    ).scalar()


def main(argv=None) -> int:
    from sqlalchemy.orm import Session

    from services.intake.models import metadata
    from shared.config import load_config
    from shared.db import create_schema, infra, make_engine

    parser = argparse.ArgumentParser(prog="python -m services.intake.keys")
    commands = parser.add_subparsers(dest="command", required=True)
    issue_cmd = commands.add_parser("issue", help="issue an Open311 API key to an integrator")
    issue_cmd.add_argument("integrator")
    args = parser.parse_args(argv)
    engine = make_engine(load_config("intake")["DATABASE_URL"])
    create_schema(engine, infra, metadata)
    with Session(engine) as session, session.begin():
        key = issue(session, args.integrator[:40])
    engine.dispose()
    print(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
