"""Routing policy (SPEC §7) over in-memory directories: synthetic ones for each rule, and the
real national template for SPEC's Barru examples. Pure: no broker, no database."""

import dataclasses
import random

import pytest

from services.agency_registry.template import build_template
from services.routing.policy import (
    MAX_TRACE,
    AgencyView,
    Directory,
    NoOwner,
    decide,
    jurisdiction_depth,
    match,
)
from services.routing.replica_state import views_from_template
from shared.regions import load_regions

BARRU = "73.11"
BARRU_VILLAGE = "73.11.01.2002"  # Desa Harapan, Kecamatan Tanete Riaja, Kabupaten Barru


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
    assert reason in decision.trace[0]


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
    assert "declined" in declined.trace[0]
    missing = decide(directory(local), "pendidikan.sd", BARRU, target_agency_code="GHOST")
    assert missing.agency_code == "LOCAL"
    assert "no such agency" in missing.trace[0]


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
    assert any("Z-DEEP" in line and "later code" in line for line in decision.trace)
    assert any("A-SHALLOW" in line and "shallower" in line for line in decision.trace)


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
    joined = "\n".join(decision.trace)
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
    assert "last resort" in decision.trace[-1]


def test_no_owner_only_without_a_root():
    with pytest.raises(NoOwner):
        decide(Directory([make_agency("X", competencies=["pendidikan.sd"])]), "sosial", BARRU)


def test_unknown_category_goes_to_the_coordinator():
    decision = decide(directory(make_agency("C", is_coordinator=True)), "no.such", BARRU)
    assert (decision.agency_code, decision.rule) == ("C", "coordinator")
    assert "not in the category tree" in decision.trace[0]


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
    assert len(decision.trace) == MAX_TRACE
    assert "more line(s) omitted" in decision.trace[-1]


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
    assert (decision.agency_code, decision.rule) == (owner, rule), decision.trace


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
