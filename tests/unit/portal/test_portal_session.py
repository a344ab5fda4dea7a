"""The portal's CSRF check: equal tokens pass, anything else is refused, never an error."""

import pytest

from services.portal.session import Session


@pytest.mark.parametrize("given", [None, "", "salah", "tōken-ñ", "é" * 32])
def test_a_wrong_or_foreign_csrf_token_is_refused_not_an_error(given):
    session = Session()
    session.csrf_token()
    assert session.csrf_ok(given) is False


def test_the_sessions_own_token_passes_and_a_session_without_one_refuses_all():
    session = Session()
    assert session.csrf_ok(session.csrf_token()) is True
    assert Session().csrf_ok("") is False and Session().csrf_ok(None) is False
