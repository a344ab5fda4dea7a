"""Where reporting places each agency, from its own tables: what the registry's agency events
said (version > 0 rows of ``agencies``: where the event says it sits, or for an event from
before they said so, by its path), what routing's events carried (version 0 rows, written as
the events arrive), and what the report's own events carry (services.reporting.places)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from services.reporting import facts, places
from services.reporting.indicators import GOVERNMENT, PROVINCE
from services.reporting.models import agencies
from services.reporting.models import figures as figure_rows
from shared.agencies import PROVINCIAL_GOVERNMENT, place_on

_COLUMNS = (
    agencies.c.version,
    agencies.c.path,
    agencies.c.government_code,
    agencies.c.province_code,
)
_PLACE = select(*_COLUMNS).where(agencies.c.code == bindparam("code"))
# a government of a kind not told: any but the provincial one (place_on tells only those apart)
_GOVERNMENT = "regency_government"


def carried(report: facts.Report) -> tuple[dict, dict]:
    """The names and the places routing's events gave the report's agencies."""
    names = {hop.agency_code: hop.agency_name for hop in report.hops}
    found = {hop.agency_code: hop.place for hop in report.hops if hop.place is not None}
    if report.coordinator_code and report.coordinator_place is not None:
        found.setdefault(report.coordinator_code, report.coordinator_place)
    return names, found


def remember(session, names: dict[str, str | None], placed: dict[str, places.Place]) -> None:
    """What routing said of agencies the registry never announced to us (version 0 rows): their
    names, and the place its latest event carried."""
    insert_ = _dialect(session).insert(agencies)
    fresh = [
        {"code": code, "name": name, "version": 0}
        for code, name in sorted(names.items())
        if name and code not in placed
    ]
    if fresh:
        session.execute(insert_.on_conflict_do_nothing(), fresh)
    rows_ = [
        {
            "code": code,
            "name": names.get(code),
            "version": 0,
            "government_code": place.government,
            "province_code": place.province,
        }
        for code, place in sorted(placed.items())
    ]
    if rows_:
        upsert = insert_.on_conflict_do_update(
            index_elements=[agencies.c.code],
            set_={
                "name": func.coalesce(agencies.c.name, insert_.excluded.name),
                "government_code": insert_.excluded.government_code,
                "province_code": insert_.excluded.province_code,
            },
            where=agencies.c.version == 0,
        )
        session.execute(upsert, rows_)


class Places:
    """Agency code → places.Place: what the registry's events said of it (version > 0), else
    what the report's own event carried, else what reporting recorded when an event last
    carried it (version 0), else NATIONAL (nobody placed it)."""

    def __init__(self, session):
        self.session = session
        self._rows: dict[str, tuple[int, list | None, places.Place] | None] = {}

    def stored(self, code: str) -> tuple[int, list | None, places.Place] | None:
        if code not in self._rows:
            row = self.session.execute(_PLACE, {"code": code}).first()
            self._rows[code] = (
                None
                if row is None
                else (row.version, row.path, places.Place(row.government_code, row.province_code))
            )
        return self._rows[code]

    def preload(self, codes) -> None:
        """Read the stored places of many agencies at once (a listing asks for each)."""
        wanted = sorted(set(codes) - set(self._rows))
        for start in range(0, len(wanted), 500):  # keep IN lists short
            chunk = wanted[start : start + 500]
            self._rows.update(dict.fromkeys(chunk))
            query = select(agencies.c.code, *_COLUMNS).where(agencies.c.code.in_(chunk))
            for row in self.session.execute(query):
                place = places.Place(row.government_code, row.province_code)
                self._rows[row.code] = (row.version, row.path, place)

    def place_of(self, code: str, carried: places.Place | None = None) -> places.Place:
        stored = self.stored(code)
        if stored is not None and stored[0] > 0:
            return stored[2]
        if carried is not None:
            return carried
        return stored[2] if stored is not None else places.NATIONAL

    def news(self, names: dict, placed: dict) -> tuple[dict, dict]:
        """Of what a report's events said (``carried``), what reporting has not stored yet."""
        names = {code: name for code, name in names.items() if self.stored(code) is None}
        placed = {
            code: place
            for code, place in placed.items()
            if (stored := self.stored(code)) is None or (stored[0] == 0 and stored[2] != place)
        }
        return names, placed

    def path_of(self, kind: str, code: str, root: str) -> list[str]:
        """The path of an agency ('a'), government ('g') or province ('p') for access checks:
        the registry's, else through where reporting placed it."""
        stored = self.stored(code)
        if stored is not None and stored[0] > 0 and stored[1]:
            return places.path_through(root, *stored[1])
        if kind == PROVINCE:
            return places.path_through(root, code)
        if kind == GOVERNMENT:
            province = self.session.execute(
                select(figure_rows.c.parent_code)
                .where(figure_rows.c.scope_kind == GOVERNMENT, figure_rows.c.scope_code == code)
                .limit(1)
            ).scalar()
            return places.path_through(root, province if province != places.NATION else None, code)
        place = self.place_of(code)
        return places.path_through(root, place.province, place.government, code)


def announced(session, body: dict) -> places.Place:
    """Where a registry agency event says its agency sits (its ``government_code`` and
    ``province_code``, computed from the registry's own tree); for an event from before it
    said so, the place on its path by the kinds reporting knows (``known_kinds``)."""
    if "government_code" in body or "province_code" in body:
        return places.Place(body.get("government_code"), body.get("province_code"))
    state = body["agency"]
    return place_on(
        state["path"], known_kinds(session, state["path"], state["code"], state["kind"])
    )


def known_kinds(session, path: list[str], code: str, kind: str) -> dict:
    """Kind of each agency on ``path`` as far as facts go: the registry's events said it, or
    routing placed agencies under it as a government or province. Unknown: not a government."""
    kinds = dict(
        session.execute(
            select(agencies.c.code, agencies.c.kind).where(
                agencies.c.code.in_(path), agencies.c.kind.is_not(None)
            )
        ).all()
    )
    unknown = [node for node in path if node not in kinds and node != code]
    if unknown:
        for column, found in (
            (agencies.c.government_code, _GOVERNMENT),
            (agencies.c.province_code, PROVINCIAL_GOVERNMENT),
        ):
            for node in session.execute(
                select(column).where(column.in_(unknown)).distinct()
            ).scalars():
                kinds[node] = found
    kinds[code] = kind
    return kinds.get


def _dialect(session):
    return postgresql if session.bind.dialect.name == "postgresql" else sqlite
