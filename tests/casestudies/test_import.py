"""Partners' case-study files: JSON and CSV import, idempotent re-import, dry runs and error reports."""

import csv
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.text import slugify
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from casestudies.imports import validate_records
from casestudies.models import CaseStudyPage
from casestudies.services import (
    SLUG_LENGTH,
    case_study_import,
    case_study_import_file,
    case_study_vocabulary,
    slug_cut,
)
from core.languages import language_codes

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
FIXTURES = Path(settings.BASE_DIR) / "casestudies" / "fixtures"
DEMO_FILE = FIXTURES / "demo_case_studies.json"
SAMPLE_CSV = FIXTURES / "sample_case_studies.csv"
TEXT_FIELDS = ("title", "summary", "challenge", "solution", "results")
CSV_COLUMNS = [
    "external_id", "cluster", "country", "sector", "strategies", "materials", "year", "organisation",
    "waste_diverted_kg", "co2e_avoided_kg", "jobs_created", "smes_involved", "lat", "lon",
    *(f"{name}_{code}" for code in language_codes() for name in ("title", "summary")),
]  # fmt: skip

TEXTS = {
    "en": {
        "title": "Olive-wood offcuts become kitchen tools in Ragusa",
        "summary": "A joinery collects olive-wood offcuts from furniture makers and turns them into spoons and boards.",
        "challenge": "Offcuts too small for furniture were burnt.",
        "solution": "A lathe line sized for small pieces.",
        "results": "Four tonnes of hardwood kept in use each year.",
    },
    "el": {
        "title": "Αποκόμματα ελιάς γίνονται σκεύη κουζίνας στη Ραγκούζα",
        "summary": "Ένα ξυλουργείο συλλέγει αποκόμματα ξύλου ελιάς από επιπλοποιούς "
        "και τα κάνει κουτάλια και επιφάνειες κοπής.",
        "challenge": "Τα μικρά αποκόμματα καίγονταν.",
        "solution": "Ένας τόρνος για μικρά κομμάτια.",
        "results": "Τέσσερις τόνοι σκληρού ξύλου παραμένουν σε χρήση κάθε χρόνο.",
    },
    "it": {
        "title": "A Ragusa i ritagli di ulivo diventano utensili da cucina",
        "summary": "Una falegnameria raccoglie i ritagli di legno d'ulivo dai mobilieri "
        "e li trasforma in cucchiai e taglieri.",
        "challenge": "I ritagli troppo piccoli per i mobili venivano bruciati.",
        "solution": "Una linea di tornitura per pezzi piccoli.",
        "results": "Quattro tonnellate di legno duro restano in uso ogni anno.",
    },
    "ar": {
        "title": "قصاصات خشب الزيتون تصبح أدوات مطبخ في راغوزا",
        "summary": "تجمع ورشة نجارة قصاصات خشب الزيتون من صانعي الأثاث وتحوّلها إلى ملاعق وألواح تقطيع.",
        "challenge": "كانت القصاصات الصغيرة تُحرق.",
        "solution": "خط خراطة للقطع الصغيرة.",
        "results": "أربعة أطنان من الخشب الصلب تبقى قيد الاستخدام كل عام.",
    },
}


def record(external_id: str = "import-001", **overrides) -> dict:
    """A valid record in the JSON import format, with every language filled in."""
    values = {
        "external_id": external_id,
        "cluster": "sicily",
        "country": "IT",
        "sector": "crafts",
        "strategies": ["reuse", "repurpose"],
        "materials": ["wood"],
        "year": 2024,
        "organisation": "Falegnameria Iblea",
        "location": {"lat": 36.9269, "lon": 14.7255},
        "impact": {"waste_diverted_kg": 4000, "co2e_avoided_kg": 5200, "jobs_created": 2, "smes_involved": 6},
        "translations": json.loads(json.dumps(TEXTS)),
    }
    values.update(overrides)
    return values


def write_json(directory: Path, records: list[dict], name: str = "case_studies.json") -> Path:
    path = directory / name
    path.write_text(json.dumps({"case_studies": records}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_csv(directory: Path, rows: list[dict], name: str = "case_studies.csv") -> Path:
    path = directory / name
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def csv_row(external_id: str, **overrides) -> dict:
    row = {
        "external_id": external_id,
        "cluster": "amman",
        "country": "JO",
        "sector": "design",
        "strategies": "reuse; recycle",
        "materials": "plastic;glass",
        "year": "2023",
        "organisation": "Jabal Design Lab",
        "waste_diverted_kg": "1500",
        "co2e_avoided_kg": "",
        "jobs_created": "3",
        "smes_involved": "4",
        "lat": "31.9539",
        "lon": "35.9106",
        **{
            f"{name}_{code}": TEXTS[code][name] + f" ({external_id})" for code in TEXTS for name in ("title", "summary")
        },
    }
    row.update(overrides)
    return row


def demo_records() -> list[dict]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["case_studies"]


def revisions_state() -> tuple[int, dict[str, int]]:
    """Every revision there is, and the latest revision of each case study."""
    return Revision.objects.count(), dict(CaseStudyPage.objects.values_list("external_id", "latest_revision_id"))


def url_in(page: Page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def run_command(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_content", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


# Importing -------------------------------------------------------------------------------------------------------


def test_json_file_imports_and_publishes_every_language(tmp_path, client):
    second = record(
        "import-002",
        cluster="prato",
        sector="fashion-textile",
        strategies=["recycle"],
        materials=["textile"],
        impact={"waste_diverted_kg": 900},
        location=None,
        translations={code: {name: f"{text} (2)" for name, text in texts.items()} for code, texts in TEXTS.items()},
    )
    report = case_study_import_file(path=write_json(tmp_path, [record(), second]))
    assert report.ok and report.created == ["import-001", "import-002"]

    page = CaseStudyPage.objects.get(external_id="import-001")
    assert page.live and not page.has_unpublished_changes
    for code in LANGUAGE_CODES:
        for name in TEXT_FIELDS:
            assert getattr(page, f"{name}_{code}") == TEXTS[code][name]
    assert page.cluster.slug_en == "sicily" and page.country.code == "IT" and page.sector.slug == "crafts"
    assert sorted(page.strategies.values_list("slug", flat=True)) == ["repurpose", "reuse"]
    assert list(page.materials.values_list("slug", flat=True)) == ["wood"]
    assert (page.waste_diverted_kg, page.co2e_avoided_kg, page.jobs_created, page.smes_involved) == (4000, 5200, 2, 6)
    assert (page.latitude, page.longitude) == (36.9269, 14.7255)
    assert page.organisation == "Falegnameria Iblea" and page.year == 2024

    other = CaseStudyPage.objects.get(external_id="import-002")
    assert other.impact_metrics == {
        "waste_diverted_kg": 900,
        "co2e_avoided_kg": None,
        "jobs_created": None,
        "smes_involved": None,
    }
    assert other.location is None

    for code in LANGUAGE_CODES:
        response = client.get(url_in(page, code))
        assert response.status_code == 200
        assert BeautifulSoup(response.content, "html.parser").find("h1").get_text(strip=True) == TEXTS[code]["title"]


def test_imported_pages_have_a_revision_a_log_and_show_in_the_admin(tmp_path, admin_client):
    case_study_import_file(path=write_json(tmp_path, [record()]))

    page = CaseStudyPage.objects.get(external_id="import-001")
    assert page.revisions.count() == 1 and page.live_revision_id == page.latest_revision_id
    assert page.live_revision.content["strategies"] == sorted(page.strategies.values_list("pk", flat=True))
    assert sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)) == [
        "wagtail.create",
        "wagtail.publish",
    ]
    # The snippet's usage count and the admin's page search include the import.
    assert ReferenceIndex.get_references_to(page.sector).filter(object_id=str(page.pk)).exists()
    response = admin_client.get("/admin/pages/search/", {"q": "Ragusa"})
    assert response.status_code == 200
    assert f"/admin/pages/{page.pk}/edit/" in response.content.decode()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    before = revisions_state()
    report = case_study_import_file(path=DEMO_FILE)
    assert report.ok
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == 18
    assert revisions_state() == before

    path = write_json(tmp_path, [record()])
    case_study_import_file(path=path)
    after_first = revisions_state()
    report = case_study_import_file(path=path)
    assert (report.created, report.updated, report.unchanged) == ([], [], ["import-001"])
    assert revisions_state() == after_first


def test_an_edited_file_updates_only_the_changed_page(tmp_path):
    records = demo_records()
    edited = next(item for item in records if item["external_id"] == "prato-002")
    edited["translations"]["it"]["summary"] = "Un riassunto riveduto dal partner di Prato."
    edited["impact"]["jobs_created"] = 7
    edited["materials"] = ["textile"]
    revisions_before, latest_before = revisions_state()

    report = case_study_import_file(path=write_json(tmp_path, records))

    assert report.ok and report.updated == ["prato-002"] and report.created == []
    assert len(report.unchanged) == 17
    revisions_after, latest_after = revisions_state()
    assert revisions_after == revisions_before + 1
    assert {key for key in latest_after if latest_after[key] != latest_before.get(key)} == {"prato-002"}
    page = CaseStudyPage.objects.get(external_id="prato-002")
    assert page.live and not page.has_unpublished_changes
    assert page.summary_it == "Un riassunto riveduto dal partner di Prato."
    assert page.summary_el == edited["translations"]["el"]["summary"]
    assert page.jobs_created == 7
    assert list(page.materials.values_list("slug", flat=True)) == ["textile"]


def test_dry_run_reports_what_would_change_and_writes_nothing(tmp_path):
    records = demo_records()
    edited = next(item for item in records if item["external_id"] == "athens-001")
    original_title = edited["translations"]["en"]["title"]
    edited["translations"]["en"]["title"] = "A new title for the Gazi scenery store"
    path = write_json(tmp_path, [*records, record("dry-001")])
    pages_before, revisions_before = CaseStudyPage.objects.count(), revisions_state()

    output, errors = run_command(str(path), "--dry-run")

    assert errors == ""
    assert "created: dry-001" in output
    assert "updated: athens-001" in output
    assert "1 would be created, 1 would be updated, 17 unchanged." in output
    assert CaseStudyPage.objects.count() == pages_before
    assert revisions_state() == revisions_before
    assert not CaseStudyPage.objects.filter(external_id="dry-001").exists()
    assert CaseStudyPage.objects.get(external_id="athens-001").title_en == original_title


def test_command_imports_and_summarises(tmp_path):
    path = write_json(tmp_path, [record("command-001"), record("command-002")])
    output, errors = run_command(str(path))
    assert errors == ""
    assert "created: command-001" in output and "created: command-002" in output
    assert "2 were created, 0 were updated, 0 unchanged." in output
    assert CaseStudyPage.objects.live().filter(external_id__startswith="command-").count() == 2


# Errors ----------------------------------------------------------------------------------------------------------

BAD_RECORDS = [
    ("bad-cluster", {"cluster": "paris"}, "cluster", 'unknown cluster "paris"'),
    ("bad-sector", {"sector": "cooking"}, "sector", 'unknown sector "cooking"'),
    ("bad-strategy", {"strategies": ["reuse", "recycel"]}, "strategies[1]", 'unknown strategy "recycel"'),
    ("bad-material", {"materials": ["unobtainium"]}, "materials[0]", 'unknown material "unobtainium"'),
    ("bad-country", {"country": "XX"}, "country", '"XX" is not an ISO 3166 country code'),
    ("negative-metric", {"impact": {"jobs_created": -3}}, "impact.jobs_created", "must not be negative"),
    (
        "fractional-metric",
        {"impact": {"waste_diverted_kg": 12.5}},
        "impact.waste_diverted_kg",
        "must be a whole number",
    ),
    ("text-metric", {"impact": {"smes_involved": "many"}}, "impact.smes_involved", "must be a whole number"),
    (
        "no-title",
        {"translations": {"en": {"summary": "A summary without a title."}}},
        "translations.en.title",
        "missing title",
    ),
    ("no-texts", {"translations": {}}, "translations", "missing title: give a title in at least one language"),
    ("bad-language", {"translations": {**TEXTS, "fr": {"title": "Titre"}}}, "translations.fr", 'unknown language "fr"'),
]


@pytest.mark.parametrize(
    ("external_id", "overrides", "path", "message"), BAD_RECORDS, ids=[row[0] for row in BAD_RECORDS]
)
def test_a_bad_record_is_named_with_its_field_and_nothing_is_written(tmp_path, external_id, overrides, path, message):
    pages_before = CaseStudyPage.objects.count()
    report = case_study_import_file(path=write_json(tmp_path, [record("good-001"), record(external_id, **overrides)]))
    assert [str(error) for error in report.errors] == [f"case_studies[1] ({external_id}): {path}: {message}"]
    assert report.created == [] and report.updated == []
    assert CaseStudyPage.objects.count() == pages_before
    assert not CaseStudyPage.objects.filter(external_id="good-001").exists()


def test_duplicate_external_ids_are_reported():
    report = case_study_import(raw_records=[record("twin-001"), record("other-001"), record("twin-001")])
    assert [str(error) for error in report.errors] == [
        "case_studies[2] (twin-001): external_id: duplicate of case_studies[0]"
    ]
    assert not CaseStudyPage.objects.filter(external_id__in=["twin-001", "other-001"]).exists()


def test_every_error_of_a_file_is_reported_at_once_and_the_command_fails(tmp_path):
    records = [record("good-001")]
    records += [record(external_id, **overrides) for external_id, overrides, _path, _message in BAD_RECORDS]
    records.append(record("good-001"))
    path = write_json(tmp_path, records)
    pages_before, revisions_before = CaseStudyPage.objects.count(), revisions_state()

    with pytest.raises(CommandError) as failure:
        run_command(str(path))

    assert failure.value.returncode != 0
    assert f"{len(BAD_RECORDS) + 1} error(s)" in str(failure.value)
    assert "nothing was imported" in str(failure.value)
    report = case_study_import_file(path=path)
    messages = [str(error) for error in report.errors]
    for position, (external_id, _overrides, field_path, message) in enumerate(BAD_RECORDS, start=1):
        assert f"case_studies[{position}] ({external_id}): {field_path}: {message}" in messages
    assert f"case_studies[{len(records) - 1}] (good-001): external_id: duplicate of case_studies[0]" in messages
    assert len(messages) == len(BAD_RECORDS) + 1
    assert CaseStudyPage.objects.count() == pages_before
    assert revisions_state() == revisions_before


def test_command_prints_every_error(tmp_path):
    path = write_json(tmp_path, [record("bad-cluster", cluster="paris"), record("bad-country", country="XX")])
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_content", str(path), stderr=stderr)
    assert 'case_studies[0] (bad-cluster): cluster: unknown cluster "paris"' in stderr.getvalue()
    assert 'case_studies[1] (bad-country): country: "XX" is not an ISO 3166 country code' in stderr.getvalue()


def test_malformed_json_names_its_line(tmp_path):
    path = tmp_path / "broken.json"
    # The comma after "prato" is missing: the parser stumbles at the start of line 5.
    path.write_text(
        """{
  "case_studies": [
    {"external_id": "broken-001",
     "cluster": "prato"
     "country": "IT"}
  ]
}
""",
        encoding="utf-8",
    )
    pages_before = CaseStudyPage.objects.count()
    report = case_study_import_file(path=path)
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert str(path) in message
    assert "malformed JSON at line 5, column 6" in message
    assert CaseStudyPage.objects.count() == pages_before
    with pytest.raises(CommandError):
        run_command(str(path))


def test_a_csv_with_bad_rows_names_each_and_writes_nothing(tmp_path):
    path = write_csv(
        tmp_path,
        [
            csv_row("csv-001"),
            csv_row("csv-002", country="XX", jobs_created="-2"),
            csv_row("csv-003", strategies="reuse;recycel", waste_diverted_kg="1.5 t"),
        ],
    )
    pages_before = CaseStudyPage.objects.count()
    report = case_study_import_file(path=path)
    assert [str(error) for error in report.errors] == [
        'case_studies[1] (csv-002): country: "XX" is not an ISO 3166 country code',
        "case_studies[1] (csv-002): impact.jobs_created: must not be negative",
        'case_studies[2] (csv-003): strategies[1]: unknown strategy "recycel"',
        "case_studies[2] (csv-003): impact.waste_diverted_kg: must be a whole number",
    ]
    assert CaseStudyPage.objects.count() == pages_before


def test_error_messages_are_translated():
    bad = [record("bad-001", cluster="paris", impact={"jobs_created": -1})]
    english = [error.message for error in validate_records(bad, vocabulary=case_study_vocabulary())[1]]
    with translation.override("el"):
        greek = [error.message for error in validate_records(bad, vocabulary=case_study_vocabulary())[1]]
    assert english == ['unknown cluster "paris"', "must not be negative"]
    assert len(greek) == len(english)
    for greek_message, english_message in zip(greek, english, strict=True):
        assert greek_message != english_message
    assert greek[1] == "δεν επιτρέπεται αρνητική τιμή"
    assert "«paris»" in greek[0]


def test_importing_while_another_language_is_active_keeps_every_translation():
    """An import run from a Greek admin session, say, must write the same pages as one run in English."""
    with translation.override("el"):
        report = case_study_import(raw_records=[record("greek-admin-001")])
    assert report.ok, report.errors
    page = CaseStudyPage.objects.get(external_id="greek-admin-001")
    for code in LANGUAGE_CODES:
        assert getattr(page, f"title_{code}") == TEXTS[code]["title"]
        assert getattr(page, f"summary_{code}") == TEXTS[code]["summary"]
    assert page.slug_en == slugify(TEXTS["en"]["title"])
    assert page.slug_el == slugify(TEXTS["el"]["title"], allow_unicode=True)


def test_reimporting_while_another_language_is_active_changes_nothing(tmp_path):
    path = write_json(tmp_path, demo_records()[:3])
    before = revisions_state()
    arabic_titles = dict(CaseStudyPage.objects.values_list("external_id", "title_ar"))
    with translation.override("ar"):
        report = case_study_import_file(path=path)
    assert (report.created, report.updated, report.unchanged) == ([], [], ["athens-001", "athens-002", "athens-003"])
    assert revisions_state() == before
    assert dict(CaseStudyPage.objects.values_list("external_id", "title_ar")) == arabic_titles


# CSV -------------------------------------------------------------------------------------------------------------


def test_csv_file_imports_lists_metrics_and_translations(tmp_path):
    path = write_csv(tmp_path, [csv_row("csv-001"), csv_row("csv-002", cluster="athens", country="gr", lat="", lon="")])
    output, _errors = run_command(str(path))
    assert "2 were created" in output

    page = CaseStudyPage.objects.live().get(external_id="csv-001")
    assert sorted(page.strategies.values_list("slug", flat=True)) == ["recycle", "reuse"]
    assert sorted(page.materials.values_list("slug", flat=True)) == ["glass", "plastic"]
    assert page.impact_metrics == {
        "waste_diverted_kg": 1500,
        "co2e_avoided_kg": None,
        "jobs_created": 3,
        "smes_involved": 4,
    }
    assert (page.latitude, page.longitude) == (31.9539, 35.9106)
    assert page.year == 2023 and page.organisation == "Jabal Design Lab"
    for code in LANGUAGE_CODES:
        assert getattr(page, f"title_{code}") == TEXTS[code]["title"] + " (csv-001)"
        assert getattr(page, f"summary_{code}") == TEXTS[code]["summary"] + " (csv-001)"
    other = CaseStudyPage.objects.get(external_id="csv-002")
    assert other.cluster.slug_en == "athens" and other.country.code == "GR"
    assert other.location is None


def test_sample_csv_imports_in_four_languages(client):
    report = case_study_import_file(path=SAMPLE_CSV)
    assert report.ok, report.errors
    assert report.created == ["sample-001", "sample-002", "sample-003"]
    for page in CaseStudyPage.objects.filter(external_id__startswith="sample-"):
        assert page.live
        titles = [getattr(page, f"title_{code}") for code in LANGUAGE_CODES]
        summaries = [getattr(page, f"summary_{code}") for code in LANGUAGE_CODES]
        assert all(titles) and all(summaries)
        assert len(set(titles)) == len(set(summaries)) == len(LANGUAGE_CODES)
        assert page.strategies.exists() and page.materials.exists()
        assert page.latitude is not None and page.waste_diverted_kg
    again = case_study_import_file(path=SAMPLE_CSV)
    assert (again.created, again.updated) == ([], [])

    page = CaseStudyPage.objects.get(external_id="sample-002")
    response = client.get(url_in(page, "ar"))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == page.title_ar
    assert soup.select_one(".notice--translation") is None


def test_a_greek_only_record_imports_and_english_falls_back_to_greek(client):
    greek = TEXTS["el"]
    report = case_study_import(raw_records=[record("greek-001", translations={"el": greek})])
    assert report.ok, report.errors

    page = CaseStudyPage.objects.live().get(external_id="greek-001")
    assert page.title_el == page.title_en == greek["title"]
    assert page.summary_en == greek["summary"]
    assert page.title_it == page.title_ar == ""
    for code in ("en", "el"):
        response = client.get(url_in(page, code))
        assert response.status_code == 200
        assert BeautifulSoup(response.content, "html.parser").find("h1").get_text(strip=True) == greek["title"]
    italian = client.get(url_in(page, "it"))
    assert italian.status_code == 200
    assert BeautifulSoup(italian.content, "html.parser").select_one(".notice--translation") is not None


@pytest.mark.parametrize(
    "title",
    [
        "Ανακύκλωση υφασμάτων και γυάλινη τέχνη στα εργαστήρια της παλιάς πόλης της Αθήνας με νέους τρόπους",
        "إعادة استخدام بقايا الأقمشة في ورش الخياطة التقليدية في البلدة القديمة في تونس العاصمة والإلهام",
        "Recycling textile offcuts into acoustic panels for theatres and concert halls across Tuscany today",
    ],
)
def test_long_titles_give_slugs_cut_between_words(title):
    slug = slug_cut(title)
    assert 0 < len(slug) <= SLUG_LENGTH
    words = slugify(title, allow_unicode=True).split("-")
    assert slug.split("-") == words[: len(slug.split("-"))]
