"""Reporter accounts on the real RabbitMQ and SQLite: register with a NIK, sign in, file and
follow one's own reports."""

import pytest
import requests

from services.intake.service import Intake
from tests.factories import make_report

SITI = {
    "nik": "7311015208900001",
    "full_name": "Siti Rahmawati Lubis",
    "gender": "female",
    "birth_date": "1990-08-12",
    "occupation": "Guru",
    "username": "siti.lubis",
    "phone": "0812-9999-0001",
    "email": "siti.lubis@example.id",
    "password": "kata-sandi-panjang",
}


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"), INTAKE_TOKEN_TTL=600)
    container_factory(Intake, config).start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


def sign_in(url, login="siti.lubis", password=SITI["password"]):
    response = requests.post(
        f"{url}/login", json={"login": login, "password": password}, timeout=10
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_register_sign_in_and_see_ones_own_profile(intake):
    created = requests.post(f"{intake}/reporters", json=SITI, timeout=10)
    assert created.status_code == 201, created.text
    profile = created.json()
    assert profile["phone"] == "+6281299990001"  # normalised to E.164
    assert profile["display_name"] == "Siti L."
    assert "password" not in str(profile) and "argon2" not in str(profile)

    for login in ("siti.lubis", "SITI.LUBIS@example.id", "081299990001"):
        me = requests.get(f"{intake}/me", headers=sign_in(intake, login), timeout=5).json()
        assert me["nik"] == SITI["nik"]


def test_wrong_passwords_and_tokens_are_refused(intake):
    requests.post(f"{intake}/reporters", json=SITI, timeout=10)
    wrong = requests.post(
        f"{intake}/login", json={"login": "siti.lubis", "password": "salah-sandi"}, timeout=10
    )
    assert wrong.status_code == 401
    nobody = requests.post(
        f"{intake}/login", json={"login": "tidak.ada", "password": "salah-sandi"}, timeout=10
    )
    assert nobody.status_code == 401 and nobody.json()["title"] == wrong.json()["title"]
    for header in ("Bearer nonsense", "Bearer a.b", "Basic c2l0aTpz"):
        response = requests.get(f"{intake}/me", headers={"Authorization": header}, timeout=5)
        assert response.status_code == 401
    assert requests.get(f"{intake}/me", timeout=5).status_code == 401


@pytest.mark.parametrize(
    "change, field",
    [
        ({"nik": "731101520890001"}, "nik"),
        ({"nik": "9911015208900001"}, "nik"),  # no such province
        ({"gender": "male"}, "nik"),  # a woman's NIK
        ({"birth_date": "1990-08-13"}, "nik"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"username": "Siti Lubis!"}, "username"),
        ({"password": "short"}, "password"),
        ({"password": "password123!"}, "password"),  # on the common-password list
        ({"password": "siti.lubis-2026"}, "password"),  # holds the username
    ],
)
def test_bad_registrations_name_the_field_and_create_nothing(intake, change, field):
    response = requests.post(f"{intake}/reporters", json={**SITI, **change}, timeout=10)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert requests.post(f"{intake}/reporters", json=SITI, timeout=10).status_code == 201


def test_an_unknown_district_in_a_nik_is_allowed(intake):
    response = requests.post(
        f"{intake}/reporters", json={**SITI, "nik": "7399995208900001"}, timeout=10
    )
    assert response.status_code == 201


def shape(value):
    """The structure of a JSON answer: its keys and the types of their values."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


@pytest.mark.parametrize(
    "duplicate",
    [
        {"nik": SITI["nik"], "birth_date": SITI["birth_date"]},
        {"phone": "+62 812 9999 0001"},  # the same number, written otherwise
        {"email": SITI["email"]},
    ],
)
def test_registration_does_not_tell_a_stranger_whose_nik_phone_or_email_is_registered(
    intake, duplicate
):
    """The attack: register someone else's NIK (phone, e-mail) and read the answer. It must
    look exactly like a genuine new account's, and create nothing."""
    assert requests.post(f"{intake}/reporters", json=SITI, timeout=10).status_code == 201
    fresh = {
        **SITI,
        "full_name": "Rina Amelia",
        "nik": "7311014507850002",
        "birth_date": "1985-07-05",
        "username": "rina.baru",
        "phone": "0813-1111-2222",
        "email": "rina@example.id",
    }
    genuine = requests.post(f"{intake}/reporters", json=fresh, timeout=10)
    probe = requests.post(
        f"{intake}/reporters",
        json={
            **fresh,
            "nik": "7311014507850003",
            "username": "penyelidik",
            "phone": "0813-1111-3333",
            "email": "probe@example.id",
            **duplicate,
        },
        timeout=10,
    )
    assert (probe.status_code, probe.headers["Location"]) == (201, genuine.headers["Location"])
    assert shape(probe.json()) == shape(genuine.json())
    assert SITI["full_name"] not in probe.text  # nothing of the existing account
    # the genuine account works; the probe created none (its own username signs nothing in)
    assert requests.get(f"{intake}/me", headers=sign_in(intake, "rina.baru"), timeout=5).ok
    refused = requests.post(
        f"{intake}/login", json={"login": "penyelidik", "password": SITI["password"]}, timeout=10
    )
    assert refused.status_code == 401
    # and the existing account is untouched
    assert (
        requests.get(f"{intake}/me", headers=sign_in(intake), timeout=5).json()["nik"]
        == (SITI["nik"])
    )


def test_a_taken_username_may_say_so(intake):
    assert requests.post(f"{intake}/reporters", json=SITI, timeout=10).status_code == 201
    again = requests.post(
        f"{intake}/reporters",
        json={
            **SITI,
            "nik": "7311014507850002",
            "birth_date": "1985-07-05",
            "phone": "0813-1111-2222",
            "email": "lain@example.id",
        },
        timeout=10,
    )
    assert again.status_code == 409
    assert [error["field"] for error in again.json()["errors"]] == ["username"]


def test_a_signed_in_reporter_files_and_lists_their_own_reports(intake):
    requests.post(f"{intake}/reporters", json=SITI, timeout=10)
    mine = sign_in(intake)
    filed = requests.post(
        f"{intake}/reports", json=make_report(reporter={}), headers=mine, timeout=5
    )
    assert filed.status_code == 201
    assert "report_key" not in filed.json()  # the account is the proof
    tid = filed.json()["tracking_id"]
    requests.post(f"{intake}/reports", json=make_report(), timeout=5)  # someone else's

    listed = requests.get(f"{intake}/me/reports", headers=mine, timeout=5).json()
    assert listed["total"] == 1 and listed["items"][0]["tracking_id"] == tid

    own = requests.get(f"{intake}/reports/{tid}", headers=mine, timeout=5).json()
    assert own["reporter_name"] == SITI["full_name"] and own["reporter_nik"] == SITI["nik"]
    anyone = requests.get(f"{intake}/reports/{tid}", timeout=5)
    assert anyone.status_code == 404  # awaiting verification: not public yet
    assert SITI["full_name"] not in anyone.text and SITI["nik"] not in anyone.text

    comment = requests.post(
        f"{intake}/reports/{tid}/comments", json={"text": "Terima kasih"}, headers=mine, timeout=5
    )
    assert comment.status_code == 201
    stranger = requests.post(
        f"{intake}/reports/{tid}/comments", json={"text": "Saya juga"}, timeout=5
    )
    assert stranger.status_code == 404  # as an unknown id


def test_logins_are_rate_limited_per_name(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"), LOGIN_RATE_LIMIT="3/300")
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"
    codes = [
        requests.post(
            f"{url}/login", json={"login": "siti", "password": "x"}, timeout=10
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]


def test_one_account_has_one_login_counter_whichever_name_is_typed(
    container_factory, service_config, tmp_path
):
    """The attack: guess a password through the username, the e-mail and the phone number in
    turn (in any case, padded), to get three times the tries. They share one counter."""
    config = service_config(
        "intake",
        BLOB_DIR=str(tmp_path / "b"),
        LOGIN_RATE_LIMIT="3/300",
        LOGIN_CLIENT_RATE_LIMIT="0/60",
    )
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"
    assert requests.post(f"{url}/reporters", json=SITI, timeout=10).status_code == 201

    def attempt(login, password="tebakan-salah"):
        return requests.post(
            f"{url}/login", json={"login": login, "password": password}, timeout=10
        ).status_code

    assert [attempt(n) for n in ("siti.lubis", " SITI.Lubis@Example.id ", "0812-9999-0001")] == [
        401,
        401,
        401,
    ]
    assert attempt("+6281299990001", SITI["password"]) == 429  # even the right password, now
    assert attempt("someone.else") == 401  # another name is another counter


def test_logins_from_one_address_are_limited_across_names(
    container_factory, service_config, tmp_path
):
    """The attack: one client tries one password against many names."""
    config = service_config(
        "intake",
        BLOB_DIR=str(tmp_path / "b"),
        LOGIN_RATE_LIMIT="10/300",
        LOGIN_CLIENT_RATE_LIMIT="4/300",
    )
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"
    codes = [
        requests.post(
            f"{url}/login", json={"login": f"warga{n}", "password": "rahasia-123"}, timeout=10
        ).status_code
        for n in range(5)
    ]
    assert codes == [401, 401, 401, 401, 429]
