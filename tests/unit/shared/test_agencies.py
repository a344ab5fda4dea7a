"""The compact directory (shared/agencies.py): its index entries grow from one code to a tuple
to a set and shrink back without losing a code, and views read from the wire share their
strings and competency sets."""

import json

from shared.agencies import SMALL, Directory, view_of


def wire(code: str, parent: str = "KAB-73-11-DINKES", **extra) -> dict:
    """An agency as a snapshot page or an event carries it (decoded from JSON, as over RPC)."""
    agency = {
        "code": code,
        "name": f"Puskesmas {code}",
        "kind": "unit",
        "parent_code": parent,
        "path": ["KEMENPANRB", "PROV-73", "KAB-73-11", parent, code],
        "status": "active",
        "jurisdictions": ["73.11.01"],
        "competencies": ["kesehatan.puskesmas"],
        "is_coordinator": False,
        **extra,
    }
    return json.loads(json.dumps(agency))


def test_an_index_entry_holds_every_code_as_it_grows_and_shrinks():
    directory = Directory()
    codes = [f"PKM-{i:02}" for i in range(SMALL * 2)]
    for count, code in enumerate(codes, 1):
        directory.add_or_replace(view_of(wire(code)))
        assert sorted(directory.competent_in("kesehatan.puskesmas", "73.11.01")) == codes[:count]
        assert sorted(directory.children("KAB-73-11-DINKES")) == codes[:count]
    directory.add_or_replace(view_of(wire(codes[0])))  # replacing adds no second copy
    assert len(list(directory.competent_in("kesehatan.puskesmas", "73.11.01"))) == len(codes)
    for count, code in enumerate(codes, 1):
        directory.remove(code)
        assert sorted(directory.competent_in("kesehatan.puskesmas", "73.11.01")) == codes[count:]
        assert sorted(directory.children("KAB-73-11-DINKES")) == codes[count:]
    assert len(directory) == 0


def test_a_small_entry_shrinks_back_to_nothing():
    directory = Directory([view_of(wire("A")), view_of(wire("B"))])
    directory.remove("A")
    assert list(directory.competent_in("kesehatan.puskesmas", "73.11.01")) == ["B"]
    directory.remove("B")
    assert list(directory.competent_in("kesehatan.puskesmas", "73.11.01")) == []
    assert directory._by_competence == {} and directory._children == {}
    assert list(directory.coordinators_in("73.11.01")) == []


def test_a_coordinator_moving_region_leaves_its_old_region():
    directory = Directory([view_of(wire("A", is_coordinator=True))])
    assert list(directory.coordinators_in("73.11.01")) == ["A"]
    directory.add_or_replace(view_of(wire("A", is_coordinator=True, jurisdictions=["73.11.02"])))
    assert list(directory.coordinators_in("73.11.01")) == []
    assert list(directory.coordinators_in("73.11.02")) == ["A"]


def test_views_from_the_wire_share_their_strings_and_competencies():
    parent = view_of(wire("KAB-73-11-DINKES", parent="KAB-73-11"))
    first, second = view_of(wire("PKM-1")), view_of(wire("PKM-2"))
    assert first.competencies is second.competencies  # one frozenset for the same list
    assert first.kind is second.kind and first.status is second.status
    assert first.parent_code is parent.code  # one string for the code wherever it appears
    assert first.path[3] is parent.code and first.jurisdictions[0] is second.jurisdictions[0]
    assert first.path == ("KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DINKES", "PKM-1")
    assert not hasattr(first, "__dict__")  # slots: no dictionary per view
