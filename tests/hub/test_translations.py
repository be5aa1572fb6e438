"""Interface translations are complete, and the admin edits Arabic right to left."""

import re
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


def test_catalogues_cover_every_string_in_the_code(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the code adds no entry the catalogues lack.

    makemessages writes into any `locale` folder above the files it scans, so
    it runs on a copy, never on the real catalogues.
    """
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".*", "__pycache__", "staticfiles", "media", "*.sqlite3", "*.mo")
    for name in ("hub", "casestudies", "courses", "experts", "search", "accounts", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command(
        "makemessages",
        *[f"--locale={language}" for language in TRANSLATED],
        "--no-obsolete",
        verbosity=0,
    )
    for language in TRANSLATED:
        catalogue = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [entry.msgid for entry in catalogue if not entry.translated() or "fuzzy" in entry.flags]
        assert missing == [], f"{language}: run makemessages and translate {missing[:5]}"


@pytest.mark.django_db
def test_admin_edits_each_language_in_its_own_direction(admin_client):
    from hub.models import ClusterPage

    page = ClusterPage.objects.first()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    rules = dict(
        (direction, selectors)
        for selectors, direction in re.findall(r"(?:^|\}|<style>)\s*([^{}<]+?)\s*\{ direction: (rtl|ltr); ", html)
    )
    rtl_rule, ltr_rule = rules["rtl"], rules["ltr"]
    assert '[name$="_ar"]' in rtl_rule and '[name$="_en"]' not in rtl_rule
    # English, Greek and Italian fields stay left to right in an Arabic admin.
    assert all(f'[name$="_{code}"]' in ltr_rule for code in ("en", "el", "it"))
    assert 'name="intro_ar"' in html and 'name="intro_el"' in html
