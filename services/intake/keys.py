"""Keys intake hands out: API keys issued to Open311 integrators (an app, a city's portal; only
a digest is kept), and the line that tells the SMS gateway how to call intake with its key.

    satupintu open311-key "Aplikasi Kota Makassar"
    satupintu sms-gateway-line --url http://intake:8001
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from urllib.parse import quote

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


SMS_GET_URL = "{url}/channels/sms/inbound?from=%p&to=%P&text=%a&ts=%t&id=%I&key={key}"


def sms_gateway_line(url: str, key: str) -> str:
    """Kannel's sms-service ``get-url`` for intake at ``url``, carrying the gateway's key."""
    return 'get-url = "' + SMS_GET_URL.format(url=url.rstrip("/"), key=quote(key, safe="")) + '"'


def issue_key(integrator: str) -> int:
    """Prints a new Open311 key for ``integrator``, written to intake's own database."""
    from sqlalchemy.orm import Session

    from services.intake.models import metadata
    from shared.config import load_config
    from shared.db import create_schema, infra, make_engine

    engine = make_engine(load_config("intake")["DATABASE_URL"])
    create_schema(engine, infra, metadata)
    with Session(engine) as session, session.begin():
        key = issue(session, integrator[:40])
    engine.dispose()
    print(key)
    return 0


def print_gateway_line(url: str) -> int:
    from services.intake.providers import sms_gateway_key
    from shared.config import load_config

    print(sms_gateway_line(url, sms_gateway_key(load_config("intake"))))
    return 0


def register(commands) -> None:
    """``satupintu open311-key NAME`` and ``satupintu sms-gateway-line [--url URL]``."""
    issue_cmd = commands.add_parser(
        "open311-key", help="issue an Open311 API key to an integrator (shown once)"
    )
    issue_cmd.add_argument("integrator")
    issue_cmd.set_defaults(run=lambda args: issue_key(args.integrator))
    line_cmd = commands.add_parser(
        "sms-gateway-line", help="print the SMS gateway's get-url line, with its key"
    )
    line_cmd.add_argument("--url", default="http://127.0.0.1:8001", help="intake as seen by it")
    line_cmd.set_defaults(run=lambda args: print_gateway_line(args.url))
