"""Place names people type → Kemendagri region codes: one matcher for every channel (the SMS
and Twitter ``LOK`` keyword, Open311's ``address_string``).

Only regencies and cities are matched by name: a district or village name repeats across the
country (there are dozens of 'Sukamaju'), so it would be a guess. A name two regencies share
('Bogor': Kabupaten Bogor and Kota Bogor) matches neither; 'Kota Bogor' does.
"""

from __future__ import annotations

import functools
import re

from shared.regions import load_regions

_CODE = re.compile(r"\d{2}(\.\d{2}){0,2}(\.\d{4})?")
# 'Kab. Barru' as people write it before a regency's name
_ABBREVIATIONS = {"kab.": "kabupaten", "kab": "kabupaten"}


def find_region(text: str) -> str | None:
    """A region code ('73.11') or a regency/city name ('Barru', 'Kota Makassar') → its code."""
    value = " ".join(text.split())
    if _CODE.fullmatch(value):
        return value if load_regions().exists(value) else None
    words = value.lower().split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    codes = _regency_names().get(" ".join(words), ())
    return codes[0] if len(codes) == 1 else None


def find_region_in_address(address: str) -> str | None:
    """The one regency/city an address names in one of its comma-separated parts
    ('Jl. Jend. Sudirman No. 3, Makassar' → '73.71'); None if it names none, or two
    different ones. Indonesian addresses end with the city, so the last match wins a tie
    between a part and the region enclosing it."""
    found = [code for part in address.split(",") if (code := find_region(part.strip(" .")))]
    distinct = list(dict.fromkeys(found))
    if len(distinct) == 1:
        return distinct[0]
    # '…, Kec. Tamalate, 73.71, Kota Makassar': deeper codes inside one regency agree
    regencies = {".".join(code.split(".")[:2]) for code in distinct}
    return max(distinct, key=len) if len(regencies) == 1 else None


@functools.lru_cache(maxsize=1)
def _regency_names() -> dict[str, tuple[str, ...]]:
    """'barru' → ('73.11',), 'kota makassar' → ('73.71',), 'bogor' → (two codes)."""
    names: dict[str, list[str]] = {}
    for regency in load_regions().regencies():
        full = regency.display_name.lower()
        names.setdefault(full, []).append(regency.code)
        for prefix in ("kabupaten ", "kota "):
            if full.startswith(prefix):
                names.setdefault(full[len(prefix) :], []).append(regency.code)
    return {name: tuple(dict.fromkeys(codes)) for name, codes in names.items()}
