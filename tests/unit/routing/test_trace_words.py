"""What an officer reads of a decision trace is Indonesian first, English second: every step
routing writes (found by reading its code, so a new step without words fails here) has words in
both languages, each filled from the same parameters; agencies are named where a name is
known; old traces (plain English strings) still show; the desk shows Indonesian, then English."""

import ast
import re
import string

import pytest

from services.portal.rendering import env
from services.routing.rules import trace_words
from services.routing.rules.policy import AgencyView, Directory, decide
from services.routing.rules.trace import english, names_in, step, worded
from services.routing.rules.trace_legacy import parse
from shared.config import ROOT

ROUTING = ROOT / "services/routing"
SAMPLE = {
    "rule": "most_local",
    "agency": "KAB-73-11-DINKES",
    "by": "KAB-73-11-DISKOMINFO",
    "target": "PROV-73-DINKES",
    "proposed": "KAB-73-11-RSUD",
    "category": "kesehatan.puskesmas",
    "region": "73.11",
    "place": "",
    "level": 2,
    "best_level": 4,
    "match": 1,
    "status": "suspended",
    "username": "kominfo.barru",
    "reason": "duplicate",
    "duplicate_of": "LPR-2026-ABCDEFGH",
    "count": 3,
    "days": 5,
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _written_in_code() -> tuple[set[str], set[str]]:
    """(step codes, reason codes) routing's code writes: step("…"), trace.add("…"), why="…"."""
    steps, reasons = set(), set()
    for path in sorted(ROUTING.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0] if node.args else None
            if name in ("step", "add") and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    steps.add(first.value)
            for keyword in node.keywords:
                if keyword.arg == "why" and isinstance(keyword.value, ast.Constant):
                    reasons.add(keyword.value.value)
        text = path.read_text()
        reasons |= set(re.findall(r'"why": "(\w+)"', text))
        steps |= set(re.findall(r'"step": "(\w+)"', text))
    return steps, reasons


def test_every_step_the_code_writes_has_words():
    steps, reasons = _written_in_code()
    assert len(steps) > 25 and len(reasons) >= 8  # the sweep reads the code at all
    assert steps <= set(trace_words.STEPS), steps - set(trace_words.STEPS)
    assert reasons <= set(trace_words.REASONS), reasons - set(trace_words.REASONS)


@pytest.mark.parametrize(
    "table", [trace_words.STEPS, trace_words.REASONS], ids=["steps", "reasons"]
)
def test_every_step_and_reason_is_in_both_languages_with_the_same_values(table):
    for code, (indonesian, english_words) in table.items():
        assert indonesian.strip() and english_words.strip(), code
        assert indonesian != english_words, code
        assert _fields(indonesian) == _fields(english_words), code


@pytest.mark.parametrize("code", sorted(trace_words.STEPS))
@pytest.mark.parametrize("why", sorted(trace_words.REASONS))
def test_every_step_renders_in_both_languages(code, why):
    line = step(code, **SAMPLE, why=why)
    words = worded(line)
    assert words["step"] == code and words["params"]["agency"] == "KAB-73-11-DINKES"
    assert words["id"] and words["en"] and words["id"] != words["en"]
    assert "{" not in words["id"] + words["en"]


def test_words_fill_in_the_language_of_levels_matches_statuses_and_rules():
    line = step(
        "passed_over", rule="most_local", agency="A", why="less_local", level=2, best_level=4
    )
    assert (
        worded(line)["id"] == "paling lokal: melewati A: kurang lokal (tingkat "
        "kabupaten/kota lawan desa/kelurahan)"
    )
    assert worded(line)["en"] == "most_local: passed over A: less local (regency vs village level)"
    suspended = step("passed_over", rule="national", agency="A", why="status", status="suspended")
    assert worded(suspended)["id"] == "pusat: melewati A: statusnya ditangguhkan"


def _agency(code, name, **overrides):
    fields = dict(
        code=code,
        name=name,
        kind="opd",
        parent_code="ROOT",
        path=("ROOT", code),
        status="active",
        jurisdictions=("73.11",),
        competencies=frozenset({"sosial"}),
    )
    fields.update(overrides)
    return AgencyView(**fields)


def test_agencies_are_named_by_name_where_the_directory_knows_them():
    root = _agency(
        "ROOT",
        "Kementerian PANRB",
        kind="national_ministry",
        parent_code=None,
        path=("ROOT",),
        jurisdictions=(),
        competencies=frozenset(),
        is_coordinator=True,
    )
    dinsos = _agency("KAB-DINSOS", "Dinas Sosial Kabupaten Barru")
    directory = Directory([root, dinsos])
    decision = decide(directory, "sosial", "73.11")
    chose = worded(decision.trace[1], names_in(directory))
    assert chose["id"] == (
        "paling lokal: memilih Dinas Sosial Kabupaten Barru (KAB-DINSOS), berwenang secara "
        "persis atas sosial, wilayah tingkat kabupaten/kota"
    )
    assert chose["en"].startswith("most_local: chose Dinas Sosial Kabupaten Barru (KAB-DINSOS),")
    # an agency the directory does not know stays its code; events carry the codes
    unknown = worded(step("loop_held", agency="GONE"), names_in(directory))
    assert unknown["id"] == "berputar: GONE pernah memegang laporan ini"
    assert english(decision.trace)[1].startswith("most_local: chose KAB-DINSOS,")


def test_an_old_plain_string_line_still_reads():
    old = "most_local: chose PROV-73-DISDIK"  # no step says just this
    assert worded(old) == {"step": None, "params": {}, "id": None, "en": old}
    assert english([old, step("auto_mode", agency="X")]) == [old, "review: X works in auto mode"]


def test_an_old_line_a_step_says_is_read_back_into_it_and_shows_in_indonesian():
    old = "most_local: passed over KAB: less local (regency vs village level)"
    assert worded(old, lambda code: "Dinas Sosial" if code == "KAB" else None) == {
        "step": "passed_over",
        "params": {"rule": "most_local", "agency": "KAB", "why": "less_local", "level": 2,
                   "best_level": 4},
        "id": "paling lokal: melewati Dinas Sosial (KAB): kurang lokal (tingkat kabupaten/kota "
        "lawan desa/kelurahan)",
        "en": "most_local: passed over Dinas Sosial (KAB): less local (regency vs village level)",
    }  # fmt: skip
    assert parse("archived by KAB-1 (a.b): duplicate, duplicate of LPR-1") == {
        "step": "archived_duplicate", "agency": "KAB-1", "username": "a.b",
        "reason": "duplicate", "duplicate_of": "LPR-1",
    }  # fmt: skip
    assert (
        parse("most_local: chose X, competent quickly for a, jurisdiction at village level") is None
    )


@pytest.mark.parametrize("code", sorted(trace_words.STEPS))
@pytest.mark.parametrize("why", sorted(trace_words.REASONS))
@pytest.mark.parametrize("by", [None, "KAB-73-11-DISKOMINFO"])
def test_every_line_routing_wrote_in_english_reads_back_as_its_step(code, why, by):
    line = step(code, **{**SAMPLE, "by": by}, why=why)
    old = english([line])[0]  # what routing stored before steps
    found = parse(old)
    assert found is not None, old
    assert worded(found)["id"] == worded(line)["id"] and worded(found)["en"] == old


def test_the_desk_shows_indonesian_then_english_and_old_lines_as_english():
    lines = [worded(step("auto_mode", agency="KAB-X")), worded("loop: KAB-Y held this report")]
    html = env.get_template("desk/_history.html").render(
        detail={"history": [{"kind": "dispatched", "agency_code": "KAB-X", "trace": lines}]},
        report={},
        t=lambda key, **values: key,
        local=lambda value, zone: "",
        zone="Asia/Makassar",
    )
    assert (
        '<li>verifikasi: KAB-X bekerja dalam mode otomatis <span class="hint" lang="en">'
        "/ review: KAB-X works in auto mode</span></li>"
    ) in html
    assert '<li lang="en">loop: KAB-Y held this report</li>' in html
    assert '<ul lang="en">' not in html
