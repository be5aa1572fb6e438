"""Import: a language version is published whole (its own title and summary) or the import stops and says why."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from casestudies.models import CaseStudyPage
from casestudies.services import case_study_import, case_study_import_file
from tests.casestudies.test_import import TEXTS, record, url_in, write_json

pytestmark = pytest.mark.django_db

MISSING_SUMMARY = "missing summary: give one in this language, or leave the language out"


def texts(**languages) -> dict:
    """TEXTS for the given languages, each trimmed to the named fields."""
    return {code: {name: TEXTS[code][name] for name in fields} for code, fields in languages.items()}


def test_an_english_title_without_an_english_summary_stops_the_import_naming_record_and_field(tmp_path):
    """The reported case: an English page must not go live with the Italian summary under its English title."""
    translations = texts(en=("title",), it=("title", "summary"))
    path = write_json(tmp_path, [record("good-001"), record("prato-004", translations=translations)])
    pages_before = CaseStudyPage.objects.count()

    for dry_run in (True, False):
        report = case_study_import_file(path=path, dry_run=dry_run)
        assert [str(error) for error in report.errors] == [
            f"case_studies[1] (prato-004): translations.en.summary: {MISSING_SUMMARY}"
        ]
        assert report.created == report.updated == []
    assert CaseStudyPage.objects.count() == pages_before
    assert not CaseStudyPage.objects.filter(external_id__in=["good-001", "prato-004"]).exists()

    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_content", str(path), stdout=io.StringIO(), stderr=stderr)
    assert f"case_studies[1] (prato-004): translations.en.summary: {MISSING_SUMMARY}" in stderr.getvalue()


def test_every_language_given_needs_its_own_summary():
    report = case_study_import(
        raw_records=[record("mixed-001", translations=texts(en=("title", "summary"), el=("title",), ar=("title",)))]
    )
    assert [(error.path, error.message) for error in report.errors] == [
        ("translations.el.summary", MISSING_SUMMARY),
        ("translations.ar.summary", MISSING_SUMMARY),
    ]
    assert not CaseStudyPage.objects.filter(external_id="mixed-001").exists()


def test_an_update_that_drops_a_summary_leaves_the_published_page_as_it_was():
    assert case_study_import(raw_records=[record("kept-001")]).ok
    page = CaseStudyPage.objects.get(external_id="kept-001")
    revision = page.latest_revision_id

    report = case_study_import(
        raw_records=[record("kept-001", translations=texts(en=("title",), el=("title", "summary")))]
    )

    assert [error.path for error in report.errors] == ["translations.en.summary"]
    page.refresh_from_db()
    assert page.latest_revision_id == revision
    assert page.summary_en == TEXTS["en"]["summary"] and page.summary_it == TEXTS["it"]["summary"]


@pytest.mark.parametrize("language", ["el", "it", "ar"])
def test_the_error_is_in_the_language_of_the_person_importing(language):
    with translation.override(language):
        report = case_study_import(raw_records=[record("lang-001", translations=texts(en=("title",)))])
        expected = gettext(MISSING_SUMMARY)
    assert [(error.path, error.message) for error in report.errors] == [("translations.en.summary", expected)]


def test_an_optional_text_left_out_in_english_is_not_filled_from_another_language(client):
    translations = texts(en=("title", "summary"), el=("title", "summary", "challenge", "results"))
    assert case_study_import(raw_records=[record("partial-001", translations=translations)]).ok
    page = CaseStudyPage.objects.get(external_id="partial-001")
    assert page.summary_en == TEXTS["en"]["summary"]
    assert page.challenge_en == page.results_en == ""

    english = BeautifulSoup(client.get(url_in(page, "en")).content, "html.parser")
    assert TEXTS["el"]["challenge"] not in english.get_text()
    assert english.select_one(".lead").get_text(strip=True) == TEXTS["en"]["summary"]
    greek = BeautifulSoup(client.get(url_in(page, "el")).content, "html.parser")
    assert TEXTS["el"]["challenge"] in greek.get_text()


def test_a_record_without_english_gives_english_one_whole_language():
    """English is copied from one language (the first given in LANGUAGES order), never assembled field by field."""
    translations = texts(it=("title", "summary", "challenge", "solution", "results"), ar=("title", "summary"))
    translations["ar"]["challenge"] = TEXTS["ar"]["challenge"]
    translations["it"].pop("challenge")
    assert case_study_import(raw_records=[record("italian-001", translations=translations)]).ok
    page = CaseStudyPage.objects.get(external_id="italian-001")
    assert (page.title_en, page.summary_en, page.results_en) == (
        TEXTS["it"]["title"],
        TEXTS["it"]["summary"],
        TEXTS["it"]["results"],
    )
    assert page.challenge_en == ""  # not the Arabic challenge
    assert page.challenge_ar == TEXTS["ar"]["challenge"]
