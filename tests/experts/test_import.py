"""Experts in the import_content JSON file: validated first, idempotent, nothing written on error."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from casestudies.models import CaseStudyPage
from experts.models import ExpertPage

pytestmark = pytest.mark.django_db


def expert(external_id="imp-001", **overrides):
    record = {
        "external_id": external_id,
        "cluster": "amman",
        "country": "JO",
        "organisation": "Zarqa Upcycling",
        "email": f"{external_id}@private.example.net",
        "expertise": ["eco-design", "reuse", "plastic", "design"],
        "languages": [{"language": "ar", "level": "native"}, {"language": "en", "level": "fluent"}],
        "translations": {
            "en": {"name": "Dana Haddad", "title": "Product designer", "bio": "Dana designs furniture from crates."},
            "ar": {"name": "دانا حداد", "title": "مصممة منتجات", "bio": "تصمم دانا أثاثاً من الصناديق."},
        },
    }
    record.update(overrides)
    return record


def case_study(external_id="imp-cs-001"):
    return {
        "external_id": external_id,
        "cluster": "amman",
        "country": "JO",
        "sector": "design",
        "strategies": ["reuse"],
        "materials": ["wood"],
        "year": 2024,
        "translations": {"en": {"title": "Crate furniture", "summary": "Furniture from crates."}},
    }


def run(tmp_path, data, *args):
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue()


def test_one_file_imports_case_studies_and_experts(tmp_path, client):
    output = run(tmp_path, {"case_studies": [case_study()], "experts": [expert()]})
    assert "experts: 1 were created" in output and "case_studies: 1 were created" in output
    page = ExpertPage.objects.live().get(external_id="imp-001")
    assert page.title == "Dana Haddad"
    assert page.role_ar == "مصممة منتجات"
    assert sorted(page.expertise["strategies"]) == ["reuse"]
    assert page.expertise["topics"] == ["eco-design"]
    assert page.languages_spoken == [{"language": "ar", "level": "native"}, {"language": "en", "level": "fluent"}]
    response = client.get(page.get_url())
    assert response.status_code == 200
    assert "imp-001@private.example.net" not in response.text


def test_reimport_changes_nothing_and_updates_are_published(tmp_path):
    run(tmp_path, {"experts": [expert()]})
    revisions = Revision.objects.count()
    assert "0 were created, 0 were updated, 1 unchanged" in run(tmp_path, {"experts": [expert()]})
    assert Revision.objects.count() == revisions
    changed = expert(languages=[{"language": "fr", "level": "basic"}])
    assert "1 were updated" in run(tmp_path, {"experts": [changed]})
    assert ExpertPage.objects.get(external_id="imp-001").languages_spoken == [{"language": "fr", "level": "basic"}]


def test_an_error_in_any_part_writes_nothing(tmp_path):
    bad = expert(
        "imp-bad",
        cluster="paris",
        email="not-an-address-secret",
        expertise=["knitting"],
        languages=[{"language": "ar", "level": "expert"}],
    )
    cases_before, experts_before = CaseStudyPage.objects.count(), ExpertPage.objects.count()
    stderr = io.StringIO()
    path = tmp_path / "content.json"
    path.write_text(json.dumps({"case_studies": [case_study()], "experts": [expert(), bad]}), encoding="utf-8")
    with pytest.raises(CommandError, match="4 error"):
        call_command("import_content", str(path), stderr=stderr)
    messages = stderr.getvalue()
    assert 'experts[1] (imp-bad): cluster: unknown cluster "paris"' in messages
    assert 'experts[1] (imp-bad): expertise[0]: unknown expertise "knitting"' in messages
    assert "experts[1] (imp-bad): languages[0].level:" in messages
    assert "experts[1] (imp-bad): email: not a valid email address" in messages
    assert "not-an-address-secret" not in messages
    assert (CaseStudyPage.objects.count(), ExpertPage.objects.count()) == (cases_before, experts_before)


def test_dry_run_writes_nothing(tmp_path):
    before = ExpertPage.objects.count()
    assert "experts: 1 would be created" in run(tmp_path, {"experts": [expert()]}, "--dry-run")
    assert ExpertPage.objects.count() == before


def test_unknown_part_is_refused(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path, {"workshops": []})
