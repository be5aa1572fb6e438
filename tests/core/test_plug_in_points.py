"""A new app joins search, the home page and cluster pages by declaring and registering, not by editing.

The throwaway `Workshop` model below stands for a future app's page type: it
declares a search type and a facet of its own ("format"), and the search app
indexes, filters and counts it with no change to search/.
"""

import pytest
from django.apps import apps
from django.db import models
from django.http import QueryDict
from wagtail import hooks

from core import registry
from core.searchable import SearchablePageMixin, SearchFacet, declared_facets, facet_names, search_types
from search.backends.elasticsearch import build_search_body, document_source, index_settings_and_mappings
from search.selectors import SearchParameterError, parse_search_request
from tests.search.builders import NO_LIVE_NODE
from tests.search.test_backend_contract import ELASTICSEARCH_URL, elasticsearch_backend, embedded_backend

FORMATS = {"online": "Online", "in-person": "In person"}


def format_labels():
    return dict(FORMATS)


@pytest.fixture(scope="module")
def workshop_model():
    class Workshop(SearchablePageMixin, models.Model):
        search_type = "workshop"
        search_type_label = "Workshops"
        search_facet_declarations = (SearchFacet("format", "Format", format_labels),)

        title = models.CharField(max_length=100)
        format = models.CharField(max_length=20)

        class Meta:
            # An installed app's label puts it in the app registry, like a real app's model.
            app_label = "core"

        def __str__(self):
            return self.title

        def search_text(self, language):
            return (self.title, "", "") if language == "en" else None

        def search_facets(self):
            return {"format": [self.format]}

        def get_url(self, request=None):
            return f"/workshops/{self.pk}/"

    yield Workshop
    del apps.all_models["core"]["workshop"]
    apps.clear_cache()


def documents(model):
    workshops = [
        model(pk=1, title="Upcycling denim", format="online"),
        model(pk=2, title="Upcycling leather", format="in-person"),
        model(pk=3, title="Denim repair café", format="in-person"),
    ]
    return [document for workshop in workshops for document in workshop.search_documents()]


def test_a_declared_facet_is_collected_with_its_label_and_values(workshop_model):
    assert "workshop" in search_types()
    assert "format" in facet_names()
    assert declared_facets()["format"].values() == FORMATS
    # Facets declared by several models are shared, not repeated.
    assert facet_names().count("cluster") == 1


@pytest.mark.parametrize(
    "make_backend",
    [
        pytest.param(embedded_backend, id="embedded"),
        pytest.param(
            elasticsearch_backend,
            id="elasticsearch",
            marks=pytest.mark.skipif(not ELASTICSEARCH_URL, reason=NO_LIVE_NODE),
        ),
    ],
)
@pytest.mark.django_db
def test_the_new_type_is_indexed_filtered_and_counted(workshop_model, make_backend, tmp_path):
    backend, cleanup = make_backend(tmp_path)
    try:
        backend.rebuild(documents(workshop_model))
        request = parse_search_request(QueryDict("q=upcycling&format=in-person"), interface_language="en")
        results = backend.search(request.query)
        assert [(hit.type, hit.object_id) for hit in results.hits] == [("workshop", 2)]
        # The facet's own selection does not narrow its counts.
        assert results.facets["format"] == {"in-person": 1, "online": 1}
        assert results.facets["type"] == {"workshop": 1}
    finally:
        cleanup()


def test_a_filter_value_the_declaration_does_not_allow_is_refused(workshop_model):
    with pytest.raises(SearchParameterError) as refused:
        parse_search_request(QueryDict("q=denim&format=weekend"), interface_language="en")
    assert refused.value.parameter == "format"


@pytest.mark.django_db  # a search request reads the glossary
def test_the_elasticsearch_mapping_and_query_carry_the_new_facet(workshop_model):
    properties = index_settings_and_mappings()["mappings"]["properties"]
    assert properties["format"] == {"type": "keyword"}
    source = document_source(documents(workshop_model)[0])
    assert source["format"] == ["online"]
    request = parse_search_request(QueryDict("q=denim&format=online"), interface_language="en")
    body = build_search_body(request.query)
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"format": ["online"]}}]}}
    assert body["aggs"]["format"]["aggs"]["values"]["terms"]["field"] == "format"
    # Every other facet's count applies the format filter; the format count does not.
    assert body["aggs"]["type"]["filter"] == body["post_filter"]
    assert body["aggs"]["format"]["filter"] == {"match_all": {}} or "format" not in str(
        body["aggs"]["format"]["filter"]
    )


@pytest.mark.django_db
def test_apps_add_home_and_cluster_sections_through_hooks(client):
    def workshops_section(*, request, page):
        return registry.Section(key="workshops", template="core/tests/section.html", order=5)

    with hooks.register_temporarily(registry.HOME_SECTIONS, workshops_section):
        keys = [section.key for section in registry.home_sections(request=None, page=None)]
    assert keys[0] == "workshops"
    assert "latest-case-studies" in keys
    assert "workshops" not in [section.key for section in registry.home_sections(request=None, page=None)]


def test_case_studies_register_their_endpoint_urls_and_seed_step():
    assert "case-studies" in dict(registry.api_endpoints())
    assert any(pattern.name == "case_study_feed" for pattern in registry.url_patterns(i18n=True))
    assert any(step.__module__ == "casestudies.demo" for step in registry.seed_steps())
