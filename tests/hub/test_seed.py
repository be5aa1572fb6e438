"""seed_demo builds the whole site and is idempotent."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from casestudies.models import CaseStudyPage
from hub.models import AboutPage, ClusterPage, Partner, StandardPage

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "latest_revisions": sorted(Page.objects.values_list("id", "latest_revision_id")),
        "images": get_image_model().objects.count(),
        "partners": list(Partner.objects.order_by("key").values_list("key", "name_ar")),
    }


def test_second_run_changes_nothing(capsys):
    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before
    assert "nothing changed" in capsys.readouterr().out


def test_demo_content_is_complete():
    assert ClusterPage.objects.live().count() == 6
    assert CaseStudyPage.objects.live().count() == 18
    assert Partner.objects.count() == 7
    for cluster in ClusterPage.objects.all():
        assert CaseStudyPage.objects.filter(cluster=cluster).count() == 3


@pytest.mark.parametrize("language", ["el", "it", "ar"])
def test_demo_content_is_written_in_every_language(language):
    for page in CaseStudyPage.objects.all():
        for field in ("title", "summary", "challenge", "solution", "results"):
            text = getattr(page, f"{field}_{language}")
            assert text, (page.external_id, field)
            assert text != getattr(page, f"{field}_en"), (page.external_id, field)
    for cluster in ClusterPage.objects.all():
        assert getattr(cluster, f"intro_{language}") != cluster.intro_en


def test_seed_prints_the_admin_login(capsys):
    call_command("seed_demo")
    assert "Demo admin login: admin / innomed-admin" in capsys.readouterr().out


def test_an_editors_changes_survive_the_next_seed():
    about = AboutPage.objects.get()
    about.title_en = "About the Hub (edited by Prato)"
    about.save_revision().publish()
    case_study = CaseStudyPage.objects.order_by("pk").first()
    case_study.summary_el = "Περίληψη που έγραψε ο επιμελητής."
    case_study.save_revision().publish()
    Partner.objects.filter(key=Partner.objects.first().key).update(name_ar="اسم عدّله المحرّر")

    call_command("seed_demo")

    assert AboutPage.objects.get().title_en == "About the Hub (edited by Prato)"
    assert CaseStudyPage.objects.get(pk=case_study.pk).summary_el == "Περίληψη που έγραψε ο επιμελητής."
    assert Partner.objects.filter(name_ar="اسم عدّله المحرّر").count() == 1


def test_a_deleted_seed_page_is_created_again():
    privacy = StandardPage.objects.get(slug_en="privacy")
    privacy.delete()
    call_command("seed_demo")
    assert StandardPage.objects.filter(slug_en="privacy", live=True).count() == 1
