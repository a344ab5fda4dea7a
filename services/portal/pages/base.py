"""What every page needs: the reporter's credentials for a report, and the region and
category lists (read from intake, kept a few minutes: they change with a law, not a click)."""

from __future__ import annotations

import time

from services.portal.upstream import Api

LOOKUP_SECONDS = 300
_lookups: dict[tuple, tuple[float, object]] = {}


def cached(key: tuple, fetch):
    now = time.monotonic()
    hit = _lookups.get(key)
    if hit and now - hit[0] < LOOKUP_SECONDS:
        return hit[1]
    value = fetch()
    if len(_lookups) > 2000:
        _lookups.clear()
    _lookups[key] = (now, value)
    return value


def regions(api: Api, parent: str | None) -> list[dict]:
    """The regions directly inside ``parent`` (None: the provinces); [] for an unknown code."""

    def fetch():
        reply = api.get("intake", "/regions", params={"parent": parent} if parent else None)
        return reply.body.get("regions", []) if reply.ok else []

    return cached(("regions", parent), fetch)


def region_choices(api: Api, values: dict) -> dict:
    """For each level of the location picker, the options given what is chosen above it."""
    choices = {"province": regions(api, None), "regency": [], "district": [], "village": []}
    above = None
    for level, parent_level in (
        ("regency", "province"),
        ("district", "regency"),
        ("village", "district"),
    ):
        chosen = values.get(parent_level)
        if not chosen or (above and not chosen.startswith(above + ".")):
            break
        choices[level] = regions(api, chosen)
        above = chosen
    return choices


def region_label(choices: dict, values: dict) -> list[str]:
    """The names of what is chosen, province first."""
    names = []
    for level, options in choices.items():
        name = next((r["name"] for r in options if r["code"] == values.get(level)), None)
        if not name:
            break
        names.append(name)
    return names


def category_label(tree: list[dict], category_id: str | None):
    """The category's names, {"id": …, "en": …}, with its group's before it."""
    for group in tree:
        if group["id"] == category_id:
            return [group["name"]]
        for child in group.get("children") or []:
            if child["id"] == category_id:
                return [group["name"], child["name"]]
    return []


def categories(api: Api) -> list[dict]:
    def fetch():
        reply = api.get("intake", "/categories")
        return reply.body.get("categories", []) if reply.ok else []

    return cached(("categories",), fetch)


def credentials(session, tracking_id: str) -> dict:
    """What proves the visitor is a report's reporter: its key, or their sign-in token."""
    return {"key": session.key_for(tracking_id), "token": session.get("token")}


def problem_text(request, reply) -> str:
    """A problem+json's words for a person: its detail, else its title, in their language."""
    from services.portal import i18n

    body = reply.body if isinstance(reply.body, dict) else {}
    return i18n.pick(request.lang, body.get("detail") or body.get("title") or "")
