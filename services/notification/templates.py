"""What each person is told, per event kind, in Indonesian (default) and English.

Every kind has a subject, a text (inbox, email, Twitter DM, webhook) and an SMS text that must
fit one 160-character segment. Context holds no identity: messages go to the reporter or to
staff, and SPEC §3 forbids naming an anonymous or confidential reporter to anyone else.
"""

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined

SMS_LIMIT = 160

TEMPLATES: dict[str, dict[str, dict[str, str]]] = {
    "report_received": {
        "id": {
            "subject": "Laporan {{ tracking_id }} diterima",
            "text": "Laporan Anda telah diterima. Nomor pelacakan: {{ tracking_id }}. "
            "Simpan nomor ini untuk memantau laporan Anda.",
            "sms": "LAPOR: laporan diterima. No. pelacakan {{ tracking_id }}. "
            "Cek status: ketik CEK {{ tracking_id }} ke 1708.",
        },
        "en": {
            "subject": "Report {{ tracking_id }} received",
            "text": "Your report has been received. Tracking id: {{ tracking_id }}. "
            "Keep it to follow your report.",
            "sms": "LAPOR: report received. Tracking id {{ tracking_id }}. "
            "Status: send CEK {{ tracking_id }} to 1708.",
        },
    },
    "report_routed": {
        "id": {
            "subject": "Laporan {{ tracking_id }} diteruskan",
            "text": "Laporan {{ tracking_id }} telah diteruskan ke {{ agency_name }} "
            "untuk ditindaklanjuti.",
            "sms": "LAPOR: laporan {{ tracking_id }} diteruskan ke {{ agency_name }}.",
        },
        "en": {
            "subject": "Report {{ tracking_id }} dispatched",
            "text": "Report {{ tracking_id }} has been dispatched to {{ agency_name }} "
            "for follow-up.",
            "sms": "LAPOR: report {{ tracking_id }} dispatched to {{ agency_name }}.",
        },
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


def languages(language: str | None) -> str:
    return language if language in ("id", "en") else "id"


def render(kind: str, language: str | None, context: dict) -> dict[str, str]:
    """{"subject", "text", "sms"} for ``kind`` in ``language`` (Indonesian if unknown)."""
    lang = languages(language)
    parts = {
        part: _env.get_template(f"{kind}/{lang}/{part}").render(context)
        for part in TEMPLATES[kind][lang]
    }
    parts["sms"] = fit_sms(parts["sms"])
    return parts


def fit_sms(text: str, limit: int = SMS_LIMIT) -> str:
    """One segment: a text that would run over is cut at a word and marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
