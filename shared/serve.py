"""``python -m shared.serve [--broker-role ROLE] -- COMMAND…``: run COMMAND with this
deployment's credentials filled in from the key files (``KEYS_DIR``), never from the compose file.

- ``--broker-role intake``: AMQP_URI (host, port and vhost) gets the user ``intake`` and its
  password from ``broker-intake`` (shared.broker);
- every ``*_DATABASE_URL`` that names a user without a password gets it from ``db-<user>``.

docker-compose.yml starts each service this way, with only its own key files mounted.
"""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import quote, urlparse, urlunparse

from shared import broker, keyfiles


def with_database_passwords(env: dict[str, str]) -> dict[str, str]:
    filled = dict(env)
    for name, url in env.items():
        parts = urlparse(url) if name.endswith("_DATABASE_URL") else None
        if not parts or not parts.username or parts.password is not None:
            continue
        secret_file = keyfiles.keys_dir(env) / f"db-{parts.username}"
        if secret_file.exists():
            secret = secret_file.read_text().strip()
            netloc = f"{parts.username}:{quote(secret, safe='')}@{parts.hostname}"
            netloc += f":{parts.port}" if parts.port else ""
            filled[name] = urlunparse(parts._replace(netloc=netloc))
    return filled


def environment(role: str | None, env: dict[str, str]) -> dict[str, str]:
    filled = with_database_passwords(env)
    if role:
        filled["AMQP_URI"] = broker.uri_for(role, env["AMQP_URI"], env)
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.serve", description=__doc__)
    parser.add_argument("--broker-role", choices=broker.ROLES)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("a command to run")
    env = environment(args.broker_role, dict(os.environ))
    os.execvpe(command[0], command, env)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
