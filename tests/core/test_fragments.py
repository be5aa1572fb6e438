"""Anonymous visitors get a page's main content from the cache, fresh after every publish.

Once a page has been rendered, any anonymous visit to it (whatever unrelated
query string it carries: a newsletter's utm_source) costs no SQL query; the
site chrome around the content is still rendered for that visitor. Logged-in
visitors always get their own page, forms carry each visitor's own CSRF
token, and publishing or unpublishing shows at once.
"""

import re

import pytest
from django.test import Client
from django.utils import translation

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from core.freshness import content_changed
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from experts.models import ExpertIndexPage, ExpertPage, GuideIndexPage, GuidePage
from hub.models import AboutPage, ClusterPage, HomePage, StandardPage
from tests.factories import CaseStudyPageFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    HomePage,
    AboutPage,
    ClusterPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    CourseIndexPage,
    CoursePage,
    ModulePage,
    LessonPage,
    QuizPage,
    ExpertIndexPage,
    ExpertPage,
    GuideIndexPage,
    GuidePage,
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url_in(page, language="en"):
    with translation.override(language):
        return page.get_url()


def without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_a_rendered_page_costs_no_query_for_the_next_anonymous_visitor(
    client, django_assert_num_queries, model, language
):
    url = url_in(model.objects.live().public().exact_type(model).order_by("path").first(), language)
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        again = Client().get(url + "?utm_source=newsletter")

    assert again.status_code == 200
    # The main content is the same; the chrome (language switcher) keeps the visitor's own query string.
    main = re.compile(r"<main.*</main>", re.S)
    assert without_tokens(main.search(again.content.decode())[0]) == without_tokens(
        main.search(first.content.decode())[0]
    )


def test_an_unknown_address_costs_no_query_the_second_time_and_appears_when_published(
    client, django_assert_num_queries
):
    assert client.get("/en/repair-cafes/").status_code == 404
    with django_assert_num_queries(0):
        assert client.get("/en/repair-cafes/").status_code == 404

    page = StandardPage(title="Repair cafés", slug="repair-cafes", title_en="Repair cafés", slug_en="repair-cafes")
    page.live = False
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()

    response = client.get("/en/repair-cafes/")
    assert response.status_code == 200
    assert "Repair cafés" in response.content.decode()


def test_publishing_and_unpublishing_show_at_once(client):
    case_study = CaseStudyPageFactory(title="Dye bath reuse")
    url = url_in(case_study)
    index_url = url_in(CaseStudyIndexPage.objects.get()) + "?sort=title"
    assert "Dye bath reuse" in client.get(url).content.decode()
    client.get(index_url)

    case_study.title = "Dye bath reuse, year two"
    case_study.save_revision().publish()
    assert "Dye bath reuse, year two" in client.get(url).content.decode()
    assert "Dye bath reuse, year two" in client.get(index_url).content.decode()

    case_study.unpublish()
    assert client.get(url).status_code == 404
    assert "Dye bath reuse" not in client.get(index_url).content.decode()


def test_logged_in_visitors_get_their_own_page(client):
    course = CoursePage.objects.live().order_by("path").first()
    url = url_in(course)
    anonymous = client.get(url).content.decode()
    assert "Log in to enrol" in anonymous
    assert "Enrol in this course" not in anonymous

    client.force_login(UserFactory())
    mine = client.get(url).content.decode()
    assert "Log in to enrol" not in mine
    assert "Enrol in this course" in mine


def test_content_with_a_csrf_token_is_never_stored():
    """A form's token belongs to one visitor: such content is rendered afresh for each."""
    from core.fragments import fragment_get, fragment_store

    token_html = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>'
    fragment_store("fragment:test:form", token_html, {"csrf_token": "abc"})
    fragment_store("fragment:test:plain", "<p>No form here</p>", {"csrf_token": "abc"})
    assert fragment_get("fragment:test:form") is None
    assert fragment_get("fragment:test:plain") == {"html": "<p>No form here</p>", "extras": {}}


# The first visitor after a publish renders the page in full: queries of that visit.
# Every page pays 4 for the chrome and private sections, forgotten by the same
# publish (root page, its children, partners; view restrictions). Case-study
# cards' pictures cost one query per page (home, cluster, index); a course's
# link-preview picture (og:image) one.
CHROME_AND_RESTRICTIONS = 4
COLD_BUDGETS = {
    HomePage: 9 + CHROME_AND_RESTRICTIONS,
    AboutPage: 5 + CHROME_AND_RESTRICTIONS,
    ClusterPage: 9 + CHROME_AND_RESTRICTIONS,
    CaseStudyIndexPage: 9 + CHROME_AND_RESTRICTIONS,
    CaseStudyPage: 12 + CHROME_AND_RESTRICTIONS,
    CourseIndexPage: 10 + CHROME_AND_RESTRICTIONS,
    CoursePage: 10 + CHROME_AND_RESTRICTIONS,
    ModulePage: 6 + CHROME_AND_RESTRICTIONS,
    LessonPage: 6 + CHROME_AND_RESTRICTIONS,
    QuizPage: 6 + CHROME_AND_RESTRICTIONS,
    ExpertIndexPage: 9 + CHROME_AND_RESTRICTIONS,
    ExpertPage: 13 + CHROME_AND_RESTRICTIONS,
    GuideIndexPage: 5 + CHROME_AND_RESTRICTIONS,
    GuidePage: 9 + CHROME_AND_RESTRICTIONS,
}


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_the_first_visit_after_a_publish_renders_afresh_within_budget(client, django_assert_max_num_queries, model):
    url = url_in(model.objects.live().public().exact_type(model).order_by("path").first())
    client.get(url)
    content_changed()
    with django_assert_max_num_queries(COLD_BUDGETS[model]):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].pk  # rendered with the page's own context, not the cached fragment
    assert "content_fragment" not in response.context
