"""Sharing and findability: link previews per page and language, titles, the Atom feed's authors and dates."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page

from casestudies.demo import seed_case_studies
from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from core.pages import HubPage
from core.seeding import SeedReport
from courses.models import CoursePage
from experts.models import ExpertPage
from hub.models import AboutPage, ClusterPage, HomePage, StandardPage

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
OG_LOCALES = {"en": "en_GB", "el": "el_GR", "it": "it_IT", "ar": "ar_AR"}
WITH_IMAGE = [CaseStudyPage, ClusterPage, ExpertPage]
WITHOUT_IMAGE = [HomePage, AboutPage, StandardPage, CaseStudyIndexPage]
ATOM = "{http://www.w3.org/2005/Atom}"
PROJECT_START = datetime.datetime(2019, 9, 1, tzinfo=datetime.UTC)


def url_in(page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.select_one(f'meta[property="{name}"]') or soup.select_one(f'meta[name="{name}"]')
    return tag["content"] if tag else None


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("model", WITH_IMAGE + WITHOUT_IMAGE, ids=lambda model: model.__name__)
def test_link_preview_of_every_page_type_in_its_language(client, model, language):
    page = model.objects.live().exact_type(model).first().specific
    soup = soup_of(client, url_in(page, language))
    with translation.override(language):
        title = page.seo_title or page.title
        description = page.meta_description()
    assert meta(soup, "og:title") == title
    assert meta(soup, "og:description") == meta(soup, "description") == description
    assert (
        meta(soup, "og:url")
        == soup.select_one('link[rel="canonical"]')["href"]
        == f"http://testserver{url_in(page, language)}"
    )
    assert meta(soup, "og:type") == ("article" if model is CaseStudyPage else "website")
    assert meta(soup, "og:locale") == OG_LOCALES[language]
    alternates = [tag["content"] for tag in soup.select('meta[property="og:locale:alternate"]')]
    assert sorted(alternates) == sorted(OG_LOCALES[code] for code in LANGUAGE_CODES if code != language)
    if model in WITHOUT_IMAGE:
        assert meta(soup, "og:image") is None
        return
    image_url = meta(soup, "og:image")
    assert image_url.startswith("http://testserver/") and image_url.endswith(".jpg")
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == title
    assert client.get(image_url.removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_public_page_type_has_a_description_in_its_language(client, language):
    """Every page type a visitor can open, including the experts', courses' and guides', describes itself."""
    seen = set()
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        if type(page) in seen or not isinstance(page, HubPage):
            continue
        response = client.get(url_in(page, language))
        if response.status_code != 200:  # a lesson or quiz behind enrolment
            continue
        seen.add(type(page))
        soup = BeautifulSoup(response.content, "html.parser")
        description = meta(soup, "description")
        assert description and len(description) > 20, (type(page).__name__, language)
        assert meta(soup, "og:description") == description
    assert {CaseStudyPage, ClusterPage, ExpertPage, HomePage} <= seen


def test_a_course_with_a_cover_image_previews_it(client):
    course = CoursePage.objects.live().exclude(cover_image=None).first()
    if course is None:
        pytest.skip("the demo courses have no cover image")
    assert meta(soup_of(client, url_in(course, "el")), "og:image").endswith(".jpg")


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_title_names_the_site_once(client, language):
    with translation.override(language):
        site = gettext("INNOMED-UP Knowledge Hub")
    pages = [model.objects.live().exact_type(model).first() for model in WITH_IMAGE + WITHOUT_IMAGE]
    urls = [url_in(page, language) for page in pages] + [f"/{language}/search/", f"/{language}/search/?q=wool"]
    for url in urls:
        title = soup_of(client, url).title.get_text()
        assert title.count(site) == 1, (url, title)
        assert title.endswith(f" · {site}"), (url, title)
    home = soup_of(client, f"/{language}/").title.get_text()
    assert not home.startswith(site)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_feed_names_its_authors_and_real_publication_dates(client, language):
    feed = ET.fromstring(client.get(f"/{language}/feeds/case-studies/").content)
    with translation.override(language):
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == gettext("INNOMED-UP partnership")
    entries = feed.findall(f"{ATOM}entry")
    pages = {url_in(page, language): page for page in CaseStudyPage.objects.live().select_related("cluster")}
    published = []
    for entry in entries:
        page = pages[entry.find(f"{ATOM}link").get("href").removeprefix("http://testserver")]
        with translation.override(language):
            assert entry.findtext(f"{ATOM}author/{ATOM}name") == gettext("%(city)s cluster") % {
                "city": page.cluster.title
            }
        first = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        assert first == page.first_published_at and updated == page.last_published_at
        assert PROJECT_START <= first <= updated <= timezone.now()
        published.append(first)
    assert len(entries) >= 18
    assert len(set(published)) == len(published), "every entry has its own publication date"
    assert published == sorted(published, reverse=True)


def test_seeding_again_keeps_the_publication_dates():
    before = dict(CaseStudyPage.objects.values_list("external_id", "first_published_at"))
    seed_case_studies(home=HomePage.objects.get(), report=SeedReport())
    assert dict(CaseStudyPage.objects.values_list("external_id", "first_published_at")) == before
    demo = [value for key, value in before.items() if key.split("-")[-1].isdigit() and len(key) <= 12]
    assert len(set(demo)) == len(demo) >= 18
