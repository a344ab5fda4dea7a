"""Kemendagri administrative regions (province → regency/city → district → village).

Codes are dotted: province ``73``, regency ``73.11``, district ``73.11.01``, village
``73.11.01.2001``. A code's parent is the code without its last segment, so most questions
("which province?", "does 73.11 cover 73.11.01.2001?") are answered from the code itself; the
shipped CSVs (data/regions, ODbL, see SOURCE.md there) say which codes exist and their names.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import NamedTuple

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "regions"

LEVEL_NAMES = {1: "province", 2: "regency", 3: "district", 4: "village"}

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
# National bodies sit in Jakarta, so the empty (national) code keeps Jakarta time.
NATIONAL_TIMEZONE = WIB

# Listed per province rather than derived from code ranges so that a new province (they do get
# split off, as Papua was in 2022) fails loudly in the tests instead of silently getting WIB.
PROVINCE_TIMEZONES: dict[str, str] = {
    # Sumatra, Java, and the two western Kalimantan provinces
    "11": WIB,
    "12": WIB,
    "13": WIB,
    "14": WIB,
    "15": WIB,
    "16": WIB,
    "17": WIB,
    "18": WIB,
    "19": WIB,
    "21": WIB,
    "31": WIB,
    "32": WIB,
    "33": WIB,
    "34": WIB,
    "35": WIB,
    "36": WIB,
    "61": WIB,
    "62": WIB,
    # Bali, Nusa Tenggara, the rest of Kalimantan, all Sulawesi
    "51": WITA,
    "52": WITA,
    "53": WITA,
    "63": WITA,
    "64": WITA,
    "65": WITA,
    "71": WITA,
    "72": WITA,
    "73": WITA,
    "74": WITA,
    "75": WITA,
    "76": WITA,
    # Maluku and every Papua province
    "81": WIT,
    "82": WIT,
    "91": WIT,
    "92": WIT,
    "93": WIT,
    "94": WIT,
    "95": WIT,
    "96": WIT,
}

# Words kept as written when title-casing the upper-case province and regency names.
_KEEP_UPPER = frozenset({"DKI"})
_KEEP_LOWER = frozenset({"DAN"})


def code_depth(code: str) -> int:
    """Number of dot-separated segments: 0 for '' (the whole country), 1 province … 4 village."""
    return code.count(".") + 1 if code else 0


def parent_code(code: str) -> str | None:
    """The enclosing region's code, None for a province (or the national empty code)."""
    head, dot, _ = code.rpartition(".")
    return head if dot else None


def prefixes(code: str) -> list[str]:
    """Every enclosing code from the province down to ``code`` itself."""
    parts = code.split(".") if code else []
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def covers(jurisdiction: str, code: str) -> bool:
    """True if ``jurisdiction`` is ``code`` or encloses it by whole segments ('' covers all)."""
    return not jurisdiction or code == jurisdiction or code.startswith(jurisdiction + ".")


def title_name(name: str) -> str:
    """'KABUPATEN PANGKAJENE DAN KEPULAUAN' → 'Kabupaten Pangkajene dan Kepulauan'."""
    words = []
    for word in name.split():
        if word in _KEEP_UPPER:
            words.append(word)
        elif word in _KEEP_LOWER:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


class Region(NamedTuple):
    # A NamedTuple rather than a dataclass: building 90k of them must stay well under 0.5 s.
    code: str
    name: str
    level: int
    parent_code: str | None

    @property
    def display_name(self) -> str:
        """Name for people: provinces and regencies are upper case in the source data."""
        return title_name(self.name) if self.level <= 2 else self.name


class Regions:
    """An immutable, in-memory index of the region tree. Build it with ``load_regions``."""

    def __init__(self, regions: dict[str, Region], with_villages: bool) -> None:
        self._regions = regions
        self.with_villages = with_villages
        self._children: dict[str | None, list[str]] = {}
        self._by_level: dict[int, list[Region]] = {1: [], 2: [], 3: [], 4: []}
        for region in regions.values():
            self._children.setdefault(region.parent_code, []).append(region.code)
            self._by_level[region.level].append(region)

    @classmethod
    def from_csv(cls, path: Path | str | None = None, with_villages: bool = True) -> Regions:
        folder = Path(path) if path is not None else DEFAULT_PATH
        files = ["provinces.csv", "regencies.csv", "districts.csv"]
        if with_villages:
            files.append("villages.csv")
        regions: dict[str, Region] = {}
        for level, filename in enumerate(files, start=1):
            with open(folder / filename, newline="", encoding="utf-8") as handle:
                rows = csv.reader(handle)
                next(rows)  # header
                if level == 1:
                    for code, name in rows:
                        regions[code] = Region(code, name, 1, None)
                else:
                    for code, parent, name in rows:
                        regions[code] = Region(code, name, level, parent)
        return cls(regions, with_villages)

    def __len__(self) -> int:
        return len(self._regions)

    def __contains__(self, code: object) -> bool:
        return code in self._regions

    def get(self, code: str) -> Region | None:
        return self._regions.get(code)

    def exists(self, code: str) -> bool:
        return code in self._regions

    def level(self, code: str) -> int | None:
        region = self._regions.get(code)
        return region.level if region else None

    def province_of(self, code: str) -> Region | None:
        """The province enclosing ``code``; found from the prefix, so it also answers for a
        code missing from the data (codes change when regions split)."""
        return self._regions.get(code.split(".", 1)[0]) if code else None

    def regency_of(self, code: str) -> Region | None:
        """The regency/city enclosing ``code``; None for a province."""
        if code_depth(code) < 2:
            return None
        return self._regions.get(".".join(code.split(".", 2)[:2]))

    def chain(self, code: str) -> list[Region]:
        """Known regions from the province down to ``code`` (unknown prefixes are left out)."""
        return [self._regions[p] for p in prefixes(code) if p in self._regions]

    def children(self, code: str | None) -> list[Region]:
        """Regions directly inside ``code`` (None: the provinces), in file order."""
        return [self._regions[c] for c in self._children.get(code, ())]

    def provinces(self) -> list[Region]:
        return self.children(None)

    def regencies(self, province_code: str | None = None) -> list[Region]:
        return self._at_level(2, province_code)

    def districts(self, regency_code: str | None = None) -> list[Region]:
        return self._at_level(3, regency_code)

    def villages(self, district_code: str | None = None) -> list[Region]:
        return self._at_level(4, district_code)

    def timezone(self, code: str) -> str:
        """IANA zone of the province enclosing ``code``; Jakarta for '' (national)."""
        if not code:
            return NATIONAL_TIMEZONE
        province = code.split(".", 1)[0]
        if province not in self._regions or province not in PROVINCE_TIMEZONES:
            raise KeyError(f"unknown province in region code {code!r}")
        return PROVINCE_TIMEZONES[province]

    def _at_level(self, level: int, within: str | None) -> list[Region]:
        if within is not None:
            return [r for r in self.children(within) if r.level == level]
        return list(self._by_level[level])


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, with_villages: bool) -> Regions:
    return Regions.from_csv(path, with_villages)


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> str:
    return str(Path(path).resolve())


def load_regions(path: Path | str | None = None, with_villages: bool = True) -> Regions:
    """The region index, loaded once per process (per path and village option); the path is
    resolved once too (resolving costs system calls, and this runs for every record)."""
    return _load_cached(_resolved(str(path if path is not None else DEFAULT_PATH)), with_villages)
