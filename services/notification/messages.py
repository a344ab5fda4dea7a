"""What the reporter is told about each event, in Indonesian and English."""

from __future__ import annotations


def report_received(body: dict) -> tuple[str, str]:
    tid = body["tracking_id"]
    return (
        f"Laporan Anda telah diterima. Nomor pelacakan: {tid}.",
        f"Your report has been received. Tracking id: {tid}.",
    )


def report_routed(body: dict) -> tuple[str, str]:
    tid, agency = body["tracking_id"], body["agency_name"]
    return (
        f"Laporan {tid} telah diteruskan ke {agency} untuk ditindaklanjuti.",
        f"Report {tid} has been dispatched to {agency} for follow-up.",
    )
