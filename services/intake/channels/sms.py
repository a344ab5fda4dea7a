"""SMS 1708 replies: Indonesian, plain GSM-7 characters, one 160-character segment each."""

from __future__ import annotations

import unicodedata

SEGMENT = 160

# how each missing item is asked for in a reply: (name, the keyword that supplies it)
_ASK = {
    "body": ("uraian", None),
    "category": ("kategori", "KAT <topik>"),
    "region": ("lokasi", "LOK <kab/kota>"),
    "event_date": ("tanggal", "TGL <tgl-bln-thn>"),
    "parties": ("pihak terlibat", "PIHAK <nama>"),
    "category_or_agency": ("kategori", "KAT <topik>"),
}


def fit(text: str) -> str:
    """``text`` in GSM-7-safe ASCII, cut to one segment."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = " ".join(plain.split())
    return plain if len(plain) <= SEGMENT else plain[: SEGMENT - 3].rstrip() + "..."


def received(tracking_id: str) -> str:
    return fit(f"Laporan diterima, no {tracking_id}. Cek status: kirim CEK {tracking_id} ke 1708.")


def returned(tracking_id: str, missing: list[str]) -> str:
    names = ", ".join(dict.fromkeys(_ASK[item][0] for item in missing))
    hints = " ".join(dict.fromkeys(_ASK[item][1] for item in missing if _ASK[item][1]))
    head = f"Laporan {tracking_id} perlu dilengkapi: {names}."
    tail = f" Balas {hints}" if hints else " Balas dgn uraian yang lebih lengkap."
    return fit(head + tail)


def completed(tracking_id: str) -> str:
    return fit(f"Terima kasih. Laporan {tracking_id} sudah lengkap dan diteruskan ke instansi.")


def status(tracking_id: str, label: str, agency_name: str | None) -> str:
    where = f" di {agency_name}" if agency_name else ""
    return fit(f"{tracking_id}: {label}{where}.")


def commented(tracking_id: str) -> str:
    return fit(f"Tanggapan Anda untuk laporan {tracking_id} sudah kami terima.")


def withdrawn(tracking_id: str) -> str:
    return fit(f"Laporan {tracking_id} sudah dicabut atas permintaan Anda.")


NOT_FOUND = (
    "Nomor laporan tidak ditemukan. Periksa kembali nomornya, contoh: CEK LPR-7K3M-9Q2X-H4TB"
)
NOT_YOURS = "Laporan itu tidak terdaftar atas nomor ini. Kirim CEK <nomor> untuk melihat statusnya."
CANNOT = "Laporan itu tidak dapat diubah lagi pada statusnya sekarang."
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
