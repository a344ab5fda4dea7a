"""Staff tokens (shared/auth.py): issued with the private key, verified with the public key only."""

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth import InvalidToken, TokenSigner, TokenVerifier
from shared.staff_keys import (
    generate_key_pair,
    load_private_key_file,
    public_keys_from_config,
    public_keys_from_pem,
    public_pem,
)


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def issue(key, ttl=3600):
    return TokenSigner(key, ttl).issue("s1", "kominfo.barru", "coordinator_admin", "A", "B")[0]


def test_a_token_round_trips_with_the_public_key(key):
    claims = TokenVerifier([key.public_key()]).verify(issue(key))
    assert (claims.staff_id, claims.username, claims.role) == (
        "s1",
        "kominfo.barru",
        "coordinator_admin",
    )
    assert (claims.agency_code, claims.scope_code) == ("A", "B")
    assert claims.expires_at - claims.issued_at == 3600


def test_tampered_foreign_and_expired_tokens_are_refused(key):
    verifier = TokenVerifier([key.public_key()])
    token = issue(key)
    header, claims, signature = token.split(".")
    raised = json.loads(base64.urlsafe_b64decode(claims + "=="))
    raised["role"] = "national_admin"
    forged_claims = base64.urlsafe_b64encode(json.dumps(raised).encode()).rstrip(b"=").decode()
    for bad in (
        f"{header}.{forged_claims}.{signature}",
        issue(Ed25519PrivateKey.generate()),  # another key: unknown kid
        "not.a.token",
        "",
    ):
        with pytest.raises(InvalidToken):
            verifier.verify(bad)
    with pytest.raises(InvalidToken):
        verifier.verify(issue(key, ttl=10), now=time.time() + 3600)


def test_a_second_public_key_lets_keys_roll_over(key):
    new = Ed25519PrivateKey.generate()
    keys = public_keys_from_pem(public_pem(key.public_key()) + public_pem(new.public_key()))
    verifier = TokenVerifier(keys)
    assert verifier.verify(issue(key)).staff_id == verifier.verify(issue(new)).staff_id == "s1"


def test_key_files_are_made_once_and_the_public_half_is_enough(tmp_path):
    private, public = tmp_path / "k" / "staff.key", tmp_path / "k" / "staff.pub"
    assert generate_key_pair(private, public) is True
    assert generate_key_pair(private, public) is False  # kept: tokens already issued stay valid
    assert oct(private.stat().st_mode & 0o777) == "0o600"
    signer_key = load_private_key_file(private)
    keys = public_keys_from_config({"STAFF_TOKEN_PUBLIC_KEY_FILE": str(public)})
    assert TokenVerifier(keys).verify(issue(signer_key)).username == "kominfo.barru"
    inline = public_keys_from_config({"STAFF_TOKEN_PUBLIC_KEY": public.read_text()})
    assert TokenVerifier(inline).verify(issue(signer_key)).role == "coordinator_admin"
