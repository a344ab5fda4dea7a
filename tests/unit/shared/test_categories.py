"""The category tree: pure data, nothing faked."""

import dataclasses
import re

import pytest

from shared import categories
from shared.categories import CATEGORIES, Category

SPEC_TOP_LEVEL = {
    "kesehatan",
    "pendidikan",
    "administrasi_kependudukan",
    "perizinan",
    "transportasi",
    "infrastruktur",
    "lingkungan_hidup",
    "pariwisata",
    "pembangunan_daerah",
    "dana_desa",
    "ketenagakerjaan",
    "komunikasi_informatika",
    "perbankan_keuangan",
    "agama",
    "sosial",
    "kesetaraan_gender",
    "ketentraman_ketertiban",
    "bencana_pandemi",
    "pungutan_liar",
    "maladministrasi",
}

# sub-topics that SPEC §6's competency table splits between levels or bodies
NEEDED_BY_COMPETENCY_TABLE = [
    "pendidikan.paud",
    "pendidikan.sd",
    "pendidikan.smp",
    "pendidikan.sma",
    "pendidikan.smk",
    "pendidikan.slb",
    "pendidikan.perguruan_tinggi",
    "kesehatan.bpjs",
    "kesehatan.rumah_sakit",
    "infrastruktur.jalan_kabupaten",
    "infrastruktur.jalan_provinsi",
    "infrastruktur.jalan_nasional",
    "agama.madrasah",
    "agama.haji",
    "lingkungan_hidup.sampah",
    "ketenagakerjaan.bpjs",
    "sosial.bansos",
    "kesetaraan_gender.perlindungan_anak",
    "ketentraman_ketertiban.layanan_kepolisian",
    "administrasi_kependudukan.surat_pengantar",
    "maladministrasi.penyalahgunaan_wewenang",
]


def test_top_level_is_exactly_the_spec_list():
    assert set(categories.top_level()) == SPEC_TOP_LEVEL
    assert all(CATEGORIES[cid].parent_id is None for cid in categories.top_level())


@pytest.mark.parametrize("category_id", NEEDED_BY_COMPETENCY_TABLE)
def test_sub_topics_needed_by_the_competency_table_exist(category_id):
    assert categories.exists(category_id)


def test_every_top_level_category_has_sub_topics():
    empty = [cid for cid in categories.top_level() if not categories.children(cid)]
    assert empty == []


def test_ids_are_lowercase_ascii_slugs_dotted_under_their_parent():
    slug = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    for cid, category in CATEGORIES.items():
        assert slug.match(cid), cid
        assert category.id == cid
        if category.parent_id is not None:
            assert category.parent_id in CATEGORIES
            assert cid.startswith(category.parent_id + "."), cid


def test_every_category_is_named_in_both_languages():
    unnamed = [c.id for c in CATEGORIES.values() if not c.name_id.strip() or not c.name_en.strip()]
    assert unnamed == []


def test_get_returns_the_category_or_none():
    sma = categories.get("pendidikan.sma")
    assert sma == Category(
        "pendidikan.sma", "pendidikan", "Sekolah Menengah Atas", "Senior secondary school", False
    )
    assert categories.get("pendidikan.universitas_luar_angkasa") is None


def test_categories_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATEGORIES["pendidikan"].supervision = True


def test_ancestors_run_from_self_to_the_top():
    assert categories.ancestors("pendidikan.sma") == ["pendidikan.sma", "pendidikan"]
    assert categories.ancestors("pendidikan") == ["pendidikan"]


def test_ancestors_of_an_unknown_category_raise():
    with pytest.raises(KeyError):
        categories.ancestors("nonexistent.topic")


def test_children_and_descendants():
    assert "pendidikan.sma" in categories.children("pendidikan")
    assert "kesehatan.bpjs" not in categories.children("pendidikan")
    assert categories.children("pendidikan.sma") == []
    assert categories.children("nonexistent") == []
    assert set(categories.descendants("pendidikan")) == set(categories.children("pendidikan"))


@pytest.mark.parametrize(
    "category_id",
    [
        "pungutan_liar",
        "pungutan_liar.sekolah",
        "maladministrasi",
        "maladministrasi.penyalahgunaan_wewenang",
        "maladministrasi.pelanggaran_disiplin_asn",
    ],
)
def test_supervision_categories(category_id):
    assert categories.is_supervision(category_id)
    assert CATEGORIES[category_id].supervision


@pytest.mark.parametrize(
    "category_id", ["pendidikan", "pendidikan.sma", "kesehatan.bpjs", "nonexistent"]
)
def test_other_categories_are_not_supervision(category_id):
    assert not categories.is_supervision(category_id)


def test_supervision_flag_is_consistent_within_each_subtree():
    for category in CATEGORIES.values():
        if category.parent_id is not None:
            assert category.supervision == CATEGORIES[category.parent_id].supervision, category.id
