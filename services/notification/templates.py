"""What each person is told, per event kind, in Indonesian (default) and English.

Every kind has a subject, a text (inbox, email, Twitter DM, webhook) and an SMS text that fits
one GSM 7-bit segment (160 septets, sms_encoding) with the longest agency name of the national
template; the SMS names missing items with short labels. A text that still runs over (a name
an admin gave, with a character outside the GSM alphabet) is sent whole in parts, never cut. Context holds no identity: messages go to the reporter or to
staff, and SPEC §3 forbids naming an anonymous or confidential reporter to anyone else.
Coded values (missing items, archive reasons, clocks) are passed as codes and labelled here,
in the recipient's language.
"""

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined

from shared import dates
from shared.contracts.missing import ITEMS

# label lists the templates join with ", " (one table for every service: shared.contracts.missing)
MISSING_LABELS = {code: item.label for code, item in ITEMS.items()}
# the same, short enough for an SMS
MISSING_SMS_LABELS = {code: item.short for code, item in ITEMS.items()}
ARCHIVE_LABELS = {
    "incomplete": ("tidak dilengkapi sampai batas waktu", "not completed before the deadline"),
    "duplicate": ("duplikat laporan lain", "a duplicate of another report"),
    "spam": ("spam", "spam"),
    "not_public_service": ("bukan tentang pelayanan publik", "not about a public service"),
    "withdrawn": ("dicabut oleh pelapor", "withdrawn by the reporter"),
}
CLOCK_LABELS = {
    "verification": ("verifikasi", "verification"),
    "first_followup": ("tindak lanjut pertama", "first follow-up"),
    "resolution": ("penyelesaian", "resolution"),
    "feedback": ("tanggapan pelapor", "reporter feedback"),
}


def _msg(subject: str, text: str, sms: str) -> dict[str, str]:
    return {"subject": subject, "text": text, "sms": sms}


TEMPLATES: dict[str, dict[str, dict[str, str]]] = {
    # to the reporter
    "report_received": {
        "id": _msg(
            "Laporan {{ tracking_id }} diterima",
            "Laporan Anda telah diterima. Nomor pelacakan: {{ tracking_id }}. "
            "Simpan nomor ini untuk memantau laporan Anda.",
            "LAPOR: laporan diterima. No. pelacakan {{ tracking_id }}. "
            "Cek status: ketik CEK {{ tracking_id }} ke 1708.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} received",
            "Your report has been received. Tracking id: {{ tracking_id }}. "
            "Keep it to follow your report.",
            "LAPOR: report received. Tracking id {{ tracking_id }}. "
            "Status: send CEK {{ tracking_id }} to 1708.",
        ),
    },
    "report_returned": {
        "id": _msg(
            "Laporan {{ tracking_id }} perlu dilengkapi",
            "Laporan {{ tracking_id }} belum lengkap. Mohon lengkapi: {{ missing }}. "
            "{% if note is defined and note %}Catatan verifikator: {{ note }} {% endif %}"
            "Batas waktu: {{ deadline }}.",
            "LAPOR {{ tracking_id }}: mohon lengkapi "
            "{{ note if note is defined and note else missing }}. Balas SMS ini.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} needs more information",
            "Report {{ tracking_id }} is incomplete. Please add: {{ missing }}. "
            "{% if note is defined and note %}The coordinator's note: {{ note }} {% endif %}"
            "Deadline: {{ deadline }}.",
            "LAPOR {{ tracking_id }}: please add "
            "{{ note if note is defined and note else missing }}. Reply to this SMS.",
        ),
    },
    "report_routed": {
        "id": _msg(
            "Laporan {{ tracking_id }} diteruskan",
            "Laporan {{ tracking_id }} telah diteruskan ke {{ agency_name }} "
            "untuk ditindaklanjuti.",
            "LAPOR: laporan {{ tracking_id }} diteruskan ke {{ agency_name }}.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} dispatched",
            "Report {{ tracking_id }} has been dispatched to {{ agency_name }} for follow-up.",
            "LAPOR: report {{ tracking_id }} dispatched to {{ agency_name }}.",
        ),
    },
    "followup": {
        "id": _msg(
            "Tindak lanjut laporan {{ tracking_id }}",
            "{{ agency_name }} menindaklanjuti laporan {{ tracking_id }}: {{ text }}",
            "LAPOR: tindak lanjut dari {{ agency_name }}. Ketik CEK {{ tracking_id }}",
        ),
        "en": _msg(
            "Follow-up on report {{ tracking_id }}",
            "{{ agency_name }} followed up report {{ tracking_id }}: {{ text }}",
            "LAPOR: follow-up from {{ agency_name }}. Send CEK {{ tracking_id }}",
        ),
    },
    "awaiting_feedback": {
        "id": _msg(
            "Laporan {{ tracking_id }} menunggu tanggapan Anda",
            "{{ agency_name }} menyatakan laporan {{ tracking_id }} selesai ditindaklanjuti: "
            "{{ text }} Apakah Anda puas? Tanpa tanggapan, laporan selesai pada {{ deadline }}.",
            "LAPOR {{ tracking_id }}: {{ agency_name }} selesai. Puas? Balas PUAS/TIDAK PUAS",
        ),
        "en": _msg(
            "Report {{ tracking_id }} awaits your feedback",
            "{{ agency_name }} considers report {{ tracking_id }} dealt with: {{ text }} "
            "Are you satisfied? Without an answer it is completed on {{ deadline }}.",
            "LAPOR {{ tracking_id }}: {{ agency_name }} finished. Satisfied? PUAS/TIDAK PUAS",
        ),
    },
    "report_completed": {
        "id": _msg(
            "Laporan {{ tracking_id }} selesai",
            "Laporan {{ tracking_id }} telah selesai. Terima kasih atas partisipasi Anda.",
            "LAPOR: laporan {{ tracking_id }} selesai. Terima kasih.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} completed",
            "Report {{ tracking_id }} is completed. Thank you for taking part.",
            "LAPOR: report {{ tracking_id }} completed. Thank you.",
        ),
    },
    "report_reopened": {
        "id": _msg(
            "Laporan {{ tracking_id }} dibuka kembali",
            "Laporan {{ tracking_id }} kembali diproses oleh instansi yang menanganinya.",
            "LAPOR: laporan {{ tracking_id }} diproses kembali.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} reopened",
            "Report {{ tracking_id }} is being handled again by the agency that holds it.",
            "LAPOR: report {{ tracking_id }} reopened.",
        ),
    },
    "report_archived": {
        "id": _msg(
            "Laporan {{ tracking_id }} diarsipkan",
            "Laporan {{ tracking_id }} diarsipkan: {{ reason }}."
            "{% if duplicate_of is defined and duplicate_of %}"
            " Ikuti perkembangannya di laporan {{ duplicate_of }}.{% endif %}",
            "LAPOR: laporan {{ tracking_id }} diarsipkan: {{ reason }}."
            "{% if duplicate_of is defined and duplicate_of %}"
            " Ikuti {{ duplicate_of }}.{% endif %}",
        ),
        "en": _msg(
            "Report {{ tracking_id }} archived",
            "Report {{ tracking_id }} was archived: {{ reason }}."
            "{% if duplicate_of is defined and duplicate_of %}"
            " Follow report {{ duplicate_of }} instead.{% endif %}",
            "LAPOR: report {{ tracking_id }} archived: {{ reason }}."
            "{% if duplicate_of is defined and duplicate_of %}"
            " Follow {{ duplicate_of }}.{% endif %}",
        ),
    },
    # to agency staff (in-app)
    "new_disposition": {
        "id": _msg(
            "Disposisi baru {{ tracking_id }}",
            "Laporan {{ tracking_id }} didisposisikan ke {{ agency_name }}. "
            "Tindak lanjut pertama paling lambat {{ deadline }}.",
            "LAPOR: disposisi baru {{ tracking_id }}.",
        ),
        "en": _msg(
            "New disposition {{ tracking_id }}",
            "Report {{ tracking_id }} was dispatched to {{ agency_name }}. "
            "First follow-up due by {{ deadline }}.",
            "LAPOR: new disposition {{ tracking_id }}.",
        ),
    },
    "watcher_copy": {
        "id": _msg(
            "Tembusan laporan {{ tracking_id }}",
            "Tembusan: laporan {{ tracking_id }} berkadar pengawasan ditangani {{ agency_name }}.",
            "LAPOR: tembusan {{ tracking_id }}.",
        ),
        "en": _msg(
            "Copy of report {{ tracking_id }}",
            "For your oversight: report {{ tracking_id }} is handled by {{ agency_name }}.",
            "LAPOR: copy of {{ tracking_id }}.",
        ),
    },
    "deadline_approaching": {
        "id": _msg(
            "Batas waktu {{ clock }} {{ tracking_id }} besok",
            "Batas waktu {{ clock }} laporan {{ tracking_id }} jatuh pada {{ deadline }}.",
            "LAPOR {{ tracking_id }}: batas {{ clock }} {{ deadline }}.",
        ),
        "en": _msg(
            "{{ clock }} of {{ tracking_id }} due within a working day",
            "The {{ clock }} deadline of report {{ tracking_id }} is {{ deadline }}.",
            "LAPOR {{ tracking_id }}: {{ clock }} due {{ deadline }}.",
        ),
    },
    "deadline_breached": {
        "id": _msg(
            "Batas waktu {{ clock }} {{ tracking_id }} terlewati",
            "Batas waktu {{ clock }} laporan {{ tracking_id }} ({{ deadline }}) terlewati.",
            "LAPOR {{ tracking_id }}: batas {{ clock }} terlewati.",
        ),
        "en": _msg(
            "{{ clock }} deadline of {{ tracking_id }} missed",
            "The {{ clock }} deadline of report {{ tracking_id }} ({{ deadline }}) has passed.",
            "LAPOR {{ tracking_id }}: {{ clock }} deadline missed.",
        ),
    },
    "reopened_for_agency": {
        "id": _msg(
            "Laporan {{ tracking_id }} dibuka kembali",
            "Pelapor belum puas: laporan {{ tracking_id }} kembali untuk ditindaklanjuti.",
            "LAPOR {{ tracking_id }}: pelapor belum puas.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} reopened",
            "The reporter is not satisfied: report {{ tracking_id }} is back for follow-up.",
            "LAPOR {{ tracking_id }}: reporter not satisfied.",
        ),
    },
    "reporter_commented": {
        "id": _msg(
            "Tanggapan pelapor {{ tracking_id }}",
            "Pelapor menambahkan tanggapan pada laporan {{ tracking_id }}; bacalah di meja kerja.",
            "LAPOR {{ tracking_id }}: tanggapan baru dari pelapor.",
        ),
        "en": _msg(
            "Reporter's comment {{ tracking_id }}",
            "The reporter commented on report {{ tracking_id }}; read it at the desk.",
            "LAPOR {{ tracking_id }}: new comment from the reporter.",
        ),
    },
    "manual_dispatch": {
        "id": _msg(
            "Laporan {{ tracking_id }} perlu disposisi manual",
            "Laporan {{ tracking_id }} menunggu disposisi manual oleh {{ agency_name }}.",
            "LAPOR {{ tracking_id }}: perlu disposisi manual.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} needs manual dispatch",
            "Report {{ tracking_id }} waits for manual dispatch by {{ agency_name }}.",
            "LAPOR {{ tracking_id }}: needs manual dispatch.",
        ),
    },
    "proposal": {
        "id": _msg(
            "Usulan disposisi {{ tracking_id }}",
            "Laporan {{ tracking_id }} diusulkan ke {{ agency_name }}: mohon verifikasi.",
            "LAPOR {{ tracking_id }}: mohon verifikasi.",
        ),
        "en": _msg(
            "Proposed dispatch {{ tracking_id }}",
            "Report {{ tracking_id }} is proposed for {{ agency_name }}: please verify.",
            "LAPOR {{ tracking_id }}: please verify.",
        ),
    },
    "escalated": {
        "id": _msg(
            "Eskalasi laporan {{ tracking_id }}",
            "Laporan {{ tracking_id }} yang ditangani {{ agency_name }} dieskalasi kepada Anda.",
            "LAPOR {{ tracking_id }}: eskalasi.",
        ),
        "en": _msg(
            "Report {{ tracking_id }} escalated",
            "Report {{ tracking_id }}, held by {{ agency_name }}, is escalated to you.",
            "LAPOR {{ tracking_id }}: escalated.",
        ),
    },
}

_env = Environment(
    loader=DictLoader(
        {
            f"{kind}/{lang}/{part}": text
            for kind, langs in TEMPLATES.items()
            for lang, parts in langs.items()
            for part, text in parts.items()
        }
    ),
    undefined=StrictUndefined,  # a missing value is a bug, not an empty gap in a message
    autoescape=False,  # plain text everywhere; nothing here is rendered as HTML
    keep_trailing_newline=False,
)


# staff read a deadline as a moment in the report's local time ("15 Desember 2026, 14.00 WITA");
# a reporter's SMS-sized messages keep the day
AT_LOCAL_TIME = frozenset({"new_disposition", "deadline_approaching", "deadline_breached"})


def languages(language: str | None) -> str:
    return language if language in ("id", "en") else "id"


def render(kind: str, language: str | None, context: dict, only=None) -> dict[str, str]:
    """{"subject", "text", "sms"} for ``kind`` in ``language`` (Indonesian if unknown); with
    ``only`` ("text", …) just those parts."""
    lang = languages(language)
    index = 0 if lang == "id" else 1
    parts = {
        part: _env.get_template(f"{kind}/{lang}/{part}").render(
            _labelled(context, index, short=part == "sms", at_time=kind in AT_LOCAL_TIME)
        )
        for part in TEMPLATES[kind][lang]
        if only is None or part in only
    }
    if "sms" in parts:
        parts["sms"] = " ".join(parts["sms"].split())
    return parts


def _labelled(context: dict, index: int, short: bool = False, at_time: bool = False) -> dict:
    labelled = dict(context)
    if "missing" in context:
        labels = MISSING_SMS_LABELS if short else MISSING_LABELS
        labelled["missing"] = ", ".join(labels[item][index] for item in context["missing"])
    if "reason" in context:
        labelled["reason"] = ARCHIVE_LABELS[context["reason"]][index]
    if "clock" in context:
        labelled["clock"] = CLOCK_LABELS[context["clock"]][index]
    if "deadline" in context:  # an ISO timestamp
        labelled["deadline"] = _deadline(context, index, at_time and not short)
    return labelled


def _deadline(context: dict, index: int, at_time: bool) -> str:
    """The day (a reporter needs no more), or the moment in the region's local time; what is
    not a timestamp ("-": no deadline) as it is."""
    value = str(context["deadline"])
    if not at_time:
        return value[:10]
    try:
        return dates.moment(("id", "en")[index], value, context.get("region_code"))
    except ValueError:
        return value
