"""Tokens, text checks, rate limits, Open311 shapes and the OpenAPI document."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from services.intake import schemas, tokens
from services.intake.open311 import georeport
from services.intake.ratelimit import RateLimiter
from services.intake.service import Intake
from shared import openapi
from shared.fixed_windows import Limit

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_a_token_carries_its_reporter_until_it_expires():
    token, expires = tokens.issue("k", "r1", timedelta(hours=1), NOW)
    assert expires == NOW + timedelta(hours=1)
    assert tokens.verify("k", token, NOW) == "r1"
    with pytest.raises(tokens.InvalidToken):
        tokens.verify("k", token, NOW + timedelta(hours=2))
    with pytest.raises(tokens.InvalidToken):
        tokens.verify("other-secret", token, NOW)
    payload, signature = token.split(".")
    forged = tokens._b64(b'{"sub": "r2", "exp": 9999999999, "v": 1}')
    with pytest.raises(tokens.InvalidToken):
        tokens.verify("k", f"{forged}.{signature}", NOW)
    for junk in ("", "abc", "a.b", "." * 600):
        with pytest.raises(tokens.InvalidToken):
            tokens.verify("k", junk, NOW)


@pytest.mark.parametrize(
    "text",
    [
        "Petugas bilang aplikasinya tidak bisa <login> sejak Senin",
        "Kepala desa mengancam akan drop table di aula kalau warga protes",
        "<svg/onload=alert(1)> muncul di layar kios pelayanan",
        "<script>alert(1)</script>",
        "'; DROP TABLE reports; --",
        "x' OR '1'='1",
        "1 UNION SELECT password FROM reporters",
        "Nilai anak saya < 70 padahal > 80 di rapor",
    ],
)
def test_text_that_looks_like_markup_or_sql_is_text_kept_as_written(text):
    """SPEC §2: such text is stored as written and escaped where shown, never refused."""
    draft = schemas.ReportDraft().load(
        {
            "classification": "complaint",
            "body": text,
            "title": text[:200],
            "parties": [{"name": text[:100]}],
        }
    )
    assert draft["body"] == text and draft["title"] == text[:200]
    assert draft["parties"][0]["name"] == text[:100]
    assert schemas.Comment().load({"text": text})["text"] == text


def test_rate_limit_counts_per_sender_per_window():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limit = Limit.parse("2/60")
    assert [limiter.allow("sms", "+62811", limit)[0] for _ in range(3)] == [True, True, False]
    assert limiter.allow("sms", "+62822", limit)[0]  # another sender
    assert limiter.allow("http", "+62811", limit)[0]  # another door
    now[0] = 61.0
    assert limiter.allow("sms", "+62811", limit)[0]
    assert limiter.allow("x", "y", Limit.parse("0/60")) == (True, 0)


def test_the_limiter_forgets_the_oldest_senders_first():
    limiter = RateLimiter(max_senders=2)
    limit = Limit(1, 60)
    for sender in ("a", "b", "c"):
        limiter.allow("sms", sender, limit)
    assert limiter.allow("sms", "a", limit)[0]  # forgotten, so counted afresh
    assert not limiter.allow("sms", "c", limit)[0]


def test_open311_services_are_the_categories_and_supervision_needs_parties():
    services = {s["service_code"]: s for s in georeport.services()}
    assert services["pendidikan.sma"]["group"] == "Pendidikan"
    parties = {a["code"]: a for a in georeport.definition("pungutan_liar.sekolah")["attributes"]}
    assert parties["parties"]["required"] is True
    assert georeport.definition("tidak.ada") is None
    assert [georeport.status_of(s) for s in ("dispatched", "completed", "archived")] == [
        "open",
        "closed",
        "closed",
    ]


def test_open311_xml_escapes_what_it_carries():
    body = georeport.to_xml("errors", "error", georeport.error(400, "a <b> & c"))
    root = ET.fromstring(body)
    assert root.find("error/code").text == "400"
    assert root.find("error/description").text == "a <b> & c"
    assert b"<b>" not in body


def test_every_http_entrypoint_is_in_the_openapi_document():
    document = openapi.document(Intake)
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    for name, method, url, _ in openapi.http_entrypoints(Intake):
        assert (openapi.openapi_path(url), method) in operations, name
    submit = document["paths"]["/reports"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "HttpReportDraft"
    )
    draft = document["components"]["schemas"]["HttpReportDraft"]
    assert draft["properties"]["body"]["maxLength"] == 4000
    assert "classification" in draft["required"]


def test_a_gate_turns_away_the_one_past_its_size_and_frees_its_slots():
    from services.intake.ratelimit import Busy, Gate

    gate = Gate(2)
    with gate.slot(), gate.slot():
        with pytest.raises(Busy):
            with gate.slot():
                pass
    with pytest.raises(RuntimeError):
        with gate.slot():
            raise RuntimeError("the hash failed")
    with gate.slot(), gate.slot():  # both free again, the failed one too
        pass
    with Gate(0).slot(), Gate(0).slot():  # 0: no gate
        pass
