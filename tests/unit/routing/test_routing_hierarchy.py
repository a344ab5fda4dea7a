"""Who stands above whom, over the real national template (pure: no broker, no database):
coordinators, the next one up, the coordinator of a location, watchers and escalation targets,
and who may act on the desk."""

import dataclasses

import pytest

from services.agency_registry.template import build_template
from services.routing.errors import (
    InactiveAgency,
    NotCoordinator,
    NotHolder,
    OutOfSubtree,
    ReadOnly,
    UnknownAgency,
)
from services.routing.rules import access, hierarchy
from services.routing.rules.policy import Directory
from services.routing.rules.replica_state import views_from_template
from shared.auth import StaffClaims
from shared.regions import load_regions

OVERSIGHT = ("OMBUDSMAN",)


def template_directory() -> Directory:
    regions = load_regions(with_villages=False)
    return Directory(views_from_template(build_template(regions, with_districts=True), regions))


@pytest.fixture(scope="module")
def national():
    return template_directory()


def staff(role: str, agency: str, scope: str) -> StaffClaims:
    return StaffClaims("id-1", "someone", role, agency, scope, 0, 0, "jti")


@pytest.mark.parametrize(
    "agency, coordinator",
    [
        ("KAB-73-11-DINKES", "KAB-73-11-DISKOMINFO"),  # an OPD: its government's Diskominfo
        ("KEC-73-11-01", "KAB-73-11-DISKOMINFO"),  # a kecamatan, below the regency
        ("KAB-73-11", "KAB-73-11-DISKOMINFO"),  # the government node itself
        ("KAB-73-11-DISKOMINFO", "PROV-73-DISKOMINFO"),  # a coordinator: the one above
        ("PROV-73-DISDIK", "PROV-73-DISKOMINFO"),
        ("PROV-73-DISKOMINFO", "KEMENPANRB"),
        ("OJK", "KEMENPANRB"),  # a national body: the root
        ("KEMENPANRB", None),  # nobody above the root
    ],
)
def test_the_coordinator_of_an_agency(national, agency, coordinator):
    assert hierarchy.coordinator_of(national, agency) == coordinator


def test_a_suspended_coordinator_is_skipped(national):
    suspended = dataclasses.replace(national["KAB-73-11-DISKOMINFO"], status="suspended")
    national.add_or_replace(suspended)
    try:
        assert hierarchy.coordinator_of(national, "KAB-73-11-DINKES") == "PROV-73-DISKOMINFO"
        assert hierarchy.location_coordinator(national, "73.11.01") == "PROV-73-DISKOMINFO"
    finally:
        national.add_or_replace(dataclasses.replace(suspended, status="active"))


@pytest.mark.parametrize(
    "region, coordinator",
    [
        ("73.11.01.2002", "KAB-73-11-DISKOMINFO"),  # a village in Barru: Barru's Kominfo
        ("73.11", "KAB-73-11-DISKOMINFO"),
        ("73", "PROV-73-DISKOMINFO"),  # province-wide: the province's
        ("", "KEMENPANRB"),  # nowhere in particular: the national admin
    ],
)
def test_the_coordinator_of_a_location(national, region, coordinator):
    assert hierarchy.location_coordinator(national, region) == coordinator


def test_watchers_are_the_inspektorat_of_the_same_government_and_the_ombudsman(national):
    # a pungli report held by Barru's Dinas Pendidikan (dispatched by hand, say)
    assert hierarchy.watchers(national, "KAB-73-11-DISDIK", "73.11", OVERSIGHT) == [
        "KAB-73-11-INSPEKTORAT",
        "OMBUDSMAN",
    ]
    # held by the Inspektorat itself: it does not watch itself
    assert hierarchy.watchers(national, "KAB-73-11-INSPEKTORAT", "73.11", OVERSIGHT) == [
        "OMBUDSMAN"
    ]
    # held by the province: the province's Inspektorat
    assert hierarchy.watchers(national, "PROV-73-DISDIK", "73.11", OVERSIGHT)[0] == (
        "PROV-73-INSPEKTORAT"
    )
    # held nationally: the Inspektorat of the location's government
    assert hierarchy.watchers(national, "OJK", "73.11.01", OVERSIGHT) == [
        "KAB-73-11-INSPEKTORAT",
        "OMBUDSMAN",
    ]
    # the Ombudsman holding it is not also its own watcher
    assert hierarchy.watchers(national, "OMBUDSMAN", "", OVERSIGHT) == []


def test_escalation_goes_to_the_coordinator_and_oversight(national):
    assert hierarchy.escalation_targets(national, "KAB-73-11-DINKES", "73.11", OVERSIGHT) == [
        "KAB-73-11-DISKOMINFO",
        "KAB-73-11-INSPEKTORAT",
        "OMBUDSMAN",
    ]


def test_subtree_and_within(national):
    barru = hierarchy.subtree(national, "KAB-73-11")
    assert {"KAB-73-11", "KAB-73-11-DINKES", "KEC-73-11-01"} <= barru
    assert "PROV-73-DISDIK" not in barru and "KAB-73-12-DINKES" not in barru
    assert hierarchy.within(national, "KEC-73-11-01", "KAB-73-11")
    assert not hierarchy.within(national, "KAB-73-11", "KAB-73-11-DINKES")
    assert not hierarchy.within(national, "GHOST", "KEMENPANRB")


# --- who may act on the desk ---------------------------------------------------------------

LIAISON = staff("liaison", "KAB-73-11-DINKES", "KAB-73-11-DINKES")
COORDINATOR = staff("coordinator_admin", "KAB-73-11-DISKOMINFO", "KAB-73-11")
INSPEKTORAT = staff("oversight_viewer", "KAB-73-11-INSPEKTORAT", "KAB-73-11")
NATIONAL = staff("national_admin", "KEMENPANRB", "KEMENPANRB")


def test_the_holders_staff_act_and_others_do_not(national):
    access.check_holder(national, LIAISON, "KAB-73-11-DINKES")
    access.check_holder(national, COORDINATOR, "KAB-73-11-DINKES")  # its government's OPD
    with pytest.raises(NotHolder):
        access.check_holder(national, LIAISON, "KAB-73-11-DISDIK")
    with pytest.raises(ReadOnly):
        access.check_holder(national, INSPEKTORAT, "KAB-73-11-DINKES")


def test_reading_by_scope_watch_or_escalation(national):
    readers = {"watcher": ["KAB-73-11-INSPEKTORAT"], "escalated": []}
    assert access.relation(national, LIAISON, "KAB-73-11-DINKES", {}) == "holder"
    assert access.relation(national, INSPEKTORAT, "KAB-73-11-DINKES", {}) == "oversight"
    watcher = staff("liaison", "KAB-73-11-INSPEKTORAT", "KAB-73-11-INSPEKTORAT")
    assert access.relation(national, watcher, "KAB-73-11-DISDIK", readers) == "watcher"
    assert access.relation(national, watcher, "KAB-73-11-DISDIK", {}) is None
    ombudsman = staff("oversight_viewer", "OMBUDSMAN", "KEMENPANRB")
    assert access.relation(national, ombudsman, "PROV-73-DISDIK", {}) == "oversight"


def test_coordinators_dispatch_within_their_subtree_only(national):
    access.check_coordinator(national, COORDINATOR, "KAB-73-11-DISKOMINFO", "KAB-73-11-DINKES")
    with pytest.raises(OutOfSubtree):
        access.check_coordinator(national, COORDINATOR, "KAB-73-11-DISKOMINFO", "PROV-73-DISDIK")
    with pytest.raises(OutOfSubtree):
        access.check_coordinator(national, COORDINATOR, "KAB-73-12-DINKES", "KAB-73-11-DINKES")
    with pytest.raises(UnknownAgency):
        access.check_coordinator(national, COORDINATOR, "KAB-73-11-DINKES", "KAB-73-11-GHOST")
    with pytest.raises(NotCoordinator):
        access.check_coordinator(national, LIAISON, "KAB-73-11-DINKES", "KAB-73-11-DINKES")
    access.check_coordinator(national, NATIONAL, "KAB-73-12-DINKES", "PROV-73-DISDIK")
    suspended = dataclasses.replace(national["KAB-73-11-DLH"], status="suspended")
    national.add_or_replace(suspended)
    try:
        with pytest.raises(InactiveAgency):
            access.check_coordinator(national, COORDINATOR, "KAB-73-11-DINKES", "KAB-73-11-DLH")
    finally:
        national.add_or_replace(dataclasses.replace(suspended, status="active"))
