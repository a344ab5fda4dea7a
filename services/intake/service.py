"""Intake: the citizen's door on every channel. One nameko service, "intake", made of doors:

- web.reports     the HTTP JSON API (file, follow, supplement, comment, feedback, withdraw)
- web.accounts    reporter registration and sign-in
- sms.door        SMS 1708 through a Kannel-style gateway
- twitter.door    the Twitter/X Account Activity webhook
- open311.door    Open311 GeoReport v2
- web.public      the public listing and report page

and here: the routing event it consumes and the sweep that archives returned reports whose
deadline passed.
"""

from __future__ import annotations

import logging

from nameko.timer import timer
from sqlalchemy import select

from services.intake import (
    duplicates,
    expiry,
    filing,
    mirroring,
    openapi,
    records,
    staff_search,
    timeline_words,
    tokens,
    verdicts,
)
from services.intake.door import proves_reporter
from services.intake.models import attachments, identity_reads, metadata, reports
from services.intake.open311.door import Open311Door
from services.intake.providers import Configured
from services.intake.sms.door import SmsDoor
from services.intake.twitter.door import TwitterDoor
from services.intake.web.accounts import AccountsDoor
from services.intake.web.audit import AuditDoor
from services.intake.web.public import PublicDoor
from services.intake.web.regions import RegionsDoor
from services.intake.web.reports import ReportsDoor
from shared import blob_sweep, privacy
from shared.auth import InvalidToken, StaffTokens
from shared.blobs import BlobStore
from shared.clock import Clock
from shared.db import Database
from shared.messaging import handles
from shared.ops import Operations
from shared.rpc import rpc_for
from shared.timers import configured_timer
from shared.tracking import normalise

log = logging.getLogger(__name__)

ARCHIVE_SWEEP_SECONDS = 60
COORDINATOR_ROLES = frozenset({"coordinator_admin", "national_admin"})


class Intake(
    ReportsDoor,
    AccountsDoor,
    SmsDoor,
    TwitterDoor,
    Open311Door,
    PublicDoor,
    RegionsDoor,
    AuditDoor,
    Operations,
):
    name = "intake"
    api_doc = openapi.API

    db = Database(metadata)
    clock = Clock()
    settings = Configured()
    blobs = BlobStore()
    staff_tokens = StaffTokens()

    @handles("report_routed")
    def on_report_routed(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "PROV-73-DISDIK", "agency_name": "…", …}"""
        mirroring.mark_routed(tx, event.body, self.clock.now())

    @handles("disposition_archived")
    def on_disposition_archived(self, tx, event):
        """{"tracking_id": "LPR-…", "reason": "duplicate", "duplicate_of": "LPR-…", "note": "…"}
        → archived, on the timeline (a duplicate points to its original), told to the reporter"""
        verdicts.archived(tx, event.body, self.clock.now())

    @handles("disposition_postponed")
    def on_disposition_postponed(self, tx, event):
        """{"tracking_id": "LPR-…", "note": "Sebutkan nama sekolah"} → returned, the note as
        what is missing, 10 working days to complete it"""
        verdicts.postponed(tx, event.body, self.settings.filing, self.clock.now())

    @handles("disposition_corrected")
    def on_disposition_corrected(self, tx, event):
        """{"tracking_id": "LPR-…", "before": {"privacy": "public"}, "after": {"privacy":
        "confidential"}} → intake's copy corrected, a timeline line"""
        verdicts.corrected(tx, event.body, self.clock.now())

    @handles("followup_posted")
    def on_followup_posted(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_name": "…", "text": "…", "final": true,
        "status": "awaiting_feedback", …} → on the reporter's timeline."""
        mirroring.followup_posted(tx, event.body, self.clock.now())

    @handles("manual_dispatch_queued")
    def on_manual_dispatch_queued(self, tx, event):
        """{"tracking_id": "LPR-…", "coordinator_code": "…", "coordinator_name": "…"}"""
        mirroring.queued_for_manual_dispatch(tx, event.body, self.clock.now())

    @handles("disposition_declined")
    def on_disposition_declined(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_name": "…", "reason": "…"} → a timeline line."""
        body = event.body
        self._note(
            tx,
            body["tracking_id"],
            *timeline_words.declined(body["agency_name"], body["reason"]),
        )

    @handles("report_escalated")
    def on_report_escalated(self, tx, event):
        """{"tracking_id": "LPR-…", "escalated_to": ["…"], "reason": "…"} → a timeline line."""
        body = event.body
        self._note(tx, body["tracking_id"], *timeline_words.escalated(body["escalated_to"]))

    def _note(self, tx, tracking_id: str, text_id: str, text_en: str) -> None:
        status = tx.session.execute(
            select(reports.c.status).where(reports.c.tracking_id == tracking_id)
        ).scalar()
        if status is not None:
            mirroring.noted(tx, tracking_id, status, text_id, text_en, self.clock.now())

    @handles("report_status_changed")
    def on_report_status_changed(self, tx, event):
        """{"tracking_id": "LPR-…", "status": "completed", "previous_status":
        "awaiting_feedback", "reason": "feedback_timeout", …}"""
        mirroring.status_changed(tx, event.body, self.clock.now())

    @rpc_for("notification")
    def reporter_contact(self, tracking_id: str) -> dict | None:
        """reporter_contact("LPR-…") → {"phone": "+62…", "email": None, "twitter_id": None}:
        where the notification service reaches the reporter on their channel (SPEC §3: used to
        deliver, never shown to a person). None for an unknown report."""
        with self.db.read() as session:
            rec = records.load(session, normalise(tracking_id or ""), with_details=False)
        if rec is None:
            return None
        address = privacy.view(rec, privacy.DELIVERY, privacy.NOTIFICATION)
        return {
            "phone": address.get("reporter_phone"),
            "email": address.get("reporter_email"),
            "twitter_id": address.get("reporter_social_id"),
        }

    @rpc_for("notification", "portal", "routing")
    def authorise_reporter(self, tracking_id: str, credentials: dict) -> bool:
        """authorise_reporter("LPR-…", {"report_key": "…"}) → True when the credentials prove
        the caller is the report's reporter: ``report_key`` (filed without an account),
        ``token`` (the reporter's sign-in token) or ``open311_token``. Notification's inbox
        asks before it shows a reporter their messages, routing before it hands them an
        agency's follow-up file; a tracking id alone proves nothing."""
        credentials = credentials or {}
        reporter_id = None
        if credentials.get("token"):
            try:
                reporter_id = tokens.verify(
                    self.settings.token_secret, credentials["token"], self.clock.now()
                )
            except tokens.InvalidToken:
                return False
        with self.db.read() as session:
            row = session.execute(
                select(reports).where(reports.c.tracking_id == normalise(tracking_id or ""))
            ).first()
        return row is not None and proves_reporter(
            row,
            reporter_id=reporter_id,
            report_key=credentials.get("report_key"),
            open311_token=credentials.get("open311_token"),
        )

    @rpc_for("routing")
    def report_for_staff(self, tracking_id: str, agency_code: str, token: str):
        """report_for_staff("LPR-…", "KAB-73-11-DISDIK", "<the staff member's Bearer token>")
        → the report as SPEC §3 lets that staff member see it; None for an unknown report or
        a token that does not verify. Routing's desk asks, passing on the token it was given
        (it has checked that the person holds, watches or coordinates the report). The viewer
        comes from the token's role, verified here with the registry's public key, never from
        the caller: coordinator_admin and national_admin → coordinator, others → agency. Every
        read of a confidential reporter's identity is a row in identity_reads."""
        try:
            staff = self.staff_tokens.verifier.verify(token or "")
        except InvalidToken:
            log.warning("report_for_staff: a token that does not verify was refused")
            return None
        if self.staff_tokens.changes.refuses(staff):  # deactivated, moved or re-roled since
            log.warning("report_for_staff: a token older than its account's change was refused")
            return None
        viewer = privacy.COORDINATOR if staff.role in COORDINATOR_ROLES else privacy.AGENCY
        with self.db.transaction() as tx:
            rec = records.load(tx.session, normalise(tracking_id or ""), with_details=True)
            if rec is None:
                return None
            if viewer == privacy.COORDINATOR and rec.get("privacy") == privacy.CONFIDENTIAL:
                tx.session.execute(
                    identity_reads.insert().values(
                        tracking_id=rec["tracking_id"],
                        staff_id=str(staff.staff_id),
                        username=staff.username,
                        role=staff.role,
                        agency_code=staff.agency_code,
                        at=self.clock.now(),
                    )
                )
        return privacy.view(rec, viewer, privacy.JSON)

    @timer(interval=ARCHIVE_SWEEP_SECONDS)
    def archive_overdue(self):
        """Every minute: returned reports past their deadline are archived as incomplete. Each
        is a conditional update, so several copies of intake archive each report once."""
        now = self.clock.now()
        with self.db.read() as session:
            due = expiry.overdue(session, now)
        archived = 0
        for tracking_id in due:
            with self.db.transaction() as tx:
                archived += expiry.archive_if_overdue(tx, tracking_id, now)
        if archived:
            log.info("archived %d returned reports past their deadline", archived)
        return archived

    @configured_timer(interval=3600, config_key="BLOB_SWEEP_SECONDS")
    def sweep_files(self):
        """Every hour: uploads no report named within a day are forgotten, then the files no
        upload names are removed (shared.blob_sweep)."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            forgotten = filing.forget_unclaimed(tx, now - blob_sweep.GRACE)
        done = blob_sweep.sweep(self.blobs, self.db, attachments.c.sha256, now)
        return {"forgotten": forgotten, **done}

    @rpc_for("routing")
    def search_for_staff(self, text: str, limit: int = 1000) -> list[str]:
        """search_for_staff("pungutan sma", 1000) → ["LPR-…", …]: submitted reports whose
        title or body holds every word, newest first (routing's desk asks, then shows only
        what the person may see). Tracking ids only; the words are never logged."""
        with self.db.read() as session:
            return staff_search.matching(session, text, limit)

    @rpc_for("routing")
    def duplicates_for_staff(self, tracking_id: str, limit: int = 20) -> list[dict]:
        """duplicates_for_staff("LPR-…", 20) → [{"tracking_id": "LPR-…", "score": 86,
        "submitted_at": "2026-…"}]: reports of the same regency and category family, within
        30 days, whose words are alike (services.intake.duplicates), most alike first.
        Routing's desk asks, then shows only what the person may see; nothing is archived."""
        with self.db.read() as session:
            found, _ = duplicates.candidates(session, normalise(tracking_id or ""), limit)
        return found
