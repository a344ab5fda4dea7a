"""The replica's state (pure): agency events applied by version, whatever their order or how
often they come, and events that arrive while a snapshot is read are not lost."""

from services.routing.rules.replica_state import ReplicaState


def agency(code: str, version: int, revision: int, **overrides) -> dict:
    state = {
        "code": code,
        "name": code.title(),
        "kind": "opd",
        "parent_code": "ROOT",
        "path": ["ROOT", code],
        "status": "active",
        "is_coordinator": False,
        "verification_mode": "auto",
        "timezone": "Asia/Makassar",
        "jurisdictions": ["73.11"],
        "competencies": ["kesehatan"],
        "version": version,
        "revision": revision,
    }
    state.update(overrides)
    return state


def event(state: dict) -> dict:
    return {
        "code": state["code"],
        "version": state["version"],
        "revision": state["revision"],
        "agency": state,
    }


def loaded(*agencies: dict, revision: int = 10) -> ReplicaState:
    replica = ReplicaState()
    replica.begin_snapshot()
    replica.finish_snapshot(revision, agencies)
    return replica


def test_newer_versions_apply_duplicates_and_older_ones_do_not():
    replica = loaded(agency("DINKES", 1, 5))
    suspended = event(agency("DINKES", 2, 11, status="suspended"))
    assert replica.apply(suspended)
    assert not replica.apply(suspended)  # the same event again
    assert not replica.apply(event(agency("DINKES", 1, 5, name="Old")))  # an older one
    assert replica.directory["DINKES"].status == "suspended"
    assert replica.directory["DINKES"].timezone == "Asia/Makassar"
    assert replica.revision == 11


def test_out_of_order_events_end_at_the_latest_state():
    replica = loaded(agency("DINKES", 1, 5))
    v3 = event(agency("DINKES", 3, 13, competencies=["kesehatan.puskesmas"]))
    v2 = event(agency("DINKES", 2, 12, competencies=["pendidikan"]))
    assert replica.apply(v3)
    assert not replica.apply(v2)
    assert replica.directory["DINKES"].competencies == frozenset({"kesehatan.puskesmas"})
    assert set(replica.directory.competent_in("pendidikan", "73.11")) == set()


def test_a_new_agency_and_a_move_are_indexed():
    replica = loaded(agency("ROOT", 1, 1, parent_code=None, path=["ROOT"], kind="unit"))
    assert replica.apply(event(agency("PKM", 1, 12, competencies=["kesehatan.puskesmas"])))
    assert set(replica.directory.children("ROOT")) == {"PKM"}
    moved = agency("PKM", 2, 13, parent_code="DINKES", path=["ROOT", "DINKES", "PKM"])
    assert replica.apply(event(moved))
    assert set(replica.directory.children("ROOT")) == set()
    assert set(replica.directory.children("DINKES")) == {"PKM"}


def test_events_during_a_snapshot_are_applied_after_it():
    replica = loaded(agency("DINKES", 1, 5))
    replica.begin_snapshot()
    # while the (slow, paged) snapshot is read, the agency is suspended...
    assert replica.apply(event(agency("DINKES", 2, 11, status="suspended")))
    # ...and the snapshot, read from a page before that change, still has version 1
    replica.finish_snapshot(10, [agency("DINKES", 1, 5), agency("DLH", 1, 6)])
    assert replica.directory["DINKES"].status == "suspended"
    assert set(replica.versions) == {"DINKES", "DLH"}
    assert not replica.loading


def test_events_before_the_first_snapshot_wait_for_it():
    replica = ReplicaState()
    replica.begin_snapshot()
    assert not replica.apply(event(agency("DLH", 2, 12, name="Dinas LH")))
    replica.finish_snapshot(10, [agency("DLH", 1, 6)])
    assert replica.directory["DLH"].name == "Dinas LH"


def test_an_abandoned_snapshot_keeps_the_replica_in_use():
    replica = loaded(agency("DINKES", 1, 5))
    replica.begin_snapshot()
    replica.abandon_snapshot()  # the registry did not answer
    assert replica.apply(event(agency("DINKES", 2, 11, status="suspended")))
    assert replica.directory["DINKES"].status == "suspended"


def test_the_first_paged_snapshot_is_built_aside_and_swapped_in_whole():
    replica = ReplicaState()
    replica.begin_snapshot()
    replica.add_page([agency("DINKES", 1, 5), agency("DLH", 1, 6)])
    assert replica.directory is None  # nothing to decide with before the last page
    assert not replica.apply(event(agency("PKM", 2, 12, name="Puskesmas")))
    replica.add_page([agency("PKM", 1, 7)])  # read before that event
    replica.finish_snapshot(10)
    assert sorted(replica.directory._agencies) == ["DINKES", "DLH", "PKM"]
    assert replica.directory["PKM"].name == "Puskesmas" and replica.versions["PKM"] == 2
    assert replica.revision == 12 and not replica.loading


def test_a_resync_brings_the_directory_in_use_forward_page_by_page():
    replica = loaded(agency("DINKES", 1, 5), agency("DLH", 3, 9, name="Dinas LH"))
    in_use = replica.directory
    replica.begin_snapshot()
    # events missed while the broker was away: a new version of DINKES, a new agency
    replica.add_page([agency("DINKES", 2, 11, status="suspended"), agency("DLH", 2, 8)])
    assert replica.directory is in_use and replica.directory["DINKES"].status == "suspended"
    assert replica.directory["DLH"].name == "Dinas LH"  # an older version changes nothing
    assert replica.apply(event(agency("PKM", 2, 13, name="Puskesmas")))
    replica.finish_snapshot(12, [agency("PKM", 1, 7)])
    assert replica.directory is in_use and len(replica.directory) == 3
    assert replica.directory["PKM"].name == "Puskesmas" and replica.versions["PKM"] == 2
    assert replica.revision == 13 and not replica.loading


def test_an_abandoned_resync_keeps_what_it_brought_forward():
    replica = loaded(agency("DINKES", 1, 5))
    replica.begin_snapshot()
    replica.add_page([agency("DLH", 1, 6)])
    replica.abandon_snapshot()  # the registry stopped answering after one page
    assert replica.versions == {"DINKES": 1, "DLH": 1} and not replica.loading
    replica.begin_snapshot()
    assert replica.finish_snapshot(11, [agency("DINKES", 2, 11)]) == 2
    assert replica.versions["DINKES"] == 2
