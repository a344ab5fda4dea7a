"""SMS 1708 replies: Indonesian, plain GSM-7 characters, one 160-character segment each."""

from __future__ import annotations

import unicodedata

from shared import lifecycle
from shared.contracts.missing import ITEMS

SEGMENT = 160

# how each missing item is asked for in a reply: (name, the keyword that supplies it)
_ASK = {code: (item.short[0], item.keyword) for code, item in ITEMS.items()}


def fit(text: str) -> str:
    """``text`` in GSM-7-safe ASCII, cut to one segment."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = " ".join(plain.split())
    return plain if len(plain) <= SEGMENT else plain[: SEGMENT - 3].rstrip() + "..."


def state(status: str) -> str:
    """Where a report stands, as a reply says it: 'menunggu verifikasi' until a coordinator
    (or routing, outside review mode) has let it through."""
    if status == lifecycle.AWAITING_VERIFICATION:
        return "menunggu verifikasi"
    return "status " + lifecycle.STATUSES[status].label_id.lower()


def received(tracking_id: str, status: str, others: bool = False) -> str:
    head = f"Laporan diterima, no {tracking_id}, {state(status)}. Cek: CEK {tracking_id}."
    tail = " Menanggapi laporan lain: BALAS <no> <isi>." if others else ""
    return fit(head + tail)


def returned(tracking_id: str, missing: list[str]) -> str:
    names = ", ".join(dict.fromkeys(_ASK[item][0] for item in missing))
    hints = " ".join(dict.fromkeys(_ASK[item][1] for item in missing if _ASK[item][1]))
    head = f"Laporan {tracking_id} perlu dilengkapi: {names}."
    tail = f" Balas {hints}" if hints else " Balas dgn uraian yang lebih lengkap."
    return fit(head + tail)


def completed(tracking_id: str, status: str) -> str:
    return fit(f"Terima kasih. Laporan {tracking_id} sudah lengkap dan {state(status)}.")


def unknown_topic(tracking_id: str, nearest: list[str]) -> str:
    """The nearest topics, as many as fit whole (never a topic cut in half)."""
    for n in range(len(nearest), 0, -1):
        options = ", ".join(nearest[:n])
        reply = f"Laporan {tracking_id}: topik tidak dikenal. Mungkin: {options}. Balas KAT <topik>"
        if len(fit(reply)) == len(reply) <= SEGMENT:
            return reply
    return fit(f"Laporan {tracking_id}: topik tidak dikenal. Balas KAT <topik>")


def which_region(tracking_id: str, names: list[str]) -> str:
    choices = ", ".join(names[:-1]) + " atau " + names[-1]
    return fit(f"Laporan {tracking_id}: {choices}? Balas LOK Kab. <nama> atau LOK Kota <nama>")


def feedback_taken(tracking_id: str, satisfied: bool) -> str:
    if satisfied:
        return fit(f"Terima kasih. Tanggapan PUAS untuk {tracking_id} kami terima.")
    return fit(
        f"Tanggapan TIDAK PUAS untuk {tracking_id} kami terima; laporan akan ditindaklanjuti lagi."
    )


def not_awaiting_feedback(tracking_id: str, status: str) -> str:
    label = lifecycle.STATUSES[status].label_id.lower()
    return fit(f"{tracking_id} belum/tidak menunggu tanggapan Anda (status: {label}).")


def status(tracking_id: str, label: str, agency_name: str | None) -> str:
    where = f" di {agency_name}" if agency_name else ""
    return fit(f"{tracking_id}: {label}{where}.")


def commented(tracking_id: str, plain: bool = False) -> str:
    """``plain``: the reply carried no command, so it says how to file a new report instead."""
    tail = " Laporan baru: awali pesan dgn BARU." if plain else ""
    return fit(f"Tanggapan Anda untuk laporan {tracking_id} sudah kami terima.{tail}")


def withdrawn(tracking_id: str) -> str:
    return fit(f"Laporan {tracking_id} sudah dicabut atas permintaan Anda.")


NOT_FOUND = (
    "Nomor laporan tidak ditemukan. Periksa kembali nomornya, contoh: CEK LPR-7K3M-9Q2X-H4TB"
)
NOT_YOURS = "Laporan itu tidak terdaftar atas nomor ini. Kirim CEK <nomor> untuk melihat statusnya."
CANNOT = "Laporan itu tidak dapat diubah lagi pada statusnya sekarang."
FEEDBACK_GIVEN = "Tanggapan Anda atas tindak lanjut ini sudah kami terima sebelumnya."
NO_FEEDBACK_ID = "Sebutkan nomor laporan: PUAS <nomor> atau TIDAK PUAS <nomor> <alasan>."
EMPTY = "Ketik isi laporan Anda dan kirim ke 1708, atau CEK <nomor laporan> untuk status."
TOO_MANY = "Terlalu banyak pesan dari nomor ini. Silakan coba lagi nanti."
# while intake cannot store a message; also Kannel's reply-couldnotfetch (README)
TRY_AGAIN = (
    "Maaf, layanan 1708 sedang gangguan. Kirim ulang SMS Anda beberapa menit lagi."
    " / Service down, please resend in a few minutes."
)


def refused(reason: str) -> str:
    """A validation message ('<Indonesian> / <English>') as a reply: its Indonesian half."""
    return fit("Pesan ditolak: " + reason.split(" / ")[0] + ".")
