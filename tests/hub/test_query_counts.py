"""Public pages render in a bounded number of SQL queries, whatever they list.

Each URL is requested once before counting: site root paths, the site chrome
and image renditions are cached (as they are in production). Every later
anonymous visitor then costs no query at all (the main content, site and route
come from the cache, core.fragments and hub.routing); the first visitor after a
publish (a new content version) renders in full within the budget: 13 for site
pages (4 of them the site chrome and private sections, which the same publish
forgets; one the case-study cards' pictures), 16 for case studies.
"""

import pytest
from django.conf import settings
from django.utils import translation

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from core.freshness import content_changed
from hub.models import AboutPage, ClusterPage, HomePage, StandardPage

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
CHROME_AND_RESTRICTIONS = 4  # root page, its children, partners; view restrictions
PUBLIC_PAGE_BUDGET = 9 + CHROME_AND_RESTRICTIONS  # 8, and one for the case-study cards' pictures
CASE_STUDY_PAGE_BUDGET = 12 + CHROME_AND_RESTRICTIONS


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def assert_renders_within(client, assert_max_queries, url, budget):
    assert client.get(url).status_code == 200  # warm the caches
    with assert_max_queries(0):
        assert client.get(url).status_code == 200
    content_changed()  # as publishing anything does
    with assert_max_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("model", [HomePage, AboutPage, StandardPage, ClusterPage], ids=lambda model: model.__name__)
def test_site_pages_render_within_budget(client, django_assert_max_num_queries, model, language):
    page = model.objects.live().exact_type(model).first()
    assert_renders_within(client, django_assert_max_num_queries, url_in(page, language), PUBLIC_PAGE_BUDGET)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sector=fashion-textile",
        "?strategy=reuse&strategy=recycle&sort=impact",
        "?cluster=amman&page=2",
        "?sort=title",
    ],
)
def test_case_study_index_within_budget(client, django_assert_max_num_queries, language, query):
    url = url_in(CaseStudyIndexPage.objects.get(), language) + query
    assert_renders_within(client, django_assert_max_num_queries, url, CASE_STUDY_PAGE_BUDGET)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_case_study_detail_within_budget(client, django_assert_max_num_queries, language):
    for page in CaseStudyPage.objects.live()[:3]:
        assert_renders_within(client, django_assert_max_num_queries, url_in(page, language), CASE_STUDY_PAGE_BUDGET)


def test_search_page_within_budget(client, django_assert_max_num_queries):
    assert_renders_within(client, django_assert_max_num_queries, "/en/search/?q=wool", PUBLIC_PAGE_BUDGET)
