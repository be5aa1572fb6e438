"""The search page with nothing to list: a blank query, an empty result and a bad parameter, in English and Arabic."""

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.translation import gettext

from hub.models import ClusterPage
from search.empty_states import glossary_spelling, glossary_suggestions
from search.models import GlossaryConcept
from search.parameters import parameter_label

pytestmark = pytest.mark.django_db

NONSENSE = "zzqxvv"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def translated(language, message):
    with translation.override(language):
        return gettext(message)


def assert_every_link_opens(client, base, links):
    """Links, not text: each has an address, and a visitor following it gets a page."""
    assert links
    for link in links:
        assert link.get("href"), link
        url = urljoin(base, link["href"])
        assert client.get(url).status_code == 200, url


def cluster_titles(language):
    with translation.override(language):
        return [cluster.title for cluster in ClusterPage.objects.live().order_by("path")]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_blank_search_offers_popular_topics_and_the_city_clusters(client, language):
    base = f"/{language}/search/"
    soup = get(client, base)
    assert soup.select_one("#results-heading") is None
    topics = soup.select("#popular-topics-heading + ul a")
    clusters = soup.select("#cluster-links-heading + ul a")
    assert soup.select_one("#popular-topics-heading").get_text(strip=True) == translated(language, "Popular topics")
    assert [link.get_text(strip=True) for link in clusters] == cluster_titles(language)
    assert 4 <= len(topics) <= 8
    counts = [int(link.select_one(".facet__count").get_text().split()[0]) for link in topics]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    assert_every_link_opens(client, base, topics + clusters)
    # A topic is a filter of the case studies: following it lists as many as it says.
    first = get(client, urljoin(base, topics[0]["href"]))
    assert len(first.select(".card--case")) == min(counts[0], 12)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_empty_result_is_a_page_of_real_links(client, language):
    base = f"/{language}/search/?q={NONSENSE}"
    soup = get(client, base)
    empty = soup.select_one(".empty")
    assert translated(language, "Nothing matches your search.") in empty.get_text()
    links = empty.select("a")
    texts = [link.get_text(strip=True) for link in links]
    assert translated(language, "Search all languages") in texts
    assert translated(language, "Browse the case studies by sector, material and city.") in texts
    assert set(cluster_titles(language)) <= set(texts)
    assert_every_link_opens(client, base, links)
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex, follow"


def test_a_misspelt_glossary_term_gets_did_you_mean_from_the_glossary(client):
    assert glossary_spelling("additve manufacturing") == "additive manufacturing"
    assert glossary_spelling("ecodesing workshop") == "ecodesign workshop"
    assert glossary_spelling("additive manufacturing") == ""
    soup = get(client, "/en/search/?q=additve+manufacturing")
    link = soup.select_one(".empty .did-you-mean a")
    assert link.get_text(strip=True) == "additive manufacturing"
    corrected = get(client, urljoin("/en/search/", link["href"]))
    assert corrected.select_one(".search-results li") is not None or corrected.select_one(".empty") is not None


@pytest.mark.parametrize("language", ["en", "el", "it", "ar"])
def test_glossary_suggestions_are_in_the_readers_language(client, language):
    concept = next(concept for concept in GlossaryConcept.objects.all() if "recycling" in concept.term_list("en")[:1])
    expected = concept.term_list(language)[0]
    assert glossary_suggestions("recyclng", language=language)[0].label == expected

    base = f"/{language}/search/?q=recyclng+{NONSENSE}"
    soup = get(client, base)
    links = soup.select("#glossary-links-heading + ul a")
    assert links[0].get_text(strip=True) == expected
    assert parse_qs(urlsplit(links[0]["href"]).query) == {"q": [expected], "languages": ["all"]}
    assert_every_link_opens(client, base, links[:1])


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_bad_parameter_is_named_in_the_readers_language(client, language):
    soup = get(client, f"/{language}/search/?q=wool&page=abc", status=400)
    with translation.override(language):
        label = parameter_label("page")
        expected = gettext("%(name)s must be a whole number.") % {"name": label}
        assert label == gettext("page number")
    assert soup.select_one('[role="alert"]').get_text(strip=True) == expected
    assert soup.select_one('form[role="search"] input[name="q"]')["value"] == "wool"
    # The JSON API still names the parameter by its code for programs.
    body = client.get("/api/search/", {"q": "wool", "page": "abc", "lang": language}).json()
    assert body["error"]["parameter"] == "page"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_bad_filter_is_named_by_its_facet_label(client, language):
    soup = get(client, f"/{language}/search/?q=wool&cluster=atlantis", status=400)
    with translation.override(language):
        expected = gettext("Unknown %(name)s: %(values)s.") % {"name": gettext("City cluster"), "values": "atlantis"}
    assert soup.select_one('[role="alert"]').get_text(strip=True) == expected
