"""The pure half of duplicate candidates (services.intake.duplicates): where a report belongs,
its normalised words, and the score, on Barru texts worked out by hand."""

from services.intake import duplicates
from services.intake.duplicates import THRESHOLD, family_of, normalised, regency_of, score

SAME_A = ("Pungutan uang seragam di SDN 12 Mangkoso",
          "Sekolah SDN 12 Mangkoso meminta uang seragam Rp 500.000 kepada setiap siswa baru.")  # fmt: skip
SAME_B = ("Pungutan seragam SDN 12 Mangkoso", "Orang tua siswa baru di SDN 12 Mangkoso diminta "
          "membayar uang seragam Rp 500.000 oleh sekolah.")  # fmt: skip
OTHER_SCHOOL = ("Uang seragam mahal di SDN 3 Pekkae",
                "Siswa baru di SDN 3 Pekkae harus membayar uang seragam Rp 450.000 kepada sekolah.")  # fmt: skip
OTHER_MATTER = ("Guru jarang hadir di SMPN 1 Barru", "Guru matematika di SMPN 1 Barru sering "
                "tidak masuk kelas, siswa dibiarkan belajar sendiri.")  # fmt: skip


def test_a_report_belongs_to_its_regency_and_top_level_category():
    assert regency_of("73.11.01.2001") == "73.11"
    assert regency_of("73.11") == "73.11"
    assert regency_of("73") is None and regency_of("") is None and regency_of(None) is None
    assert family_of("pendidikan.sd") == "pendidikan"
    assert family_of("kesehatan") == "kesehatan"
    assert family_of(None) is None


def test_words_are_folded_deduplicated_sorted_and_stop_words_dropped():
    assert normalised("Jalan RUSAK di Désa", "jalan rusak, yang parah!") == "desa jalan parah rusak"
    assert normalised("a b", "di ke") == ""


def test_the_same_fee_at_the_same_school_told_twice_is_a_candidate():
    # shared words: 000 12 500 baru mangkoso pungutan rp sdn sekolah seragam siswa uang (12);
    # all distinct words: 18 → Jaccard 66.7; with token_set_ratio the blend is at least 70
    a, b = normalised(*SAME_A), normalised(*SAME_B)
    assert len(set(a.split()) & set(b.split())) == 12
    assert len(set(a.split()) | set(b.split())) == 18
    assert score(a, b) == score(b, a) >= THRESHOLD


def test_another_school_or_another_matter_is_not():
    a = normalised(*SAME_A)
    assert score(a, normalised(*OTHER_SCHOOL)) < THRESHOLD
    assert score(a, normalised(*OTHER_MATTER)) < THRESHOLD


def test_fewer_shared_words_than_the_minimum_score_nothing():
    assert duplicates.MIN_SHARED == 3
    assert score("banjir jalan", "banjir jalan") == 0
    assert score("banjir jalan rusak", "banjir jalan rusak") == 100
