"""What a report can lack (SPEC §2): the codes events carry in ``missing``, and what each is
called wherever a person reads it — one table, so an SMS reply, a notification and a page
never name the same item three ways.

``label``: in a sentence (inbox, email, a page); ``short``: in an SMS. Each (Indonesian,
English). ``keyword``: the SMS 1708 command that supplies it, if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    label: tuple[str, str]
    short: tuple[str, str]
    keyword: str | None


ITEMS: dict[str, Item] = {
    "body": Item(
        ("uraian kejadian yang cukup jelas", "a clear account of what happened"),
        ("uraian", "account"),
        None,
    ),
    "category": Item(("kategori", "a category"), ("kategori", "category"), "KAT <topik>"),
    "region": Item(
        ("lokasi (kode wilayah kabupaten/kota)", "the location (regency/city region code)"),
        ("lokasi", "location"),
        "LOK <kab/kota>",
    ),
    "event_date": Item(
        ("tanggal kejadian", "the date it happened"), ("tanggal", "date"), "TGL <tgl-bln-thn>"
    ),
    "parties": Item(
        ("pihak yang terlibat", "the people involved"),
        ("pihak terlibat", "people involved"),
        "PIHAK <nama>",
    ),
    "category_or_agency": Item(
        ("kategori atau instansi tujuan", "a category or the agency meant"),
        ("kategori/instansi", "category/agency"),
        "KAT <topik>",
    ),
    # a coordinator postponed the report; the event's ``note`` says what to add
    "coordinator_note": Item(
        ("yang diminta verifikator", "what the coordinator asked for"),
        ("catatan verifikator", "coordinator's note"),
        None,
    ),
}
MISSING_ITEMS = tuple(ITEMS)
