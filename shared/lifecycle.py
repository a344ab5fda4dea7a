"""The statuses of a report (SPEC §4), their labels and colours."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    name: str
    label_id: str
    label_en: str
    colour: str | None
    rank: int  # how far along the life of a report: a later event never moves it back


STATUSES = {
    status.name: status
    for status in (
        Status("returned", "Dikembalikan", "Returned", None, 0),
        Status("awaiting_verification", "Belum terverifikasi", "Awaiting verification", None, 1),
        Status("dispatched", "Belum ditindaklanjuti", "Dispatched", "red", 2),
        Status("in_progress", "Proses", "In progress", "yellow", 3),
        Status("awaiting_feedback", "Menunggu tanggapan pelapor", "Awaiting feedback", "yellow", 4),
        Status("completed", "Selesai", "Completed", "green", 5),
        Status("archived", "Diarsipkan", "Archived", None, 6),
    )
}


def describe(name: str) -> dict:
    status = STATUSES[name]
    return {
        "code": status.name,
        "label": {"id": status.label_id, "en": status.label_en},
        "colour": status.colour,
    }
