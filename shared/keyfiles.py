"""Secrets that no repository ships: given by the operator, or generated once on first start.

    secret = keyfiles.secret(config, "INTAKE_TOKEN_SECRET", "intake-token-secret")

returns the configured value when one is set, else the contents of ``var/keys/<file>``
(``KEYS_DIR`` moves the folder), creating it with 32 random bytes (URL-safe text) and mode 0600
the first time. Two copies of a service started together agree: the file is created
exclusively, and the loser of the race reads the winner's.

A value that is a known example (``change-me``, ``dev-only-…``, ``secret``) is refused, so a
deployment cannot run on a secret that was printed in a README.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from shared.config import ROOT

DEFAULT_KEYS_DIR = "var/keys"
MIN_LENGTH = 16


class UnsafeSecret(RuntimeError):
    """A configured secret is an example value or too short: refuse to start."""


def keys_dir(config: dict | None = None) -> Path:
    folder = Path(
        str((config or {}).get("KEYS_DIR") or os.environ.get("KEYS_DIR") or DEFAULT_KEYS_DIR)
    )
    return folder if folder.is_absolute() else ROOT / folder


def is_example(value: str) -> bool:
    """True for a value nobody should run on: a placeholder, a README example, a short word."""
    lowered = value.strip().lower()
    markers = ("change-me", "changeme", "change_me", "dev-only", "example", "placeholder")
    return (
        len(lowered) < MIN_LENGTH
        or any(marker in lowered for marker in markers)
        or lowered in {"secret", "password", "guest"}
    )


def secret(config: dict, name: str, filename: str) -> str:
    """The secret ``name`` from ``config`` (refused if an example), else from its key file."""
    given = str(config.get(name) or "").strip()
    if given:
        if is_example(given):
            raise UnsafeSecret(
                f"{name} is an example or too short: set a real secret or leave it unset"
            )
        return given
    return read_or_create(keys_dir(config) / filename)


def read_or_create(path: Path) -> str:
    """The secret in ``path``, made (0600, exclusively) if it does not exist yet."""
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _wait_for(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def _wait_for(path: Path) -> str:
    for _ in range(50):
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"{path} exists but stays empty")
