"""Staff accounts: create, edit, deactivate, change a password (logging in: logins.py).

Passwords follow the one rule of shared/passwords.py and are hashed there (argon2id, off the
event loop). An account acts through its role and its scope
(powers.py), recomputed from the tree on every request: a move or a demotion counts at once.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import UTC, timedelta

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from services.agency_registry import directory, hierarchy, powers, staff_changes, staff_mail
from services.agency_registry.audit import AuditLog
from services.agency_registry.errors import (
    DuplicateUsername,
    InvalidInput,
    NotFound,
    NotPermitted,
    TemporaryPasswordExpired,
    Unauthenticated,
)
from services.agency_registry.models import agencies, staff
from shared import passwords
from shared.auth import CHANGED, StaffClaims
from shared.db import utcnow

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
# no 0/o, 1/l/i: a temporary password is read off a screen and typed, or said over the phone
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# a temporary password (a new account's, or after a reset) only sets a new one, for this long
TEMPORARY_FOR = timedelta(hours=72)


def temporary_password(username: str = "") -> str:
    """Three groups of four letters and digits, joined by hyphens: 60 bits from the
    system's random source (never holding the username, which the password rule refuses)."""
    while True:
        made = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))
        if not username or username not in made:
            return made


def normal_username(name: str) -> str:
    """The account a typed name resolves to: " Dinkes.Barru " is dinkes.barru."""
    return name.strip().casefold()


def check_password(username: str, password: str, field: str = "password") -> None:
    try:
        passwords.check(username, password, field)
    except passwords.WeakPassword as weak:
        raise InvalidInput(errors=weak.errors) from None


def view(row) -> dict:
    """An account as its admins see it (never the hash)."""
    return {
        "id": row.id,
        "username": row.username,
        "full_name": row.full_name,
        "email": row.email,
        "role": row.role,
        "agency_code": row.agency_code,
        "status": row.status,
        "email_topics": staff_mail.topics_of(row),
        "password_change_required": bool(row.must_change_password),
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _row(session: Session, staff_id: str):
    return session.execute(select(staff).where(staff.c.id == staff_id)).first()


def _agency(session: Session, code: str, field: str = "agency_code"):
    found = directory.row(session, code)
    if found is None:
        raise InvalidInput(
            errors=[
                {"field": field, "message": f"Instansi {code!r} tidak ada / No agency {code!r}"}
            ]
        )
    return found


def scope_of(session: Session, role: str, agency_row) -> str:
    parent = directory.row(session, agency_row.parent_code) if agency_row.parent_code else None
    return powers.scope_path(role, directory.node(agency_row), parent.kind if parent else None)


def actor(session: Session, claims: StaffClaims) -> powers.Actor:
    """The account behind a verified token, as it is now; 401 if it is gone or deactivated."""
    account = _row(session, claims.staff_id)
    if account is None or account.status != "active":
        raise Unauthenticated("Akun tidak aktif / This account is not active")
    if claims.version < (account.tokens_from or 0):  # issued before a password reset
        raise Unauthenticated(CHANGED)
    agency = directory.row(session, account.agency_code)
    if agency is None or agency.status != "active":
        raise NotPermitted(
            f"{account.agency_code} tidak aktif: stafnya tidak dapat bertindak sekarang / "
            f"{account.agency_code} is not active: its staff cannot act now"
        )
    scope = scope_of(session, account.role, agency)
    return powers.Actor(
        staff_id=account.id,
        username=account.username,
        role=account.role,
        agency_code=agency.code,
        agency_path=agency.path,
        scope_code=hierarchy.codes(scope)[-1],
        scope_path=scope,
    )


def temporary_marks(now) -> dict:
    """What an account holding a temporary password made at ``now`` carries."""
    return {"must_change_password": True, "temporary_until": now + TEMPORARY_FOR}


def check_temporary_unexpired(account) -> None:
    """A temporary password past its time opens nothing, not even a change: only a new reset.
    (Accounts reset before temporary passwords had a time carry none: theirs still work.)"""
    if account.temporary_until is not None and utcnow() >= _aware(account.temporary_until):
        raise TemporaryPasswordExpired()


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create(session: Session, log: AuditLog, by: powers.Actor | None, data: dict) -> dict:
    """A new account; ``by`` None only for the command line's first national admin."""
    username = normal_username(data["username"])
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            errors=[{"field": "username", "message": "3-64 dari / of a-z 0-9 . _ -"}]
        )
    agency = _agency(session, data["agency_code"])
    node = directory.node(agency)
    powers.check_account(data["role"], node)
    if by is not None:
        powers.check_manage_staff(by, data["role"], node, scope_of(session, data["role"], agency))
    temporary = data.get("password") is None
    password = temporary_password(username) if temporary else data["password"]
    check_password(username, password)
    if session.execute(select(staff.c.id).where(staff.c.username == username)).first():
        raise DuplicateUsername(errors=[{"field": "username", "message": "Sudah dipakai / Taken"}])
    now = utcnow()
    values = {
        **(temporary_marks(now) if temporary else {}),
        "id": uuid.uuid4().hex,
        "username": username,
        "full_name": data["full_name"],
        "email": data.get("email"),
        "password_hash": passwords.hash_password(password),
        "role": data["role"],
        "agency_code": agency.code,
        "status": "active",
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by": by.staff_id if by else None,
    }
    session.execute(insert(staff).values(**values))
    after = view(_row(session, values["id"]))
    log.add("staff.create", "staff", after["id"], agency.code, None, after)
    return {**after, "temporary_password": password} if temporary else after


def _managed(session: Session, by: powers.Actor, staff_id: str):
    """The account, if ``by`` may manage it as it is now."""
    account = _row(session, staff_id)
    if account is None:
        raise NotFound(f"Tidak ada akun {staff_id} / No account {staff_id}")
    agency = directory.row(session, account.agency_code)
    powers.check_manage_staff(
        by, account.role, directory.node(agency), scope_of(session, account.role, agency)
    )
    return account


def get(session: Session, by: powers.Actor, staff_id: str) -> dict:
    account = _row(session, staff_id)
    if account is None:
        raise NotFound(f"Tidak ada akun {staff_id} / No account {staff_id}")
    agency = directory.row(session, account.agency_code)
    powers.check_read_staff(by, staff_id, directory.node(agency))
    return view(account)


def edit(
    session: Session, log: AuditLog, emit, by: powers.Actor, staff_id: str, data: dict
) -> dict:
    """Name, email, role or agency; the account must be manageable before and after."""
    account = _managed(session, by, staff_id)
    role = data.get("role", account.role)
    agency = _agency(session, data.get("agency_code", account.agency_code))
    if role != account.role or agency.code != account.agency_code:
        if staff_id == by.staff_id:
            raise NotPermitted(
                "Tidak ada yang mengubah peran atau instansinya sendiri / "
                "Nobody changes their own role or agency"
            )
        powers.check_account(role, directory.node(agency))
        powers.check_manage_staff(by, role, directory.node(agency), scope_of(session, role, agency))
    values = {k: v for k, v in data.items() if getattr(account, k) != v}
    if not values:
        return view(account)
    return _update(session, log, account, values, "staff.edit", emit)


def set_status(
    session: Session, log: AuditLog, emit, by: powers.Actor, staff_id: str, status: str
) -> dict:
    if staff_id == by.staff_id:
        raise NotPermitted(
            "Tidak ada yang menonaktifkan atau mengaktifkan akunnya sendiri / "
            "Nobody deactivates or reactivates their own account"
        )
    account = _managed(session, by, staff_id)
    if account.status == status:
        return view(account)
    action = "staff.deactivate" if status == "deactivated" else "staff.reactivate"
    return _update(session, log, account, {"status": status}, action, emit)


def change_password(
    session: Session, log: AuditLog, by: powers.Actor, current: str, new: str
) -> None:
    account = _row(session, by.staff_id)
    if not passwords.verify(account.password_hash, current):
        raise InvalidInput(
            errors=[{"field": "current_password", "message": "Kata sandi salah / Wrong password"}]
        )
    check_password(account.username, new, "new_password")
    values = {
        "password_hash": passwords.hash_password(new),
        "must_change_password": False,
        "temporary_until": None,
    }
    _update(session, log, account, values, "staff.password")


def _update(
    session: Session, log: AuditLog, account, values: dict, action: str, emit=None, changed=None
) -> dict:
    """Write the change; one that touches the account's authority is told to every service
    (``changed``: what to tell them changed, by default the fields written)."""
    before = view(account)
    session.execute(
        update(staff)
        .where(staff.c.id == account.id)
        .values(**values, version=staff.c.version + 1, updated_at=utcnow())
    )
    after = view(_row(session, account.id))
    log.add(action, "staff", account.id, after["agency_code"], before, after)
    if emit is not None:
        scope = scope_of(session, after["role"], directory.row(session, after["agency_code"]))
        staff_changes.record(session, emit, after, hierarchy.codes(scope)[-1], changed or values)
    return after


def listing(session: Session, agency_path: str, offset: int, limit: int) -> list[dict]:
    """Accounts of the agency at ``agency_path`` and of every agency below it."""
    low, high = hierarchy.subtree_range(agency_path)
    rows = session.execute(
        select(staff)
        .join(agencies, agencies.c.code == staff.c.agency_code)
        .where(and_(agencies.c.path >= low, agencies.c.path < high))
        .order_by(staff.c.username)
        .offset(offset)
        .limit(limit)
    ).all()
    return [view(row) for row in rows]
