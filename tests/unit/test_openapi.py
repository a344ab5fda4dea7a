"""Each service's OpenAPI document (shared.openapi): a valid OpenAPI 3 document per
openapi-spec-validator, every HTTP entrypoint in it, and the facts a client relies on."""

import re

import pytest
from openapi_spec_validator import validate

from services import service_class
from shared import openapi, tracking

# the SMS gateway reads the reply SMS even on a 503; /health's answer is the checks
OWN_FORMAT = ("/health", "/channels/sms/inbound")
SERVICES = ("intake", "routing", "agency_registry", "notification", "reporting")


def document(service: str) -> dict:
    return openapi.document(service_class(service))


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_is_valid_openapi_3_with_every_entrypoint(service):
    described = document(service)
    validate(described)
    operations = {(path, method) for path, item in described["paths"].items() for method in item}
    entrypoints = openapi.http_entrypoints(service_class(service))
    assert len(entrypoints) >= 9
    for name, method, url, _ in entrypoints:
        assert (openapi.openapi_path(url), method) in operations, name
    for path in ("/health", "/metrics", "/openapi.json"):
        assert "get" in described["paths"][path]


@pytest.mark.parametrize("service", SERVICES)
def test_every_error_is_problem_json_and_every_operation_may_be_unavailable(service):
    for path, item in document(service)["paths"].items():
        if path in OWN_FORMAT:
            continue
        for method, operation in item.items():
            assert "503" in operation["responses"], (path, method)
            for code, response in operation["responses"].items():
                if int(code) >= 400 and (code == "503" or not path.startswith("/open311")):
                    assert "application/problem+json" in response["content"], (path, code)


def test_a_filed_report_is_201_and_a_repeated_one_200():
    responses = document("intake")["paths"]["/reports"]["post"]["responses"]
    assert {"200", "201", "422", "429", "400", "413", "503"} <= set(responses)


def test_formats_are_an_enum_and_tracking_ids_a_pattern():
    paths = document("intake")["paths"]
    parameters = {
        p["name"]: p["schema"]
        for p in paths["/open311/v2/requests/{request_id}.{fmt}"]["get"]["parameters"]
    }
    assert parameters["fmt"] == {"type": "string", "enum": ["json", "xml"]}
    pattern = re.compile(parameters["request_id"]["pattern"])
    assert pattern.match(tracking.new_tracking_id())
    assert not pattern.match("LPR-7K3M-9Q2X-H4T")  # one character short
    assert not pattern.match("LPR-7K3M-9Q2X-H4TI")  # I is not in the alphabet
    action = document("agency_registry")["paths"]["/agencies/{code}/{action}"]["post"]
    enum = {p["name"]: p["schema"].get("enum") for p in action["parameters"]}["action"]
    assert enum == ["approve", "reject", "suspend", "reactivate"]


def test_security_is_named_per_operation():
    routing = document("routing")
    assert routing["components"]["securitySchemes"]["staff"]["scheme"] == "bearer"
    assert routing["paths"]["/desk/dispositions"]["get"]["security"] == [{"staff": []}]
    assert "security" not in routing["paths"]["/dispositions/{tracking_id}"]["get"]
    inbox = document("notification")["paths"]["/inbox/{tracking_id}"]["get"]["security"]
    assert {"report_key": []} in inbox and {} not in inbox
    schemes = document("notification")["components"]["securitySchemes"]
    assert schemes["report_key"] == {"type": "apiKey", "in": "header", "name": "X-Report-Key"}
    track = document("intake")["paths"]["/reports/{tracking_id}"]["get"]["security"]
    assert {} in track  # the public may ask too


def test_request_bodies_are_the_schemas_the_code_loads():
    routing = document("routing")
    body = routing["paths"]["/desk/dispositions/{tracking_id}/decline"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/DeclineIn")
    decline = routing["components"]["schemas"]["DeclineIn"]
    assert "reason" in decline["required"] and decline["properties"]["reason"]["minLength"] == 3
    listing = routing["paths"]["/desk/dispositions"]["get"]["parameters"]
    limit = next(p for p in listing if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500


def test_an_entrypoint_missing_from_the_table_is_an_error():
    class Service:
        name = "example"
        api_doc = openapi.ApiDoc("example", "", {})

        from shared.web import http

        @http("GET", "/thing")
        def thing(self, request):
            """GET /thing"""

    with pytest.raises(KeyError, match="thing"):
        openapi.document(Service)
