"""Open data: the case-study API, the sitemap, the Atom feeds and the JSON-LD on each case study."""

import json
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from wagtail.models import Page

from casestudies.models import CaseStudyPage
from casestudies.services import case_study_import
from core.languages import language_codes

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
API_URL = "/api/v2/case-studies/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


def url_in(page: Page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def live_case_studies():
    return CaseStudyPage.objects.live()


def api_ids(client, query: str = "") -> set[int]:
    response = client.get(f"{API_URL}?limit=20&{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meta"]["total_count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


def import_one(**overrides) -> CaseStudyPage:
    record = {
        "external_id": "open-data-001",
        "cluster": "sicily",
        "country": "IT",
        "sector": "crafts",
        "strategies": ["repair"],
        "materials": ["ceramics-stone"],
        "year": 2024,
        "location": {"lat": 37.0755, "lon": 15.2866},
        "translations": {"en": {"title": "Mending tiles in Syracuse", "summary": "A tile workshop repairs majolica."}},
    }
    record.update(overrides)
    report = case_study_import(raw_records=[record])
    assert report.ok, report.errors
    return CaseStudyPage.objects.get(external_id=record["external_id"])


def json_ld_of(response) -> dict:
    scripts = BeautifulSoup(response.content, "html.parser").select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


# The API ---------------------------------------------------------------------------------------------------------


def test_api_lists_every_live_case_study(client):
    response = client.get(API_URL)
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == live_case_studies().count() == 18


def test_api_exposes_translations_classification_metrics_and_location(client):
    response = client.get(f"{API_URL}?fields=*&limit=20")
    items = {item["id"]: item for item in response.json()["items"]}
    assert len(items) == 18
    for page in live_case_studies().select_related("cluster", "sector").prefetch_related("strategies", "materials"):
        item = items[page.pk]
        assert item["external_id"] == page.external_id
        assert set(item["translations"]) == set(LANGUAGE_CODES)
        for code in LANGUAGE_CODES:
            assert item["translations"][code]["title"] == getattr(page, f"title_{code}")
            assert item["translations"][code]["summary"] == getattr(page, f"summary_{code}")
        # The seeded texts differ per language: nothing was copied from English.
        assert len({item["translations"][code]["title"] for code in LANGUAGE_CODES}) == len(LANGUAGE_CODES)
        classification = item["classification"]
        assert classification["cluster"] == page.cluster.slug_en
        assert classification["country"] == page.country.code
        assert classification["sector"] == page.sector.slug
        assert classification["year"] == page.year
        assert sorted(classification["strategies"]) == sorted(term.slug for term in page.strategies.all())
        assert sorted(classification["materials"]) == sorted(term.slug for term in page.materials.all())
        assert item["impact_metrics"] == {
            "waste_diverted_kg": page.waste_diverted_kg,
            "co2e_avoided_kg": page.co2e_avoided_kg,
            "jobs_created": page.jobs_created,
            "smes_involved": page.smes_involved,
        }
        assert item["location"] == {"lat": page.latitude, "lon": page.longitude}


def test_api_translations_leave_missing_languages_empty(client):
    page = import_one(
        translations={
            "en": {"title": "Mending tiles in Syracuse", "summary": "A tile workshop repairs majolica."},
            "el": {"title": "Επισκευή πλακιδίων στις Συρακούσες", "summary": "Ένα εργαστήριο επισκευάζει μαγιόλικα."},
        },
        location=None,
    )
    item = client.get(f"{API_URL}{page.pk}/").json()
    assert item["translations"]["el"]["title"] == "Επισκευή πλακιδίων στις Συρακούσες"
    assert item["translations"]["it"] == {"title": "", "summary": "", "challenge": "", "solution": "", "results": ""}
    assert item["translations"]["ar"]["title"] == ""
    assert item["location"] is None


@pytest.mark.parametrize(
    ("query", "lookups"),
    [
        ("cluster=prato", [{"cluster__slug_en": "prato"}]),
        ("strategy=reuse,recycle", [{"strategies__slug__in": ["reuse", "recycle"]}]),
        (
            "sector=fashion-textile,design&year=2020,2022",
            [{"sector__slug__in": ["fashion-textile", "design"]}, {"year__in": [2020, 2022]}],
        ),
        (
            "cluster=athens,amman&material=wood",
            [{"cluster__slug_en__in": ["athens", "amman"]}, {"materials__slug": "wood"}],
        ),
        (
            "strategy=reuse&material=textile,metal",
            [{"strategies__slug": "reuse"}, {"materials__slug__in": ["textile", "metal"]}],
        ),
        ("country=gr,jo", [{"country__in": ["GR", "JO"]}]),
    ],
)
def test_api_facet_filters_match_the_database(client, query, lookups):
    expected = live_case_studies()
    for lookup in lookups:
        expected = expected.filter(**lookup)
    expected_ids = set(expected.values_list("pk", flat=True))
    assert expected_ids, "the filter should match some seeded case studies"
    assert api_ids(client, query) == expected_ids


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("cluster=paris", "paris"),
        ("sector=cooking", "cooking"),
        ("strategy=reuse,recycel", "recycel"),
        ("material=unobtainium", "unobtainium"),
        ("year=twenty", "year"),
    ],
)
def test_api_unknown_filter_value_is_a_400_naming_it(client, query, named):
    response = client.get(f"{API_URL}?{query}")
    assert response.status_code == 400
    assert named in response.json()["message"]


# The sitemap -----------------------------------------------------------------------------------------------------


def test_sitemap_lists_every_live_page_in_every_language_with_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    pages = Page.objects.live().public().filter(depth__gt=1)
    assert pages.count() >= 28  # home, about, privacy, six clusters, the index and 18 case studies
    expected = {
        f"http://testserver{url_in(page, code)}": {
            other: f"http://testserver{url_in(page, other)}" for other in LANGUAGE_CODES
        }
        for page in pages
        for code in LANGUAGE_CODES
    }
    listed = {url.findtext(f"{SITEMAP}loc"): url for url in urls}
    assert set(listed) == set(expected)
    assert len(urls) == pages.count() * len(LANGUAGE_CODES)
    for location, url in listed.items():
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert {link.get("rel") for link in url.findall(f"{XHTML}link")} == {"alternate"}
        assert {code: alternates[code] for code in LANGUAGE_CODES} == expected[location]
        # The same x-default as the pages' own <link hreflang="x-default">: an address that answers.
        assert alternates["x-default"] == expected[location][settings.LANGUAGE_CODE]


def test_sitemap_x_default_is_the_pages_own_x_default(client):
    case_study = live_case_studies().get(external_id="tunis-002")
    page_html = BeautifulSoup(client.get(url_in(case_study, "ar")).content, "html.parser")
    page_x_default = page_html.select_one('link[hreflang="x-default"]')["href"]
    urls = ET.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")
    entry = next(url for url in urls if url.findtext(f"{SITEMAP}loc") == f"http://testserver{url_in(case_study, 'ar')}")
    x_default = next(link.get("href") for link in entry.findall(f"{XHTML}link") if link.get("hreflang") == "x-default")
    assert x_default == page_x_default
    assert client.get(x_default.removeprefix("http://testserver")).status_code == 200


def test_sitemap_alternates_all_serve_the_page(client):
    case_study = live_case_studies().get(external_id="tunis-002")
    urls = ET.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")
    entry = next(url for url in urls if url.findtext(f"{SITEMAP}loc") == f"http://testserver{url_in(case_study, 'ar')}")
    for link in entry.findall(f"{XHTML}link"):
        response = client.get(link.get("href").removeprefix("http://testserver"), follow=True)
        assert response.status_code == 200, link.get("hreflang")
        assert response.context["page"].pk == case_study.pk, link.get("hreflang")


# The Atom feeds --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_atom_feed_per_language(client, language):
    response = client.get(f"/{language}/feeds/case-studies/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}")
    entries = feed.findall(f"{ATOM}entry")
    newest = list(live_case_studies().order_by("-first_published_at", "-id")[:30])
    assert len(entries) == len(newest) == 18
    for entry, page in zip(entries, newest, strict=True):
        assert entry.findtext(f"{ATOM}title") == getattr(page, f"title_{language}")
        assert entry.findtext(f"{ATOM}summary") == getattr(page, f"summary_{language}")
        assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{url_in(page, language)}"
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")


def test_atom_feed_writes_imported_markup_as_text_not_live_html(client):
    markup = '<img src=x onerror="alert(1)"> Wool & <b>dye</b>'
    page = import_one(translations={"en": {"title": "<script>alert(1)</script> Tiles", "summary": markup}})
    feed = ET.fromstring(client.get("/en/feeds/case-studies/").content)
    entry = next(entry for entry in feed.findall(f"{ATOM}entry") if entry.findtext(f"{ATOM}title") == page.title_en)
    for element in ("title", "summary"):
        # type="text" (or none, which means text): a feed reader shows the characters, it runs nothing.
        assert entry.find(f"{ATOM}{element}").get("type", "text") == "text"
    assert entry.findtext(f"{ATOM}summary") == markup


def test_index_page_advertises_the_feed_of_its_language(client):
    index_url = url_in(live_case_studies().first().get_parent(), "it")
    soup = BeautifulSoup(client.get(index_url).content, "html.parser")
    assert soup.select_one('link[type="application/atom+xml"]')["href"] == "/it/feeds/case-studies/"


# JSON-LD ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_case_study_page_carries_json_ld_in_its_language(client, language):
    page = live_case_studies().get(external_id="prato-001")
    data = json_ld_of(client.get(url_in(page, language)))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == getattr(page, f"title_{language}")
    assert data["description"] == getattr(page, f"summary_{language}")
    assert data["inLanguage"] == language
    assert data["contentLocation"]["address"]["addressCountry"] == "IT"
    assert data["contentLocation"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": page.latitude,
        "longitude": page.longitude,
    }


def test_json_ld_url_is_the_canonical_address(client):
    page = live_case_studies().get(external_id="amman-001")
    response = client.get(url_in(page, "el"))
    canonical = BeautifulSoup(response.content, "html.parser").select_one('link[rel="canonical"]')["href"]
    assert canonical == f"http://testserver{url_in(page, 'el')}"
    assert json_ld_of(response)["url"] == canonical


def test_json_ld_cannot_be_broken_out_of(client):
    evil = "Upcycling </script><script>alert(1)</script> & <b>more</b>"
    page = import_one(
        translations={"en": {"title": evil, "summary": "Summary with </script><script>alert(2)</script> inside."}}
    )
    response = client.get(url_in(page, "en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "</script><script>" not in html
    assert "<script>alert" not in html
    data = json_ld_of(response)
    assert data["headline"] == evil
    assert data["description"] == "Summary with </script><script>alert(2)</script> inside."
    assert "geo" in data["contentLocation"]


@pytest.mark.parametrize("language", language_codes())
def test_coordinates_read_the_same_in_every_language(client, language):
    """A decimal comma (el, it, ar) would make "43,898, 11,094" ambiguous."""
    page = CaseStudyPage.objects.exclude(latitude=None).first()
    with translation.override(language):
        response = client.get(page.get_url())
    latitude, longitude = (
        Decimal(str(value)).quantize(Decimal("0.001"), ROUND_HALF_UP) for value in (page.latitude, page.longitude)
    )
    assert f"{latitude}, {longitude}" in BeautifulSoup(response.content, "html.parser").get_text()


def test_a_case_study_links_to_itself_on_its_own_endpoint_and_the_public_site(client, settings):
    case_study = live_case_studies().get(external_id="tunis-002")
    body = client.get(f"/api/v2/case-studies/{case_study.pk}/").json()
    assert body["meta"]["detail_url"] == f"{settings.WAGTAILAPI_BASE_URL}/api/v2/case-studies/{case_study.pk}/"
    assert body["meta"]["html_url"].startswith(settings.SITE_URL + "/")
