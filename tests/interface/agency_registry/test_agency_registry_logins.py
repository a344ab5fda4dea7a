"""Login limits on POST /auth/token, as the attack: guessing one account's password, and one
address spraying many accounts. The real registry on the real RabbitMQ and SQLite."""

import pytest
import requests

from services.agency_registry.service import AgencyRegistry
from shared.staff_keys import generate_key_pair
from tests.interface.agency_registry.test_agency_registry import PASSWORD, STAFF, add_staff


@pytest.fixture(name="registry")
def registry_fixture(container_factory, service_config, registry_db, tmp_path):
    """start(**limits) → the registry's /auth/token URL."""
    add_staff(registry_db, *STAFF)
    generate_key_pair(tmp_path / "staff.key", tmp_path / "staff.pub")

    def start(**limits):
        config = service_config(
            "agency_registry",
            DATABASE_URL=registry_db,
            STAFF_TOKEN_PRIVATE_KEY_FILE=str(tmp_path / "staff.key"),
            STAFF_TOKEN_PUBLIC_KEY_FILE=str(tmp_path / "staff.pub"),
            **limits,
        )
        container_factory(AgencyRegistry, config).start()
        return f"http://{config['WEB_SERVER_ADDRESS']}/auth/token"

    return start


def login(url, username, password=PASSWORD):
    return requests.post(url, json={"username": username, "password": password}, timeout=10)


def limited(response, window: int) -> bool:
    assert response.status_code == 429, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == "urn:satupintu:problem:too-many-requests"
    assert body["title"] == "Terlalu banyak permintaan / Too many requests"
    assert 1 <= int(response.headers["Retry-After"]) <= window
    assert body["retry_after"] == int(response.headers["Retry-After"])
    return True


def test_guessing_one_accounts_password_stops_after_the_limit(registry):
    url = registry(LOGIN_ACCOUNT_LIMIT="3/900", LOGIN_ADDRESS_LIMIT="0/60")
    # the same account however it is typed: stripped and case-folded
    for typed in ("dinkes.barru", " DINKES.barru", "Dinkes.Barru  "):
        assert login(url, typed, "tebak-tebakan-1").status_code == 401
    assert limited(login(url, "dinkes.barru"), 900)  # even the right password now waits
    assert login(url, "nasional").status_code == 200  # another account is not held up


def test_a_name_that_does_not_exist_is_limited_the_same(registry):
    url = registry(LOGIN_ACCOUNT_LIMIT="2/900", LOGIN_ADDRESS_LIMIT="0/60")
    for _ in range(2):
        assert login(url, "siapa.saja", "tebak-tebakan-1").status_code == 401
    assert limited(login(url, "siapa.saja", "tebak-tebakan-1"), 900)


def test_a_success_clears_the_accounts_count(registry):
    url = registry(LOGIN_ACCOUNT_LIMIT="3/900", LOGIN_ADDRESS_LIMIT="0/60")
    for _ in range(2):
        assert login(url, "dinkes.barru", "salah-ketik-1").status_code == 401
    assert login(url, "dinkes.barru").status_code == 200
    for _ in range(2):
        assert login(url, "dinkes.barru", "salah-ketik-1").status_code == 401
    assert login(url, "dinkes.barru").status_code == 200


def test_one_address_spraying_many_accounts_is_stopped(registry):
    url = registry(LOGIN_ACCOUNT_LIMIT="0/900", LOGIN_ADDRESS_LIMIT="4/60")
    names = ["nasional", "kominfo.barru", "dinkes.barru", "siapa.saja"]
    assert [login(url, name, "musim-hujan-2026").status_code for name in names] == [401] * 4
    assert limited(login(url, "nasional"), 60)
