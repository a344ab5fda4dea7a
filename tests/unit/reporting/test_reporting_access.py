"""Reporting without the registry's public key: the public view still, and a 401 for a token."""

from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.reporting.access import StaffView
from shared.auth import Unauthenticated


def _request(headers=None):
    return Request(EnvironBuilder(path="/statistics", headers=headers or {}).get_environ())


def test_without_a_key_the_public_is_served_and_a_token_is_refused(tmp_path):
    view = StaffView()
    view.container = SimpleNamespace(
        config={"STAFF_TOKEN_PUBLIC_KEY_FILE": str(tmp_path / "missing.pub")}
    )
    view.setup()
    assert view.verifier is None
    assert view.claims(_request()) is None
    with pytest.raises(Unauthenticated, match="cannot be checked"):
        view.claims(_request({"Authorization": "Bearer abc.def.ghi"}))
