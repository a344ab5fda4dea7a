"""Logging in: a token for the right password of an active account in an active agency.

The password is checked with no database connection held (a hash takes long; the pool serves
/health meanwhile); an unknown name costs the same argon2 work, so timing does not tell which
names exist. A temporary password opens no session, only a change (POST /auth/password).
"""

from __future__ import annotations

from sqlalchemy import select

from services.agency_registry import directory, hierarchy
from services.agency_registry.errors import NotPermitted, PasswordChangeRequired, WrongPassword
from services.agency_registry.models import staff
from services.agency_registry.staff import (
    check_temporary_unexpired,
    normal_username,
    scope_of,
    view,
)
from shared import passwords
from shared.auth import TokenSigner


def login(db, signer: TokenSigner, username: str, password: str) -> dict:
    """A token for the right password. ``db`` is the worker's store: no database connection is
    held while the password is checked (a hash takes long; the pool serves /health meanwhile)."""
    with db.read() as session:
        name = normal_username(username)
        account = session.execute(select(staff).where(staff.c.username == name)).first()
    if account is None:
        # the same argon2 work for an unknown name, so timing does not tell which names exist
        passwords.verify_unknown(password)
        raise WrongPassword()
    if not passwords.verify(account.password_hash, password) or account.status != "active":
        raise WrongPassword()
    if account.must_change_password:  # a temporary password opens no session: only a change
        check_temporary_unexpired(account)
        raise PasswordChangeRequired(
            "Tetapkan kata sandi baru di POST /auth/password"
            " / Set a new password at POST /auth/password"
        )
    return token_for(db, signer, account)


def token_for(db, signer: TokenSigner, account) -> dict:
    """The token answer for an account whose password was just proven."""
    with db.read() as session:
        agency = directory.row(session, account.agency_code)
        if agency is None or agency.status != "active":
            raise NotPermitted(
                f"{account.agency_code} tidak aktif: stafnya tidak dapat masuk sekarang / "
                f"{account.agency_code} is not active: its staff cannot log in now"
            )
        scope = scope_of(session, account.role, agency)
    token, expires = signer.issue(
        account.id,
        account.username,
        account.role,
        agency.code,
        hierarchy.codes(scope)[-1],
        account.version,
    )
    return {"token": token, "token_type": "Bearer", "expires_at": expires, "staff": view(account)}
