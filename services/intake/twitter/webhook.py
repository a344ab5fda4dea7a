"""Twitter/X Account Activity webhooks: the CRC challenge, signatures, and what a payload says.

Both use HMAC-SHA256 keyed with the app's consumer secret, base64-encoded and prefixed
``sha256=``: the CRC answer over the ``crc_token``, the signature header over the raw body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from shared import constant_time

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
_MENTION = re.compile(r"(^|\s)@\w{1,15}\b")


def _digest(secret: str, data: bytes) -> str:
    mac = hmac.new(secret.encode(), data, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(mac).decode()


def crc_response(secret: str, crc_token: str) -> dict:
    return {"response_token": _digest(secret, crc_token.encode())}


def signature(secret: str, body: bytes) -> str:
    """The header value Twitter sends with ``body``."""
    return _digest(secret, body)


def signed(secret: str, body: bytes, header: str | None) -> bool:
    if not secret or not header:
        return False
    return constant_time.equal(signature(secret, body), header.strip())


@dataclass(frozen=True)
class Inbound:
    message_id: str  # the tweet id or the direct message event id
    kind: str  # "mention" | "direct_message"
    sender_id: str
    handle: str | None
    text: str


def messages(payload: dict, own_account_id: str | None = None) -> list[Inbound]:
    """Mentions and direct messages to us in an Account Activity payload, ours left out."""
    ours = own_account_id or str(payload.get("for_user_id") or "")
    users = payload.get("users") if isinstance(payload.get("users"), dict) else {}
    found = []
    for tweet in payload.get("tweet_create_events") or []:
        if not isinstance(tweet, dict):
            continue
        user = tweet.get("user") if isinstance(tweet.get("user"), dict) else {}
        sender = str(user.get("id_str") or user.get("id") or "")
        text = tweet.get("extended_tweet", {}).get("full_text") or tweet.get("text") or ""
        if sender and sender != ours and tweet.get("id_str"):
            found.append(
                Inbound(
                    str(tweet["id_str"]),
                    "mention",
                    sender,
                    user.get("screen_name"),
                    _MENTION.sub(" ", str(text)).strip(),
                )
            )
    for event in payload.get("direct_message_events") or []:
        if not isinstance(event, dict) or event.get("type") != "message_create":
            continue
        create = event.get("message_create") or {}
        sender = str(create.get("sender_id") or "")
        text = (create.get("message_data") or {}).get("text") or ""
        if sender and sender != ours and event.get("id"):
            handle = (users.get(sender) or {}).get("screen_name")
            found.append(Inbound(str(event["id"]), "direct_message", sender, handle, str(text)))
    return found
