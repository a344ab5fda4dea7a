"""SPEC §3 over the whole running system: a planted identity appears only where it may.

Reporters with unique names, NIKs, phones, emails and handles file at every privacy level on
every channel (web with and without an account, SMS, Twitter, Open311), each confidential report
carrying a unique phrase. Then everything reachable is collected — without credentials (every
service's HTTP, Open311 JSON and XML, the regional exchange, SMS answers to a stranger, metrics,
dead letters, the logs) and with a liaison officer's token — and each planted value is looked
for where SPEC §3 forbids it. Positive controls show that each collection really reaches the
reports, so an empty page cannot pass for privacy.
"""

import base64
import hashlib
import hmac
import json
import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from kombu import Connection, Exchange, Queue

from shared.config import ROOT
from tests.factories import wait_for

AGENCY = "PROV-73-DISDIK"  # a state senior high school in Barru: the province's education office
LEVELS = ("public", "anonymous", "confidential")
TWITTER_SECRET = "e2e-consumer-" + uuid.uuid4().hex
SMS_KEY = "e2e-gateway-" + uuid.uuid4().hex
LIAISON_PASSWORD = "Sandi-Liaison-" + uuid.uuid4().hex[:12]


@pytest.fixture
def extra_env(tmp_path) -> dict:
    return {
        "TWITTER_CONSUMER_SECRET": TWITTER_SECRET,
        "SMS_GATEWAY_KEY": SMS_KEY,
        "INTAKE_BLOB_DIR": str(tmp_path / "blobs"),
    }


class System:
    def __init__(self, urls, log_path, amqp_uri, env):
        self.urls, self.log_path, self.amqp_uri, self.env = urls, log_path, amqp_uri, env

    def cli(self, *args, stdin: str = "") -> str:
        done = subprocess.run(
            [Path(sys.executable).parent / "satupintu", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def python(self, *args) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout


@pytest.fixture
def system(launch_env, running, rabbit_config):
    env, _ = launch_env
    urls, log_path = running
    return System(urls, log_path, rabbit_config["AMQP_URI"], env)


# ---------------------------------------------------------------- planting


def _digits(n: int) -> str:
    return "".join(random.choice("0123456789") for _ in range(n))


class Planted:
    """One reporter with unique identity values, and the report they filed."""

    def __init__(self, channel: str, level: str):
        tag = uuid.uuid4().hex[:6]
        self.channel, self.level = channel, level
        self.first = f"Zulkarnain{tag}"
        self.full_name = f"{self.first} Pratama{tag}"
        self.local_phone = "0812" + _digits(8)
        self.phone = "+62" + self.local_phone[1:]
        self.email = f"pelapor.{tag}@contoh.id"
        self.handle = f"warga_{tag}"
        self.social_id = "9" + _digits(15)
        self.nik = None
        self.secret_phrase = f"rahasia-{tag}-kalimat"  # in every report's body; only a confidential one's must stay hidden
        self.tracking_id = None
        self.proof: dict[str, str] = {}

    def identity_values(self) -> list[str]:
        values = [self.full_name, self.phone, self.local_phone, self.phone[1:], self.email]
        if self.channel == "twitter":
            values += [self.social_id]
        if self.channel == "web_account":
            values += [self.nik, self.handle]
        if self.level != "public":
            values.append(self.first)  # a public reporter's first name is in their display name
        return [value for value in values if value]

    def body(self) -> str:
        return (
            f"Sekolah meminta uang gedung dua juta rupiah kepada setiap siswa baru tahun ini. "
            f"{self.secret_phrase}"
        )


def _nik() -> tuple[str, str]:
    """A valid NIK for a man born 1990-08-12 in Barru (73.11.01): and the birth date."""
    return "731101" + "120890" + _digits(4), "1990-08-12"


def _report(planted: Planted, **extra) -> dict:
    report = {
        "classification": "complaint",
        "category_id": "pendidikan.sma",
        "title": f"Pungutan uang gedung {planted.secret_phrase}",
        "body": planted.body(),
        "event_date": "2026-11-20",
        "location": {"region_code": "73.11", "address": "Jl. Poros Barru"},
        "privacy": planted.level,
    }
    report.update(extra)
    return report


def plant_web(system: System, planted: Planted) -> None:
    intake = system.urls["intake"]
    if planted.channel == "web_account":
        planted.nik, birth = _nik()
        username = planted.handle
        password = "Sandi-Pelapor-" + uuid.uuid4().hex[:10]
        registered = requests.post(
            f"{intake}/reporters",
            json={
                "nik": planted.nik,
                "full_name": planted.full_name,
                "gender": "male",
                "birth_date": birth,
                "username": username,
                "phone": planted.local_phone,
                "email": planted.email,
                "password": password,
            },
            timeout=10,
        )
        assert registered.status_code in (200, 201, 202), registered.text
        login = requests.post(
            f"{intake}/login", json={"login": username, "password": password}, timeout=10
        )
        assert login.status_code == 200, login.text
        planted.proof = {"Authorization": f"Bearer {login.json()['token']}"}
        answer = requests.post(
            f"{intake}/reports", json=_report(planted), headers=planted.proof, timeout=10
        )
    else:
        reporter = {"name": planted.full_name, "phone": planted.phone, "email": planted.email}
        answer = requests.post(
            f"{intake}/reports", json=_report(planted, reporter=reporter), timeout=10
        )
        planted.proof = {"X-Report-Key": answer.json().get("report_key", "")}
    assert answer.status_code in (200, 201), answer.text
    planted.tracking_id = answer.json()["tracking_id"]


def sms(system: System, sender: str, text: str) -> str:
    answer = requests.get(
        f"{system.urls['intake']}/channels/sms/inbound",
        params={"from": sender, "to": "1708", "text": text, "id": uuid.uuid4().hex, "key": SMS_KEY},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def plant_sms(system: System, planted: Planted) -> None:
    confidential = " RAHASIA" if planted.level == "confidential" else ""
    reply = sms(
        system,
        planted.phone,
        f"{planted.body()} KAT SMA LOK Barru TGL 20-11-2026{confidential}",
    )
    planted.tracking_id = _tracking_id_in(reply)


def plant_twitter(system: System, planted: Planted) -> None:
    confidential = " RAHASIA" if planted.level == "confidential" else ""
    body = json.dumps(
        {
            "for_user_id": "1708",
            "direct_message_events": [
                {
                    "type": "message_create",
                    "id": _digits(19),
                    "message_create": {
                        "sender_id": planted.social_id,
                        "message_data": {
                            "text": f"{planted.body()} KAT SMA LOK Barru TGL 20-11-2026"
                            f"{confidential}"
                        },
                    },
                }
            ],
            "users": {
                planted.social_id: {
                    "id": planted.social_id,
                    "name": planted.full_name,
                    "screen_name": planted.handle,
                }
            },
        }
    ).encode()
    digest = hmac.new(TWITTER_SECRET.encode(), body, hashlib.sha256).digest()
    answer = requests.post(
        f"{system.urls['intake']}/channels/twitter/webhook",
        data=body,
        headers={
            "x-twitter-webhooks-signature": "sha256=" + base64.b64encode(digest).decode(),
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json().get("handled") == 1, answer.text
    planted.tracking_id = None  # found through the SMS-free path below


def plant_open311(system: System, planted: Planted, api_key: str) -> None:
    answer = requests.post(
        f"{system.urls['intake']}/open311/v2/requests.json",
        data={
            "api_key": api_key,
            "service_code": "pendidikan.sma",
            "address_id": "73.11",
            "attribute[event_date]": "2026-11-20",
            "attribute[privacy]": planted.level,
            "description": planted.body(),
            "first_name": planted.full_name,
            "email": planted.email,
            "phone": planted.phone,
        },
        timeout=10,
    )
    assert answer.status_code in (200, 201), answer.text
    item = answer.json()[0]
    planted.tracking_id = item["service_request_id"]
    planted.proof = {"X-Open311-Token": item.get("token", "")}


def _tracking_id_in(text: str) -> str:
    import re

    found = re.search(r"LPR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text)
    assert found, text
    return found.group(0)


# ---------------------------------------------------------------- collecting


def get_text(url: str, **kwargs) -> str:
    try:
        response = requests.get(url, timeout=10, **kwargs)
    except requests.RequestException as exc:
        return f"<{type(exc).__name__}>"
    return f"{response.status_code} {response.text}"


def regional_messages(system: System, queue_name: str) -> list[str]:
    seen = []
    with Connection(system.amqp_uri) as conn:
        queue = conn.SimpleQueue(queue_name, no_ack=True)
        while True:
            try:
                message = queue.get(timeout=1)
            except queue.Empty:
                break
            seen.append(json.dumps(message.payload, ensure_ascii=False))
        queue.close()
    return seen


def dead_letters(system: System) -> list[str]:
    out = []
    with Connection(system.amqp_uri) as conn:
        channel = conn.channel()
        try:
            _, count, _ = channel.queue_declare("satupintu.dead-letters", passive=True)
        except Exception:
            return []
        for _ in range(count):
            message = channel.basic_get("satupintu.dead-letters", no_ack=False)
            if message is None:
                break
            out.append(
                message.body.decode("utf-8", "replace")
                if isinstance(message.body, bytes)
                else str(message.body)
            )
        channel.close()  # unacked: they go back to the queue
    return out


def test_a_planted_identity_appears_only_where_spec_3_allows(system):
    urls = system.urls
    # the regional exchange: what a province's own system would receive
    regional_queue = f"regional-e2e-{uuid.uuid4().hex[:6]}"
    with Connection(system.amqp_uri) as conn:
        Queue(
            regional_queue,
            Exchange("satupintu.regional", type="topic", durable=True),
            routing_key="73.#",
            durable=True,
            auto_delete=False,
        )(conn.default_channel).declare()

    api_key = system.python("-m", "services.cli", "open311-key", "Aplikasi Uji").strip().split()[-1]
    system.cli(
        "create-admin",
        "--username",
        "liaison.disdik",
        "--full-name",
        "Petugas Disdik",
        "--role",
        "liaison",
        "--agency",
        AGENCY,
        "--password-stdin",
        stdin=LIAISON_PASSWORD + "\n",
    )

    planted: list[Planted] = []
    for level in LEVELS:
        for channel in ("web_account", "web"):
            one = Planted(channel, level)
            plant_web(system, one)
            planted.append(one)
        one = Planted("open311", level)
        plant_open311(system, one, api_key)
        planted.append(one)
    for level in ("anonymous", "confidential"):  # SMS and Twitter reporters are never public
        one = Planted("sms", level)
        plant_sms(system, one)
        planted.append(one)
        one = Planted("twitter", level)
        plant_twitter(system, one)
        planted.append(one)

    token = requests.post(
        f"{urls['agency_registry']}/auth/token",
        json={"username": "liaison.disdik", "password": LIAISON_PASSWORD},
        timeout=10,
    ).json()["token"]
    staff = {"Authorization": f"Bearer {token}"}

    def desk_items():
        listing = requests.get(
            f"{urls['routing']}/desk/dispositions", headers=staff, params={"limit": 100}, timeout=10
        )
        items = listing.json().get("items", [])
        return items if len(items) >= len(planted) else None

    held = wait_for(desk_items, timeout=90, interval=1)
    held_ids = {item["tracking_id"] for item in held}
    for one in planted:
        if one.tracking_id is None:  # Twitter: the id went back by DM; find it on the desk
            for tracking_id in held_ids - {p.tracking_id for p in planted}:
                detail = requests.get(
                    f"{urls['routing']}/desk/dispositions/{tracking_id}", headers=staff, timeout=10
                ).text
                if one.secret_phrase in detail:
                    one.tracking_id = tracking_id
    assert all(one.tracking_id in held_ids for one in planted), "every report reached the agency"

    # ---- without credentials
    public: dict[str, str] = {}
    for one in planted:
        tid = one.tracking_id
        public[f"intake /reports/{tid}"] = get_text(f"{urls['intake']}/reports/{tid}")
        public[f"intake /public/reports/{tid}"] = get_text(f"{urls['intake']}/public/reports/{tid}")
        public[f"intake /public/reports/{tid} html"] = get_text(
            f"{urls['intake']}/public/reports/{tid}", headers={"Accept": "text/html"}
        )
        for fmt in ("json", "xml"):
            public[f"open311 {tid}.{fmt}"] = get_text(
                f"{urls['intake']}/open311/v2/requests/{tid}.{fmt}"
            )
        public[f"routing /dispositions/{tid}"] = get_text(f"{urls['routing']}/dispositions/{tid}")
        public[f"notification /inbox/{tid}"] = get_text(f"{urls['notification']}/inbox/{tid}")
        public[f"sms CEK {tid} from a stranger"] = sms(system, "+6285700000001", f"CEK {tid}")
        for path in ("attachments/1", "comments"):
            public[f"intake /reports/{tid}/{path}"] = get_text(
                f"{urls['intake']}/reports/{tid}/{path}"
            )
    for path in (
        "/public/reports?limit=100",
        "/public/reports.csv",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        "/categories",
    ):
        public[f"intake {path}"] = get_text(urls["intake"] + path)
    for status in ("queued", "sent", "failed", "dead", "skipped"):
        public[f"notification /deliveries {status}"] = get_text(
            f"{urls['notification']}/deliveries", params={"status": status}
        )
    for path in (
        "/stats",
        "/statistics/nation",
        "/statistics/provinces/73",
        "/statistics/governments/73.11",
        f"/statistics/agencies/{AGENCY}",
        "/rankings/provinces/73?format=csv",
    ):
        public[f"reporting {path}"] = get_text(urls["reporting"] + path)
    for service, url in urls.items():
        public[f"{service} /metrics"] = get_text(f"{url}/metrics")
    public["regional exchange"] = "\n".join(regional_messages(system, regional_queue))
    public["dead letters"] = "\n".join(dead_letters(system))

    # positive controls: the public collections do show the public reports
    for one in planted:
        if one.level == "public":
            assert one.secret_phrase in public[f"intake /public/reports/{one.tracking_id}"]
    assert any(one.tracking_id in public["regional exchange"] for one in planted)
    assert any(one.secret_phrase in public["intake /public/reports?limit=100"] for one in planted)

    leaks = []
    for one in planted:
        hidden = one.identity_values()
        if one.level == "confidential":
            hidden.append(one.secret_phrase)
        for where, text in public.items():
            for value in hidden:
                if value in text:
                    leaks.append(f"{one.channel}/{one.level} {value!r} in {where}")
    assert not leaks, "\n".join(leaks)

    # ---- with the handling agency's credentials: content yes, identity only of public reporters
    agency: dict[str, str] = {
        "desk list": get_text(f"{urls['routing']}/desk/dispositions?limit=100", headers=staff)
    }
    for one in planted:
        agency[f"desk {one.tracking_id}"] = get_text(
            f"{urls['routing']}/desk/dispositions/{one.tracking_id}", headers=staff
        )
    agency["staff inbox"] = get_text(f"{urls['notification']}/staff/inbox?limit=100", headers=staff)
    leaks = []
    for one in planted:
        assert one.secret_phrase in agency[f"desk {one.tracking_id}"], "the agency reads the report"
        if one.level == "public":
            continue
        for where, text in agency.items():
            for value in one.identity_values():
                if value in text:
                    leaks.append(f"{one.channel}/{one.level} {value!r} to the agency in {where}")
    assert not leaks, "\n".join(leaks)

    # ---- the reporter, with their proof, sees their own report whole
    for one in planted:
        if one.proof:
            mine = get_text(f"{urls['intake']}/reports/{one.tracking_id}", headers=one.proof)
            assert one.secret_phrase in mine, mine[:300]

    # ---- logs: facts only, whoever reads them
    logs = system.log_path.read_text()
    leaks = [
        f"{one.channel}/{one.level} {value!r} in the logs"
        for one in planted
        for value in one.identity_values() + [one.secret_phrase] + list(one.proof.values())
        if value and value in logs
    ]
    assert not leaks, "\n".join(leaks)
