from shared.problems import InvalidInput, field_errors


def test_nested_marshmallow_messages_become_named_fields_in_both_languages():
    messages = {
        "title": ["Too short."],
        "location": {"region_code": ["Unknown region code"]},
        "_schema": ["Invalid input type."],
        "tags": {0: ["Not a string."]},
    }
    assert field_errors(messages) == [
        {"field": "title", "message": "Isian tidak valid / Too short."},
        {"field": "location.region_code", "message": "Isian tidak valid / Unknown region code"},
        {"field": "_body", "message": "Jenis isian tidak valid / Invalid input type."},
        {"field": "tags.0", "message": "Isian tidak valid / Not a string."},
    ]


def test_a_problem_body_follows_rfc_9457():
    body = InvalidInput(errors=[{"field": "title", "message": "x"}]).body()
    assert body["type"] == "urn:satupintu:problem:invalid-input"
    assert body["status"] == 422
    assert body["title"] and body["errors"]
