"""The words of every trace step, Indonesian and English (a data table): what an officer reads
of why routing placed a report. ``render`` fills a step's parameters in one language; agencies
are written "Name (CODE)" when their name is known."""

from __future__ import annotations

from shared.categories import EXACT, VIA_ANCESTOR, VIA_DESCENDANT
from shared.regions import LEVEL_NAMES

# step code -> (Indonesian, English); {why} is a REASONS entry, {named_by} who named the agency
STEPS = {
    "category_unknown": (
        "kategori {category} tidak ada di pohon kategori; hanya pemegang kategori itu persis",
        "category {category} is not in the category tree; exact holders only",
    ),
    "chose_named": ("{rule}: memilih {agency}, {named_by}", "{rule}: chose {agency}, {named_by}"),
    "passed_over_named": (
        "{rule}: melewati {agency} ({named_by}): {why}",
        "{rule}: passed over {agency} ({named_by}): {why}",
    ),
    "no_suggestion": (
        "{rule}: {by} tidak menyarankan instansi",
        "{rule}: {by} suggested no agency",
    ),
    "none_named": (
        "{rule}: pelapor tidak menyebut instansi",
        "{rule}: the reporter named no agency",
    ),
    "chose_local": (
        "{rule}: memilih {agency}, berwenang {match} atas {category}, wilayah tingkat {level}",
        "{rule}: chose {agency}, competent {match} for {category}, jurisdiction at {level} level",
    ),
    "no_local": (
        "{rule}: tidak ada instansi daerah berwenang atas {category} yang mencakup {place}",
        "{rule}: no regional agency competent for {category} covers {place}",
    ),
    "chose_national": (
        "{rule}: memilih {agency}, berwenang {match} atas {category}",
        "{rule}: chose {agency}, competent {match} for {category}",
    ),
    "no_national": (
        "{rule}: tidak ada instansi pusat yang berwenang atas {category}",
        "{rule}: no national agency is competent for {category}",
    ),
    "chose_coordinator": (
        "{rule}: memilih {agency}, koordinator tingkat {level}, untuk disposisi manual",
        "{rule}: chose {agency}, coordinator at {level} level, for manual dispatch",
    ),
    "passed_over": ("{rule}: melewati {agency}: {why}", "{rule}: passed over {agency}: {why}"),
    "chose_root": (
        "{rule}: tidak ada koordinator daerah yang tersedia; memilih koordinator puncak {agency}",
        "{rule}: no local coordinator available; chose the root {agency}",
    ),
    "last_resort": (
        "{rule}: memilih koordinator puncak {agency} sebagai pilihan terakhir, walaupun "
        "dikecualikan atau tidak aktif",
        "{rule}: chose the root {agency} as last resort although it is excluded or not active",
    ),
    "imported": (
        "dimuat dari sistem sebelumnya: {agency} menanganinya",
        "imported from the earlier system: {agency} handled it",
    ),
    "omitted": ("... {count} baris lagi tidak ditampilkan", "... {count} more line(s) omitted"),
    "archived": (
        "diarsipkan oleh {agency} ({username}): {reason}",
        "archived by {agency} ({username}): {reason}",
    ),
    "archived_duplicate": (
        "diarsipkan oleh {agency} ({username}): {reason}, duplikat dari {duplicate_of}",
        "archived by {agency} ({username}): {reason}, duplicate of {duplicate_of}",
    ),
    "postponed": (
        "ditunda oleh {agency} ({username}): dikembalikan ke pelapor",
        "postponed by {agency} ({username}): back to the reporter",
    ),
    "corrected": (
        "dikoreksi oleh {agency} ({username}): {target} berwenang",
        "corrected by {agency} ({username}): {target} is competent",
    ),
    "referred": (
        "dirujuk: {agency} menolak mendisposisikannya ({reason})",
        "referred: {agency} declined to dispatch it ({reason})",
    ),
    "declines": (
        "penolakan: {count} instansi menolak; {agency} mendisposisikannya secara manual",
        "declines: {count} agencies declined; {agency} dispatches it by hand",
    ),
    "loop_suggested": (
        "berputar: {agency} menyarankan {target}, yang sudah menolaknya sebelumnya",
        "loop: {agency} suggested {target}, which declined it before",
    ),
    "loop_held": (
        "berputar: {agency} pernah memegang laporan ini",
        "loop: {agency} held this report before",
    ),
    "review_confirmed": (
        "verifikasi: {agency} ({username}) mengonfirmasi usulan",
        "review: {agency} ({username}) confirmed the proposal",
    ),
    "review_mode": (
        "verifikasi: {agency} bekerja dalam mode verifikasi; ia mengonfirmasi atau mengubah usulan",
        "review: {agency} works in review mode; it confirms or changes the proposal",
    ),
    "auto_mode": (
        "verifikasi: {agency} bekerja dalam mode otomatis",
        "review: {agency} works in auto mode",
    ),
    "manual": (
        "manual: {agency} ({username}) mendisposisikannya ke {target}",
        "manual: {agency} ({username}) dispatched it to {target}",
    ),
    "manual_instead": (
        "manual: {agency} ({username}) mendisposisikannya ke {target}, bukan ke usulan {proposed}",
        "manual: {agency} ({username}) dispatched it to {target} instead of the proposed "
        "{proposed}",
    ),
    "not_verified": (
        "verifikasi: {agency} tidak memverifikasinya dalam {days} hari kerja",
        "verification: {agency} did not verify it in {days} working days",
    ),
}

# why an agency was passed over: code -> (Indonesian, English)
REASONS = {
    "no_such_agency": ("instansi tidak ada", "no such agency"),
    "declined": ("instansi ini sudah menolak laporan ini", "it declined this report earlier"),
    "status": ("statusnya {status}", "status is {status}"),
    "not_competent": ("tidak berwenang atas {category}", "not competent for {category}"),
    "not_covering": (
        "wilayahnya tidak mencakup {region}",
        "its jurisdiction does not cover {region}",
    ),
    "less_local": (
        "kurang lokal (tingkat {level} lawan {best_level})",
        "less local ({level} vs {best_level} level)",
    ),
    "less_exact": ("kewenangannya kurang tepat ({match})", "competent less exactly ({match})"),
    "shallower": ("lebih dangkal di pohon instansi", "shallower in the agency tree"),
    "later_code": ("peringkat sama, kode lebih akhir", "same rank, later code"),
}

RULE_WORDS = {
    "named_agency": ("instansi yang disebut", "named_agency"),
    "suggested_agency": ("instansi yang disarankan", "suggested_agency"),
    "most_local": ("paling lokal", "most_local"),
    "national": ("pusat", "national"),
    "coordinator": ("koordinator", "coordinator"),
}
MATCH_WORDS = {
    EXACT: ("secara persis", "exactly"),
    VIA_ANCESTOR: ("melalui kategori induk", "via a parent category"),
    VIA_DESCENDANT: ("melalui subtopik", "via a sub-topic"),
}
LEVEL_WORDS = {
    1: ("provinsi", LEVEL_NAMES[1]),
    2: ("kabupaten/kota", LEVEL_NAMES[2]),
    3: ("kecamatan", LEVEL_NAMES[3]),
    4: ("desa/kelurahan", LEVEL_NAMES[4]),
}
STATUS_WORDS = {
    "pending": ("menunggu", "pending"),
    "active": ("aktif", "active"),
    "suspended": ("ditangguhkan", "suspended"),
}
NAMED_BY = {
    "reporter": ("disebut oleh pelapor", "named by the reporter"),
    "suggested": ("disarankan oleh {by}", "suggested by {by}"),
}
THE_LOCATION = ("lokasi", "the location")
AGENCY_KEYS = ("agency", "by", "target", "proposed", "duplicate_of_agency")
WORDS = {"rule": RULE_WORDS, "match": MATCH_WORDS, "status": STATUS_WORDS}
LEVEL_KEYS = ("level", "best_level")
LANGUAGES = ("id", "en")


def render(line: dict, lang: str, names=None) -> str:
    """``line`` (a step) in ``lang`` ('id' or 'en'); ``names`` gives agencies' names."""
    index = LANGUAGES.index(lang)
    values = _values(line, index, names)
    if "why" in line:
        values["why"] = REASONS[line["why"]][index].format(**values)
    if line["step"] in ("chose_named", "passed_over_named", "no_suggestion"):
        named_by = "suggested" if line.get("by") else "reporter"
        values["named_by"] = NAMED_BY[named_by][index].format(**values)
    return STEPS[line["step"]][index].format(**values)


def _values(line: dict, index: int, names) -> dict:
    values = {}
    for key, value in line.items():
        if key in AGENCY_KEYS and value:
            values[key] = _agency(value, names)
        elif key in WORDS:
            values[key] = WORDS[key].get(value, (value, value))[index]
        elif key in LEVEL_KEYS:
            values[key] = LEVEL_WORDS.get(value, (value, value))[index]
        elif key == "place":
            values[key] = value or THE_LOCATION[index]
        else:
            values[key] = value
    return values


def _agency(code: str, names) -> str:
    name = names(code) if names else None
    return f"{name} ({code})" if name else code
