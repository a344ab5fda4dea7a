"""SMS 1708 through a gateway such as Kannel: an inbound callback whose response body is the
reply SMS.

Kannel's sms-service: ``get-url = "http://intake:8001/channels/sms/inbound?from=%p&to=%P&text=%a&ts=%t&id=%I&key=…"``
— the gateway always sends the key (SMS_GATEWAY_KEY, generated into var/keys/ when unset;
``satupintu sms-gateway-line`` prints the whole line). Form-encoded POSTs
carry the same fields.

While the database or broker is away the answer is 503 with ``Retry-After`` and the reply
``replies.TRY_AGAIN`` (Indonesian first): Kannel asks again (``http-request-retry``,
``http-queue-delay``) with the same message id, and once its retries are spent it sends its
``reply-couldnotfetch``, which the README sets to the same text.
"""

from __future__ import annotations

import hmac

from services.intake.door import Door
from services.intake.phones import InvalidPhone, to_e164
from services.intake.problems import Forbidden
from services.intake.sms import conversation, replies
from services.intake.sms.conversation import Sender
from shared.problems import InvalidInput
from shared.web import http

MAX_TEXT = 2000


def try_again(dependency: str, retry_after: int):
    return 503, {"Retry-After": str(retry_after)}, replies.TRY_AGAIN


class SmsDoor(Door):
    @http("GET,POST", "/channels/sms/inbound", when_unavailable=try_again)
    def inbound_sms(self, request):
        """GET /channels/sms/inbound?from=%2B6281234567890&to=1708&text=Jalan+rusak…&ts=…&id=…
        → 200 text/plain, the reply SMS (≤ 160 characters, Indonesian)."""
        params = request.values
        given = params.get("key", "").encode()
        if not hmac.compare_digest(given, self.settings.sms_gateway_key.encode()):
            raise Forbidden("Gerbang SMS tidak dikenal / Unknown SMS gateway")
        errors = []
        try:
            phone = to_e164(params.get("from", ""))
        except InvalidPhone:
            errors.append(
                {"field": "from", "message": "Nomor pengirim tidak valid / Invalid sender number"}
            )
        message_id = params.get("id", "").strip()
        if not 1 <= len(message_id) <= 128:
            errors.append(
                {"field": "id", "message": "Wajib, 1–128 karakter / Required, 1–128 characters"}
            )
        text = params.get("text", "")
        if len(text) > MAX_TEXT:
            errors.append(
                {
                    "field": "text",
                    "message": f"Maksimal {MAX_TEXT} karakter / At most {MAX_TEXT} characters",
                }
            )
        if errors:
            raise InvalidInput(errors=errors)
        sender = Sender("sms", phone, {"reporter_phone": phone})
        with self.db.read() as session:
            first = conversation.answered(session, sender, message_id)
        if first is not None:
            return 200, first
        allowed, _ = self.settings.limiter.allow("sms", phone, self.settings.sms_limit)
        if not allowed:
            return 200, replies.TOO_MANY
        return 200, conversation.handle(
            self.db, sender, message_id, text, self.settings, self.clock.now()
        )
