"""Twitter/X Account Activity webhook: the CRC challenge and signed event deliveries.

Mentions and direct messages are handled like SMS (services.intake.sms.conversation); answers are
meant for a direct message — never a public reply that could expose the reporter — and are
kept with each message until a DM transport sends them.
"""

from __future__ import annotations

import json

from services.intake.door import Door
from services.intake.problems import BadSignature, PayloadTooLarge
from services.intake.sms import conversation
from services.intake.sms.conversation import Sender
from services.intake.twitter import webhook
from shared.problems import InvalidInput, MalformedBody, Unavailable
from shared.web import http

MAX_WEBHOOK_BYTES = 256 * 1024


class TwitterDoor(Door):
    def _twitter_secret(self) -> str:
        if not self.settings.twitter_secret:
            raise Unavailable("Kanal Twitter belum dikonfigurasi / Twitter channel not configured")
        return self.settings.twitter_secret

    @http("GET", "/channels/twitter/webhook")
    def twitter_crc(self, request):
        """GET /channels/twitter/webhook?crc_token=abc → {"response_token": "sha256=…"}."""
        token = request.args.get("crc_token", "")
        if not 1 <= len(token) <= 512:
            raise InvalidInput(errors=[{"field": "crc_token", "message": "Wajib / Required"}])
        return webhook.crc_response(self._twitter_secret(), token)

    @http("POST", "/channels/twitter/webhook")
    def twitter_events(self, request):
        """POST /channels/twitter/webhook (x-twitter-webhooks-signature: sha256=…)
        {"for_user_id": "…", "tweet_create_events": [...], "direct_message_events": [...]}
        → {"handled": 1}. Unsigned or badly signed requests get 401."""
        secret = self._twitter_secret()
        if (request.content_length or 0) > MAX_WEBHOOK_BYTES:
            raise PayloadTooLarge()
        raw = request.get_data(cache=True)[: MAX_WEBHOOK_BYTES + 1]
        if len(raw) > MAX_WEBHOOK_BYTES:
            raise PayloadTooLarge()
        if not webhook.signed(secret, raw, request.headers.get(webhook.SIGNATURE_HEADER)):
            raise BadSignature()
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise MalformedBody() from None
        if not isinstance(payload, dict):
            raise MalformedBody("Isi harus objek JSON / The body must be a JSON object")
        handled = 0
        for message in webhook.messages(payload, self.settings.twitter_account_id or None):
            identity = {
                "reporter_social_id": message.sender_id,
                "reporter_handle": f"@{message.handle}" if message.handle else None,
            }
            sender = Sender("twitter", message.sender_id, identity)
            with self.db.read() as session:
                if conversation.answered(session, sender, message.message_id) is not None:
                    continue
            allowed, _ = self.settings.limiter.allow(
                "twitter", message.sender_id, self.settings.twitter_limit
            )
            if not allowed:
                continue
            conversation.handle(
                self.db,
                sender,
                message.message_id,
                message.text[:4000],
                self.settings,
                self.clock.now(),
            )
            handled += 1
        return {"handled": handled}
