"""Broker users: one per service and one for the operator, with least-privilege permissions.

The permissions are in ``deploy/rabbitmq/permissions.yml``; passwords are generated once into
``var/keys/broker-<user>`` (mode 0600) or given as ``BROKER_<ROLE>_PASSWORD``. ``apply`` creates
or updates the users and their permissions through the management HTTP API (PUT: running it
twice changes nothing); ``definitions`` renders the same for ``rabbitmqctl import_definitions``.

Users are named ``<BROKER_USER_PREFIX><role>`` (no prefix by default), so several systems, or
several test runs, can share one broker without touching each other's users.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlparse, urlunparse

import requests
import yaml

from shared import keyfiles
from shared.config import ROOT
from shared.rpc import broker_user_prefix

PERMISSIONS_FILE = ROOT / "deploy" / "rabbitmq" / "permissions.yml"
ROLES = ("intake", "routing", "agency_registry", "notification", "reporting", "portal", "operator")
ADMIN_USER = "satupintu_admin"  # what deploy/local/ensure-services.sh creates
HTTP_TIMEOUT = 10


class BrokerSetupFailed(RuntimeError):
    """The management API refused or did not answer."""


def load_permissions(path: Path = PERMISSIONS_FILE) -> dict:
    with open(path) as handle:
        return yaml.safe_load(handle)


def username(role: str, config: dict | None = None) -> str:
    return broker_user_prefix(config or {}) + role


def password(role: str, config: dict | None = None) -> str:
    """The role's password: BROKER_<ROLE>_PASSWORD if given, else its generated key file."""
    config = config or {}
    given = {**os.environ, **config}
    return keyfiles.secret(
        given, f"BROKER_{role.upper()}_PASSWORD", f"broker-{username(role, config)}"
    )


def _regex(patterns: list[str], **names: str) -> str:
    if not patterns:
        return "^$"
    expanded = [
        re.sub(r"\{(\w+)\}", lambda m: re.escape(names[m.group(1)]), pattern)
        for pattern in patterns
    ]
    return "^(" + "|".join(expanded) + ")$"


def permissions_for(spec: dict, user: str) -> tuple[dict, list[dict]]:
    """({"configure", "write", "read"}, [{"exchange", "write", "read"}]) regexes of one user."""
    vhost_permissions = {
        kind: _regex(spec.get(kind, []), user=user) for kind in ("configure", "write", "read")
    }
    topics = [
        {
            "exchange": exchange,
            "write": _regex(keys.get("write", []), user=user),
            "read": _regex(keys.get("read", []), user=user),
        }
        for exchange, keys in (spec.get("topic") or {}).items()
    ]
    return vhost_permissions, topics


def regional_permissions(region_code: str) -> dict:
    spec = load_permissions()["regional"]
    return {
        kind: _regex(spec.get(kind, []), code=region_code)
        for kind in ("configure", "write", "read")
    }


def service_uri(base_uri: str, user: str, secret: str) -> str:
    """``base_uri`` (host, port, vhost) logged in as ``user``."""
    parts = urlparse(base_uri)
    host = parts.hostname or "localhost"
    netloc = f"{quote(user, safe='')}:{quote(secret, safe='')}@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunparse(parts._replace(netloc=netloc))


def vhost_of(amqp_uri: str) -> str:
    path = urlparse(amqp_uri).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def management_url(amqp_uri: str, config: dict | None = None) -> str:
    """RABBITMQ_MANAGEMENT_URL (with the admin's credentials), else the local administrator
    made by deploy/local/ensure-services.sh on the AMQP host's port 15672."""
    given = {**os.environ, **(config or {})}.get("RABBITMQ_MANAGEMENT_URL")
    if given:
        return given.rstrip("/")
    admin_file = keyfiles.keys_dir(config) / "broker-admin"
    if not admin_file.exists():
        raise BrokerSetupFailed(
            f"no administrator: set RABBITMQ_MANAGEMENT_URL or run `make services` ({admin_file})"
        )
    admin_password = admin_file.read_text().strip()
    host = urlparse(amqp_uri).hostname or "localhost"
    return f"http://{ADMIN_USER}:{quote(admin_password, safe='')}@{host}:15672"


class Management:
    """The few calls of RabbitMQ's management API that users and permissions need."""

    def __init__(self, url: str):
        parts = urlparse(url)
        self.auth = (unquote(parts.username or ""), unquote(parts.password or ""))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.base = urlunparse(parts._replace(netloc=netloc)).rstrip("/") + "/api"

    def _call(self, method: str, path: str, json=None, ok=(200, 201, 204)) -> requests.Response:
        try:
            response = requests.request(
                method, self.base + path, json=json, auth=self.auth, timeout=HTTP_TIMEOUT
            )
        except requests.RequestException as exc:
            raise BrokerSetupFailed(f"management API unreachable ({type(exc).__name__})") from None
        if response.status_code not in ok:
            raise BrokerSetupFailed(f"{method} {path.split('/')[1]}: HTTP {response.status_code}")
        return response

    def put_vhost(self, vhost: str) -> None:
        self._call("PUT", f"/vhosts/{quote(vhost, safe='')}")

    def put_user(self, name: str, secret: str, tags: str = "") -> None:
        self._call("PUT", f"/users/{quote(name, safe='')}", {"password": secret, "tags": tags})

    def delete_user(self, name: str) -> None:
        self._call("DELETE", f"/users/{quote(name, safe='')}", ok=(204, 404))

    def put_permissions(self, vhost: str, name: str, permissions: dict) -> None:
        self._call(
            "PUT", f"/permissions/{quote(vhost, safe='')}/{quote(name, safe='')}", permissions
        )

    def put_topic_permissions(self, vhost: str, name: str, topics: list[dict]) -> None:
        path = f"/topic-permissions/{quote(vhost, safe='')}/{quote(name, safe='')}"
        self._call("DELETE", path, ok=(204, 404))  # none left over from an older definition
        for topic in topics:
            self._call("PUT", path, topic)

    def import_definitions(self, document: dict) -> None:
        """What ``rabbitmqctl import_definitions`` does, over HTTP."""
        self._call("POST", "/definitions", document)

    def users(self) -> list[str]:
        return [user["name"] for user in self._call("GET", "/users").json()]


def apply(
    management: Management, vhost: str, config: dict | None = None, roles=ROLES
) -> dict[str, str]:
    """Create or update each role's user and permissions on ``vhost``; {role: username}."""
    spec = load_permissions()["users"]
    management.put_vhost(vhost)
    made = {}
    for role in roles:
        user = username(role, config)
        management.put_user(user, password(role, config))
        vhost_permissions, topics = permissions_for(spec[role], user)
        management.put_permissions(vhost, user, vhost_permissions)
        management.put_topic_permissions(vhost, user, topics)
        made[role] = user
    return made


def apply_regional(management: Management, vhost: str, region_code: str, secret: str) -> str:
    """The user regional_<code> reading only regional.<code> (declared and bound here)."""
    if not re.fullmatch(r"\d{2}(\.\d{2})?", region_code):
        raise ValueError("a province (73) or regency (73.11) code")
    user = f"regional_{region_code.replace('.', '_')}"
    queue = f"regional.{region_code}"
    v = quote(vhost, safe="")
    management.put_vhost(vhost)
    management._call(
        "PUT", f"/exchanges/{v}/satupintu.regional", {"type": "topic", "durable": True}
    )
    management._call("PUT", f"/queues/{v}/{queue}", {"durable": True})
    management._call(
        "POST", f"/bindings/{v}/e/satupintu.regional/q/{queue}", {"routing_key": f"{region_code}.#"}
    )
    management.put_user(user, secret)
    management.put_permissions(vhost, user, regional_permissions(region_code))
    return user


def password_hash(secret: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = salt if salt is not None else os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + secret.encode()).digest()).decode()


def definitions(vhost: str, config: dict | None = None, roles=ROLES) -> dict:
    """The users and permissions as a RabbitMQ definitions document (password hashes only)."""
    spec = load_permissions()["users"]
    document: dict = {
        "users": [],
        "vhosts": [{"name": vhost}],
        "permissions": [],
        "topic_permissions": [],
    }
    for role in roles:
        user = username(role, config)
        vhost_permissions, topics = permissions_for(spec[role], user)
        document["users"].append(
            {
                "name": user,
                "password_hash": password_hash(password(role, config)),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": "",
            }
        )
        document["permissions"].append({"user": user, "vhost": vhost, **vhost_permissions})
        document["topic_permissions"].extend(
            {"user": user, "vhost": vhost, **topic} for topic in topics
        )
    return document


def uri_for(role: str, base_uri: str, config: dict | None = None) -> str:
    """The AMQP URI ``role`` connects with: ``base_uri``'s host and vhost, its own user."""
    return service_uri(base_uri, username(role, config), password(role, config))
