"""Category words people type → category ids, forgivingly: one matcher for every channel that
takes a topic as text (the SMS and Twitter ``KAT`` keyword).

A typed topic matches, in order: an id ('pendidikan.sma'), a name or sub-topic name
('Sekolah Dasar', 'sma', 'penerangan jalan'), a common word for it ('lampu jalan', 'pungli',
'pju'), every word of a name ('pungli sekolah'), then the same with small typos
('puskesmaa'). A word several sub-topics of one parent share ('jalan': three kinds of road and
street lighting) means the parent; one that two parents share ('bpjs') is not guessed.
"""

from __future__ import annotations

import difflib
import functools

from shared import categories

# what people say for a topic that no name in the tree says
ALIASES = {
    "lampu jalan": "infrastruktur.penerangan_jalan",
    "lampu": "infrastruktur.penerangan_jalan",
    "pju": "infrastruktur.penerangan_jalan",
    "jalan": "infrastruktur",
    "jalan rusak": "infrastruktur",
    "jalan berlubang": "infrastruktur",
    "pungli": "pungutan_liar",
    "ktp": "administrasi_kependudukan.ktp_el",
    "e-ktp": "administrasi_kependudukan.ktp_el",
    "kk": "administrasi_kependudukan.kartu_keluarga",
    "akta": "administrasi_kependudukan.akta_catatan_sipil",
    "rs": "kesehatan.rumah_sakit",
    "pdam": "infrastruktur.air_minum",
    "air bersih": "infrastruktur.air_minum",
    "banjir": "bencana_pandemi.bencana_alam",
    "pinjol": "perbankan_keuangan.pinjaman_daring",
    "parkir": "transportasi.perparkiran",
    "angkot": "transportasi.angkutan_umum",
    "guru": "pendidikan",
    "sekolah": "pendidikan",
}
TYPO_CUTOFF = 0.8  # difflib ratio: one wrong letter in a five-letter word still matches


def find(text: str) -> str | None:
    """The category a person means by ``text``, or None when none or no single one."""
    wanted = _plain(text)
    if not wanted:
        return None
    ids = _exact(wanted)
    if ids is None:
        close = difflib.get_close_matches(wanted, _phrases(), n=3, cutoff=TYPO_CUTOFF)
        ids = _one_meaning([_phrases()[phrase] for phrase in close])
    return ids


def nearest(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` Indonesian topic words that ``find`` accepts, the closest to ``text`` first:
    those holding a word typed, then those spelled alike."""
    wanted = _plain(text)
    names = _suggestable()
    typed = [word for word in wanted.split() if len(word) > 2]
    holding = [name for name in names if any(word in name.split() for word in typed)]
    alike = difflib.get_close_matches(wanted, names, n=n, cutoff=0.0) if wanted else []
    return list(dict.fromkeys(sorted(holding, key=len) + alike))[:n]


@functools.lru_cache(maxsize=1)
def _suggestable() -> list[str]:
    """Short Indonesian words for topics, each meaning one category: sub-topic slugs ('sma',
    'penerangan jalan', 'kesehatan bpjs' where a slug repeats) and the aliases."""
    leaves: dict[str, list[str]] = {}
    for category in categories.CATEGORIES.values():
        leaves.setdefault(_plain(category.id.rsplit(".", 1)[-1]), []).append(category.id)
    names = []
    for leaf, ids in leaves.items():
        if len(ids) == 1:
            names.append(leaf)
        else:
            names += [_plain(cid.replace(".", " ")) for cid in ids]
    return names + [alias for alias in ALIASES if find(alias)]


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("(", " ").replace(")", " ").split())


def _exact(wanted: str) -> str | None:
    if wanted.replace(" ", "_") in categories.CATEGORIES:
        return wanted.replace(" ", "_")
    if wanted in ALIASES:
        return ALIASES[wanted]
    if wanted in _phrases():
        return _one_meaning([_phrases()[wanted]])
    words = set(wanted.split())  # every word typed appears in a name: 'pungli sekolah'
    return _one_meaning(
        [{c.id} for c in categories.CATEGORIES.values() if words <= set(_plain(c.name_id).split())]
    )


def _one_meaning(found: list[set[str]]) -> str | None:
    """One id; or the parent when every id found is under one parent (or that parent)."""
    ids = set().union(*found) if found else set()
    if len(ids) == 1:
        return next(iter(ids))
    roots = {categories.ancestors(cid)[-1] for cid in ids}
    return next(iter(roots)) if len(roots) == 1 else None


@functools.lru_cache(maxsize=1)
def _phrases() -> dict[str, set[str]]:
    """'sekolah dasar' → {'pendidikan.sd'}, 'sd' → {…}, 'bpjs' → two ids, 'lampu jalan' → …"""
    phrases: dict[str, set[str]] = {}
    for category in categories.CATEGORIES.values():
        leaf = category.id.rsplit(".", 1)[-1]
        for phrase in (leaf, category.name_id, category.name_en):
            phrases.setdefault(_plain(phrase), set()).add(category.id)
        if category.parent_id:
            phrases.setdefault(_plain(f"{category.parent_id} {leaf}"), set()).add(category.id)
    for alias, category_id in ALIASES.items():
        phrases.setdefault(alias, set()).add(category_id)
    return phrases
