"""Certificates: codes people can type, public verification, and PDFs only for their holder and staff."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from courses import services
from courses.certificates import CODE_BYTES, code_display, code_generate, code_normalise
from courses.models import Certificate, CertificateFile, CoursePage
from courses.services import certificate_issue, certificate_reissue, certificate_revoke, enrolment_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    learner = UserFactory(first_name="Eleni", last_name="Papadopoulou")
    course = CoursePage.objects.get(slug_en="circular-business-models")
    enrolment = enrolment_create(user=learner, course=course)
    return certificate_issue(enrolment=enrolment, language="el")


def test_codes_carry_at_least_128_random_bits_and_are_shown_grouped():
    assert CODE_BYTES * 8 >= 128
    codes = {code_generate() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert re.fullmatch(r"[a-z2-7]{32}", code)
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", code_display(code))
    for typed in (code, code.upper(), code_display(code), code_display(code).lower(), f" {code_display(code)} "):
        assert code_normalise(typed) == code
    assert code_normalise("not-a-code") is None


def test_the_certificate_keeps_its_own_copy_of_name_and_titles(certificate):
    assert certificate.holder_name == "Eleni Papadopoulou"
    assert certificate.course_title("el") == CoursePage.objects.get(pk=certificate.course_id).title_el
    assert certificate.course_title("ar") != certificate.course_title("en")
    user = certificate.user
    user.delete()
    certificate.refresh_from_db()
    assert certificate.user is None and certificate.holder_name == "Eleni Papadopoulou"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_verification_needs_no_login_and_accepts_any_spelling_of_the_code(client, certificate, language):
    for typed in (certificate.display_code, certificate.code, certificate.code.upper()):
        response = client.get(f"/{language}/certificates/verify/{typed}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Eleni Papadopoulou" in html
        assert certificate.course_title(language) in html
        assert "verify__status--valid" in html
        assert certificate.user.email not in html


def test_an_unknown_code_is_not_a_valid_certificate(client):
    for code in ("AAAA-BBBB", code_display(code_generate()), "<script>"):
        response = client.get(f"/ar/certificates/verify/{code}/")
        assert response.status_code == 404
        with translation.override("ar"):
            assert gettext("Not a valid certificate") in response.content.decode()
    # Django's LocaleMiddleware sends unprefixed 404s to a language prefix first; the answer is still JSON.
    response = client.get(f"/api/certificates/{code_generate()}/", follow=True)
    assert response.status_code == 404
    assert response.json() == {"error": "not a valid certificate"}


def test_the_json_api_answers_status_holder_course_date_and_language(client, certificate):
    body = client.get(f"/api/certificates/{certificate.display_code.lower()}/").json()
    assert body["status"] == "valid"
    assert body["holder"] == "Eleni Papadopoulou"
    assert body["course"] == certificate.course_title("el")
    assert body["issued_on"] == certificate.issued_on.isoformat()
    assert body["language"] == "el"
    assert "email" not in body


def test_revoking_needs_a_reason_and_shows_on_verification(client, certificate):
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ValidationError):
        certificate_revoke(certificate=certificate, reason="  ", by=staff)
    certificate.refresh_from_db()
    assert certificate.is_valid
    certificate_revoke(certificate=certificate, reason="Identity could not be confirmed", by=staff)
    assert "verify__status--revoked" in client.get(f"/en/certificates/verify/{certificate.code}/").content.decode()
    body = client.get(f"/api/certificates/{certificate.code}/").json()
    assert body["status"] == "revoked"


def test_reissue_gives_a_new_code_and_revokes_the_old_one(certificate):
    replacement = certificate_reissue(certificate=certificate, by=None)
    certificate.refresh_from_db()
    assert replacement.code != certificate.code
    assert replacement.is_valid and not certificate.is_valid
    assert certificate.replaced_by == replacement


def pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)


def pdf_url(certificate, language="en", prefix="en"):
    return f"/{prefix}/certificates/{certificate.display_code}/pdf/{language}/"


def test_only_the_holder_and_staff_download_the_pdf(client, certificate):
    anonymous = client.get(pdf_url(certificate))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    client.force_login(UserFactory())
    assert client.get(pdf_url(certificate)).status_code == 404
    assert not CertificateFile.objects.exists()

    client.force_login(certificate.user)
    response = client.get(pdf_url(certificate, "ar"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert certificate.display_code in pdf_text(response)

    client.force_login(UserFactory(is_staff=True))
    assert client.get(pdf_url(certificate, "ar")).status_code == 200
    assert client.get(pdf_url(certificate, "xx")).status_code == 404


def test_a_learner_cannot_see_another_learners_dashboard_or_progress(client, certificate):
    other = UserFactory()
    client.force_login(other)
    page = client.get("/en/dashboard/").content.decode()
    assert certificate.display_code not in page
    assert "Eleni" not in page
    client.logout()
    assert client.get("/en/dashboard/").status_code == 302


def test_each_pdf_is_rendered_once_and_again_only_for_a_new_design(client, certificate):
    client.force_login(certificate.user)
    assert client.get(pdf_url(certificate, "it")).status_code == 200
    stored = CertificateFile.objects.get(certificate=certificate, language="it")
    first = (stored.pk, stored.file.name, stored.template_version)
    for _ in range(2):
        assert client.get(pdf_url(certificate, "it")).status_code == 200
    stored.refresh_from_db()
    assert (stored.pk, stored.file.name, stored.template_version) == first
    path = stored.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))

    # A file made from an older design is rendered again on its next download.
    CertificateFile.objects.filter(pk=stored.pk).update(template_version="an-older-design")
    response = client.get(pdf_url(certificate, "it"))
    assert certificate.course_title("it") in " ".join(pdf_text(response).split())
    stored.refresh_from_db()
    assert stored.template_version == first[2]


def test_the_demo_learner_holds_a_certificate():
    certificate = Certificate.objects.get(user__email="learner@example.org")
    assert certificate.is_valid
    assert certificate.enrolment.completed_at is not None


def test_there_is_one_demo_learner_and_they_hold_the_certificate():
    learners = get_user_model().objects.filter(email__iexact="learner@example.org")
    assert learners.count() == 1
    assert Certificate.objects.filter(user=learners.get()).count() == 1
    assert learners.get().get_full_name() == "Leila Haddad"
