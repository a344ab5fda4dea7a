"""The real ways out: SMTP, the SMS gateway's HTTP send API (Kannel), Twitter DMs, and a
signed webhook. Each is a DependencyProvider whose worker object has one method,
``send(address, subject, text, reference)``, and one exception, ``TransportFailed``; the
reference (delivery id, attempt) lets a transport ask for delivery reports (SMS does).

Error texts from servers can quote an address; only a status or an exception type is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import smtplib
from email.message import EmailMessage

import requests
from nameko.extensions import DependencyProvider

from services.notification import receipts, sms_encoding
from shared import keyfiles


class TransportFailed(Exception):
    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class _Transport(DependencyProvider):
    def get_dependency(self, worker_ctx):
        return self


class Mailer(_Transport):
    """SMTP: SMTP_HOST, SMTP_PORT, SMTP_STARTTLS, SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM."""

    def setup(self):
        config = self.container.config
        self.host = config.get("SMTP_HOST", "127.0.0.1")
        self.port = int(config.get("SMTP_PORT", 25))
        self.starttls = bool(config.get("SMTP_STARTTLS", False))
        self.username = config.get("SMTP_USERNAME") or None
        self.password = config.get("SMTP_PASSWORD") or None
        self.sender = config.get("SMTP_FROM", "lapor@localhost")
        self.timeout = float(config.get("SMTP_TIMEOUT", 10))

    def send(self, address: str | list[str], subject: str, text: str, reference=None) -> None:
        """One message; to several addresses (an agency's staff) each only in the envelope."""
        several = not isinstance(address, str)
        message = EmailMessage()
        message["From"], message["Subject"] = self.sender, subject
        message["To"] = "undisclosed-recipients:;" if several else address
        message.set_content(text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message, to_addrs=list(address) if several else None)
        except smtplib.SMTPRecipientsRefused:
            raise TransportFailed("SMTP recipient refused", permanent=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            permanent = isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500
            code = getattr(exc, "smtp_code", None)
            raise TransportFailed(f"SMTP {code or type(exc).__name__}", permanent) from None


class SmsGateway(_Transport):
    """Kannel's sendsms: SMS_GATEWAY_URL, SMS_USERNAME, SMS_PASSWORD, SMS_FROM.

    GSM 7-bit (coding=0) when the text fits the GSM alphabet, UCS-2 (coding=2) only when it
    does not (sms_encoding). A text longer than one segment goes as numbered parts, split on
    words, each with its own concatenation header (UDH), so a handset shows it whole.
    SMS_DLR_URL is this service's delivery-report endpoint as Kannel reaches it (empty: ask
    for no reports); each part asks Kannel for a report there, signed with SMS_DLR_SECRET."""

    def setup(self):
        config = self.container.config
        self.url = config.get("SMS_GATEWAY_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
        self.username = config.get("SMS_USERNAME", "")
        self.password = config.get("SMS_PASSWORD", "")
        self.sender = str(config.get("SMS_FROM", "1708"))
        self.timeout = float(config.get("HTTP_TRANSPORT_TIMEOUT", 10))
        self.report_url = str(config.get("SMS_DLR_URL") or "")
        self.report_key = keyfiles.secret(config, "SMS_DLR_SECRET", "sms-dlr-secret")

    def send(self, address: str, subject: str, text: str, reference=None) -> int:
        """Sends every part; returns how many. ``reference`` (delivery id, attempt) asks for
        delivery reports and numbers the concatenation."""
        planned = sms_encoding.plan(text)
        concatenation = _concatenation_ref(reference)
        for part, body in enumerate(planned.parts):
            params = {
                "username": self.username,
                "password": self.password,
                "from": self.sender,
                "to": address,
                "text": body,
                "charset": "UTF-8",
                "coding": str(planned.coding),
            }
            if planned.segments > 1:
                params["udh"] = bytes((5, 0, 3, concatenation, planned.segments, part + 1))
            if reference is not None and self.report_url:
                params["dlr-mask"] = str(receipts.MASK)
                params["dlr-url"] = receipts.url(self.report_url, self.report_key, *reference, part)
            _check(
                lambda params=params: requests.get(self.url, params=params, timeout=self.timeout),
                "SMS gateway",
            )
        return planned.segments

    def is_signed(self, delivery_id: int, attempt: int, part: int, signature: str) -> bool:
        return receipts.is_signed(self.report_key, delivery_id, attempt, part, signature)


def _concatenation_ref(reference) -> int:
    """The 8-bit reference a handset joins parts by: another for each delivery and attempt."""
    if reference is None:
        return secrets.randbelow(256)
    digest = hashlib.sha256("{}:{}".format(*reference).encode()).digest()
    return digest[0]


class TwitterDm(_Transport):
    """Twitter/X direct messages: TWITTER_DM_URL (RECIPIENT_ID stands for the user id),
    TWITTER_BEARER_TOKEN."""

    def setup(self):
        config = self.container.config
        self.url = config.get(
            "TWITTER_DM_URL",
            "https://api.twitter.com/2/dm_conversations/with/{recipient_id}/messages",
        )
        self.token = config.get("TWITTER_BEARER_TOKEN", "")
        self.timeout = float(config.get("HTTP_TRANSPORT_TIMEOUT", 10))

    def send(self, address: str, subject: str, text: str, reference=None) -> None:
        url = self.url.replace("RECIPIENT_ID", address)
        headers = {"Authorization": f"Bearer {self.token}"}
        _check(
            lambda: requests.post(url, json={"text": text}, headers=headers, timeout=self.timeout),
            "Twitter",
        )


class Webhook(_Transport):
    """A signed webhook: POST JSON, header X-Satupintu-Signature: sha256=<hmac of the body>.
    WEBHOOK_SECRET signs (generated into var/keys/webhook-secret when not given, for the
    receiver to be told once); the address is the receiver's URL."""

    def setup(self):
        self.secret = keyfiles.secret(
            self.container.config, "WEBHOOK_SECRET", "webhook-secret"
        ).encode()
        self.timeout = float(self.container.config.get("HTTP_TRANSPORT_TIMEOUT", 10))

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def send(self, address: str, subject: str, text: str, reference=None) -> None:
        body = json.dumps({"subject": subject, "text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Satupintu-Signature": self.sign(body)}
        _check(
            lambda: requests.post(address, data=body, headers=headers, timeout=self.timeout),
            "webhook",
        )


def _check(call, what: str) -> None:
    try:
        response = call()
    except requests.RequestException as exc:
        raise TransportFailed(f"{what} {type(exc).__name__}") from None
    if response.status_code >= 300:
        # 4xx will not get better by trying again (bad credentials, bad number); 429 and 5xx may
        permanent = 400 <= response.status_code < 500 and response.status_code != 429
        raise TransportFailed(f"{what} HTTP {response.status_code}", permanent)
