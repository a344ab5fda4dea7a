"""Who is asking: staff tokens are verified offline with the registry's public key.

Without a token the caller is the public. A bad or expired token is a 401, never a silent
downgrade. If reporting has no public key (it runs without the registry's key files), it still
serves the public view and answers 401 to anyone who sends a token.
"""

from __future__ import annotations

import logging

from shared.auth import StaffTokens, Unauthenticated, bearer

log = logging.getLogger(__name__)


class StaffView(StaffTokens):
    """``staff = StaffView()``; ``self.staff.claims(request)`` → StaffClaims or None."""

    def setup(self):
        try:
            super().setup()
        except (OSError, ValueError) as exc:
            log.warning("no staff token key (%s): public statistics only", type(exc).__name__)
            self.verifier = None

    def claims(self, request):
        if self.verifier is None and bearer(request) is not None:
            raise Unauthenticated("Token tidak dapat diperiksa / Tokens cannot be checked here")
        return self.optional(request)
