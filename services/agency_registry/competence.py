"""Who is competent for a (category, region), and who coordinates a region: an in-memory index.

An agency is competent for a category when it lists the category itself, one of its parent
categories, or — for a top-level category — one of its sub-topics; it covers a region when one
of its jurisdictions is the region or encloses it (no jurisdiction: the whole country).
Answers are ranked the way SPEC §7 reads "most local": deepest covering jurisdiction first,
then the most exact competence, then the deepest agency in the tree, then the code.

The index and the ranking are shared/agencies.py, the ones routing decides with, so this
answer and routing's choice agree; a lookup is a few dozen dictionary reads whatever the size
of the registry. Pure: no database, no nameko.
"""

from __future__ import annotations

import functools

from services.agency_registry.errors import UnknownCategory, UnknownRegion
from shared import agencies, categories
from shared.agencies import AgencyView, Directory
from shared.regions import LEVEL_NAMES, Regions

MATCH_NAMES = {
    categories.EXACT: "exact",
    categories.VIA_ANCESTOR: "via_parent_category",
    categories.VIA_DESCENDANT: "via_sub_topic",
}
LEVELS = {0: "national", **LEVEL_NAMES}
Entry = AgencyView  # what the index holds: shared.agencies.view_of(a registry agency)


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
    """The registry's answers over the shared directory and ranking (shared/agencies.py)."""

    def __init__(self, entries=()) -> None:
        self._directory = Directory(entries)

    def __len__(self) -> int:
        return len(self._directory)

    def get(self, code: str) -> AgencyView | None:
        return self._directory.get(code)

    def put(self, entry: AgencyView) -> None:
        self._directory.add_or_replace(entry)

    def remove(self, code: str) -> None:
        self._directory.remove(code)

    def competent(self, category_id: str, region_code: str) -> list[dict]:
        """Active agencies competent for the category that cover the region, best first."""
        return [
            self._answer(c.code, c.depth, c.region, MATCH_NAMES[c.match])
            for c in agencies.competent(self._directory, category_id, region_code)
            if self._directory[c.code].status == "active"
        ]

    def coordinator(self, region_code: str) -> dict | None:
        """The most local active coordinator covering the region (the national one last)."""
        for c in agencies.coordinators(self._directory, region_code):
            if self._directory[c.code].status == "active":
                return self._answer(c.code, c.depth, c.region, None)
        return None

    def _answer(self, code: str, depth: int, region: str, match: str | None) -> dict:
        entry = self._directory[code]
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
