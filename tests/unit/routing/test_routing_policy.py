"""Routing policy (SPEC §7) over in-memory directories: synthetic ones for each rule, and the
real national template for SPEC's Barru examples. Pure: no broker, no database."""

import dataclasses
import json
import random

import pytest

from services.agency_registry.template import build_template
from services.routing.rules.policy import (
    MAX_TRACE,
    AgencyView,
    Decision,
    Directory,
    NoOwner,
    decide,
    jurisdiction_depth,
    match,
)
from services.routing.rules.replica_state import views_from_template
from services.routing.rules.trace import english
from shared.regions import load_regions

BARRU = "73.11"
BARRU_VILLAGE = "73.11.01.2002"  # Desa Harapan, Kecamatan Tanete Riaja, Kabupaten Barru


def worded(decision: Decision) -> Decision:
    """The decision with its trace in English words, as the tests read it."""
    return dataclasses.replace(decision, trace=english(decision.trace))


def make_agency(code: str, **overrides) -> AgencyView:
    fields = dict(
        code=code,
        name=code.title(),
        kind="opd",
        parent_code="ROOT",
        path=("ROOT", code),
        status="active",
        jurisdictions=(BARRU,),
        competencies=frozenset(),
        is_coordinator=False,
        verification_mode="auto",
    )
    fields.update(overrides)
    fields["competencies"] = frozenset(fields["competencies"])
    fields["jurisdictions"] = tuple(fields["jurisdictions"])
    return AgencyView(**fields)


ROOT = make_agency(
    "ROOT",
    kind="national_ministry",
    parent_code=None,
    path=("ROOT",),
    jurisdictions=(),
    is_coordinator=True,
)


def directory(*agencies: AgencyView) -> Directory:
    return Directory([ROOT, *agencies])


@pytest.fixture(scope="module")
def template_views():
    regions = load_regions(with_villages=False)
    return views_from_template(build_template(regions), regions)


@pytest.fixture(scope="module")
def national(template_views):
    return Directory(template_views)


# --- rule 1: the named agency ------------------------------------------------------------


def test_named_agency_wins_when_active_competent_and_covering():
    local = make_agency("LOCAL", jurisdictions=["73.11.01"], competencies=["pendidikan.sd"])
    named = make_agency("NAMED", jurisdictions=["73"], competencies=["pendidikan"])
    decision = decide(
        directory(local, named), "pendidikan.sd", BARRU_VILLAGE, target_agency_code="NAMED"
    )
    assert (decision.agency_code, decision.rule) == ("NAMED", "named_agency")


@pytest.mark.parametrize(
    "named, reason",
    [
        (make_agency("NAMED", status="suspended", competencies=["pendidikan.sd"]), "suspended"),
        (make_agency("NAMED", status="pending", competencies=["pendidikan.sd"]), "pending"),
        (make_agency("NAMED", competencies=["pendidikan.sma"]), "not competent"),
        (
            make_agency("NAMED", jurisdictions=["73.12"], competencies=["pendidikan.sd"]),
            "does not cover",
        ),
    ],
)
def test_named_agency_is_passed_over_with_a_reason(named, reason):
    local = make_agency("LOCAL", competencies=["pendidikan.sd"])
    decision = decide(directory(local, named), "pendidikan.sd", BARRU, target_agency_code="NAMED")
    assert (decision.agency_code, decision.rule) == ("LOCAL", "most_local")
    assert reason in english(decision.trace)[0]


def test_named_agency_that_declined_or_does_not_exist_is_passed_over():
    local = make_agency("LOCAL", competencies=["pendidikan.sd"])
    named = make_agency("NAMED", competencies=["pendidikan.sd"], jurisdictions=["73.11.01"])
    declined = decide(
        directory(local, named),
        "pendidikan.sd",
        BARRU_VILLAGE,
        target_agency_code="NAMED",
        excluded=frozenset({"NAMED"}),
    )
    assert declined.agency_code == "LOCAL"
    assert "declined" in english(declined.trace)[0]
    missing = decide(directory(local), "pendidikan.sd", BARRU, target_agency_code="GHOST")
    assert missing.agency_code == "LOCAL"
    assert "no such agency" in english(missing.trace)[0]


# --- rule 2: the most local competent agency --------------------------------------------


def test_most_local_prefers_village_then_district_then_regency_then_province():
    levels = {"PROV": "73", "KAB": BARRU, "KEC": "73.11.01", "DESA": BARRU_VILLAGE}
    agencies = [
        make_agency(code, jurisdictions=[region], competencies=["sosial.bansos"])
        for code, region in levels.items()
    ]
    for winner in ["DESA", "KEC", "KAB", "PROV"]:
        decision = decide(directory(*agencies), "sosial.bansos", BARRU_VILLAGE)
        assert (decision.agency_code, decision.rule) == (winner, "most_local")
        agencies = [a for a in agencies if a.code != winner]


def test_jurisdiction_covers_only_whole_segments():
    prefix_lookalike = make_agency("LOOKALIKE", jurisdictions=["73.1"], competencies=["sosial"])
    decision = decide(directory(prefix_lookalike), "sosial", BARRU)
    assert decision.rule == "coordinator"
    assert jurisdiction_depth(prefix_lookalike, BARRU) is None
    assert jurisdiction_depth(make_agency("A", jurisdictions=["73", "73.11"]), BARRU_VILLAGE) == 2


def test_most_local_ties_go_to_the_deepest_tree_path_then_the_code():
    shallow = make_agency("A-SHALLOW", competencies=["sosial"])
    deep = make_agency("Z-DEEP", path=("ROOT", "GOV", "Z-DEEP"), competencies=["sosial"])
    twin = make_agency("Y-DEEP", path=("ROOT", "GOV", "Y-DEEP"), competencies=["sosial"])
    decision = decide(directory(shallow, deep, twin), "sosial.bansos", BARRU)
    assert decision.agency_code == "Y-DEEP"
    assert any("Z-DEEP" in line and "later code" in line for line in english(decision.trace))
    assert any("A-SHALLOW" in line and "shallower" in line for line in english(decision.trace))


def test_exact_competence_beats_a_parent_category_at_the_same_level():
    generalist = make_agency("A-GENERAL", competencies=["kesehatan"])
    specialist = make_agency("B-RSUD", competencies=["kesehatan.rumah_sakit"])
    decision = decide(directory(generalist, specialist), "kesehatan.rumah_sakit", BARRU)
    assert decision.agency_code == "B-RSUD"


def test_competence_via_ancestor_and_via_descendant_for_top_level_only():
    sd_office = make_agency("SD", competencies=["pendidikan.sd"])
    assert match(sd_office, "pendidikan") is not None  # a generic report may go to it
    assert match(sd_office, "pendidikan.sma") is None  # a sibling sub-topic may not
    assert match(make_agency("ALL", competencies=["pendidikan"]), "pendidikan.sma") is not None
    decision = decide(directory(sd_office), "pendidikan", BARRU)
    assert (decision.agency_code, decision.rule) == ("SD", "most_local")


def test_inactive_and_declined_agencies_are_skipped_with_reasons():
    agencies = [
        make_agency("A", status="suspended", competencies=["sosial"]),
        make_agency("B", status="pending", competencies=["sosial"]),
        make_agency("C", competencies=["sosial"]),
        make_agency("D", competencies=["sosial"]),
    ]
    decision = decide(directory(*agencies), "sosial", BARRU, excluded=frozenset({"C"}))
    assert decision.agency_code == "D"
    joined = "\n".join(english(decision.trace))
    assert "A: status is suspended" in joined
    assert "B: status is pending" in joined
    assert "C: it declined" in joined


# --- rule 3: national ----------------------------------------------------------------------


def test_national_agency_when_no_regional_one_is_competent():
    other_region = make_agency(
        "ELSEWHERE", jurisdictions=["74"], competencies=["perbankan_keuangan"]
    )
    ojk = make_agency("OJK", jurisdictions=[], competencies=["perbankan_keuangan"])
    bi = make_agency("BI", jurisdictions=[], competencies=["perbankan_keuangan.sistem_pembayaran"])
    found = directory(other_region, ojk, bi)
    generic = decide(found, "perbankan_keuangan", BARRU)
    assert (generic.agency_code, generic.rule) == ("OJK", "national")
    assert decide(found, "perbankan_keuangan.sistem_pembayaran", BARRU).agency_code == "BI"
    assert decide(found, "perbankan_keuangan.asuransi", BARRU).agency_code == "OJK"


def test_national_ties_go_to_the_code_and_exclusions_apply():
    b = make_agency("B-NAT", jurisdictions=[], competencies=["sosial"])
    a = make_agency("A-NAT", jurisdictions=[], competencies=["sosial"])
    assert decide(directory(b, a), "sosial", BARRU).agency_code == "A-NAT"
    decision = decide(directory(b, a), "sosial", BARRU, excluded=frozenset({"A-NAT"}))
    assert (decision.agency_code, decision.rule) == ("B-NAT", "national")


# --- rule 4: coordinators ----------------------------------------------------------------


def test_coordinator_of_the_regency_then_province_then_root():
    kab = make_agency("KAB-COORD", jurisdictions=[BARRU], is_coordinator=True)
    prov = make_agency("PROV-COORD", jurisdictions=["73"], is_coordinator=True)
    other = make_agency("OTHER-COORD", jurisdictions=["74"], is_coordinator=True)
    found = directory(kab, prov, other)
    first = decide(found, "sosial", BARRU_VILLAGE)
    assert (first.agency_code, first.rule) == ("KAB-COORD", "coordinator")
    assert (
        decide(found, "sosial", BARRU_VILLAGE, excluded=frozenset({"KAB-COORD"})).agency_code
        == "PROV-COORD"
    )
    found.add_or_replace(dataclasses.replace(prov, status="suspended"))
    last = decide(found, "sosial", BARRU_VILLAGE, excluded=frozenset({"KAB-COORD"}))
    assert (last.agency_code, last.rule) == ("ROOT", "coordinator")


def test_the_root_is_the_owner_of_last_resort_even_when_excluded():
    decision = decide(directory(), "sosial", BARRU, excluded=frozenset({"ROOT"}))
    assert (decision.agency_code, decision.rule) == ("ROOT", "coordinator")
    assert "last resort" in english(decision.trace)[-1]


def test_no_owner_only_without_a_root():
    with pytest.raises(NoOwner):
        decide(Directory([make_agency("X", competencies=["pendidikan.sd"])]), "sosial", BARRU)


def test_unknown_category_goes_to_the_coordinator():
    decision = decide(directory(make_agency("C", is_coordinator=True)), "no.such", BARRU)
    assert (decision.agency_code, decision.rule) == ("C", "coordinator")
    assert "not in the category tree" in english(decision.trace)[0]


# --- the directory -------------------------------------------------------------------------


def test_replacing_an_agency_reindexes_it():
    found = directory(make_agency("A", competencies=["sosial"]))
    assert decide(found, "sosial", BARRU).agency_code == "A"
    found.add_or_replace(make_agency("A", competencies=["pariwisata"]))
    assert len(found) == 2
    assert decide(found, "sosial", BARRU).agency_code == "ROOT"
    assert decide(found, "pariwisata", BARRU).agency_code == "A"


def test_trace_is_capped():
    many = [make_agency(f"A{i:03d}", competencies=["sosial"]) for i in range(200)]
    decision = decide(directory(*many), "sosial", BARRU)
    assert decision.agency_code == "A000"
    # 201 lines (named, chose, 199 passed over): the first 29 and a line counting the other 172
    assert MAX_TRACE == 30 and len(english(decision.trace)) == 30
    assert english(decision.trace)[-2] == "most_local: passed over A027: same rank, later code"
    assert english(decision.trace)[-1] == "... 172 more line(s) omitted"


def test_decisions_do_not_depend_on_insertion_order(template_views):
    shuffled = list(template_views)
    random.Random(7).shuffle(shuffled)
    a, b = Directory(template_views), Directory(shuffled)
    for category, region in [
        ("pendidikan", BARRU_VILLAGE),
        ("kesehatan", BARRU),
        ("perbankan_keuangan", "31.71"),
        ("sosial.bansos", "73"),
    ]:
        assert decide(a, category, region) == decide(b, category, region)


# --- SPEC's examples on the real national template ----------------------------------------


@pytest.mark.parametrize(
    "category, region, owner, rule",
    [
        ("pendidikan.sma", BARRU, "PROV-73-DISDIK", "most_local"),
        ("pendidikan.sma", BARRU_VILLAGE, "PROV-73-DISDIK", "most_local"),
        ("pendidikan.smk", BARRU, "PROV-73-DISDIK", "most_local"),
        ("pendidikan.sd", BARRU, "KAB-73-11-DISDIK", "most_local"),
        ("pendidikan", BARRU_VILLAGE, "KAB-73-11-DISDIK", "most_local"),
        ("pendidikan.perguruan_tinggi", BARRU, "KEMENDIKTISAINTEK", "national"),
        ("perbankan_keuangan", BARRU, "OJK", "national"),
        ("kesehatan.bpjs", BARRU, "BPJS-KESEHATAN", "national"),
        ("ketenagakerjaan.bpjs", BARRU, "BPJS-KETENAGAKERJAAN", "national"),
        ("ketenagakerjaan.pengawasan", BARRU, "PROV-73-DISNAKERTRANS", "most_local"),
        ("infrastruktur.jalan_kabupaten", BARRU, "KAB-73-11-DPUPR", "most_local"),
        ("infrastruktur.jalan_provinsi", BARRU, "PROV-73-DPU", "most_local"),
        ("infrastruktur.jalan_nasional", BARRU, "KEMENPU", "national"),
        ("agama.haji", BARRU, "KAB-73-11-KEMENAG", "most_local"),
        ("lingkungan_hidup.sampah", "73.71", "KAB-73-71-DLH", "most_local"),
        ("maladministrasi.penyalahgunaan_wewenang", BARRU, "KAB-73-11-INSPEKTORAT", "most_local"),
        ("ketentraman_ketertiban.layanan_kepolisian", BARRU, "POLRI", "national"),
        # nobody owns kecamatan letters when kecamatan units are not loaded: Barru's coordinator
        (
            "administrasi_kependudukan.surat_pengantar",
            BARRU_VILLAGE,
            "KAB-73-11-DISKOMINFO",
            "coordinator",
        ),
    ],
)
def test_real_template_routes_like_spec_section_6(national, category, region, owner, rule):
    decision = decide(national, category, region)
    assert (decision.agency_code, decision.rule) == (owner, rule), english(decision.trace)


def test_barru_disdik_declining_an_sd_report_sends_it_to_barrus_coordinator(national):
    decision = decide(national, "pendidikan.sd", BARRU, excluded=frozenset({"KAB-73-11-DISDIK"}))
    assert (decision.agency_code, decision.rule) == ("KAB-73-11-DISKOMINFO", "coordinator")


def test_suspended_regency_coordinator_falls_back_to_the_province(template_views):
    found = Directory(template_views)
    found.add_or_replace(dataclasses.replace(found.get("KAB-73-11-DISKOMINFO"), status="suspended"))
    decision = decide(found, "administrasi_kependudukan.surat_pengantar", BARRU)
    assert decision.agency_code == "PROV-73-DISKOMINFO"


def test_kecamatan_units_take_their_own_letters():
    specs = build_template(load_regions(with_villages=False), with_districts=True)
    found = Directory(views_from_template(specs, load_regions(with_villages=False)))
    decision = decide(found, "administrasi_kependudukan.surat_pengantar", BARRU_VILLAGE)
    assert (decision.agency_code, decision.rule) == ("KEC-73-11-01", "most_local")


def test_the_most_local_agency_wins_among_100k_agencies(template_views):
    # one school per village on top of the national template: about 100,000 agencies
    villages = load_regions().villages()
    schools = [
        make_agency(
            f"SD-{v.code.replace('.', '-')}",
            kind="unit",
            parent_code=None,
            path=(f"SD-{v.code}",),
            jurisdictions=[v.code],
            competencies=["pendidikan.sd"],
        )
        for v in villages
    ]
    found = Directory(template_views + schools)
    assert len(found) > 90_000
    decision = decide(found, "pendidikan", BARRU_VILLAGE)
    assert decision.agency_code == "SD-73-11-01-2002"


# --- what the trace says, written out -------------------------------------------------------


def test_the_most_local_trace_names_every_candidate_and_why_it_lost():
    agencies = [
        make_agency("KAB", competencies=["sosial"]),
        make_agency("DESA", jurisdictions=[BARRU_VILLAGE], competencies=["sosial.bansos"]),
        make_agency("PROV", jurisdictions=["73"], competencies=["sosial.bansos"]),
        make_agency("SUSP", status="suspended", competencies=["sosial.bansos"]),
    ]
    decision = decide(directory(*agencies), "sosial.bansos", BARRU_VILLAGE)
    assert worded(decision) == Decision(
        "DESA",
        "most_local",
        [
            "named_agency: the reporter named no agency",
            "most_local: passed over SUSP: status is suspended",
            "most_local: chose DESA, competent exactly for sosial.bansos, "
            "jurisdiction at village level",
            "most_local: passed over KAB: less local (regency vs village level)",
            "most_local: passed over PROV: less local (province vs village level)",
        ],
    )
    without_desa = decide(
        directory(*agencies), "sosial.bansos", BARRU_VILLAGE, excluded=frozenset({"DESA"})
    )
    assert english(without_desa.trace) == [
        "named_agency: the reporter named no agency",
        "most_local: passed over DESA: it declined this report earlier",
        "most_local: passed over SUSP: status is suspended",
        "most_local: chose KAB, competent via a parent category for sosial.bansos, "
        "jurisdiction at regency level",
        "most_local: passed over PROV: less local (province vs regency level)",
    ]


def test_a_top_level_report_prefers_the_exact_holder_to_a_sub_topic_holder():
    general = make_agency("GEN", competencies=["sosial"])
    sub_topic = make_agency("SUB", competencies=["sosial.bansos"])
    decision = decide(directory(sub_topic, general), "sosial", BARRU)
    assert english(decision.trace)[1:] == [
        "most_local: chose GEN, competent exactly for sosial, jurisdiction at regency level",
        "most_local: passed over SUB: competent less exactly (via a sub-topic)",
    ]
    alone = decide(directory(sub_topic), "sosial", BARRU)
    assert english(alone.trace)[1] == (
        "most_local: chose SUB, competent via a sub-topic for sosial, jurisdiction at regency level"
    )


@pytest.mark.parametrize("region, where", [(BARRU, "73.11"), ("", "the location")])
def test_the_national_trace(region, where):
    ojk = make_agency("OJK", jurisdictions=[], competencies=["perbankan_keuangan"])
    bi = make_agency("BI", jurisdictions=[], competencies=["perbankan_keuangan.sistem_pembayaran"])
    decision = decide(directory(ojk, bi), "perbankan_keuangan.sistem_pembayaran", region)
    assert worded(decision) == Decision(
        "BI",
        "national",
        [
            "named_agency: the reporter named no agency",
            "most_local: no regional agency competent for perbankan_keuangan.sistem_pembayaran "
            f"covers {where}",
            "national: chose BI, competent exactly for perbankan_keuangan.sistem_pembayaran",
            "national: passed over OJK: competent less exactly (via a parent category)",
        ],
    )


def test_the_coordinator_trace():
    kab = make_agency("KAB-C", is_coordinator=True)
    prov = make_agency("PROV-C", jurisdictions=["73"], is_coordinator=True)
    decision = decide(directory(kab, prov), "sosial", BARRU_VILLAGE)
    assert worded(decision) == Decision(
        "KAB-C",
        "coordinator",
        [
            "named_agency: the reporter named no agency",
            "most_local: no regional agency competent for sosial covers 73.11.01.2002",
            "national: no national agency is competent for sosial",
            "coordinator: chose KAB-C, coordinator at regency level, for manual dispatch",
            "coordinator: passed over PROV-C: less local (province vs regency level)",
        ],
    )


def test_a_declined_national_agency_is_not_reported_as_missing():
    nat = make_agency("NAT", jurisdictions=[], competencies=["sosial"])
    decision = decide(directory(nat), "sosial", BARRU, excluded=frozenset({"NAT"}))
    assert english(decision.trace) == [
        "named_agency: the reporter named no agency",
        "most_local: no regional agency competent for sosial covers 73.11",
        "national: passed over NAT: it declined this report earlier",
        "coordinator: no local coordinator available; chose the root ROOT",
    ]


def test_coordinators_of_one_region_tie_on_tree_depth_then_code():
    shallow = make_agency("A-KAB-C", is_coordinator=True)
    deep = make_agency("Z-KAB-C", path=("ROOT", "GOV", "Z-KAB-C"), is_coordinator=True)
    decision = decide(directory(shallow, deep), "sosial", BARRU)
    assert (decision.agency_code, decision.rule) == ("Z-KAB-C", "coordinator")
    assert (
        english(decision.trace)[-1]
        == "coordinator: passed over A-KAB-C: shallower in the agency tree"
    )


@pytest.mark.parametrize(
    "target, suggested_by, agencies, owner, rule, first_line",
    [
        (
            "NAMED",
            None,
            [make_agency("NAMED", competencies=["sosial"])],
            "NAMED",
            "named_agency",
            "named_agency: chose NAMED, named by the reporter",
        ),
        (
            "NEW",
            "OLD",
            [make_agency("NEW", competencies=["sosial"])],
            "NEW",
            "suggested_agency",
            "suggested_agency: chose NEW, suggested by OLD",
        ),
        (
            None,
            "OLD",
            [make_agency("LOCAL", competencies=["sosial"])],
            "LOCAL",
            "most_local",
            "suggested_agency: OLD suggested no agency",
        ),
        (
            "NEW",
            "OLD",
            [
                make_agency("NEW", status="suspended", competencies=["sosial"]),
                make_agency("LOCAL", competencies=["sosial"]),
            ],
            "LOCAL",
            "most_local",
            "suggested_agency: passed over NEW (suggested by OLD): status is suspended",
        ),
        (
            "NAMED",
            None,
            [
                make_agency("NAMED", competencies=["pariwisata"]),
                make_agency("LOCAL", competencies=["sosial"]),
            ],
            "LOCAL",
            "most_local",
            "named_agency: passed over NAMED (named by the reporter): not competent for sosial",
        ),
        (
            "NAMED",
            None,
            [
                make_agency("NAMED", jurisdictions=["73.12"], competencies=["sosial"]),
                make_agency("LOCAL", competencies=["sosial"]),
            ],
            "LOCAL",
            "most_local",
            "named_agency: passed over NAMED (named by the reporter): its jurisdiction does not "
            "cover 73.11",
        ),
    ],
)
def test_rule_one_named_or_suggested(target, suggested_by, agencies, owner, rule, first_line):
    decision = decide(
        directory(*agencies), "sosial", BARRU, target_agency_code=target, suggested_by=suggested_by
    )
    assert (decision.agency_code, decision.rule) == (owner, rule)
    assert english(decision.trace)[0] == first_line


# --- the root national coordinator ----------------------------------------------------------


def root(code: str, **overrides) -> AgencyView:
    return dataclasses.replace(ROOT, code=code, path=(code,), **overrides)


@pytest.mark.parametrize(
    "roots, excluded, owner, last_line",
    [
        (
            [root("ROOT-A", status="suspended"), root("ROOT-B")],
            frozenset(),
            "ROOT-B",
            "coordinator: no local coordinator available; chose the root ROOT-B",
        ),
        (
            [root("ROOT-A", status="pending"), root("ROOT-B")],
            frozenset(),
            "ROOT-B",
            "coordinator: no local coordinator available; chose the root ROOT-B",
        ),
        (
            [root("ROOT-A"), root("ROOT-B")],
            frozenset(),
            "ROOT-A",
            "coordinator: no local coordinator available; chose the root ROOT-A",
        ),
        (
            [root("ROOT-B"), root("ROOT-A")],
            frozenset({"ROOT-A", "ROOT-B"}),
            "ROOT-A",
            "coordinator: chose the root ROOT-A as last resort although it is excluded or not "
            "active",
        ),
    ],
)
def test_the_root_is_the_first_usable_by_code_else_the_first(roots, excluded, owner, last_line):
    decision = decide(Directory(roots), "sosial", BARRU, excluded=excluded)
    assert (decision.agency_code, decision.rule) == (owner, "coordinator")
    assert english(decision.trace)[-1] == last_line


def test_only_a_parentless_national_ministry_coordinator_is_a_root():
    assert Directory([ROOT]).roots() == ["ROOT"]
    assert Directory([dataclasses.replace(ROOT, kind="opd")]).roots() == []
    assert Directory([dataclasses.replace(ROOT, is_coordinator=False)]).roots() == []
    assert Directory([dataclasses.replace(ROOT, parent_code="X")]).roots() == []


# --- values read at run time ---------------------------------------------------------------


def test_a_status_read_from_the_database_is_compared_by_value():
    # an equal string built at run time, not the literal in the module
    active = json.loads('"active"')
    agency = make_agency("A", status=active, competencies=["sosial"])
    assert decide(directory(agency), "sosial", BARRU).agency_code == "A"
    assert decide(directory(agency), "sosial", BARRU, target_agency_code="A").rule == (
        "named_agency"
    )


def test_a_national_agency_covers_everywhere_at_depth_zero():
    nat = make_agency("NAT", jurisdictions=[])
    assert jurisdiction_depth(nat, BARRU_VILLAGE) == 0
    assert jurisdiction_depth(nat, "") == 0
    assert jurisdiction_depth(make_agency("KAB"), BARRU_VILLAGE) == 2
    assert jurisdiction_depth(make_agency("KAB"), "73.12") is None


def test_decisions_are_values():
    decision = decide(directory(), "sosial", BARRU)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.agency_code = "X"


# --- the directory's indexes ----------------------------------------------------------------


def test_replacing_or_removing_an_agency_updates_every_index():
    child = make_agency("CHILD", parent_code="OLD", is_coordinator=True, competencies=["sosial"])
    found = directory(child)
    assert set(found.children("OLD")) == {"CHILD"}
    assert set(found.competent_in("sosial", BARRU)) == {"CHILD"}
    assert set(found.coordinators_in(BARRU)) == {"CHILD"}
    found.add_or_replace(dataclasses.replace(child, parent_code="NEW"))
    assert (set(found.children("OLD")), set(found.children("NEW"))) == (set(), {"CHILD"})
    found.remove("CHILD")
    assert "CHILD" not in found and found.get("CHILD") is None
    assert set(found.children("NEW")) == set()
    assert set(found.competent_in("sosial", BARRU)) == set()
    assert set(found.coordinators_in(BARRU)) == set()
    found.remove("CHILD")  # removing what is not there is no error
    # the root (no parent) can be replaced and removed too
    found.add_or_replace(dataclasses.replace(ROOT, name="Kementerian"))
    assert found["ROOT"].name == "Kementerian" and found.roots() == ["ROOT"]
    found.remove("ROOT")
    assert found.roots() == [] and len(found) == 0


def test_an_agency_view_is_an_immutable_non_coordinator_unless_told():
    view = AgencyView(
        code="A",
        name="A",
        kind="opd",
        parent_code=None,
        path=("A",),
        status="active",
        jurisdictions=(BARRU,),
        competencies=frozenset({"sosial"}),
    )
    assert view.is_coordinator is False
    assert set(Directory([ROOT, view]).coordinators_in(BARRU)) == set()
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status = "suspended"


def test_a_root_read_from_the_database_is_recognised_and_used_by_value():
    kind, status = json.loads('["national_ministry", "active"]')
    read = dataclasses.replace(ROOT, kind=kind, status=status)
    decision = decide(Directory([read]), "sosial", BARRU)
    assert (
        english(decision.trace)[-1]
        == "coordinator: no local coordinator available; chose the root ROOT"
    )
    # a kind that merely sorts before or after "national_ministry" is not one
    assert Directory([dataclasses.replace(ROOT, kind="lembaga")]).roots() == []
    assert Directory([dataclasses.replace(ROOT, kind="pemda")]).roots() == []


def test_a_declined_local_agency_is_not_reported_as_missing():
    local = make_agency("LOCAL", competencies=["sosial"])
    decision = decide(directory(local), "sosial", BARRU, excluded=frozenset({"LOCAL"}))
    assert english(decision.trace)[:3] == [
        "named_agency: the reporter named no agency",
        "most_local: passed over LOCAL: it declined this report earlier",
        "national: no national agency is competent for sosial",
    ]
