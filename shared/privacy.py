"""The one privacy filter (SPEC §3): what a viewer may see of a report, on a given output.

Every output of every service passes a report through ``view(record, viewer, output)``: HTTP
responses, public listings, Open311, HTML pages, CSV, events that leave a service, notification
payloads and log lines. A record is a flat dict whose keys are declared below as facts (where
the report stands), content (what the reporter wrote) or identity (who the reporter is); a key
that is none of these is refused, so a new field cannot leak by being forgotten here.

    viewer \\ level      public                anonymous        confidential
    the public           content + display name content         nothing at all
    agency, watchers     content + name/contact content         content
    coordinator, admin   content + identity     content          content + identity (audited)
    the reporter         everything             everything       everything
    delivery (notifier)  the reporter's address on their channel, to send to; never shown

A tracking id names a report; it is not a key (SPEC §2): whoever holds only the id is the
public. The public's content is what the agency and the reporter made public, not what the
reporter said to the agency: no attachments, no missing items, and on the timeline only the
status lines (without the reporter's notes) and the agency's follow-ups (without their files).

The output narrows this further: log lines carry facts only, events never carry identity, HTML
escapes every string and CSV neutralises spreadsheet formulas.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# privacy levels, as stored; the Indonesian names of the seed are accepted on input
PUBLIC = "public"
ANONYMOUS = "anonymous"
CONFIDENTIAL = "confidential"
LEVELS = (PUBLIC, ANONYMOUS, CONFIDENTIAL)
ALIASES = {"umum": PUBLIC, "anonim": ANONYMOUS, "rahasia": CONFIDENTIAL}
LABELS = {
    PUBLIC: {"id": "Umum", "en": "Public"},
    ANONYMOUS: {"id": "Anonim", "en": "Anonymous"},
    CONFIDENTIAL: {"id": "Rahasia", "en": "Confidential"},
}

# viewers
THE_PUBLIC = "public"  # listings, Open311 GET, regional events, public statistics
AGENCY = "agency"  # the handling agency's staff and watchers
COORDINATOR = "coordinator"  # coordinator and national admins
REPORTER = "reporter"  # the reporter, proven (token, report key, channel identity)
DELIVERY = "delivery"  # the notification service reaching the reporter: an address, no person
VIEWERS = (THE_PUBLIC, AGENCY, COORDINATOR, REPORTER, DELIVERY)

# outputs
JSON = "json"  # an HTTP JSON response
LISTING = "listing"  # a public listing
OPEN311 = "open311"  # Open311 GeoReport v2 (JSON or XML)
HTML = "html"  # an HTML page
CSV = "csv"  # a CSV export
EVENT = "event"  # an event that leaves the service
NOTIFICATION = "notification"  # a message payload sent to a person
LOG = "log"  # a log line
OUTPUTS = (JSON, LISTING, OPEN311, HTML, CSV, EVENT, NOTIFICATION, LOG)

# what a record may hold
FACTS = frozenset(
    {
        "tracking_id",
        "status",
        "status_label",
        "colour",
        "classification",
        "category_id",
        "category_name",
        "region_code",
        "region_name",
        "channel",
        "privacy",
        "language",
        "agency_code",
        "agency_name",
        "submitted_at",
        "updated_at",
        "archived_reason",
        "deadline_at",
        "missing_items",
    }
)
CONTENT = frozenset(
    {
        "title",
        "body",
        "event_date",
        "address",
        "latitude",
        "longitude",
        "parties",
        "target_agency_code",
        "attachments",
        "timeline",
        "missing",
    }
)
# identity, by how far it reaches: a display name < name and contact < everything
DISPLAY = frozenset({"display_name"})
CONTACT = DISPLAY | frozenset(
    {"reporter_name", "reporter_phone", "reporter_email", "reporter_handle", "on_behalf_of_name"}
)
IDENTITY = CONTACT | frozenset(
    {"reporter_nik", "reporter_account_id", "reporter_social_id", "reporter_ip", "on_behalf_of"}
)
# where a message reaches the reporter on their channel, and nothing else about them
ADDRESS = frozenset({"reporter_phone", "reporter_email", "reporter_social_id"})
KNOWN = FACTS | CONTENT | IDENTITY
# what of the content the public never sees, and the timeline lines it does see
NOT_PUBLIC_CONTENT = frozenset({"attachments", "missing"})
PUBLIC_TIMELINE = frozenset({"status", "followup"})

NONE, DISPLAY_NAME, NAME_AND_CONTACT, FULL = "none", "display_name", "name_and_contact", "full"
ADDRESS_ONLY = "address"
_IDENTITY_KEYS = {
    NONE: frozenset(),
    DISPLAY_NAME: DISPLAY,
    NAME_AND_CONTACT: CONTACT,
    FULL: IDENTITY,
    ADDRESS_ONLY: ADDRESS,
}


class UnknownField(ValueError):
    """A record holds a key this module does not classify: refuse rather than guess."""


@dataclass(frozen=True)
class Access:
    content: bool
    identity: str  # NONE | DISPLAY_NAME | NAME_AND_CONTACT | FULL | ADDRESS_ONLY
    audited: bool = False  # a coordinator read a confidential reporter's identity

    @property
    def visible(self) -> bool:
        return self.content or self.identity != NONE


_TABLE: dict[tuple[str, str], Access] = {
    (THE_PUBLIC, PUBLIC): Access(True, DISPLAY_NAME),
    (THE_PUBLIC, ANONYMOUS): Access(True, NONE),
    (THE_PUBLIC, CONFIDENTIAL): Access(False, NONE),
    (AGENCY, PUBLIC): Access(True, NAME_AND_CONTACT),
    (AGENCY, ANONYMOUS): Access(True, NONE),
    (AGENCY, CONFIDENTIAL): Access(True, NONE),
    (COORDINATOR, PUBLIC): Access(True, FULL),
    (COORDINATOR, ANONYMOUS): Access(True, NONE),
    (COORDINATOR, CONFIDENTIAL): Access(True, FULL, audited=True),
    (REPORTER, PUBLIC): Access(True, FULL),
    (REPORTER, ANONYMOUS): Access(True, FULL),
    (REPORTER, CONFIDENTIAL): Access(True, FULL),
    # "anonymous identity is used only by the notification service to reach the reporter"
    (DELIVERY, PUBLIC): Access(False, ADDRESS_ONLY),
    (DELIVERY, ANONYMOUS): Access(False, ADDRESS_ONLY),
    (DELIVERY, CONFIDENTIAL): Access(False, ADDRESS_ONLY),
}


def level_of(value: str) -> str:
    """The stored level for an input level in English or Indonesian; ValueError if neither."""
    level = ALIASES.get(value, value)
    if level not in LEVELS:
        raise ValueError(value)
    return level


def access(viewer: str, level: str, output: str = JSON) -> Access:
    """What ``viewer`` may see of a report at ``level`` on ``output``."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}")
    granted = _TABLE[(viewer, level)]
    if output == LOG:  # whoever reads the logs: facts only
        return Access(granted.content or granted.identity != NONE, NONE)
    if output == EVENT:  # events never carry identity
        return Access(granted.content, NONE)
    return granted


def view(record: dict, viewer: str, output: str = JSON) -> dict | None:
    """``record`` as ``viewer`` may see it on ``output``; None if nothing of it may be shown.

    Facts stay; content stays if allowed; identity keys stay up to the allowed reach. On LOG
    only facts that cannot single a person out remain, whoever the viewer.
    """
    unknown = set(record) - KNOWN
    if unknown:
        raise UnknownField(", ".join(sorted(unknown)))
    level = record.get("privacy") or CONFIDENTIAL  # unknown level: the strictest
    granted = access(viewer, level, output)
    if not granted.visible:
        return None
    allowed = set(FACTS) if output != LOG else set(FACTS) - {"missing_items"}
    if granted.content and output != LOG:
        allowed |= CONTENT - NOT_PUBLIC_CONTENT if viewer == THE_PUBLIC else CONTENT
    allowed |= _IDENTITY_KEYS[granted.identity]
    shown = {key: value for key, value in record.items() if key in allowed}
    if viewer == THE_PUBLIC and "timeline" in shown:
        shown["timeline"] = public_timeline(shown["timeline"])
    if output == HTML:
        return _escape_html(shown)
    if output == CSV:
        return {key: csv_cell(value) for key, value in shown.items()}
    return shown


def public_timeline(lines: list[dict]) -> list[dict]:
    """The lines of a timeline the public may read: status changes without the reporter's
    notes (a withdrawal's reason is theirs) and the agency's follow-ups, its public answer,
    without the files attached to them (a letter or a photo may show who the reporter is)."""
    shown = []
    for line in lines or ():
        kind = line.get("kind") or "status"
        if kind not in PUBLIC_TIMELINE:
            continue
        line = {key: value for key, value in line.items() if key not in NOT_PUBLIC_CONTENT}
        shown.append(line if kind == "followup" else {**line, "note": None})
    return shown


def for_log(record: dict) -> str:
    """A record as a log line may show it: 'LPR-… status=returned channel=sms privacy=…'."""
    shown = view(record, REPORTER, LOG) or {}
    keys = ("tracking_id", "status", "classification", "category_id", "channel", "privacy")
    head = shown.get("tracking_id", "-")
    return head + "".join(f" {key}={shown[key]}" for key in keys[1:] if shown.get(key))


def display_name(full_name: str | None) -> str | None:
    """'Andi Saputra Rahman' → 'Andi R.': what the public sees of a public reporter."""
    words = (full_name or "").split()
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


def csv_cell(value):
    """A value a spreadsheet will show as text: formulas ('=', '+', '-', '@') are defused."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, (list, dict)):
        return csv_cell(str(value))
    return value


def _escape_html(value):
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {key: _escape_html(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escape_html(item) for item in value]
    return value
