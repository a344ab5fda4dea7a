"""The real ways out: SMTP, the SMS gateway's HTTP send API (Kannel), Twitter DMs, and a
signed webhook. Each is a DependencyProvider whose worker object has one method,
``send(address, subject, text)``, and one exception, ``TransportFailed``.

Error texts from servers can quote an address; only a status or an exception type is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from email.message import EmailMessage

import requests
from nameko.extensions import DependencyProvider


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

    def send(self, address: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, address, subject
        message.set_content(text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise TransportFailed("SMTP recipient refused", permanent=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            permanent = isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500
            code = getattr(exc, "smtp_code", None)
            raise TransportFailed(f"SMTP {code or type(exc).__name__}", permanent) from None


class SmsGateway(_Transport):
    """Kannel's sendsms: SMS_GATEWAY_URL, SMS_USERNAME, SMS_PASSWORD, SMS_FROM."""

    def setup(self):
        config = self.container.config
        self.url = config.get("SMS_GATEWAY_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
        self.username = config.get("SMS_USERNAME", "")
        self.password = config.get("SMS_PASSWORD", "")
        self.sender = str(config.get("SMS_FROM", "1708"))
        self.timeout = float(config.get("HTTP_TRANSPORT_TIMEOUT", 10))

    def send(self, address: str, subject: str, text: str) -> None:
        params = {
            "username": self.username,
            "password": self.password,
            "from": self.sender,
            "to": address,
            "text": text,
            "charset": "UTF-8",
            "coding": "2",
        }
        _check(lambda: requests.get(self.url, params=params, timeout=self.timeout), "SMS gateway")


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

    def send(self, address: str, subject: str, text: str) -> None:
        url = self.url.replace("RECIPIENT_ID", address)
        headers = {"Authorization": f"Bearer {self.token}"}
        _check(
            lambda: requests.post(url, json={"text": text}, headers=headers, timeout=self.timeout),
            "Twitter",
        )


class Webhook(_Transport):
    """A signed webhook: POST JSON, header X-Satupintu-Signature: sha256=<hmac of the body>.
    WEBHOOK_SECRET signs; the address is the receiver's URL."""

    def setup(self):
        self.secret = str(self.container.config.get("WEBHOOK_SECRET", "")).encode()
        self.timeout = float(self.container.config.get("HTTP_TRANSPORT_TIMEOUT", 10))

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def send(self, address: str, subject: str, text: str) -> None:
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
