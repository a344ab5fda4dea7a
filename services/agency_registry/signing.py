"""The registry's signing key: the only place staff tokens are issued (see shared.auth)."""

from __future__ import annotations

from nameko.extensions import DependencyProvider

from services.agency_registry.errors import Unauthenticated
from shared import auth, staff_keys


class TokenIssuer(DependencyProvider):
    """Config: STAFF_TOKEN_PRIVATE_KEY (PEM) or STAFF_TOKEN_PRIVATE_KEY_FILE — a key pair is
    generated there on first start if missing, its public half beside it for the other
    services — and STAFF_TOKEN_TTL (seconds)."""

    def setup(self):
        config = self.container.config
        staff_keys.ensure_key_pair(config)
        key = staff_keys.private_key_from_config(config)
        self.signer = auth.TokenSigner(key, int(config.get("STAFF_TOKEN_TTL", auth.DEFAULT_TTL)))
        self.verifier = auth.TokenVerifier([key.public_key()])

    def get_dependency(self, worker_ctx):
        return self

    def claims(self, request) -> auth.StaffClaims:
        token = auth.bearer(request)
        if token is None:
            raise Unauthenticated("Kirim header / Send the header: Authorization: Bearer <token>")
        try:
            return self.verifier.verify(token)
        except auth.InvalidToken:
            raise Unauthenticated(
                "Token tidak sah atau kedaluwarsa / Invalid or expired token"
            ) from None
