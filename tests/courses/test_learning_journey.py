"""A learner's journey through a course, in every language: enrol, learn, fail and pass quizzes, get certified."""

import io

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader

from courses.models import Certificate, CoursePage, Enrolment, LessonCompletion, QuizAttempt, QuizPage
from courses.selectors import course_progress
from tests.courses.factories import RIGHT, WRONG, small_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
DEMO_COURSE = "circular-design-for-crafts"


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def answers(quiz: QuizPage, *, right: bool) -> dict[str, list[str]]:
    data = {}
    for index, block in enumerate(quiz.questions):
        choices = block.value["choices"]
        wanted = [str(position) for position, choice in enumerate(choices) if bool(choice["correct"]) == right]
        data[f"q{index}"] = wanted if right or block.value["multiple"] else wanted[:1]
    return data


def text_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_enrol_learn_fail_pass_certify_verify_revoke(client, admin_client, language):
    course = CoursePage.objects.get(slug_en=DEMO_COURSE)
    learner = UserFactory(first_name="Nour", last_name="Haddad")
    client.force_login(learner)
    course_url = url_in(course, language)

    page = client.get(course_url)
    assert page.status_code == 200
    assert 'name="action" value="enrol"' in page.content.decode()
    assert client.post(course_url, {"action": "enrol"}).status_code == 302
    assert Enrolment.objects.filter(user=learner, course=course).exists()

    progress = course_progress(user=learner, course=course)
    with translation.override(language):
        first_title = progress.next_item.page.title
    assert first_title in text_of(client.get(course_url))  # "Continue: <first lesson>"

    failed_once = False
    for item in progress.items:
        item_url = url_in(item.page, language)
        if item.kind == "lesson":
            assert client.get(item_url).status_code == 200
            assert client.post(item_url, {"action": "complete"}).status_code == 302
            continue
        quiz = item.page.specific
        if not failed_once:
            response = client.post(item_url, answers(quiz, right=False))
            assert response.status_code == 302
            result = client.get(response["Location"])
            assert "quiz-result--failed" in result.content.decode()
            failed_once = True
        response = client.post(item_url, answers(quiz, right=True))
        assert response.status_code == 302
        assert "quiz-result--passed" in client.get(response["Location"]).content.decode()

    certificate = Certificate.objects.get(user=learner, course=course)
    assert certificate.holder_name == "Nour Haddad"
    assert certificate.language == language
    assert certificate.course_title(language) == getattr(course, f"title_{language}")
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None

    dashboard = client.get(f"/{language}/dashboard/")
    assert certificate.display_code in dashboard.content.decode()
    pdf = client.get(f"/{language}/certificates/{certificate.display_code}/pdf/{language}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert certificate.display_code in " ".join(page.extract_text() for page in reader.pages)

    verify_url = f"/{language}/certificates/verify/{certificate.display_code}/"
    client.logout()
    verified = client.get(verify_url)
    assert verified.status_code == 200
    assert "verify__status--valid" in verified.content.decode()
    assert "Nour Haddad" in text_of(verified)
    assert certificate.course_title(language) in text_of(verified)
    assert learner.email not in verified.content.decode()

    revoke = admin_client.post(f"/admin/training/certificates/{certificate.pk}/revoke/", {"reason": "Issued in error"})
    assert revoke.status_code == 302
    revoked = client.get(verify_url)
    assert "verify__status--revoked" in revoked.content.decode()
    assert client.get(f"/api/certificates/{certificate.code}/").json()["status"] == "revoked"


def test_progress_counts_in_every_language(client):
    course = small_course(title="Any language course")
    learner = UserFactory()
    client.force_login(learner)
    lesson = course_progress(user=learner, course=course).items[0].page
    client.post(url_in(lesson, "el"), {"action": "complete"})
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    for language in LANGUAGE_CODES:
        progress = course_progress(user=learner, course=course)
        assert progress.items[0].done
        page = client.get(url_in(lesson, language)).content.decode()
        assert "You have completed this lesson." in page or 'value="complete"' not in page


def test_course_page_resumes_at_the_next_lesson(client):
    course = small_course(title="Resume course")
    learner = UserFactory()
    client.force_login(learner)
    client.post(url_in(course, "en"), {"action": "enrol"})
    first = course_progress(user=learner, course=course).items[0].page
    client.post(url_in(first, "en"), {"action": "complete"})
    assert "Continue: Lesson two" in text_of(client.get(url_in(course, "en")))


def test_quiz_answers_never_reach_the_page_source(client):
    learner = UserFactory()
    client.force_login(learner)
    for quiz in QuizPage.objects.live()[:6]:
        for language in LANGUAGE_CODES:
            html = client.get(url_in(quiz, language)).content.decode()
            assert "correct" not in html.lower().replace("incorrect", "")
            with translation.override(language):
                for block in quiz.questions:
                    for choice in block.value["choices"]:
                        assert choice["feedback"] not in html
                        assert choice["text"] in html


def test_attempts_are_limited_and_bad_answers_change_nothing(client):
    course = small_course(title="Attempts course")
    quiz = QuizPage.objects.descendant_of(course).get(title_en="Module quiz")
    learner = UserFactory()
    client.force_login(learner)
    url = url_in(quiz, "en")

    incomplete = client.post(url, {"q0": ["0"]})
    assert incomplete.status_code == 400
    assert "Please answer every question" in text_of(incomplete)
    kept = BeautifulSoup(incomplete.content, "html.parser").select("input[checked]")
    assert [(field["name"], field["value"]) for field in kept] == [("q0", "0")]
    assert client.post(url, {"q0": ["0", "1"], "q1": ["0"]}).status_code == 400  # two answers to a single choice
    assert client.post(url, {"q0": ["9"], "q1": ["0"]}).status_code == 400
    assert not QuizAttempt.objects.filter(user=learner).exists()

    for _attempt in range(3):
        assert client.post(url, WRONG).status_code == 302
    refused = client.post(url, RIGHT)
    assert refused.status_code == 400
    assert "every attempt" in text_of(refused)
    assert QuizAttempt.objects.filter(user=learner, quiz=quiz).count() == 3
    assert not QuizAttempt.objects.filter(user=learner, passed=True).exists()


def test_feedback_is_shown_only_for_the_learners_own_attempt(client):
    course = small_course(title="Feedback course")
    quiz = QuizPage.objects.descendant_of(course).get(title_en="Module quiz")
    learner, other = UserFactory(), UserFactory()
    client.force_login(learner)
    location = client.post(url_in(quiz, "en"), WRONG)["Location"]
    assert "Feedback on Landfill" in client.get(location).content.decode()
    client.force_login(other)
    assert "Feedback on Landfill" not in client.get(location).content.decode()


def test_learner_forms_need_the_csrf_token():
    course = small_course(title="CSRF course")
    learner = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    url = url_in(course, "en")
    assert strict.post(url, {"action": "enrol"}).status_code == 403
    token = BeautifulSoup(strict.get(url).content, "html.parser").select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert strict.post(url, {"action": "enrol", "csrfmiddlewaretoken": token}).status_code == 302
    assert Enrolment.objects.filter(user=learner, course=course).exists()


def test_anonymous_posts_go_to_login(client):
    course = small_course(title="Anonymous course")
    response = client.post(url_in(course, "en"), {"action": "enrol"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Enrolment.objects.exists() or not Enrolment.objects.filter(course=course).exists()


form_values = st.lists(st.text(max_size=12), max_size=4)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(["q0", "q1", "q2", "q-1", "action", "csrfmiddlewaretoken", "x"]) | st.text(max_size=8),
        form_values,
        max_size=5,
    )
)
def test_any_quiz_submission_is_answered_without_a_server_error(client, data):
    quiz = QuizPage.objects.live().first()
    user = UserFactory(username="hypothesis-learner")
    client.force_login(user)
    response = client.post(url_in(quiz, "en"), data)
    assert response.status_code in (302, 400)
