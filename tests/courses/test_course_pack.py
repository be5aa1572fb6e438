"""The offline course pack: the whole course as one PDF per language, shown with its size, served to who may see it."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from core.seeding import demo_image
from courses.models import CoursePack, CoursePage, LessonPage, QuizPage
from courses.selectors import course_pack_pages
from courses.services import course_pack_build
from tests.courses.factories import LessonPageFactory, ModulePageFactory, small_course
from tests.courses.test_certificate_pdf import SHIPPED_FAMILIES, _embedded_fonts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMO_COURSE = "upcycling-textile-waste"


def demo_course() -> CoursePage:
    return CoursePage.objects.get(slug_en=DEMO_COURSE)


def pack_url(course: CoursePage, language: str) -> str:
    return f"/{language}/course-packs/{course.pk}/{language}/"


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, words(" ".join(page.extract_text() for page in reader.pages))


def pack_text(course: CoursePage, language: str) -> tuple[PdfReader, str]:
    pack = course_pack_build(course=course, language=language)
    with pack.file.open("rb") as handle:
        return pdf_text(handle.read())


PUNCTUATION = r"[^\w\s\u064b-\u065f\u0670]+"  # Arabic vowel marks are part of words


def words(text: str) -> str:
    return " ".join(re.sub(PUNCTUATION, " ", text).split())


def printed(expected: str, text: str) -> bool:
    """Whether each run of words of `expected` is in the extracted `text`.

    pypdf gives a line mixing directions run by run (a bracketed Arabic aside
    comes before the words it follows), each run in logical order.
    """
    return all(words(run) in text for run in re.split(PUNCTUATION, expected) if run.strip())


ARABIC_EXTRACTION = pytest.mark.xfail(
    strict=True,
    reason="Known defect: in a long Arabic document some Amiri glyphs shared between contextual forms get"
    " the wrong text in WeasyPrint's ToUnicode map (pdftotext too reads 'أغلفة الكتب' as 'غلفة اللكتب');"
    " the page looks right, copy and search do not",
)


@pytest.mark.parametrize("language", ["en", "el", "it", pytest.param("ar", marks=ARABIC_EXTRACTION)])
def test_pack_holds_every_lesson_and_question_and_no_answer(language):
    course = demo_course()
    reader, text = pack_text(course, language)
    with translation.override(language):
        pages = course_pack_pages(course=course)
        lessons = [page for page in pages if isinstance(page, LessonPage)]
        quizzes = [page for page in pages if isinstance(page, QuizPage)]
        assert lessons and quizzes
        for lesson in lessons:
            assert printed(lesson.title, text)
        for quiz in quizzes:
            for block in quiz.questions:
                assert printed(block.value["text"], text)
                for choice in block.value["choices"]:
                    assert printed(choice["text"], text)
                    # Neither the feedback nor any mark of the right answer reaches the pack.
                    if choice["feedback"]:
                        assert words(choice["feedback"]) not in text
    raw = " ".join(page.extract_text() for page in reader.pages)
    assert not re.search(r"[✓✔☑]|\bcorrect answer\b", raw, re.IGNORECASE)
    assert reader.trailer["/Root"]["/Lang"] == language
    fonts = _embedded_fonts(reader)
    assert fonts and all(embedded and family in SHIPPED_FAMILIES for _name, family, embedded in fonts)


def test_arabic_pack_extracts_arabic_in_reading_order():
    course = demo_course()
    _reader, text = pack_text(course, "ar")
    title = course.title_ar
    assert re.search(r"[\u0600-\u06ff]", title)
    assert words(title) in text
    assert words(title)[::-1] not in text


def test_pack_prints_images_at_print_size():
    course = small_course(title="Course with a picture")
    module = course.get_children().first()
    picture = demo_image(title="Pack picture", seed="pack-picture", palette=("#0b4f6c", "#f2c14e", "#2f6b3b"))
    LessonPageFactory(
        parent=module,
        title="Lesson with a figure",
        body=[{"type": "image", "value": {"image": picture.pk, "alt_text": "A pattern", "caption": "The pattern"}}],
    )
    reader, text = pack_text(course, "en")
    assert "The pattern" in text
    images = [image for page in reader.pages for image in page.images]
    assert images
    # As wide as the original or 1200 px, not the 800 px screen rendition.
    assert max(image.image.width for image in images) == min(picture.width, 1200)


def test_course_page_shows_the_packs_size_and_page_count_before_download(client):
    course = demo_course()
    for language in ("en", "el", "ar"):
        pack = course_pack_build(course=course, language=language)
        with translation.override(language):
            response = client.get(course.get_url())
            facts = BeautifulSoup(response.content, "html.parser").select_one(".course-pack__facts").get_text()
            size = filesizeformat(pack.size)
        assert pack.pages > 1
        assert size in facts
        assert str(pack.pages) in facts
        if language == "en":
            assert " ".join(facts.split()) == f"PDF, {' '.join(size.split())}, {pack.pages} pages"
        link = BeautifulSoup(response.content, "html.parser").select_one(".course-pack a")
        assert link["href"] == pack_url(course, language)


def test_pack_is_regenerated_after_a_lesson_is_republished_not_before(client):
    course = small_course(title="Course that changes")
    first = course_pack_build(course=course, language="en")
    made = first.created
    lesson = LessonPage.objects.descendant_of(course).get(title="Lesson one")
    # A draft is not what readers see: the pack stays.
    # The editor's form sets each language's field, as here.
    lesson.title_en = "Lesson one, revised"
    lesson.save_revision()
    assert course_pack_build(course=course, language="en").created == made
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title_en = "Lesson one, revised"
    lesson.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    second = course_pack_build(course=course, language="en")
    assert second.created > made
    _reader, text = pdf_text(second.file.open("rb").read())
    assert "Lesson one revised" in text  # punctuation is dropped from extracted text
    # And the download serves the new one.
    response = client.get(pack_url(course, "en"))
    assert "Lesson one revised" in pdf_text(b"".join(response.streaming_content))[1]
    assert CoursePack.objects.filter(course=course).count() == 1


def test_anonymous_reader_downloads_a_public_courses_pack(client):
    course = demo_course()
    response = client.get(pack_url(course, "ar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_private_courses_pack_is_denied_to_those_who_may_not_see_the_course(client):
    members = Group.objects.create(name="Prato partners")
    login_only = small_course(title="For members")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    group_only = small_course(title="For partners")
    restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)

    assert client.get(pack_url(login_only, "en")).status_code == 404
    assert client.get(pack_url(group_only, "en")).status_code == 404
    client.force_login(UserFactory())
    assert client.get(pack_url(login_only, "en")).status_code == 200
    assert client.get(pack_url(group_only, "en")).status_code == 404
    partner = UserFactory()
    partner.groups.add(members)
    client.force_login(partner)
    assert client.get(pack_url(group_only, "en")).status_code == 200


def test_pack_leaves_out_sections_under_their_own_restriction_and_drafts():
    course = small_course(title="Mixed course")
    module = ModulePageFactory(parent=course, title="Members' module")
    LessonPageFactory(parent=module, title="Members-only lesson")
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.LOGIN)
    LessonPageFactory(parent=course.get_children().first(), title="Draft lesson").unpublish()
    _reader, text = pack_text(CoursePage.objects.get(pk=course.pk), "en")
    assert "Lesson one" in text
    assert "Members-only lesson" not in text
    assert "Draft lesson" not in text


def test_no_pack_for_unknown_language_unpublished_or_missing_course(client):
    course = small_course(title="Soon gone")
    assert client.get(pack_url(course, "fr").replace("/fr/course-packs", "/en/course-packs")).status_code == 404
    course.unpublish()
    assert client.get(pack_url(course, "en")).status_code == 404
    assert client.get("/en/course-packs/999999/en/").status_code == 404


def test_build_command_reports_when_every_pack_is_already_current():
    """`make run` starts `course_packs worker` after the demo seed made every pack: a pass with nothing to do."""
    course = small_course()
    call_command("course_packs", "build", "--course", str(course.pk), stdout=io.StringIO())
    out = io.StringIO()
    call_command("course_packs", "build", "--course", str(course.pk), stdout=out, verbosity=2)
    assert "0 made" in out.getvalue()
    quiet = io.StringIO()
    call_command("course_packs", "build", "--course", str(course.pk), stdout=quiet)
    assert quiet.getvalue() == ""
