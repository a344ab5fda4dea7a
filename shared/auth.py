"""Staff tokens: issued by the agency registry, verified by every service with its public key.

A token is a compact JWS (RFC 7515/8037: ``header.claims.signature``, alg EdDSA, Ed25519).
Only the registry holds the private key, so only it can issue tokens; every other service
verifies them offline with the public key (from ``STAFF_TOKEN_PUBLIC_KEY`` inline or the file
``STAFF_TOKEN_PUBLIC_KEY_FILE``) and never calls the registry. A public-key file may hold
several PEM keys: the header's ``kid`` picks one, so a new key can be rolled out first.

    staff = self.staff_tokens.require(request)   # StaffClaims, or a 401 problem
    staff.role, staff.agency_code, staff.scope_code

``scope_code`` roots the subtree the person may act in: another service checks an agency with
``staff.scope_code in agency.path``. The registry re-reads the account on every request; the
other services refuse a token issued before the account's latest deactivation, role change or
move within seconds of it (the ``ver`` claim against shared/staff_changes.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nameko.extensions import DependencyProvider

from shared.problems import Problem
from shared.staff_changes import StaffChangeFeed
from shared.staff_keys import public_keys_from_config

ROLES = ("national_admin", "coordinator_admin", "agency_admin", "liaison", "oversight_viewer")
ISSUER = "satupintu.agency_registry"
AUDIENCE = "satupintu"
DEFAULT_TTL = 8 * 3600  # one working day
LEEWAY = 30  # seconds of clock skew tolerated between services


class Unauthenticated(Problem):
    status = 401
    slug = "unauthenticated"
    title = "Perlu masuk / Authentication required"


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    title = "Tidak berwenang / Not allowed"


CHANGED = (
    "Akun ini berubah sejak token diterbitkan; silakan masuk lagi"
    " / This account changed since the token was issued; please log in again"
)


class InvalidToken(Exception):
    """A token that is malformed, badly signed, expired or not meant for us (no detail given)."""


@dataclass(frozen=True)
class StaffClaims:
    staff_id: str
    username: str
    role: str
    agency_code: str
    scope_code: str
    issued_at: int
    expires_at: int
    token_id: str
    version: int = 0  # the account's version when the token was issued


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class TokenSigner:
    """Issues tokens; lives only in the registry, next to the private key."""

    def __init__(self, private_key: Ed25519PrivateKey, ttl: int = DEFAULT_TTL):
        self._key = private_key
        self.ttl = ttl
        self.kid = key_id(private_key.public_key())

    def issue(
        self,
        staff_id: str,
        username: str,
        role: str,
        agency_code: str,
        scope_code: str,
        version: int = 0,
    ) -> tuple[str, int]:
        """(token, expiry as a unix time)."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": staff_id,
            "usr": username,
            "role": role,
            "agency": agency_code,
            "scope": scope_code,
            "iat": now,
            "exp": now + self.ttl,
            "jti": uuid.uuid4().hex,
            "ver": version,
        }
        header = {"alg": "EdDSA", "typ": "JWT", "kid": self.kid}
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        signature = self._key.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{_b64(signature)}", claims["exp"]


class TokenVerifier:
    """Checks tokens with public keys only."""

    def __init__(self, public_keys: list[Ed25519PublicKey]):
        if not public_keys:
            raise ValueError("no public key to verify staff tokens with")
        self._keys = {key_id(key): key for key in public_keys}

    def verify(self, token: str, now: float | None = None) -> StaffClaims:
        try:
            header_b64, claims_b64, signature_b64 = token.split(".")
            header = json.loads(_unb64(header_b64))
            key = self._keys[header["kid"]]
            if header.get("alg") != "EdDSA":
                raise InvalidToken("alg")
            key.verify(_unb64(signature_b64), f"{header_b64}.{claims_b64}".encode("ascii"))
            claims = json.loads(_unb64(claims_b64))
            now = time.time() if now is None else now
            if claims["iss"] != ISSUER or claims["aud"] != AUDIENCE:
                raise InvalidToken("issuer")
            if not claims["iat"] - LEEWAY <= now < claims["exp"] + LEEWAY:
                raise InvalidToken("expired")
            if claims["role"] not in ROLES:
                raise InvalidToken("role")
            return StaffClaims(
                staff_id=claims["sub"],
                username=claims["usr"],
                role=claims["role"],
                agency_code=claims["agency"],
                scope_code=claims["scope"],
                issued_at=int(claims["iat"]),
                expires_at=int(claims["exp"]),
                token_id=claims["jti"],
                version=int(claims.get("ver", 0)),
            )
        except InvalidToken:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeError, InvalidSignature):
            raise InvalidToken("malformed or badly signed") from None


def bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class StaffTokens(DependencyProvider):
    """``staff_tokens = StaffTokens()``: verifies Bearer tokens with the public key only, and
    refuses those issued before their account's latest change (shared/staff_changes.py)."""

    changes = StaffChangeFeed()

    def setup(self):
        self.verifier = TokenVerifier(public_keys_from_config(self.container.config))

    def get_dependency(self, worker_ctx):
        return self

    def optional(self, request) -> StaffClaims | None:
        """The caller's claims; None without a token; a 401 problem for a bad one."""
        token = bearer(request)
        if token is None:
            return None
        try:
            claims = self.verifier.verify(token)
        except InvalidToken:
            raise Unauthenticated(
                "Token tidak sah atau kedaluwarsa / Invalid or expired token"
            ) from None
        if self.changes.refuses(claims):
            raise Unauthenticated(CHANGED)
        return claims

    def require(self, request) -> StaffClaims:
        claims = self.optional(request)
        if claims is None:
            raise Unauthenticated("Kirim header / Send the header: Authorization: Bearer <token>")
        return claims
