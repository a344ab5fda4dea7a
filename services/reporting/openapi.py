"""What each of reporting's HTTP entrypoints answers, for its OpenAPI document
(shared.openapi): public figures (a staff token shows its own subtree's small cells too)."""

from __future__ import annotations

from shared.openapi import AGENCY_CODE, ApiDoc, op, query

DATE = {"type": "string", "format": "date"}
WINDOW = (query("from", DATE), query("to", DATE))
FORMAT = query("format", {"type": "string", "enum": ["json", "csv"]})
PUBLIC_OR_STAFF = [("staff",), ()]
# 'PROV-73' or '73' for a province, 'KAB-73-11' or '73.11' for a government
PLACE = {"code": AGENCY_CODE}


def figures(**kwargs):
    """A figure: JSON, or CSV with ?format=csv."""
    return op(
        200,
        401,
        404,
        422,
        params=[*WINDOW, FORMAT],
        security=PUBLIC_OR_STAFF,
        content=("application/json", "text/csv"),
        **kwargs,
    )


API = ApiDoc(
    title="satupintu reporting",
    description=(
        "Public figures on how agencies answer (SPEC §9): cards per nation, province,"
        " government and agency, rankings, with small cells withheld."
    ),
    operations={
        "nation": figures(),
        "province": figures(path=PLACE),
        "government": figures(path=PLACE),
        "agency": figures(path=PLACE),
        "government_agencies": figures(path=PLACE),
        "governments_ranking": figures(path=PLACE),
        "provinces_ranking": figures(),
        "stats": op(200, 401, params=[query("agency")], security=PUBLIC_OR_STAFF),
    },
)  # fmt: skip
