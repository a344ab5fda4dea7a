"""Roles, scopes and the checks of powers.py, and the tree paths they rest on (pure)."""

import pytest

from services.agency_registry import hierarchy, powers
from services.agency_registry.errors import NotPermitted, OutOfSubtree, OwnRegistration
from services.agency_registry.powers import Actor, Node

ROOT = Node("KEMENPANRB", "national_ministry", "/KEMENPANRB/", is_coordinator=True)
OMBUDSMAN = Node("OMBUDSMAN", "oversight_body", "/KEMENPANRB/OMBUDSMAN/")
BARRU = Node("KAB-73-11", "regency_government", "/KEMENPANRB/PROV-73/KAB-73-11/")
KOMINFO = Node(
    "KAB-73-11-DISKOMINFO", "opd", BARRU.path + "KAB-73-11-DISKOMINFO/", is_coordinator=True
)
DINKES = Node("KAB-73-11-DINKES", "opd", BARRU.path + "KAB-73-11-DINKES/")
INSPEKTORAT = Node("KAB-73-11-INSPEKTORAT", "opd", BARRU.path + "KAB-73-11-INSPEKTORAT/")
PKM = Node("PKM-1", "unit", DINKES.path + "PKM-1/", status="pending", registered_by="s-reg")
MAKASSAR_DINKES = Node("KAB-73-71-DINKES", "opd", "/KEMENPANRB/PROV-73/KAB-73-71/KAB-73-71-DINKES/")


def actor(role, agency, parent_kind=None, staff_id="s-1") -> Actor:
    scope = powers.scope_path(role, agency, parent_kind)
    return Actor(staff_id, role, role, agency.code, agency.path, hierarchy.codes(scope)[-1], scope)


NATIONAL = actor("national_admin", ROOT)
COORDINATOR = actor("coordinator_admin", KOMINFO, "regency_government")
AGENCY_ADMIN = actor("agency_admin", DINKES, "regency_government")
LIAISON = actor("liaison", DINKES, "regency_government")
OVERSIGHT = actor("oversight_viewer", INSPEKTORAT, "regency_government")
OUTSIDER = actor("agency_admin", MAKASSAR_DINKES, "regency_government")


def test_scopes():
    assert NATIONAL.scope_path == "/KEMENPANRB/"
    assert COORDINATOR.scope_code == "KAB-73-11"  # a Diskominfo coordinates its regency
    assert AGENCY_ADMIN.scope_code == LIAISON.scope_code == "KAB-73-11-DINKES"
    assert OVERSIGHT.scope_code == "KAB-73-11"  # an Inspektorat oversees its government
    assert actor("oversight_viewer", OMBUDSMAN, "national_ministry").scope_code == "KEMENPANRB"
    # a coordinator that is not an OPD of a government coordinates its own subtree
    assert actor("coordinator_admin", ROOT).scope_code == "KEMENPANRB"


def test_accounts_sit_where_their_role_makes_sense():
    powers.check_account("national_admin", ROOT)
    powers.check_account("coordinator_admin", KOMINFO)
    with pytest.raises(NotPermitted):
        powers.check_account("national_admin", BARRU)
    with pytest.raises(NotPermitted):
        powers.check_account("coordinator_admin", DINKES)
    with pytest.raises(NotPermitted):
        powers.check_account("liaison", PKM)  # a pending agency has no staff yet


@pytest.mark.parametrize(
    "who, allowed",
    [
        (NATIONAL, True),
        (COORDINATOR, True),
        (AGENCY_ADMIN, False),
        (LIAISON, False),
        (OVERSIGHT, False),
        (actor("coordinator_admin", KOMINFO, "regency_government", staff_id="s-reg"), False),
        (
            actor(
                "coordinator_admin",
                Node(
                    "KAB-73-71-DISKOMINFO",
                    "opd",
                    "/KEMENPANRB/PROV-73/KAB-73-71/KAB-73-71-DISKOMINFO/",
                    True,
                ),
                "city_government",
            ),
            False,
        ),
    ],
)
def test_who_decides_a_registration(who, allowed):
    if allowed:
        powers.check_decide(who, PKM)
    else:
        with pytest.raises((NotPermitted, OutOfSubtree, OwnRegistration)):
            powers.check_decide(who, PKM)


def test_registration_edits_and_status_changes():
    powers.check_register(AGENCY_ADMIN, DINKES)
    with pytest.raises(OutOfSubtree):
        powers.check_register(OUTSIDER, DINKES)
    with pytest.raises(NotPermitted):
        powers.check_register(LIAISON, DINKES)
    powers.check_edit(AGENCY_ADMIN, PKM, {"name"}, None)  # correcting its own registration
    with pytest.raises(NotPermitted):
        powers.check_edit(AGENCY_ADMIN, PKM, {"is_coordinator"}, None)
    with pytest.raises(NotPermitted):
        powers.check_edit(AGENCY_ADMIN, DINKES, {"name"}, None)  # active: the coordinator's
    with pytest.raises(OutOfSubtree):
        powers.check_edit(COORDINATOR, BARRU, {"name"}, None)  # its own root: for the province
    with pytest.raises(OutOfSubtree):  # moving something out of one's subtree
        powers.check_edit(COORDINATOR, DINKES, {"parent_code"}, MAKASSAR_DINKES)
    powers.check_status_change(COORDINATOR, DINKES)
    with pytest.raises(OutOfSubtree):
        powers.check_status_change(COORDINATOR, KOMINFO)  # its own agency
    with pytest.raises(OutOfSubtree):
        powers.check_status_change(NATIONAL, ROOT)


def test_staff_management_never_reaches_beyond_ones_own_scope():
    powers.check_manage_staff(COORDINATOR, "oversight_viewer", INSPEKTORAT, BARRU.path)
    powers.check_manage_staff(AGENCY_ADMIN, "liaison", DINKES, DINKES.path)
    with pytest.raises(OutOfSubtree):  # an Inspektorat viewer would see all of Barru
        powers.check_manage_staff(
            actor("agency_admin", INSPEKTORAT, "regency_government"),
            "oversight_viewer",
            INSPEKTORAT,
            BARRU.path,
        )
    with pytest.raises(NotPermitted):  # above its own rank
        powers.check_manage_staff(COORDINATOR, "national_admin", KOMINFO, "/KEMENPANRB/")
    with pytest.raises(NotPermitted):
        powers.check_manage_staff(OVERSIGHT, "liaison", DINKES, DINKES.path)
    powers.check_read_staff(LIAISON, LIAISON.staff_id, DINKES)  # one's own account
    with pytest.raises(NotPermitted):
        powers.check_read_staff(LIAISON, "someone-else", DINKES)


def test_pending_agencies_are_visible_inside_the_scope_only():
    assert powers.can_see(None, DINKES)
    assert not powers.can_see(None, PKM)
    assert powers.can_see(LIAISON, PKM)
    assert not powers.can_see(OUTSIDER, PKM)


def test_paths():
    path = "/KEMENPANRB/PROV-73/KAB-73-11/"
    assert hierarchy.codes(path) == ["KEMENPANRB", "PROV-73", "KAB-73-11"]
    assert hierarchy.depth(path) == 3
    low, high = hierarchy.subtree_range(path)
    inside = [path, path + "KAB-73-11-DINKES/", path + "X/Y/"]
    outside = ["/KEMENPANRB/PROV-73/KAB-73-110/", "/KEMENPANRB/PROV-73/KAB-73-11-X/", "/"]
    assert all(low <= p < high for p in inside)
    assert not any(low <= p < high for p in outside)
    assert hierarchy.would_cycle(path, path + "KAB-73-11-DINKES/")
    assert not hierarchy.would_cycle(path, "/KEMENPANRB/PROV-74/")
    assert hierarchy.moved(path + "A/", path, "/R/B/") == "/R/B/A/"
    assert hierarchy.is_valid_code("KAB-73-11-PKM-1")
    assert not any(hierarchy.is_valid_code(c) for c in ("kab-73", "A--B", "-A", "A B", "A" * 65))
