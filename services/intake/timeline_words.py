"""What intake's timeline says of each step of a report's life, in Indonesian and English
(``(id, en)`` pairs): one wording for the live handlers and for the history import alike."""

from __future__ import annotations

RECEIVED = ("Laporan diterima dan menunggu disposisi.", "Report received and awaiting dispatch.")
SATISFIED = ("Pelapor menyatakan puas.", "The reporter is satisfied.")
NOT_SATISFIED = ("Pelapor menyatakan belum puas.", "The reporter is not satisfied.")
WITHDRAWN = ("Laporan dicabut oleh pelapor.", "The reporter withdrew the report.")


def dispatched(agency: str) -> tuple[str, str]:
    return f"Laporan diteruskan ke {agency}.", f"Report dispatched to {agency}."


def declined(agency: str, reason: str) -> tuple[str, str]:
    return (
        f"{agency} menyatakan bukan kewenangannya: {reason}",
        f"{agency} declined, not its authority: {reason}",
    )


def escalated(to: list[str]) -> tuple[str, str]:
    names = ", ".join(to)
    return f"Laporan dieskalasi kepada {names}.", f"Report escalated to {names}."


def followed_up(agency: str, final: bool) -> tuple[str, str]:
    if final:
        return (
            f"{agency} memberi tindak lanjut akhir. Mohon beri tanggapan: puas atau tidak puas.",
            f"{agency} posted its final follow-up. Please say whether you are satisfied.",
        )
    return f"{agency} menindaklanjuti laporan.", f"{agency} followed up on the report."


def feedback(satisfied: bool) -> tuple[str, str]:
    return SATISFIED if satisfied else NOT_SATISFIED
