"""The agencies a history import names (``satupintu import --agencies``): the national template
(the registry's starting tree, no service needed), or the running registry's own agencies —
the template with every agency staff registered since — read once from its snapshot (paged,
over RPC with a timeout, as routing's replica reads it) into a file that every service's
import then reads, so that all of them know the same agencies.

    satupintu import FILE --agencies registry        # snapshot now, into var/import/…
    satupintu import FILE --agencies agencies.jsonl  # a snapshot taken before
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from shared import historical
from shared.agencies import place_on, view_of
from shared.config import ROOT
from shared.rpc import CallerRpcProxy

TEMPLATE, REGISTRY = "template", "registry"
PAGE = 5000  # agencies per snapshot page


@cache
def views(source: str = TEMPLATE) -> list:
    """The agencies as routing's policy reads them (its AgencyView), from ``source``: TEMPLATE
    or a snapshot file (``snapshot``)."""
    if source == TEMPLATE:
        from services.agency_registry.template import build_template
        from services.routing.rules.replica_state import views_from_template
        from shared.regions import load_regions

        regions = load_regions(with_villages=False)
        return views_from_template(build_template(regions), regions)
    with open(source, encoding="utf-8") as lines:
        return [view_of(json.loads(line)) for line in lines if line.strip()]


@cache
def agencies(source: str = TEMPLATE) -> dict[str, historical.Agency]:
    """Every agency of ``source`` by code: name, local time, place (shared.historical)."""
    found = views(source)
    kinds = {view.code: view.kind for view in found}
    return {
        view.code: historical.Agency(
            view.code, view.name, view.timezone, place_on(view.path, kinds.get)
        )
        for view in found
    }


class Unavailable(Exception):
    """``--agencies`` names nothing an import can read (what is wrong, in the message)."""


def source_of(given: str, config: dict) -> tuple[str, int | None]:
    """What ``--agencies`` names, as ``views`` reads it — TEMPLATE, or a snapshot file: for
    REGISTRY one taken now under var/import/ (with how many agencies it holds), else the file
    given; Unavailable if there is none."""
    if given == TEMPLATE:
        return given, None
    if given == REGISTRY:
        path = ROOT / "var" / "import" / f"agencies-{datetime.now(UTC):%Y%m%dT%H%M%S}.jsonl"
        try:
            count = snapshot(config["AMQP_URI"], path)
        except Exception as exc:  # the registry is not running, or the broker is away
            raise Unavailable(f"no snapshot from the registry ({type(exc).__name__})") from None
        return str(path), count
    if not Path(given).is_file():
        raise Unavailable("no such file")
    return given, None


def snapshot(amqp_uri: str, path: Path, timeout: float = 60.0) -> int:
    """The running registry's agencies into ``path`` (one JSON object per line, as its
    snapshot gives them), written whole or not at all; how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    count, after = 0, None
    with CallerRpcProxy({"AMQP_URI": amqp_uri}, timeout=timeout) as cluster:
        with open(partial, "w", encoding="utf-8") as out:
            while True:
                page = cluster.agency_registry.snapshot_page(after, PAGE)
                for agency in page["agencies"]:
                    out.write(json.dumps(agency) + "\n")
                count += len(page["agencies"])
                after = page.get("next")
                if after is None:
                    break
    partial.replace(path)
    return count
