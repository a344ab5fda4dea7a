"""Which regions exist: the province → regency → district → village lookup for forms."""

from __future__ import annotations

from shared.problems import NotFound
from shared.regions import LEVEL_NAMES, load_regions
from shared.web import http


class RegionsDoor:
    @http("GET", "/regions")
    def regions(self, request):
        """GET /regions → the provinces; GET /regions?parent=73.11 → its districts:
        {"parent": {"code": "73.11", "name": "Kabupaten Barru", "level": "regency"},
        "regions": [{"code": "73.11.01", "name": "Tanete Riaja", "level": "district"}, …]}"""
        index = load_regions()
        code = (request.args.get("parent") or "").strip() or None
        parent = index.get(code) if code else None
        if code and parent is None:
            raise NotFound("Kode wilayah tidak dikenal / Unknown region code")
        return {
            "parent": _region(parent) if parent else None,
            "regions": [_region(region) for region in index.children(code)],
        }


def _region(region) -> dict:
    return {
        "code": region.code,
        "name": region.display_name,
        "level": LEVEL_NAMES[region.level],
    }
