"""The desk's coordination pages' small choices: which government and province an officer's
scope lies in (the default of the statistics and ranking pages), and which words of a
service's refusal an officer reads. Pure."""

import pytest

from services.portal.desk.refusals import slug, words
from services.portal.desk.statistics import government_of, province_of
from services.portal.upstream import Reply


@pytest.mark.parametrize(
    "scope, government, province",
    [
        ("KAB-73-11", "KAB-73-11", "PROV-73"),  # a Diskominfo coordinates its regency
        ("KAB-73-11-DINKES", "KAB-73-11", "PROV-73"),  # an agency admin's own office
        ("KAB-73-71-DINKES-PKM-1", "KAB-73-71", "PROV-73"),  # Kota Makassar's units
        ("PROV-73", "PROV-73", "PROV-73"),
        ("PROV-73-DISDIK", "PROV-73", "PROV-73"),
        ("KEMENPANRB", None, None),  # the nation: a province is chosen on the page
        ("OMBUDSMAN", None, None),
        ("KAB-7-11", None, None),
        (None, None, None),
    ],
)
def test_the_government_and_province_of_a_scope(scope, government, province):
    assert government_of(scope) == government
    assert province_of(scope) == province


def test_a_refusal_is_read_in_the_officers_language():
    bilingual = Reply(
        403,
        {
            "type": "urn:satupintu:problem:not-permitted",
            "title": "Peran Anda tidak mengizinkan ini / Your role does not allow this",
            "detail": "A oversight_viewer cannot approve or reject registrations",
        },
    )
    assert slug(bilingual) == "not-permitted"
    # an English-only detail is left off the Indonesian page, kept on the English one
    assert words("id", bilingual) == ("Peran Anda tidak mengizinkan ini", None)
    assert words("en", bilingual) == (
        "Your role does not allow this",
        "A oversight_viewer cannot approve or reject registrations",
    )
    both = Reply(
        404,
        {"title": "Tidak ditemukan / Not found", "detail": "Instansi X tidak ada / No agency X"},
    )
    assert words("id", both) == ("Tidak ditemukan", "Instansi X tidak ada")
    assert slug(Reply(400, {})) == "" and words("id", Reply(400, {})) == ("", None)
