"""An admin resets a staff member's password; the holder replaces the temporary one.

The admin gets a temporary password, shown to them once and stored only as its hash. From that
moment the account's older tokens stop, here (``tokens_from``) and on every other service
(``staff_changed`` with ``changed: ["password"]``), and the temporary password opens no session:
its holder first sets a password of their own (``replace_temporary``), which then gives the
token a log-in gives.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.agency_registry import powers, staff
from services.agency_registry.audit import AuditLog, Who
from services.agency_registry.errors import InvalidInput, NotPermitted, WrongPassword
from services.agency_registry.models import staff as accounts
from shared import passwords
from shared.db import utcnow


def reset(
    session: Session, log: AuditLog, emit, by: powers.Actor, staff_id: str
) -> tuple[dict, str]:
    """(the account after the reset, the temporary password) for an admin who may manage it."""
    if staff_id == by.staff_id:
        raise NotPermitted(
            "Ganti kata sandi Anda sendiri di /staff/me/password"
            " / Change your own password at /staff/me/password"
        )
    account = staff._managed(session, by, staff_id)
    temporary = staff.temporary_password(account.username)
    values = {
        "password_hash": passwords.hash_password(temporary),
        **staff.temporary_marks(utcnow()),
        "tokens_from": accounts.c.version + 1,  # the version this change gives the account
    }
    after = staff._update(
        session, log, account, values, "staff.password_reset", emit, changed=["password"]
    )
    return after, temporary


def replace_temporary(db, username: str, current: str, new: str):
    """The holder of a temporary password sets their own (any account may change its password
    this way, with the current one); the account as it is after. No database connection is
    held while hashing."""
    with db.read() as session:
        account = session.execute(
            select(accounts).where(accounts.c.username == staff.normal_username(username))
        ).first()
    if account is None:
        passwords.verify_unknown(current)
        raise WrongPassword()
    if not passwords.verify(account.password_hash, current) or account.status != "active":
        raise WrongPassword()
    if account.must_change_password:
        staff.check_temporary_unexpired(account)
    staff.check_password(account.username, new, "new_password")
    if new == current:
        raise InvalidInput(
            errors=[
                {
                    "field": "new_password",
                    "message": "Pilih kata sandi yang lain / Choose a different password",
                }
            ]
        )
    hashed = passwords.hash_password(new)
    with db.transaction() as tx:
        fresh = tx.session.execute(select(accounts).where(accounts.c.id == account.id)).first()
        if fresh.password_hash != account.password_hash:  # reset again meanwhile
            raise WrongPassword()
        log = AuditLog(tx.session, Who(fresh.id, fresh.username, fresh.role), tx.correlation_id)
        values = {"password_hash": hashed, "must_change_password": False, "temporary_until": None}
        staff._update(tx.session, log, fresh, values, "staff.password")
        return tx.session.execute(select(accounts).where(accounts.c.id == account.id)).first()
