"""Offsets, limits and ids from a client held to what SQLite and PostgreSQL take."""

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from services.routing.desk.schemas import ListingQuery
from shared.paging import MAX_ROW_ID, paging, row_ids


def test_offset_and_limit_are_held_within_bounds():
    assert paging(MultiDict(), 20, 100) == (0, 20)
    assert paging(MultiDict({"offset": "40", "limit": "10"}), 20, 100) == (40, 10)
    assert paging(MultiDict({"offset": "-5", "limit": "0"}), 20, 100) == (0, 1)
    assert paging(MultiDict({"offset": "9" * 30, "limit": "9" * 30}), 20, 100) == (MAX_ROW_ID, 100)
    assert paging(MultiDict({"offset": "x", "limit": "1e3"}), 20, 100) == (0, 20)


def test_row_ids_are_whole_numbers_a_database_holds():
    assert row_ids([1, 2, MAX_ROW_ID])
    assert row_ids([])
    assert not row_ids([MAX_ROW_ID + 1])
    assert not row_ids([10**30])
    assert not row_ids([-1])
    assert not row_ids([True])
    assert not row_ids(["1"])
    assert not row_ids(7)


def test_the_desk_listing_refuses_a_cursor_past_the_bound():
    assert ListingQuery().load({"cursor": "x" * 200})["cursor"] == "x" * 200
    with pytest.raises(ValidationError):
        ListingQuery().load({"cursor": "x" * 201})
