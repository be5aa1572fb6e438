"""The whole learner journey through the real site, in every language, with the real PDF renderer.

Sign up → verify the email address → log in → enrol → complete the lessons →
fail, then pass, each quiz → certificate issued → PDF downloaded (its text
read back) → the public verification page says valid → staff revoke → it
says revoked.
"""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from pypdf import PdfReader

from courses.models import Certificate, CoursePage
from courses.selectors import course_progress
from tests.accounts.helpers import link_in
from tests.accounts.test_signup import PASSWORD, signup_data
from tests.courses.test_learning_journey import DEMO_COURSE, answers, text_of, url_in

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
HOLDER = {"first_name": "Nour", "last_name": "Haddad"}


def sign_up_and_verify(client, language: str, email: str):
    response = client.post(f"/{language}/accounts/signup/", signup_data(email=email, **HOLDER))
    assert response.status_code == 302
    confirm_path = link_in(mail.outbox[-1], "/accounts/confirm-email/")
    assert client.post(confirm_path).status_code == 302
    response = client.post(f"/{language}/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return get_user_model().objects.get(email=email)


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_sign_up_learn_certify_verify_revoke(client, admin_client, language):
    learner = sign_up_and_verify(client, language, f"nour.{language}@atelier.example")
    course = CoursePage.objects.get(slug_en=DEMO_COURSE)
    course_url = url_in(course, language)
    assert client.post(course_url, {"action": "enrol"}).status_code == 302

    failed_once = False
    for item in course_progress(user=learner, course=course).items:
        item_url = url_in(item.page, language)
        if item.kind == "lesson":
            assert client.post(item_url, {"action": "complete"}).status_code == 302
            continue
        quiz = item.page.specific
        if not failed_once:
            result = client.get(client.post(item_url, answers(quiz, right=False))["Location"])
            assert "quiz-result--failed" in result.content.decode()
            assert not Certificate.objects.filter(user=learner).exists()
            failed_once = True
        result = client.get(client.post(item_url, answers(quiz, right=True))["Location"])
        assert "quiz-result--passed" in result.content.decode()

    certificate = Certificate.objects.get(user=learner, course=course)
    assert certificate.holder_name == "Nour Haddad"
    pdf = client.get(f"/{language}/certificates/{certificate.display_code}/pdf/{language}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(pdf).split())
    assert "Nour Haddad" in text
    assert certificate.display_code in text

    verify_url = f"/{language}/certificates/verify/{certificate.display_code}/"
    client.logout()
    verified = client.get(verify_url)
    assert verified.status_code == 200 and "verify__status--valid" in verified.content.decode()
    assert "Nour Haddad" in text_of(verified)
    assert learner.email not in verified.content.decode()

    assert (
        admin_client.post(
            f"/admin/training/certificates/{certificate.pk}/revoke/", {"reason": "Issued in error"}
        ).status_code
        == 302
    )
    assert "verify__status--revoked" in client.get(verify_url).content.decode()
    assert client.get(f"/api/certificates/{certificate.code}/").json()["status"] == "revoked"
