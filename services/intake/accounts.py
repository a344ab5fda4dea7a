"""Reporter accounts: registration, passwords (shared.passwords: the staff rule, argon2id off
the event loop) and sign-in.

Registration never tells a stranger that a NIK, a phone number or an e-mail address belongs to
somebody (SPEC §3: each of them identifies a person): a registration that would duplicate one
is answered exactly as a new account is, and creates nothing. A username is a public handle,
chosen freely; that one may say it is taken.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert, or_, select

from services.intake.models import reporters
from services.intake.phones import InvalidPhone, to_e164
from shared import passwords, privacy

IDENTIFYING = ("nik", "phone", "email")


class Taken(Exception):
    """The username belongs to another account."""

    field = "username"


def register(session, data: dict, password_hash: str, now: datetime) -> tuple[dict, bool]:
    """(the account, created) for a loaded schemas.Registration and its password's hash
    (hashed before, for every registration, so a duplicate is answered as slowly as a new
    account). Taken for a taken username; an account that would duplicate another's NIK,
    phone or e-mail is not stored (created is False) but looks the same to the caller."""
    if session.execute(
        select(reporters.c.id).where(reporters.c.username == data["username"])
    ).first():
        raise Taken()
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
        "password_hash": password_hash,
        "language": data["language"],
        "created_at": now,
    }
    duplicate = session.execute(
        select(reporters.c.id).where(or_(*[reporters.c[key] == data[key] for key in IDENTIFYING]))
    ).first()
    if duplicate:
        return account, False
    session.execute(insert(reporters).values(**account))
    return account, True


def login_key(login: str) -> str:
    """A login as it is looked up: trimmed and case-folded; a phone number in E.164."""
    login = login.strip().casefold()
    if login.startswith("+") or login.replace("-", "").replace(" ", "").isdigit():
        try:
            return to_e164(login)
        except InvalidPhone:
            pass
    return login


def account_for(session, login: str):
    """(id, password_hash) of the account a username, e-mail or phone names; None if none."""
    key = login_key(login)
    return session.execute(
        select(reporters.c.id, reporters.c.password_hash).where(
            or_(reporters.c.username == key, reporters.c.email == key, reporters.c.phone == key)
        )
    ).first()


def authenticate(account, password: str) -> str | None:
    """The account id if ``password`` is its password; None otherwise. An unknown login costs
    what a wrong password does."""
    if account is None:
        return passwords.verify_unknown(password) or None
    return account.id if passwords.verify(account.password_hash, password) else None


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
