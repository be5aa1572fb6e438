"""Staff reports in the Wagtail admin: enrolments, completions, certificates, CSV, revoke and reissue."""

import csv
import io

import pytest

from courses import models as course_models
from courses.models import Certificate, CoursePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_certificate():
    return Certificate.objects.get(user__email="learner@example.org")


def test_reports_list_enrolments_and_certificates_per_course(admin_client, demo_certificate):
    assert admin_client.get("/admin/training/").status_code == 200
    page = admin_client.get(f"/admin/training/{demo_certificate.course_id}/").content.decode()
    assert demo_certificate.user.get_username() in page
    assert demo_certificate.display_code in page


def test_csv_exports(admin_client, demo_certificate):
    url = f"/admin/training/{demo_certificate.course_id}/"
    enrolments = admin_client.get(url + "?export=enrolments")
    assert enrolments["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(enrolments.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["username", "email"]
    assert any(row[1] == "learner@example.org" and row[3] for row in rows[1:])
    certificates = admin_client.get(url + "?export=certificates").content.decode("utf-8-sig")
    assert demo_certificate.display_code in certificates


def test_revoke_requires_a_reason_then_reissue(admin_client, demo_certificate):
    url = f"/admin/training/certificates/{demo_certificate.pk}/"
    admin_client.post(url + "revoke/", {"reason": ""})
    demo_certificate.refresh_from_db()
    assert demo_certificate.is_valid
    admin_client.post(url + "revoke/", {"reason": "Name misspelt"})
    demo_certificate.refresh_from_db()
    assert demo_certificate.status == "revoked" and demo_certificate.revoked_reason == "Name misspelt"
    admin_client.post(url + "reissue/")
    assert Certificate.objects.filter(course_id=demo_certificate.course_id, status="valid").count() == 1


def test_learners_and_plain_editors_cannot_use_staff_views(client, demo_certificate):
    course = CoursePage.objects.get(pk=demo_certificate.course_id)
    client.force_login(UserFactory())
    assert client.get(f"/admin/training/{course.pk}/").status_code in (302, 403)
    editor = UserFactory(is_staff=True)
    client.force_login(editor)
    assert client.get(f"/admin/training/{course.pk}/?export=enrolments").status_code in (302, 403)
    response = client.post(f"/admin/training/certificates/{demo_certificate.pk}/revoke/", {"reason": "x"})
    assert response.status_code in (302, 403)
    demo_certificate.refresh_from_db()
    assert demo_certificate.is_valid


@pytest.mark.parametrize("model_name", ["CourseIndexPage", "CoursePage", "ModulePage", "LessonPage", "QuizPage"])
def test_editors_can_open_every_course_page_type_in_the_admin(admin_client, model_name):
    page = getattr(course_models, model_name).objects.first()
    assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
