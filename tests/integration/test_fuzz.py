"""A property-based fuzz (schemathesis, on hypothesis) of every operation of the five services'
OpenAPI documents, against the real services on the real broker: positive and negative cases,
with real tracking ids, report keys, agency and region codes, staff ids and staff tokens mixed
into what schemathesis generates. Every answer must be documented: no 5xx, no status code the
document does not list for the operation, no content type or body that breaks its schema.

The budget is FUZZ_EXAMPLES cases per operation and generation mode (default 8, under a
minute a service); each test prints its number of cases and findings."""

from __future__ import annotations

import os
import uuid
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services import service_class
from shared import openapi
from tests.integration import system as seeded

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def system(container_factory, service_config, registry_db):
    return seeded.start(
        container_factory,
        service_config,
        registry_db,
        # the fuzz is one client: it would spend intake's per-address budget in seconds
        {
            "intake": {
                "HTTP_RATE_LIMIT": "100000/60",
                "LOGIN_CLIENT_RATE_LIMIT": "100000/60",
                "TWITTER_CONSUMER_SECRET": "fuzz-" + uuid.uuid4().hex,
            }
        },
    )


def lay_over(data, system: seeded.System, service: str, security: list, case) -> None:
    """Real values over some of a generated case's: a report's tracking id with the proof of
    its reporter, agency, region and service codes, staff ids, and the credentials the
    operation asks for (mostly; sometimes other ones or none, and sometimes the generated
    values are left as they are)."""
    schemes = {name for alternative in security for name in alternative}
    tracking_id = data.draw(st.sampled_from(sorted(system.reports)))
    proof = system.reports[tracking_id]
    codes = seeded.CATEGORIES if service == "intake" else seeded.AGENCIES + seeded.REGIONS[:2]
    real = {
        "tracking_id": st.just(tracking_id),
        "request_id": st.just(tracking_id),
        "code": st.sampled_from(codes),
        "region_code": st.sampled_from(seeded.REGIONS),
        "staff_id": st.sampled_from(system.staff_ids),
        "token": st.just(system.open311_token),
    }
    if realistic(data):
        for name in case.path_parameters or {}:
            if name in real:
                case.path_parameters[name] = data.draw(real[name])
    staff = [{"Authorization": f"Bearer {token}"} for token in system.tokens.values()]
    credentials = {
        "staff": staff,
        "reporter": [proof],
        "report_key": [proof],
        "open311_token": [proof],
    }
    fitting = [c for name in sorted(schemes) for c in credentials.get(name, [])]
    others = [{}, staff[0], proof]
    case.headers = {**(case.headers or {}), **data.draw(st.sampled_from(fitting + others))}
    if isinstance(case.query, dict) or case.query is None:
        case.query = real_query(data, system, schemes, dict(case.query or {}))
    if isinstance(case.body, dict) and "open311_api_key" in schemes:
        case.body["api_key"] = system.open311_key
        if realistic(data):
            case.body["service_code"] = data.draw(st.sampled_from(seeded.CATEGORIES))


def real_query(data, system: seeded.System, schemes: set, query: dict) -> dict:
    if "gateway_key" in schemes and realistic(data):
        query["key"] = system.gateway_key
        query["from"] = data.draw(st.sampled_from(["+6281311112222", "081311113333"]))
        query["id"] = uuid.uuid4().hex
    for name, values in (
        ("agency", seeded.AGENCIES),
        ("category_id", seeded.CATEGORIES),
        ("service_code", seeded.CATEGORIES),
        ("region_code", seeded.REGIONS),
        ("parent", seeded.REGIONS),
    ):
        if name in query and realistic(data):
            query[name] = data.draw(st.sampled_from(values))
    return query


def realistic(data) -> bool:
    """Three times in four (and in the simplest draw) a real value, else the generated one."""
    return data.draw(st.integers(0, 3)) < 3


class Fuzz:
    """The cases sent to one service, the statuses it answered and the findings."""

    def __init__(self, system: seeded.System, service: str):
        self.system, self.service = system, service
        self.document = openapi.document(service_class(service))
        self.session = requests.Session()
        self.cases: Counter = Counter()  # operation → cases sent
        self.statuses: dict[str, Counter] = {}  # operation → status → answers
        self.findings: list[str] = []

    def run(self) -> None:
        schema = schemathesis.openapi.from_dict(self.document)
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    self.cases_of(operation, mode)()
                except Exception as exc:  # schemathesis could not generate for this mode
                    if "Unsatisfiable" not in type(exc).__name__:
                        raise

    def cases_of(self, operation, mode):
        """A hypothesis test that sends ``operation``'s cases and notes each finding."""
        label = f"{operation.method.upper()} {operation.path}"
        security = self.document["paths"][operation.path][operation.method].get("security", [])

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def send(data):
            case = data.draw(operation.as_strategy(mode))
            lay_over(data, self.system, self.service, security, case)
            self.cases[label] += 1
            response = case.call(
                base_url=self.system.urls[self.service], session=self.session, timeout=15
            )
            self.statuses.setdefault(label, Counter())[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # a finding: go on, note them all
                failures = getattr(exc, "exceptions", [exc])
                titles = sorted({getattr(f, "title", type(f).__name__) for f in failures})
                answer = f"{response.status_code} {response.text[:160]!r}"
                self.findings.append(f"{label} → {answer}: {titles}")

        return send


@pytest.mark.parametrize(
    "service", ["intake", "routing", "agency_registry", "notification", "reporting"]
)
def test_every_answer_is_documented(system, service, capsys):
    fuzz = Fuzz(system, service)
    fuzz.run()
    statuses = fuzz.statuses
    succeeded = [label for label, seen in statuses.items() if any(c < 300 for c in seen)]
    with capsys.disabled():
        print(
            f"\nfuzz {service}: {sum(fuzz.cases.values())} cases over {len(fuzz.cases)}"
            f" operations ({len(succeeded)} answered 2xx at least once),"
            f" {len(fuzz.findings)} findings"
        )
        for label in sorted(statuses):
            print(f"  {label}: {dict(sorted(statuses[label].items()))}")
    operations = sum(len(item) for item in fuzz.document["paths"].values())
    assert len(fuzz.cases) == operations, "an operation was never reached"
    assert fuzz.findings == [], "\n".join(sorted(set(fuzz.findings)))
