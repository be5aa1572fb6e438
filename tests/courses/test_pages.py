"""The course catalogue, course pages, related case studies, the home section, the API, search and query budgets."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

from casestudies.models import CaseStudyPage
from core.searchable import declared_facets, searchable_model_for
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from courses.services import enrolment_create, lesson_complete
from tests.courses.factories import LessonPageFactory, small_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# A learner's own course, lesson and quiz pages; an anonymous visitor's come from the cache (core.fragments).
COURSE_PAGE_BUDGET = 10
ANONYMOUS_BUDGET = 0
CATALOGUE_BUDGET = 8  # logged in
DASHBOARD_BUDGET = 7


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def titles(soup):
    return [link.get_text(strip=True) for link in soup.select(".card--course h3 a")]


def test_catalogue_filters_combine_with_counts_and_live_in_the_url(client):
    url = url_in(CourseIndexPage.objects.get(), "en")
    soup = soup_of(client.get(url))
    assert len(titles(soup)) == 3
    level_links = {link["href"]: link for link in soup.select(".facets a") if "level=" in link["href"]}
    assert len(level_links) == 3
    href, link = next(iter(level_links.items()))
    shown = int(link.select_one(".facet__count").get_text())
    filtered = soup_of(client.get(url + href))
    assert len(titles(filtered)) == shown
    level = parse_qs(urlsplit(href).query)["level"][0]
    assert set(titles(filtered)) == set(
        CoursePage.objects.live().filter(level=level).values_list("title_en", flat=True)
    )

    both = soup_of(client.get(f"{url}?strategy=reuse&sector=fashion-textile"))
    assert titles(both) == ["Upcycling textile waste"]
    none = soup_of(client.get(f"{url}?level=advanced&sector=fashion-textile"))
    assert titles(none) == []
    ignored = client.get(f"{url}?level=expert").content.decode()
    assert "level=expert" in ignored


def test_the_language_filter_uses_completeness_of_lessons(client):
    course = small_course(title="English only course")
    assert course.languages_complete == ["en"]
    url = url_in(CourseIndexPage.objects.get(), "en")
    greek = titles(soup_of(client.get(f"{url}?language=el")))
    assert "English only course" not in greek
    assert len(greek) == 3
    demo = CoursePage.objects.get(slug_en="upcycling-textile-waste")
    assert demo.languages_complete == LANGUAGE_CODES
    # One untranslated lesson takes its languages away from the course.
    module = ModulePage.objects.child_of(demo).first()
    LessonPageFactory(parent=module, title="Only in English")
    assert CoursePage.objects.get(pk=demo.pk).languages_complete == ["en"]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_course_page_shows_facts_outline_and_related_case_studies(client, language):
    course = CoursePage.objects.get(slug_en="upcycling-textile-waste")
    soup = soup_of(client.get(url_in(course, language)))
    with translation.override(language):
        assert soup.h1.get_text(strip=True) == course.title
        for module in ModulePage.objects.child_of(course):
            assert module.title in soup.select_one(".course-outline").get_text()
    related = {link.get_text(strip=True) for link in soup.select(".card--case h3 a")}
    with translation.override(language):
        assert related == {page.title for page in course.related_case_studies.all()}


def test_case_study_pages_show_the_courses_that_name_them(client):
    case_study = CaseStudyPage.objects.get(external_id="prato-001")
    html = client.get(url_in(case_study, "en")).content.decode()
    assert "Upcycling textile waste" in html
    other = CaseStudyPage.objects.get(external_id="amman-001")
    assert "Upcycling textile waste" not in client.get(url_in(other, "en")).content.decode()


def test_home_page_features_courses(client):
    soup = soup_of(client.get("/it/"))
    section = soup.select_one("#featured-courses-heading").parent
    assert CoursePage.objects.get(slug_en="circular-design-for-crafts").title_it in section.get_text()


def test_courses_api_lists_and_filters(client):
    body = client.get("/api/v2/courses/", {"fields": "level,classification,languages_complete"}).json()
    assert body["meta"]["total_count"] == 3
    beginner = client.get("/api/v2/courses/", {"level": "beginner"}).json()
    assert [item["title"] for item in beginner["items"]] == ["Upcycling textile waste"]
    assert client.get("/api/v2/courses/", {"level": "expert"}).status_code == 400
    reuse = client.get("/api/v2/courses/", {"strategy": "reuse"}).json()
    assert reuse["meta"]["total_count"] == 2


def test_courses_and_lessons_declare_their_search_type_and_facets():
    assert searchable_model_for("course") is CoursePage
    assert searchable_model_for("lesson") is LessonPage
    facets = declared_facets()
    assert {"level", "strategy", "sector", "available_in"} <= set(facets)
    assert facets["level"].values().keys() == {"beginner", "intermediate", "advanced"}
    lesson = LessonPage.objects.descendant_of(CoursePage.objects.get(slug_en="upcycling-textile-waste")).first()
    values = lesson.search_facets()
    assert values["level"] == ["beginner"] and "reuse" in values["strategy"]
    assert values["available_in"] == LANGUAGE_CODES
    documents = lesson.search_documents()
    assert {document.language for document in documents} == set(LANGUAGE_CODES)
    assert documents[1].title == lesson.title_el


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_course_pages_render_within_budget(client, django_assert_max_num_queries, language):
    learner = UserFactory()
    course = CoursePage.objects.get(slug_en="circular-business-models")
    enrolment_create(user=learner, course=course)
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson_complete(user=learner, lesson=lesson)
    quiz = QuizPage.objects.descendant_of(course).first()
    for user in (None, learner):
        if user:
            client.force_login(user)
        for page, budget in ((course, COURSE_PAGE_BUDGET), (lesson, COURSE_PAGE_BUDGET), (quiz, COURSE_PAGE_BUDGET)):
            url = url_in(page, language)
            assert client.get(url).status_code == 200
            with django_assert_max_num_queries(budget if user else ANONYMOUS_BUDGET):
                assert client.get(url).status_code == 200
    index = url_in(CourseIndexPage.objects.get(), language)
    client.get(index + "?strategy=reuse")
    with django_assert_max_num_queries(CATALOGUE_BUDGET):
        assert client.get(index + "?strategy=reuse").status_code == 200


def test_dashboard_renders_within_budget_whatever_the_number_of_courses(client, django_assert_max_num_queries):
    learner = UserFactory()
    client.force_login(learner)
    for course in CoursePage.objects.all():
        enrolment_create(user=learner, course=course)
        lesson_complete(user=learner, lesson=LessonPage.objects.descendant_of(course).first())
    client.get("/en/dashboard/")
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        response = client.get("/en/dashboard/")
    assert len(soup_of(response).select(".dashboard__courses progress")) == 3


def test_cluster_pages_list_the_courses_that_use_their_case_studies(client):
    prato = soup_of(client.get("/en/prato/"))
    section = prato.select_one("#cluster-courses-heading").parent
    assert "Upcycling textile waste" in section.get_text()
    amman = soup_of(client.get("/en/amman/")).select_one("#cluster-courses-heading").parent.get_text()
    assert "Circular business models for creative SMEs" in amman
    assert "Upcycling textile waste" not in amman
