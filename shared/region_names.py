"""Place names people type → Kemendagri region codes: one matcher for every channel (the SMS
and Twitter ``LOK`` keyword, Open311's ``address_string``).

Only regencies and cities are matched by name: a district or village name repeats across the
country (there are dozens of 'Sukamaju'), so it would be a guess. A name two regencies share
('Bogor': Kabupaten Bogor and Kota Bogor) matches neither; 'Kota Bogor' does.
"""

from __future__ import annotations

import difflib
import functools
import re

from shared.regions import load_regions

_CODE = re.compile(r"\d{2}(\.\d{2}){0,2}(\.\d{4})?")
# 'Kab. Barru', 'Kab.Barru', 'Kodya Makassar' as people write them before a regency's name
_PREFIX = re.compile(r"^(kabupaten|kab\.?|kota|kodya|kotamadya)(?:\s+|(?<=\.))", re.IGNORECASE)
_SPELLED = {"kabupaten": "kabupaten", "kab": "kabupaten", "kab.": "kabupaten"}
TYPO_CUTOFF = 0.85  # 'Makasar' is Makassar; 'Bone' is not 'Boné Bolango'


def find_region(text: str, typos: bool = False) -> str | None:
    """A region code ('73.11') or a regency/city name ('Barru', 'Kab. Bone', 'Kota Makassar')
    → its code; None for no match or a name two regencies share (see ``region_choices``)."""
    choices = region_choices(text, typos)
    return choices[0] if len(choices) == 1 else None


def region_choices(text: str, typos: bool = False) -> list[str]:
    """The codes ``text`` may mean: none, one, or several for a shared name ('Bogor' → the
    regency and the city), the regency first. With ``typos``, a small typo in a name is
    forgiven when it points to one name (a person typing LOK; not a street in an address)."""
    value = " ".join(text.split())
    if _CODE.fullmatch(value):
        return [value] if load_regions().exists(value) else []
    name = value.lower().strip(" .,")
    prefix = _PREFIX.match(name)
    if prefix:
        kind = _SPELLED.get(prefix.group(1).lower(), "kota")
        name = f"{kind} {name[prefix.end() :].strip()}"
    names = _regency_names()
    if name not in names:
        if not typos:
            return []
        close = difflib.get_close_matches(name, names, n=2, cutoff=TYPO_CUTOFF)
        if len(close) != 1:
            return []
        name = close[0]
    return sorted(
        names[name], key=lambda code: not load_regions().get(code).display_name.startswith("Kab")
    )


def short_name(code: str) -> str:
    """'32.01' → 'Kab. Bogor', '32.71' → 'Kota Bogor': as a reply names a choice."""
    name = load_regions().get(code).display_name
    return "Kab. " + name[len("Kabupaten ") :] if name.startswith("Kabupaten ") else name


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
