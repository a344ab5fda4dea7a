"""The report category tree (SPEC §2) as plain data.

Ids are lowercase ascii slugs; a sub-topic is dotted under its parent (``pendidikan.sma``).
The tree is shared by intake (validation), routing (competence) and deadlines (supervision),
so it lives here as one frozen table rather than in any one service's database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: str
    parent_id: str | None
    name_id: str
    name_en: str
    # "berkadar pengawasan": gets watchers (Inspektorat, Ombudsman) and the long deadline
    supervision: bool = False


# (id, name_id, name_en, [(sub-slug, name_id, name_en), ...]); supervision is set below.
_TREE: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "kesehatan",
        "Kesehatan",
        "Health",
        [
            ("puskesmas", "Layanan Puskesmas", "Community health centre services"),
            ("rumah_sakit", "Layanan Rumah Sakit", "Hospital services"),
            ("bpjs", "Jaminan Kesehatan Nasional (BPJS Kesehatan)", "National health insurance"),
            ("tenaga_kesehatan", "Tenaga Kesehatan", "Health workers"),
            ("kesehatan_masyarakat", "Kesehatan Masyarakat", "Public health"),
        ],
    ),
    (
        "pendidikan",
        "Pendidikan",
        "Education",
        [
            ("paud", "Pendidikan Anak Usia Dini", "Early childhood education"),
            ("sd", "Sekolah Dasar", "Primary school"),
            ("smp", "Sekolah Menengah Pertama", "Junior secondary school"),
            ("sma", "Sekolah Menengah Atas", "Senior secondary school"),
            ("smk", "Sekolah Menengah Kejuruan", "Vocational secondary school"),
            ("slb", "Sekolah Luar Biasa", "Special-needs school"),
            ("perguruan_tinggi", "Perguruan Tinggi", "Higher education"),
            ("kurikulum", "Kurikulum dan Asesmen Nasional", "Curriculum and national assessment"),
        ],
    ),
    (
        "administrasi_kependudukan",
        "Administrasi Kependudukan",
        "Civil registration",
        [
            ("ktp_el", "KTP Elektronik", "Electronic identity card"),
            ("kartu_keluarga", "Kartu Keluarga", "Family card"),
            ("akta_catatan_sipil", "Akta Catatan Sipil", "Birth, death and marriage certificates"),
            ("pindah_datang", "Pindah Datang Penduduk", "Change of residence"),
            (
                "surat_pengantar",
                "Surat Pengantar dan Keterangan Kecamatan",
                "Sub-district cover letters and certificates",
            ),
        ],
    ),
    (
        "perizinan",
        "Perizinan",
        "Licensing and permits",
        [
            ("izin_usaha", "Izin Usaha (OSS)", "Business licences (OSS)"),
            ("pbg", "Persetujuan Bangunan Gedung", "Building approval"),
            ("izin_reklame", "Izin Reklame", "Advertising permits"),
        ],
    ),
    (
        "transportasi",
        "Transportasi",
        "Transport",
        [
            ("angkutan_umum", "Angkutan Umum", "Public transport"),
            ("terminal", "Terminal", "Bus terminals"),
            ("perparkiran", "Perparkiran", "Parking"),
            ("lalu_lintas", "Lalu Lintas", "Traffic management"),
            (
                "pengujian_kendaraan",
                "Pengujian Kendaraan Bermotor",
                "Vehicle roadworthiness testing",
            ),
            ("pelayaran", "Pelayaran dan Penyeberangan", "Shipping and ferries"),
            ("penerbangan", "Penerbangan", "Aviation"),
            ("perkeretaapian", "Perkeretaapian", "Railways"),
        ],
    ),
    (
        "infrastruktur",
        "Infrastruktur",
        "Infrastructure",
        [
            ("jalan_kabupaten", "Jalan Kabupaten/Kota", "Regency and city roads"),
            ("jalan_provinsi", "Jalan Provinsi", "Provincial roads"),
            ("jalan_nasional", "Jalan Nasional", "National roads"),
            ("drainase", "Drainase", "Drainage"),
            ("air_minum", "Air Minum", "Drinking water supply"),
            ("penerangan_jalan", "Penerangan Jalan Umum", "Street lighting"),
        ],
    ),
    (
        "lingkungan_hidup",
        "Lingkungan Hidup",
        "Environment",
        [
            ("sampah", "Sampah", "Waste"),
            ("pencemaran", "Pencemaran", "Pollution"),
            ("ruang_terbuka_hijau", "Ruang Terbuka Hijau", "Green open space"),
            ("kehutanan", "Kehutanan", "Forestry"),
        ],
    ),
    (
        "pariwisata",
        "Pariwisata",
        "Tourism",
        [
            ("destinasi_wisata", "Destinasi Wisata", "Tourist destinations"),
            ("usaha_pariwisata", "Usaha Pariwisata", "Tourism businesses"),
            ("ekonomi_kreatif", "Ekonomi Kreatif", "Creative economy"),
        ],
    ),
    (
        "pembangunan_daerah",
        "Pembangunan Daerah",
        "Regional development",
        [
            ("perencanaan", "Perencanaan Pembangunan (Musrenbang)", "Development planning"),
            ("proyek_pembangunan", "Proyek Pembangunan", "Development projects"),
        ],
    ),
    (
        "dana_desa",
        "Dana Desa",
        "Village funds",
        [
            ("penyaluran", "Penyaluran Dana Desa", "Disbursement of village funds"),
            ("penggunaan", "Penggunaan Dana Desa", "Use of village funds"),
            ("bumdes", "Badan Usaha Milik Desa", "Village-owned enterprises"),
            ("perangkat_desa", "Perangkat Desa", "Village officials"),
        ],
    ),
    (
        "ketenagakerjaan",
        "Ketenagakerjaan",
        "Employment",
        [
            (
                "hubungan_industrial",
                "Hubungan Industrial (Upah, PHK)",
                "Industrial relations (wages, dismissal)",
            ),
            ("pelatihan_kerja", "Pelatihan Kerja", "Job training"),
            ("penempatan_kerja", "Penempatan Tenaga Kerja", "Job placement"),
            ("pengawasan", "Pengawasan Ketenagakerjaan", "Labour inspection"),
            (
                "bpjs",
                "Jaminan Sosial Ketenagakerjaan (BPJS Ketenagakerjaan)",
                "Employment social security",
            ),
        ],
    ),
    (
        "komunikasi_informatika",
        "Komunikasi dan Informatika",
        "Communications and IT",
        [
            ("informasi_publik", "Keterbukaan Informasi Publik", "Public information disclosure"),
            ("aplikasi_pemerintah", "Layanan Aplikasi Pemerintah", "Government e-services"),
            ("internet", "Jaringan Internet dan Telekomunikasi", "Internet and telecom coverage"),
            ("penipuan_daring", "Penipuan dan Konten Daring", "Online fraud and content"),
        ],
    ),
    (
        "perbankan_keuangan",
        "Perbankan dan Keuangan",
        "Banking and finance",
        [
            ("perbankan", "Perbankan", "Banking"),
            ("asuransi", "Asuransi", "Insurance"),
            ("pinjaman_daring", "Pinjaman Daring", "Online lending"),
            ("pasar_modal", "Pasar Modal", "Capital markets"),
            ("sistem_pembayaran", "Sistem Pembayaran dan Rupiah", "Payment systems and currency"),
        ],
    ),
    (
        "agama",
        "Agama",
        "Religious affairs",
        [
            ("madrasah", "Madrasah", "Islamic schools (madrasah)"),
            ("haji", "Haji dan Umrah", "Hajj and umrah"),
            ("nikah", "Pencatatan Nikah (KUA)", "Marriage registration (KUA)"),
            ("rumah_ibadah", "Rumah Ibadah", "Places of worship"),
        ],
    ),
    (
        "sosial",
        "Sosial (Bantuan Sosial)",
        "Social affairs (social assistance)",
        [
            ("bansos", "Bantuan Sosial", "Social assistance"),
            ("data_terpadu", "Data Terpadu Kesejahteraan Sosial", "Integrated social welfare data"),
            ("rehabilitasi_sosial", "Rehabilitasi Sosial", "Social rehabilitation"),
        ],
    ),
    (
        "kesetaraan_gender",
        "Kesetaraan Gender dan Perlindungan Anak",
        "Gender equality and child protection",
        [
            ("kekerasan_perempuan", "Kekerasan terhadap Perempuan", "Violence against women"),
            ("perlindungan_anak", "Perlindungan Anak", "Child protection"),
        ],
    ),
    (
        "ketentraman_ketertiban",
        "Ketentraman dan Ketertiban Umum",
        "Public order and peace",
        [
            ("gangguan_ketertiban", "Gangguan Ketertiban", "Public disturbance"),
            ("pedagang_kaki_lima", "Pedagang Kaki Lima", "Street vendors"),
            (
                "penegakan_perda",
                "Penegakan Peraturan Daerah",
                "Enforcement of regional regulations",
            ),
            ("layanan_kepolisian", "Layanan Kepolisian", "Police services"),
        ],
    ),
    (
        "bencana_pandemi",
        "Bencana dan Pandemi",
        "Disasters and pandemics",
        [
            ("bencana_alam", "Bencana Alam", "Natural disasters"),
            ("pengungsi", "Penanganan Pengungsi", "Care of displaced people"),
            (
                "rehabilitasi_rekonstruksi",
                "Rehabilitasi dan Rekonstruksi",
                "Post-disaster rehabilitation and reconstruction",
            ),
            ("pandemi", "Wabah dan Pandemi", "Outbreaks and pandemics"),
        ],
    ),
    (
        "pungutan_liar",
        "Pungutan Liar",
        "Illegal levies",
        [
            ("layanan_publik", "Pungli dalam Layanan Publik", "Illegal fees in public services"),
            ("sekolah", "Pungli di Sekolah", "Illegal fees at schools"),
            ("perizinan", "Pungli dalam Perizinan", "Illegal fees in licensing"),
        ],
    ),
    (
        "maladministrasi",
        "Maladministrasi",
        "Maladministration",
        [
            ("penundaan_berlarut", "Penundaan Berlarut", "Undue delay"),
            ("penyimpangan_prosedur", "Penyimpangan Prosedur", "Deviation from procedure"),
            ("diskriminasi", "Diskriminasi Pelayanan", "Discrimination in service"),
            (
                "penyalahgunaan_wewenang",
                "Penyalahgunaan Wewenang oleh Aparatur",
                "Abuse of authority by officials",
            ),
            (
                "pelanggaran_disiplin_asn",
                "Pelanggaran Disiplin ASN",
                "Misconduct of civil servants",
            ),
        ],
    ),
]

# Whole subtrees under these roots are supervision categories (pungli, maladministration and
# misconduct of officials, which sits under maladministrasi).
_SUPERVISION_ROOTS = frozenset({"pungutan_liar", "maladministrasi"})


def _build() -> dict[str, Category]:
    table: dict[str, Category] = {}
    for top_id, name_id, name_en, subs in _TREE:
        supervision = top_id in _SUPERVISION_ROOTS
        table[top_id] = Category(top_id, None, name_id, name_en, supervision)
        for slug, sub_name_id, sub_name_en in subs:
            sub_id = f"{top_id}.{slug}"
            table[sub_id] = Category(sub_id, top_id, sub_name_id, sub_name_en, supervision)
    return table


CATEGORIES: dict[str, Category] = _build()


def _index_children() -> dict[str | None, tuple[str, ...]]:
    index: dict[str | None, list[str]] = {}
    for category in CATEGORIES.values():
        index.setdefault(category.parent_id, []).append(category.id)
    return {parent: tuple(ids) for parent, ids in index.items()}


_CHILDREN = _index_children()


def get(category_id: str) -> Category | None:
    return CATEGORIES.get(category_id)


def exists(category_id: str) -> bool:
    return category_id in CATEGORIES


def ancestors(category_id: str) -> list[str]:
    """The category itself, then its parent, up to the top level. KeyError if unknown."""
    chain: list[str] = []
    current: str | None = category_id
    while current is not None:
        chain.append(current)
        current = CATEGORIES[current].parent_id
    return chain


def children(category_id: str) -> list[str]:
    """Direct sub-topics of a category, in tree order (empty for a leaf or unknown id)."""
    return list(_CHILDREN.get(category_id, ()))


def descendants(category_id: str) -> list[str]:
    """Every category below ``category_id`` (not itself), depth first."""
    found: list[str] = []
    for child in _CHILDREN.get(category_id, ()):
        found.append(child)
        found.extend(descendants(child))
    return found


def top_level() -> list[str]:
    return list(_CHILDREN[None])


def is_supervision(category_id: str) -> bool:
    """True when the category or any ancestor is flagged; False for an unknown id."""
    if category_id not in CATEGORIES:
        return False
    return any(CATEGORIES[cid].supervision for cid in ancestors(category_id))


def as_tree() -> list[dict]:
    """The whole tree for ``GET /categories``: top-level nodes with their sub-topics."""

    def node(category_id: str) -> dict:
        category = CATEGORIES[category_id]
        return {
            "id": category.id,
            "parent_id": category.parent_id,
            "name": {"id": category.name_id, "en": category.name_en},
            "supervision": is_supervision(category.id),
            "children": [node(child) for child in children(category.id)],
        }

    return [node(top) for top in top_level()]


# How an agency's competency matches a report's category: the smaller, the closer.
EXACT, VIA_ANCESTOR, VIA_DESCENDANT = 0, 1, 2


def competence_keys(category_id: str) -> dict[str, int]:
    """Category ids whose holders are competent for ``category_id``, with how they match:
    the category itself, its ancestors, and — for a top-level category — its sub-topics."""
    try:
        lineage = ancestors(category_id)
    except KeyError:
        return {category_id: EXACT}  # unknown to the tree: only an exact holder qualifies
    keys = {cid: VIA_ANCESTOR for cid in lineage[1:]}
    if len(lineage) == 1:  # a top-level category: its sub-topics' owners can take it too
        keys.update({cid: VIA_DESCENDANT for cid in descendants(category_id)})
    keys[category_id] = EXACT
    return keys
