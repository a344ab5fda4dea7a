"""SMS 1708 through a real Kannel (tests/kannel.py) while intake's PostgreSQL is away (a TCP
relay the test stops, tests/tcp_proxy.py): intake answers 503 and Kannel asks again with the
same message id; once its retries are spent the sender reads the README's reply-couldnotfetch
(try again, Indonesian first). A retry that reaches intake once the database is back opens the
report, once, and the sender gets intake's real answer."""

import re

import pytest
from sqlalchemy import func, select

from services.intake.models import reports
from shared.db import make_engine
from tests import kannel
from tests.conftest import free_port
from tests.factories import GATEWAY_KEY, wait_for
from tests.tcp_proxy import TcpProxy

FIRST, SECOND = "+6281311112222", "+6281355556666"
TRY_AGAIN = (
    "Maaf, layanan 1708 sedang gangguan. Kirim ulang SMS Anda beberapa menit lagi."
    " / Service down, please resend in a few minutes."
)


@pytest.fixture
def gateway(request, container_factory, service_config, pg_database, tmp_path):
    if not kannel.installed():
        pytest.fail("Kannel is not installed: deploy/local/ensure-services.sh installs it")
    proxy = TcpProxy(free_port(), "127.0.0.1", 5432).start()
    request.addfinalizer(proxy.stop)  # also when the rest of the setup fails
    direct = pg_database()
    config = service_config(
        "intake",
        DATABASE_URL=direct.replace(":5432/", f":{proxy.port}/"),
        SMS_GATEWAY_KEY=GATEWAY_KEY,
        BLOB_DIR=str(tmp_path / "b"),
    )
    container_factory(service_class_intake(), config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}/channels/sms/inbound"
    box = kannel.Kannel(
        tmp_path / "kannel",
        f"{url}?from=%p&to=%P&text=%a&ts=%t&id=%I&key={GATEWAY_KEY}",
        queue_delay=2,
    ).start()
    engine = make_engine(direct)
    yield {"kannel": box, "proxy": proxy, "engine": engine}
    print(box.logs())  # shown when the test failed
    box.stop()
    engine.dispose()


def service_class_intake():
    from services.intake.service import Intake

    return Intake


def stored_reports(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(reports)).scalar_one()


def test_readme_tells_kannel_to_retry_and_what_to_say_when_it_gives_up():
    from shared.config import ROOT

    readme = (ROOT / "README.md").read_text()
    assert "http-request-retry = 3" in readme and "http-queue-delay = 10" in readme
    assert f'reply-couldnotfetch = "{TRY_AGAIN}"' in readme
    assert kannel.REPLY_COULDNOTFETCH == TRY_AGAIN and len(TRY_AGAIN) <= 160


def test_an_sms_during_an_outage_is_asked_again_and_its_sender_told_to_resend(gateway):
    box, proxy = gateway["kannel"], gateway["proxy"]
    proxy.stop()
    first = box.phone(FIRST, "Jalan kabupaten di desa kami berlubang besar")
    [got] = wait_for(lambda: first.received() or None, timeout=30)
    assert got.text == TRY_AGAIN
    assert box.answers(503) == 4, "the first ask and Kannel's three retries"
    assert box.answers(500) == 0

    first.stop()  # the fake SMSC serves one phone at a time
    second = box.phone(SECOND, "Puskesmas tutup pada jam kerja")
    wait_for(lambda: box.answers(503) >= 5, timeout=30)  # its first ask, refused
    proxy.start()
    [reply] = wait_for(lambda: second.received() or None, timeout=30)
    assert re.match(r"Laporan LPR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4} perlu dilengkapi", reply.text)
    assert box.answers(200) == 1
    assert stored_reports(gateway["engine"]) == 1, "the second sender's report, once"
