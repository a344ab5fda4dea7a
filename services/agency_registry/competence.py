"""Who is competent for a (category, region), and who coordinates a region: an in-memory index.

An agency is competent for a category when it lists the category itself, one of its parent
categories, or — for a top-level category — one of its sub-topics; it covers a region when one
of its jurisdictions is the region or encloses it (no jurisdiction: the whole country).
Answers are ranked the way SPEC §7 reads "most local": deepest covering jurisdiction first,
then the most exact competence, then the deepest agency in the tree, then the code.

The index holds every agency keyed by (category, covering region), so a lookup is a few dozen
dictionary reads whatever the size of the registry. Pure: no database, no nameko.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from services.agency_registry.errors import UnknownCategory, UnknownRegion
from shared import categories
from shared.regions import LEVEL_NAMES, Regions, code_depth, prefixes

NATIONAL = ""
EXACT, VIA_PARENT, VIA_SUB_TOPIC = (
    categories.EXACT,
    categories.VIA_ANCESTOR,
    categories.VIA_DESCENDANT,
)
MATCH_NAMES = {EXACT: "exact", VIA_PARENT: "via_parent_category", VIA_SUB_TOPIC: "via_sub_topic"}
LEVELS = {0: "national", **LEVEL_NAMES}


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    name: str
    kind: str
    depth: int  # in the agency tree, the root is 1
    status: str
    jurisdictions: tuple[str, ...]  # empty: national
    competencies: frozenset[str]
    is_coordinator: bool


@functools.lru_cache(maxsize=1024)
def check_query(regions: Regions, category_id: str | None, region_code: str) -> None:
    if category_id is not None and category_id not in categories.CATEGORIES:
        raise UnknownCategory(
            errors=[
                {
                    "field": "category_id",
                    "message": f"Kategori {category_id!r} tidak ada / No category {category_id!r}",
                }
            ]
        )
    if region_code and not regions.exists(region_code):
        raise UnknownRegion(
            errors=[
                {
                    "field": "region_code",
                    "message": f"Wilayah {region_code!r} tidak ada / No region {region_code!r}",
                }
            ]
        )


class CompetenceIndex:
    def __init__(self, entries=()) -> None:
        self._entries: dict[str, Entry] = {}
        self._competent: dict[tuple[str, str], set[str]] = {}  # (category, region) -> codes
        self._coordinators: dict[str, set[str]] = {}  # region -> codes
        for entry in entries:
            self.put(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, code: str) -> Entry | None:
        return self._entries.get(code)

    def put(self, entry: Entry) -> None:
        self.remove(entry.code)
        self._entries[entry.code] = entry
        for region in entry.jurisdictions or (NATIONAL,):
            for category_id in entry.competencies:
                self._competent.setdefault((category_id, region), set()).add(entry.code)
            if entry.is_coordinator:
                self._coordinators.setdefault(region, set()).add(entry.code)

    def remove(self, code: str) -> None:
        entry = self._entries.pop(code, None)
        if entry is None:
            return
        for region in entry.jurisdictions or (NATIONAL,):
            for category_id in entry.competencies:
                self._competent[(category_id, region)].discard(code)
            if entry.is_coordinator:
                self._coordinators[region].discard(code)

    def competent(self, category_id: str, region_code: str) -> list[dict]:
        """Active agencies competent for the category that cover the region, best first."""
        found: dict[str, tuple[int, int, str]] = {}  # code -> (depth, match, region)
        keys = categories.competence_keys(category_id).items()
        for region in [NATIONAL, *prefixes(region_code)]:  # least to most specific
            depth = code_depth(region)
            for held, rank in keys:
                for code in self._competent.get((held, region), ()):
                    previous = found.get(code)
                    if previous is None or (depth, -rank) > (previous[0], -previous[1]):
                        found[code] = (depth, rank, region)
        ranked = sorted(
            (
                (-depth, rank, -self._entries[code].depth, code, region)
                for code, (depth, rank, region) in found.items()
                if self._entries[code].status == "active"
            ),
        )
        return [
            self._answer(code, -negative_depth, region, MATCH_NAMES[rank])
            for negative_depth, rank, _, code, region in ranked
        ]

    def coordinator(self, region_code: str) -> dict | None:
        """The most local active coordinator covering the region (the national one last)."""
        for region in [*reversed(prefixes(region_code)), NATIONAL]:
            active = [
                self._entries[code]
                for code in self._coordinators.get(region, ())
                if self._entries[code].status == "active"
            ]
            if active:
                best = min(active, key=lambda entry: (-entry.depth, entry.code))
                return self._answer(best.code, code_depth(region), region, None)
        return None

    def _answer(self, code: str, depth: int, region: str, match: str | None) -> dict:
        entry = self._entries[code]
        answer = {
            "code": entry.code,
            "name": entry.name,
            "kind": entry.kind,
            "level": LEVELS[depth],
            "jurisdiction": region or None,
        }
        if match is not None:
            answer["match"] = match
        return answer
