"""The search page /<lang>/search/: results, facets, pages and errors, all working without JavaScript."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from casestudies.models import CaseStudyPage
from core.searchable import searchable_models
from hub.models import ClusterPage
from tests.factories import CaseStudyPageFactory

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def follow(client, base, link, status=200):
    """Open a link the way a browser without JavaScript would."""
    url = urljoin(base, link["href"])
    return url, get(client, url, status)


def result_count(soup):
    return int(re.search(r"\d+", soup.select_one("#results-heading").get_text()).group())


def result_titles(soup):
    return [link.get_text(strip=True) for link in soup.select(".search-results h3 a")]


def translated(language, message):
    with translation.override(language):
        return gettext(message)


def waste_total(client) -> int:
    """Documents matching "waste" in English, as the JSON API counts them (every app's demo content)."""
    return client.get("/api/search/", {"q": "waste"}).json()["total"]


def facet_link(soup, name, value):
    for link in soup.select(".facets a"):
        if parse_qs(urlsplit(link["href"]).query).get(name) == [value]:
            return link
    raise AssertionError(f"no facet link for {name}={value}")


# --- results -------------------------------------------------------------------


def test_results_show_titles_and_snippets_with_the_words_marked(client):
    soup = get(client, "/en/search/?q=waste")
    items = soup.select(".search-results > li")
    assert len(items) == 10
    assert result_count(soup) == waste_total(client)
    marked = [mark.get_text().lower() for mark in soup.select(".search-results p mark")]
    assert marked and all("waste" in word for word in marked)
    titles = {title for model in searchable_models() for title in model.objects.values_list("title_en", flat=True)}
    assert set(result_titles(soup)) <= titles


def test_snippets_show_the_text_as_written(client):
    """Apostrophes and ampersands in page text read as such, not as HTML entities."""
    soup = get(client, "/en/search/?q=waste&page_size=100")
    snippets = [paragraph.get_text() for paragraph in soup.select(".search-results p")]
    assert snippets
    for text in snippets:
        assert not re.search(r"&(#x?[0-9a-f]+|[a-z]+);", text, re.IGNORECASE), text


def test_arabic_results_are_arabic_pages_right_to_left(client):
    soup = get(client, "/ar/search/?q=المنسوجات")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    titles = result_titles(soup)
    assert titles
    # Arabic titles, or the English one of a page without (an expert's name), shown on the Arabic address.
    arabic_titles = {arabic or english for arabic, english in Page.objects.values_list("title_ar", "title_en")}
    assert set(titles) <= arabic_titles
    assert soup.select(".search-results p mark")
    assert all(link["href"].startswith("/ar/") for link in soup.select(".search-results h3 a"))


def test_html_in_the_query_is_shown_as_text(client):
    response = client.get("/en/search/", {"q": '<script>alert("x")</script> wool'})
    assert response.status_code == 200
    assert b'<script>alert("x")' not in response.content
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#search-page")["value"] == '<script>alert("x")</script> wool'


# --- facets ---------------------------------------------------------------------


def test_facet_links_filter_the_results_without_javascript(client):
    base = "/en/search/?q=waste"
    soup = get(client, base)
    link = facet_link(soup, "cluster", "prato")
    assert link.name == "a" and not link.has_attr("onclick")
    shown = int(link.select_one(".facet__count").get_text())
    assert shown == 2

    filtered_url, filtered = follow(client, base, link)
    assert parse_qs(urlsplit(filtered_url).query) == {"q": ["waste"], "cluster": ["prato"]}
    assert result_count(filtered) == shown == len(filtered.select(".search-results > li"))
    prato_titles = set(CaseStudyPage.objects.filter(cluster__slug_en="prato").values_list("title_en", flat=True))
    prato_titles.add(ClusterPage.objects.get(slug_en="prato").title_en)
    assert set(result_titles(filtered)) <= prato_titles

    selected = filtered.select_one('.facets a[aria-current="true"]')
    assert selected is not None and "Prato" in selected.get_text()
    # Selecting it again removes the filter.
    _url, unfiltered = follow(client, filtered_url, selected)
    assert result_count(unfiltered) == waste_total(client)


def test_two_facets_combine(client):
    base = "/en/search/?q=waste"
    url, soup = follow(client, base, facet_link(get(client, base), "type", "casestudy"))
    link = facet_link(soup, "strategy", "reuse")
    shown = int(link.select_one(".facet__count").get_text())
    url, soup = follow(client, url, link)
    assert parse_qs(urlsplit(url).query) == {"q": ["waste"], "type": ["casestudy"], "strategy": ["reuse"]}
    assert result_count(soup) == shown
    assert len(soup.select('.facets a[aria-current="true"]')) == 2


# --- pages ---------------------------------------------------------------------


def test_pagination_links_walk_through_the_results(client):
    base = "/en/search/?q=waste"
    first = get(client, base)
    assert first.select_one('.pagination [aria-current="page"]').get_text(strip=True) == "Page 1 of 2"
    assert first.select_one('.pagination a[rel="prev"]') is None

    second_url, second = follow(client, base, first.select_one('.pagination a[rel="next"]'))
    assert parse_qs(urlsplit(second_url).query) == {"q": ["waste"], "page": ["2"]}
    assert second.select_one('.pagination [aria-current="page"]').get_text(strip=True) == "Page 2 of 2"
    assert second.select_one('.pagination a[rel="next"]') is None
    assert len(second.select(".search-results > li")) == waste_total(client) - 10
    assert not set(result_titles(first)) & set(result_titles(second))

    _url, back = follow(client, second_url, second.select_one('.pagination a[rel="prev"]'))
    assert result_titles(back) == result_titles(first)


def test_a_page_past_the_end_is_a_400_not_a_500(client):
    soup = get(client, "/en/search/?q=waste&page=3", status=400)
    assert soup.select_one('[role="alert"]').get_text(strip=True)


# --- languages --------------------------------------------------------------------


def test_search_all_languages_checkbox_round_trips(client):
    soup = get(client, "/en/search/?q=μαλλί")
    checkbox = soup.select_one('input[type="checkbox"][name="languages"]')
    assert checkbox["value"] == "all" and not checkbox.has_attr("checked")
    assert result_count(soup) == 0

    # The empty state offers the wider search as a plain link.
    wider = soup.select_one('.empty a[href*="languages=all"]')
    _url, everywhere = follow(client, "/en/search/?q=μαλλί", wider)
    assert everywhere.select_one('input[type="checkbox"][name="languages"]').has_attr("checked")
    assert result_count(everywhere) > 0
    # Found through their Greek text, shown in the reader's English.
    items = everywhere.select(".search-results > li")
    assert items and all(not item.has_attr("lang") for item in items)
    assert all(link["href"].startswith("/en/") for link in everywhere.select(".search-results h3 a"))
    # Filters keep the scope.
    assert all("languages=all" in link["href"] for link in everywhere.select(".facets a"))

    # Submitting the form with the box ticked gives the same page.
    submitted = get(client, "/en/search/?q=μαλλί&languages=all")
    assert result_titles(submitted) == result_titles(everywhere)


def test_no_results_explain_what_to_try(client):
    soup = get(client, "/en/search/?q=zzqxvv")
    assert result_count(soup) == 0
    assert soup.select_one(".search-results") is None
    assert "Nothing matches your search." in soup.select_one(".empty").get_text()

    arabic = get(client, "/ar/search/?q=zzqxvv")
    assert translated("ar", "Nothing matches your search.") in arabic.select_one(".empty").get_text()
    assert translated("ar", "Nothing matches your search.") != "Nothing matches your search."


def test_a_typo_offers_did_you_mean(client):
    soup = get(client, "/en/search/?q=recyclng")
    link = soup.select_one(".did-you-mean a")
    assert link.get_text(strip=True) == "recycling"
    url, corrected = follow(client, "/en/search/?q=recyclng", link)
    assert parse_qs(urlsplit(url).query) == {"q": ["recycling"]}
    assert corrected.select_one(".did-you-mean") is None
    assert result_count(corrected) == result_count(soup) > 0


def test_a_too_long_query_gets_a_translated_400_page(client):
    soup = get(client, "/ar/search/?q=" + "ن" * 501, status=400)
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    message = translated("ar", "The search text is too long: use at most %(limit)d characters.") % {"limit": 500}
    assert not message.startswith("The search")
    assert soup.select_one('[role="alert"]').get_text(strip=True) == message
    # The visitor can correct the search from the same page.
    assert soup.select_one('form[role="search"] input[name="q"]') is not None


@pytest.mark.parametrize(
    "url",
    [
        "/en/search/?q=wool",
        "/ar/search/?q=المنسوجات",
        "/en/search/?q=waste&cluster=prato&strategy=reuse",
        "/el/search/?q=μαλλί&languages=all",
        "/en/search/?q=waste&page=2",
    ],
)
def test_search_page_renders_within_two_queries(client, django_assert_max_num_queries, url):
    assert client.get(url).status_code == 200  # warm the site caches
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


# --- hits: type and language (issue 12, items 4 and 7) --------------------------------


def test_each_hit_shows_its_type_and_a_hit_in_another_language_says_which(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        english_only = CaseStudyPageFactory(
            title="Textile waste pressed into acoustic felt panels in Sfax",
            summary="A Sfax workshop shreds cutting-room textile waste into felt panels for theatres and schools.",
        )
    soup = get(client, "/ar/search/?q=نفايات النسيج&languages=all")
    items = soup.select(".search-results > li")
    labels = {item.select_one("h3").get_text(strip=True): item for item in items}
    with translation.override("ar"):
        case_study, city_cluster, english = gettext("case study"), gettext("City cluster"), "الإنجليزية"
    # Every hit names its type in the page's language.
    types = [item.select_one(".search-hit__type").get_text(strip=True) for item in items]
    assert case_study in types and city_cluster in types
    # The English-only case study: found from an Arabic query, linked on the Arabic address,
    # its text marked English and left to right, its labels Arabic and right to left.
    hit = labels[english_only.title]
    assert (hit["lang"], hit["dir"]) == ("en", "ltr")
    assert hit.select_one("h3 a")["href"].startswith("/ar/")
    meta = hit.select_one(".search-hit__meta")
    assert (meta["lang"], meta["dir"]) == ("ar", "rtl")
    assert meta.select_one(".search-hit__language").get_text(strip=True) == english
    # Arabic hits carry no language of their own and no language label.
    arabic = [item for title, item in labels.items() if title != english_only.title]
    assert arabic and all(not item.has_attr("lang") and not item.select(".search-hit__language") for item in arabic)
