"""Who is asking: staff tokens are verified offline with the registry's public key.

Without a token the caller is the public. A bad or expired token is a 401, never a silent
downgrade. If reporting has no public key (it runs without the registry's key files), it still
serves the public view and answers 401 to anyone who sends a token.
"""

from __future__ import annotations

import logging

from nameko.extensions import DependencyProvider

from shared.auth import CHANGED, InvalidToken, TokenVerifier, Unauthenticated, bearer
from shared.staff_changes import StaffChangeFeed
from shared.staff_keys import public_keys_from_config

log = logging.getLogger(__name__)


class StaffView(DependencyProvider):
    """``staff = StaffView()``; ``self.staff.claims(request)`` → StaffClaims or None."""

    changes = StaffChangeFeed()

    def setup(self):
        try:
            self.verifier = TokenVerifier(public_keys_from_config(self.container.config))
        except (OSError, ValueError) as exc:
            log.warning("no staff token key (%s): public statistics only", type(exc).__name__)
            self.verifier = None

    def get_dependency(self, worker_ctx):
        return self

    def claims(self, request):
        token = bearer(request)
        if token is None:
            return None
        if self.verifier is None:
            raise Unauthenticated("Token tidak dapat diperiksa / Tokens cannot be checked here")
        try:
            claims = self.verifier.verify(token)
        except InvalidToken:
            raise Unauthenticated(
                "Token tidak sah atau kedaluwarsa / Invalid or expired token"
            ) from None
        if self.changes.refuses(claims):
            raise Unauthenticated(CHANGED)
        return claims
