from shared.web import InvalidInput, field_errors


def test_nested_marshmallow_messages_become_named_fields():
    messages = {
        "title": ["Too short."],
        "location": {"region_code": ["Unknown region code"]},
        "_schema": ["Invalid input type."],
        "tags": {0: ["Not a string."]},
    }
    assert field_errors(messages) == [
        {"field": "title", "message": "Too short."},
        {"field": "location.region_code", "message": "Unknown region code"},
        {"field": "_body", "message": "Invalid input type."},
        {"field": "tags.0", "message": "Not a string."},
    ]


def test_a_problem_body_follows_rfc_9457():
    body = InvalidInput(errors=[{"field": "title", "message": "x"}]).body()
    assert body["type"] == "urn:satupintu:problem:invalid-input"
    assert body["status"] == 422
    assert body["title"] and body["errors"]
