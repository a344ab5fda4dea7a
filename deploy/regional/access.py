#!/usr/bin/env python3
"""RabbitMQ definitions that give one regional instance its queue, and nothing else.

    python deploy/regional/access.py 73 --password SECRET > regional-73.json
    rabbitmqctl import_definitions regional-73.json     # or the management UI / HTTP API

Creates: the topic exchange ``satupintu.regional``, a durable queue ``regional.<code>`` bound
with ``<code>.#`` (a province ``73``, a regency ``73.11``), and the user ``regional_<code>``
whose only permission is to read that queue: it can declare, publish to and read nothing else.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys

EXCHANGE = "satupintu.regional"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = salt if salt is not None else os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def definitions(region_code: str, password: str, vhost: str = "/", user: str | None = None) -> dict:
    if not re.fullmatch(r"\d{2}(\.\d{2})?", region_code):
        raise ValueError("a province (73) or regency (73.11) code")
    queue = f"regional.{region_code}"
    user = user or f"regional_{region_code.replace('.', '_')}"
    return {
        "users": [
            {
                "name": user,
                "password_hash": password_hash(password),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": "",
            }
        ],
        "permissions": [
            {
                "user": user,
                "vhost": vhost,
                "configure": "^$",
                "write": "^$",
                "read": f"^{re.escape(queue)}$",
            }
        ],
        "exchanges": [
            {
                "name": EXCHANGE,
                "vhost": vhost,
                "type": "topic",
                "durable": True,
                "auto_delete": False,
                "internal": False,
                "arguments": {},
            }
        ],
        "queues": [
            {"name": queue, "vhost": vhost, "durable": True, "auto_delete": False, "arguments": {}}
        ],
        "bindings": [
            {
                "source": EXCHANGE,
                "vhost": vhost,
                "destination": queue,
                "destination_type": "queue",
                "routing_key": f"{region_code}.#",
                "arguments": {},
            }
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("region_code", help="province (73) or regency (73.11)")
    parser.add_argument("--password", required=True)
    parser.add_argument("--vhost", default="/")
    parser.add_argument("--user", help="default regional_<code>")
    args = parser.parse_args(argv)
    if len(args.password) < 16 or "change" in args.password.lower():
        parser.error("--password: use a real secret of 16 characters or more, not an example")
    json.dump(
        definitions(args.region_code, args.password, args.vhost, args.user), sys.stdout, indent=2
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
