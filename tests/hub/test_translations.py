"""Interface translations are complete, and the admin edits Arabic right to left."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert "fuzzy" not in catalogue.metadata_as_entry().flags


def test_catalogues_cover_every_string_in_the_code(tmp_path, settings):
    """makemessages over the current code adds no entry the catalogues lack."""
    for language in TRANSLATED:
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", target / "django.po")
    settings.LOCALE_PATHS = [tmp_path]
    call_command(
        "makemessages",
        *[f"--locale={language}" for language in TRANSLATED],
        "--ignore=.venv",
        "--ignore=tests",
        "--ignore=scripts",
        "--ignore=staticfiles",
        "--ignore=media",
        "--ignore=bench",
        "--no-obsolete",
        verbosity=0,
    )
    for language in TRANSLATED:
        catalogue = polib.pofile(str(tmp_path / language / "LC_MESSAGES" / "django.po"))
        missing = [entry.msgid for entry in catalogue if not entry.translated() or "fuzzy" in entry.flags]
        assert missing == [], f"{language}: run makemessages and translate {missing[:5]}"


@pytest.mark.django_db
def test_admin_edits_arabic_fields_right_to_left(admin_client):
    from hub.models import ClusterPage

    page = ClusterPage.objects.first()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '[name$="_ar"]' in html and "direction: rtl" in html
    assert 'name="intro_ar"' in html and 'name="intro_el"' in html
