"""The expert directory, profiles, sections and search: what a visitor sees."""

import pytest
from django.urls import reverse

from experts.models import ExpertPage, GuidePage

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/experts/"


def test_directory_lists_the_twelve_demo_experts_on_two_pages(client):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert "12 experts" in response.text
    assert response.context["browse"].num_pages == 2
    second = client.get(DIRECTORY + "?page=2")
    assert len(second.context["browse"].cards) == 3


def test_facets_combine_and_count(client):
    browse = client.get(DIRECTORY + "?speaks=ar&expertise=eco-design").context["browse"]
    names = {card.page.title for card in browse.cards}
    assert names == {"Amira Ben Salah", "Rania Al-Masri"}
    speaks = {facet.key: facet for facet in browse.facets}["speaks"]
    counts = {value.value: value.count for value in speaks.values}
    # Counts of "language spoken" ignore its own selection: eco-design experts who speak each language.
    assert counts["ar"] == 2
    assert counts["el"] == 1
    # Values within a facet combine with OR.
    browse = client.get(DIRECTORY + "?cluster=tunis&cluster=amman").context["browse"]
    assert browse.total == 4


def test_search_box_and_unknown_filters(client):
    browse = client.get(DIRECTORY + "?q=leather").context["browse"]
    assert [card.page.title for card in browse.cards] == ["Amira Ben Salah"]
    response = client.get(DIRECTORY + "?speaks=xx&page=abc")
    assert response.status_code == 200
    assert response.context["browse"].total == 12


def test_directory_query_budget(client, django_assert_max_num_queries):
    url = DIRECTORY + "?speaks=ar&expertise=eco-design"
    client.get(url)
    with django_assert_max_num_queries(0):  # anonymous, from the cache (core.fragments)
        client.get(url)


@pytest.mark.parametrize("language", ["en", "el", "it", "ar"])
def test_profile_in_every_language(client, language):
    expert = ExpertPage.objects.get(external_id="exp-tun-01")
    from django.utils import translation

    with translation.override(language):
        url = expert.get_url()
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["translation_missing"]
    assert getattr(expert, f"bio_{language}") in response.text
    assert 'dir="auto">Amira Ben Salah<' in response.text


def test_profile_lists_guides_and_case_studies_naming_the_expert(client):
    expert = ExpertPage.objects.get(external_id="exp-tun-01")
    response = client.get(expert.get_url())
    related = response.context["related"]
    assert [guide.slug for guide in related["guides"]] == ["leather-offcuts"]
    assert [case.external_id for case in related["case_studies"]] == ["tunis-001"]
    case_study = related["case_studies"][0]
    assert expert.get_url() in client.get(case_study.get_url()).text


def test_guide_links_its_author_and_case_studies(client):
    guide = GuidePage.objects.get(slug_en="leather-offcuts")
    response = client.get(guide.get_url())
    assert response.status_code == 200
    assert response.context["author"].external_id == "exp-tun-01"
    assert [page.external_id for page in response.context["related_pages"]] == ["tunis-001"]


def test_home_and_cluster_sections(client):
    assert "Experts" in client.get("/en/").text
    response = client.get("/en/tunis/")
    assert "Experts in this cluster" in response.text
    assert "Amira Ben Salah" in response.text
    assert "Giulia Bianchi" not in response.text


def test_experts_and_guides_are_searchable_with_facets(client):
    data = client.get("/api/search/", {"q": "leather", "type": "expert", "speaks": "ar"}).json()
    assert [hit["title"] for hit in data["hits"]] == ["Amira Ben Salah"]
    data = client.get("/api/search/", {"q": "leather", "type": "guide"}).json()
    assert len(data["hits"]) == 1


def test_api_endpoint_filters_and_never_has_email(client):
    data = client.get("/api/v2/experts/", {"speaks": "ar", "fields": "*"}).json()
    assert data["meta"]["total_count"] == 6
    assert "email" not in data["items"][0]
    assert client.get("/api/v2/experts/", {"fields": "email"}).status_code == 400
    assert client.get("/api/v2/experts/", {"speaks": "klingon"}).status_code == 400


def test_application_form_creates_pending_application(client):
    from experts.models import ExpertApplication
    from hub.models import ClusterPage

    url = reverse("expert_apply")
    assert client.get(url).status_code == 200
    cluster = ClusterPage.objects.get(slug_en="amman")
    response = client.post(
        url,
        {
            "name": "Hana Saleh",
            "email": "hana@example.net",
            "role": "Upholsterer",
            "country": "JO",
            "cluster": cluster.pk,
            "bio": "I restore furniture with reclaimed fabric.",
            "motivation": "I want to teach repair.",
        },
    )
    assert response.status_code == 302
    assert ExpertApplication.objects.get(email="hana@example.net").status == "pending"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_profile_and_guide_query_budgets(client, django_assert_max_num_queries, language):
    from django.utils import translation

    expert = ExpertPage.objects.get(external_id="exp-tun-01")
    guide = GuidePage.objects.get(slug_en="leather-offcuts")
    with translation.override(language):
        urls = [expert.get_url(), guide.get_url()]
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(0):  # anonymous, from the cache (core.fragments)
            client.get(url)
