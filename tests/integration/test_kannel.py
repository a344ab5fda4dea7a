"""SMS 1708 through a real Kannel (Debian's bearerbox and smsbox, fakesmsc as the citizen's
phone) in front of the real intake, routing, agency registry and notification on one vhost.

The phone's SMS opens a report and intake's answer comes back to it; the dispatch notice, a
follow-up and the feedback question arrive whole, each one GSM 7-bit SMS; a notice naming an
agency whose name holds a character outside the GSM alphabet arrives whole in UCS-2, in
concatenated parts split on words; Kannel's delivery reports mark the deliveries delivered.

What the phone got is read from fakesmsc's stdout ("text": one GSM 7-bit SMS, "ucs-2": one
UCS-2 SMS, "udh": a part of a concatenated SMS); the coding of each SMS also from bearerbox's
access log ("[flags:…:<coding>:…]", 0 = GSM 7-bit, 2 = UCS-2): see tests/kannel.py.
"""

import pytest
import requests
from kombu import Connection
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import service_class
from services.agency_registry import staff
from services.agency_registry.audit import AuditLog, Who
from services.notification.models import deliveries
from services.routing.replica import AgencyReplica
from shared.auth import TokenSigner
from shared.db import make_engine
from shared.messaging import declare, service_queues
from shared.staff_keys import load_private_key_file
from shared.tracking import normalise
from tests import kannel
from tests.factories import GATEWAY_KEY, wait_for

CITIZEN, NEIGHBOUR = "+6281311112222", "+6281355556666"
SERVICES = ("agency_registry", "intake", "routing", "notification")
ADMIN_PASSWORD = "kata-sandi-admin-yang-panjang-2026"


@pytest.fixture
def gateway(container_factory, service_config, registry_db, rabbit_config, tmp_path):
    """{"kannel": Kannel, "urls": {service: URL}, "configs": …, "containers": …}: the four
    services running, Kannel's boxes in front of intake and notification."""
    if not kannel.installed():
        pytest.fail("Kannel is not installed: deploy/local/ensure-services.sh installs it")
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(conn, [q for name in SERVICES for q in service_queues(service_class(name))])
    configs = {
        "agency_registry": service_config("agency_registry", DATABASE_URL=registry_db),
        "intake": service_config(
            "intake", BLOB_DIR=str(tmp_path / "blobs"), SMS_GATEWAY_KEY=GATEWAY_KEY
        ),
        "routing": service_config("routing"),
        "notification": service_config(
            "notification", KEYS_DIR=str(tmp_path / "keys"), DELIVERY_BACKOFF_SECONDS=0.2
        ),
    }
    urls = {name: f"http://{config['WEB_SERVER_ADDRESS']}" for name, config in configs.items()}
    # the README's lines: intake's SMS door as the sms-service, notification's DLR endpoint
    gateway = kannel.Kannel(
        tmp_path / "kannel",
        f"{urls['intake']}/channels/sms/inbound?from=%p&to=%P&text=%a&ts=%t&id=%I"
        f"&key={GATEWAY_KEY}",
    )
    configs["notification"].update(
        SMS_GATEWAY_URL=gateway.sendsms_url,
        SMS_USERNAME=kannel.SENDSMS_USER,
        SMS_PASSWORD=kannel.SENDSMS_PASSWORD,
        SMS_DLR_URL=f"{urls['notification']}/channels/sms/delivery-report",
    )
    containers = {}
    for name in SERVICES:
        containers[name] = container_factory(service_class(name), configs[name])
        containers[name].start()
    gateway.start()
    yield {"kannel": gateway, "urls": urls, "configs": configs, "containers": containers}
    print(gateway.logs())  # shown when the test failed
    gateway.stop()


def received(phone, count):
    """The phone's first ``count`` SMS, once they have all arrived (with their codings)."""

    def arrived():
        got = phone.received()
        codings = phone.kannel.codings(phone.sender)
        return got if len(got) >= count and len(codings) >= count else None

    return wait_for(arrived, timeout=30)[:count]


def tracking_id_in(text):
    return next(normalise(w.strip(".,:")) for w in text.split() if normalise(w.strip(".,:")))


def delivery_status(gateway, tracking_id, kind):
    engine = make_engine(gateway["configs"]["notification"]["DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.execute(
                select(deliveries.c.status).where(
                    deliveries.c.recipient == f"report:{tracking_id}",
                    deliveries.c.kind == kind,
                    deliveries.c.channel == "sms",
                )
            ).scalar()
    finally:
        engine.dispose()


def delivered(gateway, tracking_id, kind):
    wait_for(lambda: delivery_status(gateway, tracking_id, kind) == "delivered", timeout=20)


def liaison_token(staff_keys, agency_code):
    signer = TokenSigner(load_private_key_file(staff_keys[0]))
    return signer.issue("41", "liaison.dinkes.barru", "liaison", agency_code, agency_code)[0]


def follow_up(gateway, token, tracking_id, text, final):
    response = requests.post(
        f"{gateway['urls']['routing']}/desk/dispositions/{tracking_id}/followups",
        json={"text": text, "final": final},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text


def one_gsm_sms(sms, coding, text):
    assert (sms.kind, sms.udh, coding) == ("text", b"", 0), (sms, coding)
    assert sms.text == text


def test_sms_arrive_whole_through_kannel(gateway, staff_keys):
    phone = gateway["kannel"].phone(
        CITIZEN,
        "Puskesmas tutup pada jam kerja tanpa pemberitahuan. KAT puskesmas LOK Barru TGL 19-11-2026",
    )

    # intake's answer to the citizen's SMS, through the sms-service get-url
    [reply] = received(phone, 1)
    tid = tracking_id_in(reply.text)
    assert reply.kind == "text" and "diterima" in reply.text and tid in reply.text

    # the dispatch notice (auto mode: routing dispatched it at once), the brief's example
    [_, notice] = received(phone, 2)
    dinkes = "Dinas Kesehatan Kabupaten Barru"
    codings = phone.kannel.codings(CITIZEN)
    one_gsm_sms(notice, codings[1], f"LAPOR: laporan {tid} diteruskan ke {dinkes}.")
    delivered(gateway, tid, "report_routed")

    token = liaison_token(staff_keys, "KAB-73-11-DINKES")
    follow_up(gateway, token, tid, "Petugas puskesmas sudah dihubungi.", final=False)
    followup = received(phone, 3)[2]
    one_gsm_sms(
        followup,
        phone.kannel.codings(CITIZEN)[2],
        f"LAPOR: tindak lanjut dari {dinkes}. Ketik CEK {tid}",
    )
    delivered(gateway, tid, "followup")

    follow_up(gateway, token, tid, "Jadwal buka puskesmas sudah diumumkan.", final=True)
    question = received(phone, 4)[3]
    one_gsm_sms(
        question,
        phone.kannel.codings(CITIZEN)[3],
        f"LAPOR {tid}: {dinkes} selesai. Puas? Balas PUAS/TIDAK PUAS",
    )
    delivered(gateway, tid, "awaiting_feedback")
    assert len(phone.received()) == 4  # nothing else, nothing twice

    # an admin renames the roads office with a character outside the GSM alphabet
    renamed = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Barru 🚧"
    admin = national_admin(gateway)
    edited = requests.patch(
        f"{gateway['urls']['agency_registry']}/agencies/KAB-73-11-DPUPR",
        json={"name": renamed},
        headers={"Authorization": f"Bearer {admin}"},
        timeout=10,
    )
    assert edited.status_code == 200, edited.text
    replica = next(
        ext for ext in gateway["containers"]["routing"].extensions if isinstance(ext, AgencyReplica)
    )

    def routing_knows():
        directory = replica.state.directory
        return directory is None or directory.get("KAB-73-11-DPUPR").name == renamed

    wait_for(routing_knows, timeout=20)

    phone.stop()  # one phone on the fake SMSC at a time: the neighbour's now
    neighbour = gateway["kannel"].phone(
        NEIGHBOUR,
        "Jalan kabupaten di desa kami berlubang besar. KAT jalan kabupaten LOK Barru TGL 20-11-2026",
    )
    [reply] = received(neighbour, 1)
    tid = tracking_id_in(reply.text)
    # 15 + 18 + 15 + 55 characters, a space, the emoji (a surrogate pair: 2 units) and "." =
    # 107 UCS-2 units: two parts of at most 67; the first ends at the last word that fits,
    # "LAPOR: laporan <id> diteruskan ke Dinas Pekerjaan " (64 units; "Umum " would be 69)
    text = f"LAPOR: laporan {tid} diteruskan ke {renamed}."
    first, second = received(neighbour, 3)[1:]
    codings = gateway["kannel"].codings(NEIGHBOUR)[1:3]
    assert (first.kind, second.kind, codings) == ("udh", "udh", [2, 2])
    reference = first.concatenation[0]
    assert first.concatenation == (reference, 2, 1)
    assert second.concatenation == (reference, 2, 2)
    assert first.text == f"LAPOR: laporan {tid} diteruskan ke Dinas Pekerjaan "
    assert first.text + second.text == text
    delivered(gateway, tid, "report_routed")  # both parts reported delivered
    assert len(neighbour.received()) == 3


def national_admin(gateway) -> str:
    """A national admin's token, from the registry's own login."""
    engine = make_engine(gateway["configs"]["agency_registry"]["DATABASE_URL"])
    try:
        with Session(engine) as session, session.begin():
            log = AuditLog(session, Who("test", "test"), None)
            staff.create(
                session,
                log,
                None,
                {
                    "username": "admin.nasional",
                    "full_name": "Admin Nasional",
                    "email": None,
                    "role": "national_admin",
                    "agency_code": "KEMENPANRB",
                    "password": ADMIN_PASSWORD,
                },
            )
    finally:
        engine.dispose()
    response = requests.post(
        f"{gateway['urls']['agency_registry']}/auth/token",
        json={"username": "admin.nasional", "password": ADMIN_PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]
