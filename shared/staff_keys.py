"""The staff-token key pair: the registry's private key, every service's public keys.

Given inline (``STAFF_TOKEN_PRIVATE_KEY``, ``STAFF_TOKEN_PUBLIC_KEY``, PEM text) or as files
(``STAFF_TOKEN_PRIVATE_KEY_FILE``, ``STAFF_TOKEN_PUBLIC_KEY_FILE``, relative to the project),
the pair generated once on the registry's first start. A public-key file may hold several
keys, the current and the next (shared.auth picks one by the token's ``kid``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.config import ROOT

DEFAULT_PRIVATE_KEY_FILE = "var/keys/staff-token.key"
DEFAULT_PUBLIC_KEY_FILE = "var/keys/staff-token.pub"


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _setting(config: dict, name: str, default: str | None = None) -> str | None:
    return config.get(name) or os.environ.get(name) or default


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def generate_key_pair(private_path: Path | str, public_path: Path | str | None = None) -> bool:
    """Write a new key pair unless the private key exists; True if one was written.

    Created atomically (link of a finished file), so copies of the registry that start
    together end up with the same key.
    """
    private_path = _path(str(private_path))
    public_path = _path(str(public_path)) if public_path else private_path.with_suffix(".pub")
    if private_path.exists():
        if not public_path.exists():
            _write(public_path, public_pem(load_private_key_file(private_path).public_key()), 0o644)
        return False
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temp = private_path.with_name(f".{private_path.name}.{uuid.uuid4().hex}")
    _write(temp, pem, 0o600)
    try:
        os.link(temp, private_path)
        created = True
    except FileExistsError:
        created = False
    finally:
        temp.unlink()
    if created or not public_path.exists():
        _write(public_path, public_pem(load_private_key_file(private_path).public_key()), 0o644)
    return created


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


def load_private_key_file(path: Path | str) -> Ed25519PrivateKey:
    return _private_from_pem(_path(str(path)).read_bytes())


def _private_from_pem(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the staff token key must be an Ed25519 key")
    return key


def public_keys_from_pem(data: bytes) -> list[Ed25519PublicKey]:
    """Every PEM public key in ``data`` (one file can carry the current and the next key)."""
    keys = []
    marker = b"-----END PUBLIC KEY-----"
    for block in data.split(marker):
        if b"-----BEGIN PUBLIC KEY-----" in block:
            key = serialization.load_pem_public_key(block.strip() + b"\n" + marker + b"\n")
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("staff token keys must be Ed25519 keys")
            keys.append(key)
    return keys


def ensure_key_pair(config: dict) -> bool:
    """Generate the key pair files the config names, unless a private key is given inline."""
    if _setting(config, "STAFF_TOKEN_PRIVATE_KEY"):
        return False
    return generate_key_pair(
        _setting(config, "STAFF_TOKEN_PRIVATE_KEY_FILE", DEFAULT_PRIVATE_KEY_FILE),
        _setting(config, "STAFF_TOKEN_PUBLIC_KEY_FILE", DEFAULT_PUBLIC_KEY_FILE),
    )


def private_key_from_config(config: dict) -> Ed25519PrivateKey:
    """STAFF_TOKEN_PRIVATE_KEY (PEM text) or the file STAFF_TOKEN_PRIVATE_KEY_FILE."""
    inline = _setting(config, "STAFF_TOKEN_PRIVATE_KEY")
    if inline:
        return _private_from_pem(inline.encode())
    return load_private_key_file(
        _setting(config, "STAFF_TOKEN_PRIVATE_KEY_FILE", DEFAULT_PRIVATE_KEY_FILE)
    )


def public_keys_from_config(config: dict) -> list[Ed25519PublicKey]:
    """STAFF_TOKEN_PUBLIC_KEY (PEM text) or the file STAFF_TOKEN_PUBLIC_KEY_FILE."""
    inline = _setting(config, "STAFF_TOKEN_PUBLIC_KEY")
    if inline:
        return public_keys_from_pem(inline.encode())
    path = _path(_setting(config, "STAFF_TOKEN_PUBLIC_KEY_FILE", DEFAULT_PUBLIC_KEY_FILE))
    return public_keys_from_pem(path.read_bytes())
