"""GET /api/search/ and /api/search/suggest/ against the seeded demo site.

The JSON API is not language-prefixed: `lang` chooses the language.
"""

import json
import re
import string

import pytest
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.models import CaseStudyPage
from core.languages import language_codes
from core.searchable import facet_names, searchable_model_for
from hub.models import ClusterPage
from search.models import GlossaryConcept
from search.selectors import glossary_expansions

pytestmark = pytest.mark.django_db

SEARCH = "/api/search/"
SUGGEST = "/api/search/suggest/"
TOP_LEVEL_KEYS = {"query", "lang", "backend", "degraded", "total", "took_ms", "page", "hits", "facets"}
HIT_KEYS = {"type", "id", "title", "url", "language", "content_language", "snippet", "score"}
# Every facet some searchable page type declares (case studies, clusters, courses, experts, guides).
FACET_KEYS = {"type", *facet_names()}


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def page_of(hit):
    return searchable_model_for(hit["type"]).objects.get(pk=hit["id"])


# --- the answer ---------------------------------------------------------------


def test_search_answers_in_the_documented_shape(client):
    body = search(client, q="wool")

    assert TOP_LEVEL_KEYS <= set(body) <= TOP_LEVEL_KEYS | {"suggestion"}
    assert body["query"] == "wool"
    assert body["lang"] == "en"
    assert body["backend"] == "embedded"
    assert body["degraded"] is False
    assert body["page"] == 1
    assert isinstance(body["took_ms"], int | float) and body["took_ms"] >= 0
    assert body["total"] == len(body["hits"]) > 0
    assert set(body["facets"]) == FACET_KEYS
    for counts in body["facets"].values():
        assert all(isinstance(value, str) and isinstance(count, int) and count > 0 for value, count in counts.items())
    assert sum(body["facets"]["type"].values()) == body["total"]

    scores = [hit["score"] for hit in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    for hit in body["hits"]:
        assert set(hit) == HIT_KEYS
        page = page_of(hit)
        assert hit["title"] == page.title_en
        assert hit["language"] == "en"
        assert hit["url"].startswith("http://testserver/en/") and hit["url"].endswith(page.get_url())
        assert isinstance(hit["score"], int | float)
        assert isinstance(hit["snippet"], str)
    assert any("<mark>" in hit["snippet"] for hit in body["hits"])


def test_an_empty_query_answers_with_no_hits(client):
    body = search(client, q="   ")
    assert set(body) >= TOP_LEVEL_KEYS
    assert (body["total"], body["hits"]) == (0, [])
    assert set(body["facets"]) == FACET_KEYS


def test_greek_search_returns_greek_titles_and_addresses(client):
    body = search(client, q="μαλλί", lang="el")
    assert body["lang"] == "el"
    assert body["total"] > 0
    for hit in body["hits"]:
        page = page_of(hit)
        assert hit["language"] == "el"
        assert hit["title"] == page.title_el != page.title_en
        assert "/el/" in hit["url"]


def test_an_arabic_glossary_term_finds_case_studies_through_the_words_they_use(client):
    # "textile waste" in Arabic: no Arabic case study uses these words (a quoted phrase is not expanded)...
    term = "مخلفات الأقمشة"
    assert term in GlossaryConcept.objects.get(key="textile-waste").term_list("ar")
    assert search(client, q=f'"{term}"', lang="ar")["total"] == 0

    # ...but the glossary names the concept, whose terms reach the words they use,
    # in Arabic ("بقايا الأقمشة") as in Italian ("scarti tessili").
    (textile_waste,) = glossary_expansions(term)
    assert "بقايا الأقمشة" in textile_waste.terms["ar"] and "scarti tessili" in textile_waste.terms["it"]
    for scope in ({}, {"languages": "all"}):
        body = search(client, q=term, lang="ar", **scope)
        case_studies = [hit for hit in body["hits"] if hit["type"] == "casestudy"]
        assert case_studies
        # Every demo case study exists in Arabic: each is shown in Arabic.
        for hit in case_studies:
            assert (hit["language"], hit["content_language"]) == ("ar", "ar")
            assert hit["title"] == page_of(hit).title_ar


def test_all_languages_finds_more_and_each_page_once(client):
    english_only = search(client, q="μαλλί")
    everywhere = search(client, q="μαλλί", languages="all")
    assert english_only["total"] == 0
    assert everywhere["total"] > 0
    keys = [(hit["type"], hit["id"]) for hit in everywhere["hits"]]
    assert len(keys) == len(set(keys))


# --- facets -------------------------------------------------------------------


@pytest.mark.parametrize(("facet", "value"), [("cluster", "prato"), ("strategy", "reuse"), ("type", "casestudy")])
def test_a_facet_filter_narrows_to_the_count_it_showed(client, facet, value):
    unfiltered = search(client, q="waste")
    shown = unfiltered["facets"][facet][value]
    assert 0 < shown < unfiltered["total"]

    filtered = search(client, q="waste", page_size=100, **{facet: value})
    assert filtered["total"] == shown == len(filtered["hits"])
    for hit in filtered["hits"]:
        page = page_of(hit)
        if facet == "type":
            assert hit["type"] == value
        elif facet == "cluster":
            assert (page.cluster.key if hit["type"] == "casestudy" else page.key) == value
        else:
            assert value in page.search_facets()["strategy"]
    # The facet's own counts ignore its filter, so other values stay visible.
    assert filtered["facets"][facet] == unfiltered["facets"][facet]


def test_every_facet_count_matches_the_filtered_total(client):
    unfiltered = search(client, q="wool")
    checked = 0
    for facet, counts in unfiltered["facets"].items():
        for value, count in counts.items():
            assert search(client, q="wool", **{facet: value})["total"] == count, (facet, value)
            checked += 1
    assert checked >= 10


def test_filters_combine_across_facets(client):
    both = search(client, q="waste", cluster="prato", strategy="reuse", type="casestudy", page_size=100)
    assert 0 < both["total"] <= search(client, q="waste", cluster="prato")["total"]
    for hit in both["hits"]:
        page = page_of(hit)
        assert page.cluster.key == "prato"
        assert "reuse" in page.strategies.values_list("slug", flat=True)


def test_pages_follow_each_other_without_overlap(client):
    first = search(client, q="waste", page_size=5)
    second = search(client, q="waste", page_size=5, page=2)
    assert first["total"] == second["total"] > 5
    assert second["page"] == 2
    assert not {hit["id"] for hit in first["hits"]} & {hit["id"] for hit in second["hits"]}


# --- bad requests -------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"lang": "xx"}, "lang"),
        ({"lang": "EN"}, "lang"),
        ({"type": "blogpost"}, "type"),
        ({"cluster": "atlantis"}, "cluster"),
        ({"country": "ZZ"}, "country"),
        ({"sector": "knitting"}, "sector"),
        ({"strategy": "rebrand"}, "strategy"),
        ({"material": "unobtainium"}, "material"),
        ({"strategy": "reuse,rebrand"}, "strategy"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "2"}, "page"),  # "wool" has one page of results
        ({"page": "99"}, "page"),
        ({"page": str(10**20)}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"q": "a" * 501}, "q"),
        ({"languages": "some"}, "languages"),
    ],
    ids=lambda value: value if isinstance(value, str) else "-".join(f"{k}={v[:12]}" for k, v in value.items()),
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, params, parameter):
    response = client.get(SEARCH, {"q": "wool", **params})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"parameter", "message"}
    assert body["error"]["parameter"] == parameter
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()


def test_a_query_of_exactly_500_characters_is_accepted(client):
    assert search(client, q=("wool " * 100)[:500])["query"]


@pytest.mark.parametrize("lang", ["el", "it", "ar"])
def test_error_messages_speak_the_requested_language(client, lang):
    english = "The search text is too long: use at most %(limit)d characters."
    with translation.override(lang):
        expected = gettext(english) % {"limit": 500}
    assert expected != english % {"limit": 500}
    response = client.get(SEARCH, {"q": "a" * 501, "lang": lang})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == expected


# --- suggestions ----------------------------------------------------------------


def test_suggest_returns_titles_starting_with_the_typed_word(client):
    page = CaseStudyPage.objects.get(title_en__icontains="regenerated")
    response = client.get(SUGGEST, {"q": "regen", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert body["lang"] == "en"
    assert page.title_en in body["suggestions"]
    assert all("regen" in title.lower() for title in body["suggestions"])


def test_suggest_answers_in_the_requested_language(client):
    prato = ClusterPage.objects.get(slug_en="prato")
    body = client.get(SUGGEST, {"q": "Πρά", "lang": "el"}).json()
    assert prato.title_el in body["suggestions"]
    assert all(re.search(r"[\u0370-\u03ff]", title) for title in body["suggestions"])


def test_suggest_with_nothing_typed_suggests_nothing(client):
    assert client.get(SUGGEST, {"q": " ", "lang": "en"}).json()["suggestions"] == []


@pytest.mark.parametrize("lang", ["xx", "english", "<script>"])
def test_suggest_rejects_an_unknown_language(client, lang):
    response = client.get(SUGGEST, {"q": "wool", "lang": lang})
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "lang"


# --- no input makes it fail ---------------------------------------------------

SYNTAX = ["AND", "OR", "NOT", "NEAR", "*", "(", ")", ":", '"', "^", "~", "-", "+", "{", "}", "title:"]
SYNTAX += ["\u200f", "\u202e", "\x00", "\x1b", "\ufeff", "🧶", "👩🏽‍🔧"]
WORDS = st.sampled_from(["wool", "ύφασμα", "منسوجات", "l'economia", "recyclng"])
ANY_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=6), WORDS), max_size=8).map(" ".join),
    st.lists(st.sampled_from(SYNTAX + list(string.ascii_letters)), max_size=20).map("".join),
)
LANGS = st.one_of(st.sampled_from([*language_codes(), ""]), st.text(max_size=5))
NUMBERS = st.one_of(st.integers(min_value=-3, max_value=200).map(str), st.text(max_size=5))
PARAMS = st.fixed_dictionaries(
    {"q": ANY_TEXT},
    optional={
        "lang": LANGS,
        "languages": st.one_of(st.just("all"), st.text(max_size=5)),
        "page": NUMBERS,
        "page_size": NUMBERS,
        "type": st.one_of(st.sampled_from(["casestudy", "cluster", "casestudy,cluster"]), ANY_TEXT),
        "cluster": st.one_of(st.sampled_from(["prato", "athens"]), ANY_TEXT),
        "country": st.one_of(st.sampled_from(["it", "GR", "JO"]), ANY_TEXT),
        "strategy": st.one_of(st.sampled_from(["reuse", "recycle"]), ANY_TEXT),
        "material": ANY_TEXT,
        "sector": ANY_TEXT,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from([SEARCH, SEARCH, SEARCH, SUGGEST]), params=PARAMS)
def test_no_input_produces_a_server_error(client, endpoint, params):
    response = client.get(endpoint, params)
    assert response.status_code in {200, 400}
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    if response.status_code == 200:
        assert isinstance(body["suggestions" if endpoint == SUGGEST else "hits"], list)
    else:
        assert body["error"]["parameter"] in {"q", "lang", "languages", "page", "page_size", *FACET_KEYS}
