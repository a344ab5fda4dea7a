"""Reporter accounts: registration, passwords (argon2id, memory-hard) and sign-in."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, or_, select

from services.intake.models import reporters
from shared import privacy

_HASHER = PasswordHasher()  # argon2id, 64 MiB, 3 passes: the library's RFC 9106 default


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login is unknown: a wrong name costs what a wrong password does."""
    return _HASHER.hash("satupintu-no-such-reporter")


class Taken(Exception):
    """A username, NIK, phone or e-mail that another account has (the field name only)."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def register(session, data: dict, now: datetime) -> dict:
    """Create an account from a loaded schemas.Registration; Taken if it would duplicate one."""
    for field in ("username", "nik", "phone", "email"):
        if session.execute(select(reporters.c.id).where(reporters.c[field] == data[field])).first():
            raise Taken(field)
    account = {
        "id": uuid.uuid4().hex,
        "username": data["username"],
        "nik": data["nik"],
        "full_name": data["full_name"],
        "display_name": data.get("display_name") or privacy.display_name(data["full_name"]),
        "gender": data["gender"],
        "birth_date": data["birth_date"],
        "occupation": data.get("occupation"),
        "phone": data["phone"],
        "email": data["email"],
        "password_hash": _HASHER.hash(data["password"]),
        "language": data["language"],
        "created_at": now,
    }
    session.execute(insert(reporters).values(**account))
    return account


def authenticate(session, login: str, password: str) -> str | None:
    """The account id for a username, e-mail or phone and its password; None otherwise."""
    login = login.strip().lower()
    candidates = [reporters.c.username == login, reporters.c.email == login]
    if login.startswith("+") or login.isdigit():
        from services.intake.phones import InvalidPhone, to_e164

        try:
            candidates.append(reporters.c.phone == to_e164(login))
        except InvalidPhone:
            pass
    row = session.execute(
        select(reporters.c.id, reporters.c.password_hash).where(or_(*candidates))
    ).first()
    try:
        _HASHER.verify(row.password_hash if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return row.id if row else None


def profile(row) -> dict:
    """The account as its owner sees it (never the password hash)."""
    return {
        "id": row.id,
        "username": row.username,
        "full_name": row.full_name,
        "display_name": row.display_name,
        "nik": row.nik,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "occupation": row.occupation,
        "phone": row.phone,
        "email": row.email,
        "language": row.language,
        "created_at": row.created_at,
    }
