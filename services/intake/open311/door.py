"""Open311 GeoReport v2 under /open311/v2/ (services = categories, requests = reports)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.intake import filing, idempotency, keys, listing, records, schemas
from services.intake.door import Door
from services.intake.models import reports
from services.intake.open311 import georeport
from services.intake.open311.wire import Open311Error, paging, render, speaks_open311, when
from shared import privacy
from shared.problems import field_errors
from shared.tracking import normalise
from shared.web import http

FORMATS = "<any(json,xml):fmt>"
# report fields → the Open311 parameter a client sent them as
PARAMETER = {
    "category_id": "service_code",
    "body": "description",
    "location.region_code": "address_id",
    "location.address": "address_string",
    "location.latitude": "lat",
    "location.longitude": "long",
    "event_date": "attribute[event_date]",
    "classification": "attribute[classification]",
    "privacy": "attribute[privacy]",
    "parties": "attribute[parties]",
    "reporter.phone": "phone",
    "reporter.email": "email",
    "reporter.name": "first_name",
}


class Open311Door(Door):
    @http("GET", f"/open311/discovery.{FORMATS}")
    @speaks_open311
    def open311_discovery(self, request, fmt):
        """GET /open311/discovery.json → {"changeset": …, "endpoints": [{"url": …/open311/v2,
        "specification": "http://wiki.open311.org/GeoReport_v2", …}]} (spec: Service Discovery)."""
        found = georeport.discovery(request.host_url.rstrip("/") + "/open311/v2")
        nested = {"endpoints": "endpoint", "formats": "format"}
        return render(fmt, found, root="discovery", nested=nested)

    @http("GET", f"/open311/v2/services.{FORMATS}")
    @speaks_open311
    def open311_services(self, request, fmt):
        """GET /open311/v2/services.json → [{"service_code": "pendidikan.sma", "service_name": …}]"""
        return render(fmt, georeport.services(), root="services", item="service")

    @http("GET", f"/open311/v2/services/<string:code>.{FORMATS}")
    @speaks_open311
    def open311_service(self, request, code, fmt):
        """GET /open311/v2/services/pendidikan.sma.json → {"service_code": …, "attributes": [...]}"""
        found = georeport.definition(code)
        if found is None:
            raise Open311Error(404, [f"service_code {code} not found"])
        nested = {"attributes": "attribute", "values": "value"}
        return render(fmt, found, root="service_definition", nested=nested)

    @http("POST", f"/open311/v2/requests.{FORMATS}")
    @speaks_open311
    def open311_create(self, request, fmt):
        """POST /open311/v2/requests.json (form: api_key, service_code, description, address_id=73.11,
        address_string, lat, long, attribute[event_date]=2026-11-20, email, phone, first_name,
        last_name) → 201 [{"service_request_id": "LPR-…", "token": "…", "service_notice": …}]."""
        form = request.form
        with self.db.read() as session:
            integrator = keys.integrator_of(session, form.get("api_key"))
        if integrator is None:
            raise Open311Error(403, ["api_key missing or invalid"])
        self.throttle("open311", integrator, self.settings.http_limit)
        if not form.get("service_code"):
            raise Open311Error(400, ["service_code: required"])
        raw = georeport.draft_from_form(form)
        try:
            draft = schemas.ReportDraft().load(raw)
        except ValidationError as exc:
            raise Open311Error(
                400,
                [
                    f"{PARAMETER.get(e['field'], e['field'])}: {e['message']}"
                    for e in field_errors(exc.messages)
                ],
            ) from None
        header = request.headers.get("Idempotency-Key")
        if header is not None and not 1 <= len(header) <= 128:
            raise Open311Error(400, ["Idempotency-Key: 1–128 characters"])
        key = idempotency.scoped("open311", integrator, header) if header else None
        digest = idempotency.payload_digest(georeport.payload_of(form)) if header else None
        if key and (first := self._open311_first(key, digest)):
            return render(fmt, [first], 200, "service_requests", "request")
        identity = {
            "reporter_name": draft["reporter"].get("name"),
            "reporter_phone": draft["reporter"].get("phone"),
            "reporter_email": draft["reporter"].get("email"),
            "integrator": integrator,
            "open311_token": secrets.token_hex(16),
        }
        try:
            with self.db.transaction() as tx:
                filed = filing.file_report(
                    tx,
                    draft,
                    identity,
                    self.settings.filing,
                    self.clock.now(),
                    idempotency_key=key,
                    request_digest=digest,
                )
        except IntegrityError:
            first = self._open311_first(key, digest) if key else None
            if first is None:
                raise
            return render(fmt, [first], 200, "service_requests", "request")
        answer = self._open311_by_key(None, filed.tracking_id)
        return render(fmt, [answer], 201, "service_requests", "request")

    def _open311_first(self, key: str, digest: str) -> dict | None:
        """The answer the first request with this integrator's key got; 422 for the same key
        with another form (the IETF Idempotency-Key draft)."""
        with self.db.read() as session:
            try:
                tracking_id = idempotency.first_report(session, key, digest)
            except idempotency.KeyReused:
                raise Open311Error(
                    422, ["Idempotency-Key: already used with another request; use a new key"]
                ) from None
        return self._open311_by_key(None, tracking_id) if tracking_id else None

    def _open311_by_key(self, key, tracking_id=None) -> dict | None:
        where = reports.c.idempotency_key == key if key else reports.c.tracking_id == tracking_id
        with self.db.read() as session:
            row = session.execute(select(reports).where(where)).first()
        if row is None:
            return None
        notice = "; ".join(item["message"] for item in records.record(row)["missing"])
        return {
            "service_request_id": row.tracking_id,
            "token": row.open311_token,
            "service_notice": f"Laporan dikembalikan, lengkapi: {notice}"
            if notice
            else f"Laporan diterima dan menunggu disposisi. {georeport.where(row.region_code)}",
            "account_id": None,
        }

    @http("GET", f"/open311/v2/requests.{FORMATS}")
    @speaks_open311
    def open311_requests(self, request, fmt):
        """GET /open311/v2/requests.json?service_code=pendidikan.sma&status=open&start_date=…
        &page=2&page_size=50 → the public view of matching reports, newest first (pages of
        page_size, at most and by default 1000)."""
        args = request.args
        query = listing.publicly_listed()
        ids = [normalise(i) for i in args.get("service_request_id", "").split(",") if i.strip()]
        if ids:  # "This overrides all other arguments" (GeoReport v2)
            query = query.where(reports.c.tracking_id.in_([i for i in ids if i]))
        else:
            query = _matching(query, args, self.clock.now())
        offset, limit = paging(args)
        with self.db.read() as session:
            rows = listing.offset_page(session, query, offset, limit)
            found = records.rows_to_records(session, rows)
        shown = [privacy.view(rec, privacy.THE_PUBLIC, privacy.OPEN311) for rec in found]
        items = [georeport.request_view(item) for item in shown if item]
        return render(fmt, items, root="service_requests", item="request")

    @http("GET", f"/open311/v2/requests/<string:request_id>.{FORMATS}")
    @speaks_open311
    def open311_request(self, request, request_id, fmt):
        """GET /open311/v2/requests/LPR-….json → [the public view of one report]."""
        with self.db.read() as session:
            rec = records.load(session, normalise(request_id), with_details=False)
        shown = (
            rec
            and records.public(rec["status"], rec["privacy"])
            and privacy.view(rec, privacy.THE_PUBLIC, privacy.OPEN311)
        )
        if not shown:  # confidential or not yet public: as an unknown id
            raise Open311Error(404, [f"service_request_id {request_id} not found"])
        return render(fmt, [georeport.request_view(shown)], root="service_requests", item="request")

    @http("GET", f"/open311/v2/tokens/<string:token>.{FORMATS}")
    @speaks_open311
    def open311_token(self, request, token, fmt):
        """GET /open311/v2/tokens/<token>.json → [{"service_request_id": "LPR-…", "token": …}]"""
        with self.db.read() as session:
            tracking_id = (
                session.execute(
                    select(reports.c.tracking_id).where(reports.c.open311_token == token[:32])
                ).scalar()
                if len(token) <= 32
                else None
            )
        if not tracking_id:
            raise Open311Error(404, [f"token {token[:32]} not found"])
        return render(
            fmt,
            [{"service_request_id": tracking_id, "token": token}],
            root="service_requests",
            item="request",
        )


def _matching(query, args, now):
    """``query`` narrowed by service_code, status and start_date/end_date (the last 90 days
    when neither date is given), as GeoReport v2 GET requests defines them."""
    codes = [c.strip() for c in args.get("service_code", "").split(",") if c.strip()]
    if codes:
        query = query.where(listing.in_category(codes))
    statuses = [s.strip() for s in args.get("status", "").split(",") if s.strip()]
    if statuses:
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, ["status: open or closed"])
        wanted = [s for s in georeport.PUBLIC_STATUSES if georeport.status_of(s) in statuses]
        query = query.where(reports.c.status.in_(wanted))
    start = when(args.get("start_date"), "start_date")
    end = when(args.get("end_date"), "end_date")
    if start is None and end is None:
        start = now - timedelta(days=georeport.DEFAULT_DAYS)
    if start is not None:
        query = query.where(reports.c.submitted_at >= start)
    if end is not None:
        query = query.where(reports.c.submitted_at <= end)
    return query
