"""The starter national agency template (SPEC §6) as plain data.

``build_template(regions)`` lists KemenPANRB, the national bodies, every provincial and
regency/city government with its standard OPDs, and optionally one unit per kecamatan, each
with the competencies of SPEC §6's table. Competencies name sub-topics rather than a whole
top-level category wherever the category is split between levels or bodies (a regency's
Dinas Kesehatan does not own BPJS insurance complaints; its Dinas PUPR owns only regency roads),
so routing's "most local competent agency" lands on the level the law (UU 23/2014) assigns.
Pure: no database, no I/O beyond the regions it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.regions import Region, Regions, title_name

KINDS = frozenset(
    {
        "national_ministry",
        "national_agency",
        "oversight_body",
        "provincial_government",
        "regency_government",
        "city_government",
        "opd",
        "unit",
        "enterprise",
        "university",
        "overseas_mission",
    }
)

ROOT_CODE = "KEMENPANRB"

# Provinces whose districts are called "distrik", not "kecamatan" (UU 21/2001, Otsus Papua).
_DISTRIK_PROVINCES = frozenset({"91", "92", "93", "94", "95", "96"})


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    parent_code: str | None
    jurisdictions: list[str] = field(default_factory=list)  # [] = the whole country
    competencies: list[str] = field(default_factory=list)
    is_coordinator: bool = False
    verification_mode: str = "auto"


# Civil registration proper; a kecamatan's own letters (surat_pengantar) are not Dukcapil's, so
# without kecamatan units they fall to the regency's coordinator rather than to Jakarta.
_DUKCAPIL = [
    "administrasi_kependudukan.ktp_el",
    "administrasi_kependudukan.kartu_keluarga",
    "administrasi_kependudukan.akta_catatan_sipil",
    "administrasi_kependudukan.pindah_datang",
]

# (code, name, kind, parent code, competencies); parents listed before their children.
NATIONAL_BODIES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "OMBUDSMAN",
        "Ombudsman Republik Indonesia",
        "oversight_body",
        ROOT_CODE,
        ["pungutan_liar", "maladministrasi"],
    ),
    # KSP watches (tembusan) but does not take reports itself, so it owns no category.
    ("KSP", "Kantor Staf Presiden", "oversight_body", ROOT_CODE, []),
    (
        "KEMENKES",
        "Kementerian Kesehatan",
        "national_ministry",
        ROOT_CODE,
        ["kesehatan", "bencana_pandemi.pandemi"],
    ),
    ("BPJS-KESEHATAN", "BPJS Kesehatan", "national_agency", ROOT_CODE, ["kesehatan.bpjs"]),
    (
        "KEMENDIKDASMEN",
        "Kementerian Pendidikan Dasar dan Menengah",
        "national_ministry",
        ROOT_CODE,
        ["pendidikan.kurikulum"],
    ),
    (
        "KEMENDIKTISAINTEK",
        "Kementerian Pendidikan Tinggi, Sains, dan Teknologi",
        "national_ministry",
        ROOT_CODE,
        ["pendidikan.perguruan_tinggi"],
    ),
    ("KEMENAG", "Kementerian Agama", "national_ministry", ROOT_CODE, ["agama"]),
    ("KEMENDAGRI", "Kementerian Dalam Negeri", "national_ministry", ROOT_CODE, []),
    (
        "KEMENDAGRI-DUKCAPIL",
        "Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
        "unit",
        "KEMENDAGRI",
        _DUKCAPIL,
    ),
    (
        "KEMENINVESTASI",
        "Kementerian Investasi dan Hilirisasi/BKPM",
        "national_ministry",
        ROOT_CODE,
        ["perizinan"],
    ),
    ("KEMENPU", "Kementerian Pekerjaan Umum", "national_ministry", ROOT_CODE, ["infrastruktur"]),
    ("KEMENHUB", "Kementerian Perhubungan", "national_ministry", ROOT_CODE, ["transportasi"]),
    (
        "KLH",
        "Kementerian Lingkungan Hidup/Badan Pengendalian Lingkungan Hidup",
        "national_ministry",
        ROOT_CODE,
        ["lingkungan_hidup"],
    ),
    (
        "KEMENHUT",
        "Kementerian Kehutanan",
        "national_ministry",
        ROOT_CODE,
        ["lingkungan_hidup.kehutanan"],
    ),
    ("KEMENSOS", "Kementerian Sosial", "national_ministry", ROOT_CODE, ["sosial"]),
    (
        "KEMNAKER",
        "Kementerian Ketenagakerjaan",
        "national_ministry",
        ROOT_CODE,
        ["ketenagakerjaan"],
    ),
    (
        "BPJS-KETENAGAKERJAAN",
        "BPJS Ketenagakerjaan",
        "national_agency",
        ROOT_CODE,
        ["ketenagakerjaan.bpjs"],
    ),
    (
        "KEMENDES",
        "Kementerian Desa dan Pembangunan Daerah Tertinggal",
        "national_ministry",
        ROOT_CODE,
        ["dana_desa"],
    ),
    (
        "KEMENPPPA",
        "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
        "national_ministry",
        ROOT_CODE,
        ["kesetaraan_gender"],
    ),
    (
        "BNPB",
        "Badan Nasional Penanggulangan Bencana",
        "national_agency",
        ROOT_CODE,
        ["bencana_pandemi"],
    ),
    ("KEMENPAR", "Kementerian Pariwisata", "national_ministry", ROOT_CODE, ["pariwisata"]),
    (
        "KEMENEKRAF",
        "Kementerian Ekonomi Kreatif",
        "national_ministry",
        ROOT_CODE,
        ["pariwisata.ekonomi_kreatif"],
    ),
    (
        "BAPPENAS",
        "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
        "national_ministry",
        ROOT_CODE,
        ["pembangunan_daerah"],
    ),
    (
        "KOMDIGI",
        "Kementerian Komunikasi dan Digital",
        "national_ministry",
        ROOT_CODE,
        ["komunikasi_informatika"],
    ),
    ("OJK", "Otoritas Jasa Keuangan", "national_agency", ROOT_CODE, ["perbankan_keuangan"]),
    (
        "BI",
        "Bank Indonesia",
        "national_agency",
        ROOT_CODE,
        ["perbankan_keuangan.sistem_pembayaran"],
    ),
    # SPEC leaves public order without a national owner except police services (Polri).
    (
        "POLRI",
        "Kepolisian Negara Republik Indonesia",
        "national_agency",
        ROOT_CODE,
        ["ketentraman_ketertiban.layanan_kepolisian"],
    ),
]

_KOMINFO = ["komunikasi_informatika.informasi_publik", "komunikasi_informatika.aplikasi_pemerintah"]
_OVERSIGHT = ["pungutan_liar", "maladministrasi"]
_DISASTER = [
    "bencana_pandemi.bencana_alam",
    "bencana_pandemi.pengungsi",
    "bencana_pandemi.rehabilitasi_rekonstruksi",
]

# (code suffix, name before the place, competencies, is the government's coordinator)
PROVINCIAL_OPDS: list[tuple[str, str, list[str], bool]] = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", _KOMINFO, True),
    ("INSPEKTORAT", "Inspektorat", _OVERSIGHT, False),
    (
        "DINKES",
        "Dinas Kesehatan",
        ["kesehatan.kesehatan_masyarakat", "kesehatan.tenaga_kesehatan", "bencana_pandemi.pandemi"],
        False,
    ),
    ("RSUD", "Rumah Sakit Umum Daerah", ["kesehatan.rumah_sakit"], False),
    ("DISDIK", "Dinas Pendidikan", ["pendidikan.sma", "pendidikan.smk", "pendidikan.slb"], False),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ["perizinan"], False),
    ("DPU", "Dinas Pekerjaan Umum", ["infrastruktur.jalan_provinsi"], False),
    (
        "DISHUB",
        "Dinas Perhubungan",
        ["transportasi.angkutan_umum", "transportasi.terminal", "transportasi.pelayaran"],
        False,
    ),
    (
        "DLH",
        "Dinas Lingkungan Hidup",
        ["lingkungan_hidup.pencemaran", "lingkungan_hidup.kehutanan"],
        False,
    ),
    ("DINSOS", "Dinas Sosial", ["sosial"], False),
    # labour inspection is a provincial affair (UU 23/2014), so only the province owns it
    (
        "DISNAKERTRANS",
        "Dinas Tenaga Kerja dan Transmigrasi",
        [
            "ketenagakerjaan.pengawasan",
            "ketenagakerjaan.hubungan_industrial",
            "ketenagakerjaan.pelatihan_kerja",
        ],
        False,
    ),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", ["dana_desa"], False),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", ["kesetaraan_gender"], False),
    (
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        ["ketentraman_ketertiban.penegakan_perda", "ketentraman_ketertiban.gangguan_ketertiban"],
        False,
    ),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", _DISASTER, False),
    ("DISPAR", "Dinas Pariwisata", ["pariwisata"], False),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ["pembangunan_daerah"], False),
    # a vertical office of Kemenag, kept under the government so its coordinator sees it
    ("KANWILKEMENAG", "Kantor Wilayah Kementerian Agama", ["agama"], False),
]

REGENCY_OPDS: list[tuple[str, str, list[str], bool]] = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", _KOMINFO, True),
    ("INSPEKTORAT", "Inspektorat", _OVERSIGHT, False),
    (
        "DINKES",
        "Dinas Kesehatan",
        [
            "kesehatan.puskesmas",
            "kesehatan.kesehatan_masyarakat",
            "kesehatan.tenaga_kesehatan",
            "bencana_pandemi.pandemi",
        ],
        False,
    ),
    ("RSUD", "Rumah Sakit Umum Daerah", ["kesehatan.rumah_sakit"], False),
    ("DISDIK", "Dinas Pendidikan", ["pendidikan.paud", "pendidikan.sd", "pendidikan.smp"], False),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", _DUKCAPIL, False),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ["perizinan"], False),
    (
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        ["infrastruktur.jalan_kabupaten", "infrastruktur.drainase", "infrastruktur.air_minum"],
        False,
    ),
    (
        "DISHUB",
        "Dinas Perhubungan",
        [
            "transportasi.angkutan_umum",
            "transportasi.terminal",
            "transportasi.perparkiran",
            "transportasi.lalu_lintas",
            "transportasi.pengujian_kendaraan",
            "infrastruktur.penerangan_jalan",
        ],
        False,
    ),
    (
        "DLH",
        "Dinas Lingkungan Hidup",
        [
            "lingkungan_hidup.sampah",
            "lingkungan_hidup.pencemaran",
            "lingkungan_hidup.ruang_terbuka_hijau",
        ],
        False,
    ),
    ("DINSOS", "Dinas Sosial", ["sosial"], False),
    (
        "DISNAKER",
        "Dinas Tenaga Kerja",
        [
            "ketenagakerjaan.hubungan_industrial",
            "ketenagakerjaan.pelatihan_kerja",
            "ketenagakerjaan.penempatan_kerja",
        ],
        False,
    ),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", ["dana_desa"], False),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", ["kesetaraan_gender"], False),
    (
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        [
            "ketentraman_ketertiban.gangguan_ketertiban",
            "ketentraman_ketertiban.pedagang_kaki_lima",
            "ketentraman_ketertiban.penegakan_perda",
        ],
        False,
    ),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", _DISASTER, False),
    ("DISPAR", "Dinas Pariwisata", ["pariwisata"], False),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ["pembangunan_daerah"], False),
    ("KEMENAG", "Kantor Kementerian Agama", ["agama"], False),
]

# What a kecamatan office handles itself: its letters and its public-order (trantib) section.
DISTRICT_COMPETENCIES = [
    "administrasi_kependudukan.surat_pengantar",
    "ketentraman_ketertiban.gangguan_ketertiban",
]


def government_code(region_code: str) -> str:
    """'73' → 'PROV-73', '73.11' → 'KAB-73-11' (cities too: the code follows the level)."""
    prefix = "PROV" if "." not in region_code else "KAB"
    return f"{prefix}-{region_code.replace('.', '-')}"


def district_code(region_code: str) -> str:
    """'73.11.01' → 'KEC-73-11-01'."""
    return f"KEC-{region_code.replace('.', '-')}"


def build_template(regions: Regions, with_districts: bool = False) -> list[AgencySpec]:
    """Every agency of the starter template, parents before children."""
    specs = [
        AgencySpec(
            ROOT_CODE,
            "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "national_ministry",
            None,
            is_coordinator=True,
        )
    ]
    specs += [
        AgencySpec(code, name, kind, parent, [], list(competencies))
        for code, name, kind, parent, competencies in NATIONAL_BODIES
    ]
    for province in regions.provinces():
        place = f"Provinsi {province.display_name}"
        specs += _government(province, place, "provincial_government", ROOT_CODE, PROVINCIAL_OPDS)
        for regency in regions.regencies(province.code):
            specs += _government(
                regency,
                regency.display_name,
                _regency_kind(regency),
                government_code(province.code),
                REGENCY_OPDS,
            )
            if with_districts:
                specs += [
                    _district(district, government_code(regency.code))
                    for district in regions.districts(regency.code)
                ]
    return specs


def _government(
    region: Region, place: str, kind: str, parent: str, opds: list[tuple[str, str, list[str], bool]]
) -> list[AgencySpec]:
    code = government_code(region.code)
    # The government node has no competencies: reports go to its OPDs, never to the node.
    specs = [AgencySpec(code, f"Pemerintah {place}", kind, parent, [region.code])]
    specs += [
        AgencySpec(
            f"{code}-{suffix}",
            f"{name} {place}",
            "opd",
            code,
            [region.code],
            list(competencies),
            is_coordinator=coordinator,
        )
        for suffix, name, competencies, coordinator in opds
    ]
    return specs


def _regency_kind(regency: Region) -> str:
    if regency.name.startswith("KOTA "):
        return "city_government"
    if regency.name.startswith("KABUPATEN "):
        return "regency_government"
    raise ValueError(f"regency {regency.code} is neither KABUPATEN nor KOTA: {regency.name!r}")


def _district(district: Region, parent: str) -> AgencySpec:
    word = "Distrik" if district.code.split(".", 1)[0] in _DISTRIK_PROVINCES else "Kecamatan"
    # a few district names are upper case in the source (e.g. KI'E), most are already titled
    name = title_name(district.name) if district.name.isupper() else district.name
    return AgencySpec(
        district_code(district.code),
        f"{word} {name}",
        "unit",
        parent,
        [district.code],
        list(DISTRICT_COMPETENCIES),
    )
