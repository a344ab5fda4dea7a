"""``satupintu secrets DIR`` (or ``python -m services.deployment secrets DIR``): every secret docker-compose.yml needs, made once
into the volume DIR, one folder per container holding only what that container may read.

    DIR/<service>/broker-<service>, db-<service>   each service's broker and database password
    DIR/<service>/staff-token.pub                  (agency_registry also staff-token.key)
    DIR/intake/intake-token-secret, sms-gateway-key  its own secrets (SERVICE_SECRETS), made
    DIR/notification/sms-dlr-secret, webhook-secret  here: its folder is mounted read-only
    DIR/portal/broker-portal, portal-session-secret  the portal's broker password, its cookie key
    DIR/setup/…                                    the bootstrap: every broker password, the
                                                   broker admin's, the registry's database
    DIR/postgres/db-*                              the superuser's and each service's
    DIR/rabbitmq/20-admin.conf                     the broker's administrator (no guest)

Values are generated on the first run (shared.keyfiles) and kept after; running it again
changes nothing. Files are mode 0600, owned by the container user that reads them.
"""

from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

from services import DATABASE_SERVICES
from shared import broker, keyfiles, staff_keys

POSTGRES_UID = RABBITMQ_UID = 999  # the official images' users
STAFF_KEY_READERS = ("routing", "notification", "reporting", "intake", "portal")
# what a service would otherwise generate into its key folder on first start (shared.keyfiles),
# which a read-only mount does not allow; copies of a service share them
SERVICE_SECRETS = {
    "intake": ("intake-token-secret", "sms-gateway-key"),
    "notification": ("sms-dlr-secret", "webhook-secret"),
    "portal": ("portal-session-secret",),
}


def _place(path: Path, text: str, uid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, 0o600)
    if os.geteuid() == 0:
        os.chown(path.parent, uid, uid)
        os.chown(path, uid, uid)


def make_secrets(root: Path) -> list[Path]:
    vault = root / ".all"  # the one copy each value is generated in; readable by root alone
    value = {name: keyfiles.read_or_create(vault / name) for name in _names()}
    staff_keys.generate_key_pair(vault / "staff-token.key", vault / "staff-token.pub")
    staff_key = (vault / "staff-token.key").read_text()
    staff_pub = (vault / "staff-token.pub").read_text()
    app_uid = pwd.getpwnam("satupintu").pw_uid if _has_user("satupintu") else os.geteuid()
    placed = []

    def put(folder: str, name: str, text: str, uid: int = app_uid) -> None:
        _place(root / folder / name, text + ("" if text.endswith("\n") else "\n"), uid)
        placed.append(root / folder / name)

    for service in DATABASE_SERVICES:
        put(service, f"broker-{service}", value[f"broker-{service}"])
        put(service, f"db-{service}", value[f"db-{service}"])
        put("postgres", f"db-{service}", value[f"db-{service}"], POSTGRES_UID)
    for service, names in SERVICE_SECRETS.items():
        for name in names:
            put(service, name, value[name])
    put("portal", "broker-portal", value["broker-portal"])
    for service in STAFF_KEY_READERS:
        put(service, "staff-token.pub", staff_pub)
    put("agency_registry", "staff-token.key", staff_key)
    put("agency_registry", "staff-token.pub", staff_pub)
    for role in broker.ROLES:
        put("setup", f"broker-{role}", value[f"broker-{role}"])
    put("setup", "broker-admin", value["broker-admin"])
    put("setup", "db-agency_registry", value["db-agency_registry"])
    put("setup", "staff-token.key", staff_key)
    put("setup", "staff-token.pub", staff_pub)
    put("postgres", "db-postgres", value["db-postgres"], POSTGRES_UID)
    put(
        "rabbitmq",
        "20-admin.conf",
        f"default_user = {broker.ADMIN_USER}\ndefault_pass = {value['broker-admin']}\n"
        "default_user_tags.administrator = true\n",
        RABBITMQ_UID,
    )
    os.chmod(root / "rabbitmq", 0o700)
    return placed


def _names() -> list[str]:
    return (
        [f"broker-{role}" for role in broker.ROLES]
        + ["broker-admin", "db-postgres"]
        + [f"db-{service}" for service in DATABASE_SERVICES]
        + [name for names in SERVICE_SECRETS.values() for name in names]
    )


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def secrets(folder: str) -> int:
    os.umask(0o077)
    placed = make_secrets(Path(folder))
    print(f"{len(placed)} secret files in {folder} (existing values kept)")
    return 0


def register(commands) -> None:
    """``satupintu secrets DIR``."""
    made = commands.add_parser("secrets", help="make every secret docker-compose.yml needs")
    made.add_argument("folder", metavar="DIR")
    made.set_defaults(run=lambda args: secrets(args.folder))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "secrets":
        print("usage: python -m services.deployment secrets DIR", file=sys.stderr)
        return 2
    return secrets(argv[1])


if __name__ == "__main__":
    sys.exit(main())
