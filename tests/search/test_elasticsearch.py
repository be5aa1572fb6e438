"""The Elasticsearch backend: its mapping and queries, its failure mode, and (with a cluster) its answers.

No cluster runs in development or CI, so most tests inspect what the backend
would send: the index mapping and the search request. A backend pointed at a
closed local port shows how a dead cluster behaves. The live tests at the end
need `TEST_ELASTICSEARCH_URL`; each works in its own throwaway indices.
"""

import importlib.util
import os
import time
import uuid
from pathlib import Path

import certifi
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

import search.backends.elasticsearch as elasticsearch_backend
from core.searchable import SearchDocument, facet_names
from search.analysis import STOP_WORDS, synonym_lines
from search.backends import get_backend, reset_backends
from search.backends.base import BackendUnavailable
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    build_search_body,
    index_settings_and_mappings,
    results_from_response,
)
from search.query import Expansion
from search.selectors import SearchRequest, search_run
from tests.search.builders import LIVE_ELASTICSEARCH_URL, NO_LIVE_NODE, doc, query

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
FACETS = ("type", *facet_names())
DEAD_CLUSTER = {"URL": "http://127.0.0.1:9", "INDEX_PREFIX": "hub-test", "TIMEOUT": 0.5, "MAX_RETRIES": 1}


def walk(node):
    """Every dict inside a request body, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def multi_matches(body, language=None):
    found = [node["multi_match"] for node in walk(body.get("query", {})) if "multi_match" in node]
    if language:
        found = [
            match for match in found if all(field.split("^")[0].endswith(f"_{language}") for field in match["fields"])
        ]
    return found


def main_query(body):
    """The query every hit matches, without the type weights around it."""
    query = body["query"]
    return query["function_score"]["query"] if "function_score" in query else query


def language_arm(body, language):
    """The clause that matches documents written in `language`."""
    for arm in main_query(body)["bool"]["should"]:
        if {"term": {"content_language": language}} in arm["bool"]["filter"]:
            return arm
    raise AssertionError(f"no clause for content language {language}")


# --- mapping -------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_body():
    return index_settings_and_mappings()


def analyzer_filters(index_body, name):
    analysis = index_body["settings"]["analysis"]
    return [analysis["filter"].get(step, {"type": step}) for step in analysis["analyzer"][name]["filter"]]


def test_each_language_has_an_analyzer_used_by_its_title_summary_and_body(index_body):
    properties = index_body["mappings"]["properties"]
    for language in LANGUAGES:
        assert f"hub_{language}" in index_body["settings"]["analysis"]["analyzer"]
        for part in ("title", "summary", "body"):
            field = properties[f"{part}_{language}"]
            assert (field["type"], field["analyzer"]) == ("text", f"hub_{language}")


def test_greek_analyzer_folds_accents_and_final_sigma_and_stems_greek(index_body):
    filters = analyzer_filters(index_body, "hub_el")
    assert {"type": "lowercase", "language": "greek"} in filters
    assert {"type": "stemmer", "language": "greek"} in filters
    assert filters.index({"type": "lowercase", "language": "greek"}) < filters.index(
        {"type": "stemmer", "language": "greek"}
    )


def test_arabic_analyzer_normalises_letters_and_strips_affixes(index_body):
    filters = analyzer_filters(index_body, "hub_ar")
    types = [step["type"] for step in filters]
    assert "arabic_normalization" in types
    assert "decimal_digit" in types
    assert {"type": "stemmer", "language": "arabic"} in filters
    # hamza carriers are folded like search.analysis.fold does
    char_filters = index_body["settings"]["analysis"]["char_filter"]
    assert "ؤ => و" in char_filters["hub_arabic_letters"]["mappings"]


def test_italian_analyzer_removes_elided_articles_and_stems_italian(index_body):
    filters = analyzer_filters(index_body, "hub_it")
    elision = next(step for step in filters if step["type"] == "elision")
    assert {"l", "un", "dell", "all", "dall", "nell", "sull"} <= set(elision["articles"])
    assert elision["articles_case"] is True
    assert {"type": "stemmer", "language": "italian"} in filters


def test_english_analyzer_drops_possessives_and_stems_english(index_body):
    filters = analyzer_filters(index_body, "hub_en")
    assert {"type": "stemmer", "language": "possessive_english"} in filters
    assert {"type": "stemmer", "language": "porter2"} in filters


def test_stop_words_are_the_python_analyzers_lists_applied_after_folding(index_body):
    for language in LANGUAGES:
        filters = analyzer_filters(index_body, f"hub_{language}")
        stop = next(step for step in filters if step["type"] == "stop")
        assert set(stop["stopwords"]) == STOP_WORDS[language]
        assert filters.index(stop) > filters.index({"type": "lowercase", "language": "greek"})
        assert filters.index(stop) > filters.index({"type": "asciifolding"})


def test_title_autocomplete_indexes_word_prefixes_but_searches_whole_words(index_body):
    autocomplete = index_body["mappings"]["properties"]["title"]["fields"]["autocomplete"]
    index_filters = analyzer_filters(index_body, autocomplete["analyzer"])
    search_filters = analyzer_filters(index_body, autocomplete["search_analyzer"])
    assert {"type": "edge_ngram", "min_gram": 2, "max_gram": 20} in index_filters
    assert all(step["type"] != "edge_ngram" for step in search_filters)


def test_identifiers_and_facets_are_keywords(index_body):
    properties = index_body["mappings"]["properties"]
    for name in ("key", "type", "object_id", "object_key", "language", "content_language", "url", *facet_names()):
        assert properties[name] == {"type": "keyword"}, name


def test_a_document_is_indexed_in_the_fields_of_its_content_language():
    document = SearchDocument(
        type="casestudy",
        object_id=7,
        language="el",
        content_language="en",
        url="/el/x/",
        title="Textile recycling",
        summary="Summary",
        body="Body",
        facets={"country": ["GR"], "material": ["cotton", ""]},
    )
    source = elasticsearch_backend.document_source(document)
    assert source["title_en"] == "Textile recycling"
    assert "title_el" not in source
    assert source["object_key"] == "casestudy:7"
    assert source["material"] == ["cotton"]
    assert source["sector"] == []


# --- search requests -------------------------------------------------------------


def test_greek_query_weighs_title_over_summary_over_body_and_tolerates_typos():
    body = build_search_body(query("ανακύκλωση", "el"))
    greek = multi_matches(body, "el")
    assert greek, "the Greek fields are searched"
    for match in greek:
        assert match["fields"] == ["title_el^10", "summary_el^4", "body_el"]
        assert match["fuzziness"] == "AUTO:5,8"
        assert match["operator"] == "and"
    # Untranslated pages carry English text, so the English fields are searched too.
    assert multi_matches(body, "en")
    assert main_query(body)["bool"]["filter"] == [{"terms": {"language": ["el"]}}]


def test_arabic_query_has_no_typo_tolerance():
    body = build_search_body(query("المنسوجات", "ar"))
    arabic = multi_matches(body, "ar")
    assert arabic
    assert all("fuzziness" not in match for match in arabic)
    assert all("fuzziness" in match for match in multi_matches(body, "en"))


def test_every_word_must_match_but_may_sit_in_any_field():
    body = build_search_body(query("textile recycling Athens"))
    main = language_arm(body, "en")["bool"]["must"]
    assert [clause["multi_match"]["query"] for clause in main] == ["textile", "recycling", "Athens"]


def test_apostrophes_stay_with_their_word_for_the_servers_possessive_and_elision_filters():
    english = language_arm(build_search_body(query("children's clothes")), "en")["bool"]["must"]
    assert [clause["multi_match"]["query"] for clause in english] == ["children's", "clothes"]
    italian = language_arm(build_search_body(query("dell'abbigliamento", "it")), "it")
    assert [clause["multi_match"]["query"] for clause in italian["bool"]["must"]] == ["dell'abbigliamento"]


def test_stop_words_are_not_required():
    body = build_search_body(query("the recycling of textiles"))
    main = language_arm(body, "en")["bool"]["must"]
    assert [clause["multi_match"]["query"] for clause in main] == ["recycling", "textiles"]


def test_a_query_of_stop_words_only_matches_nothing():
    body = build_search_body(query("the of"))
    assert body["query"] == {"match_none": {}}


def test_quoted_words_are_matched_as_a_phrase():
    body = build_search_body(query('"textile recycling" Athens'))
    main = language_arm(body, "en")["bool"]["must"]
    phrase, word = (clause["multi_match"] for clause in main)
    assert phrase["type"] == "phrase"
    assert phrase["query"] == "textile recycling"
    assert phrase["fields"] == ["title_en^10", "summary_en^4", "body_en"]
    assert "fuzziness" not in phrase
    assert word["query"] == "Athens"


def test_a_named_concept_matches_its_words_or_any_of_its_terms_in_each_language():
    terms = {
        "el": ("ανακύκλωση υφασμάτων",),
        "it": ("riciclo tessile",),
        "en": ("textile recycling",),
        "ar": ("إعادة تدوير المنسوجات",),
    }
    expansion = Expansion(tokens=(0, 1), terms=terms)
    body = build_search_body(query("textile recycling Athens", languages=LANGUAGES, expansions=(expansion,)))
    assert main_query(body)["bool"]["filter"] == [{"terms": {"language": list(LANGUAGES)}}]
    assert main_query(body)["bool"]["minimum_should_match"] == 1
    for language in LANGUAGES:
        concept, athens = language_arm(body, language)["bool"]["must"]
        # The ordinary word beside the concept must still match.
        assert athens["multi_match"]["query"] == "Athens"
        words, *phrases = concept["bool"]["should"]
        assert [clause["multi_match"]["query"] for clause in words["bool"]["must"]] == ["textile", "recycling"]
        assert [clause["multi_match"]["query"] for clause in phrases] == list(terms.get(language, ()))
        # Glossary terms are read without the synonym filter, as the embedded index reads them.
        assert all(clause["multi_match"]["analyzer"] == f"hub_{language}" for clause in phrases)
    # A page found in several languages counts once.
    assert body["aggs"]["total"]["aggs"]["objects"] == {
        "cardinality": {"field": "object_key", "precision_threshold": 10_000}
    }


def test_types_weigh_as_their_models_declare():
    weights = build_search_body(query("textile"))["query"]["function_score"]
    body_weights = {item["filter"]["term"]["type"]: item["weight"] for item in weights["functions"]}
    assert body_weights == {"cluster": 0.5}
    assert weights["boost_mode"] == "multiply"


def test_each_language_searches_with_its_synonym_list(index_body):
    analysis = index_body["settings"]["analysis"]
    properties = index_body["mappings"]["properties"]
    for language in LANGUAGES:
        assert properties[f"body_{language}"]["search_analyzer"] == f"hub_{language}_search"
        synonyms = analysis["filter"][f"hub_{language}_synonyms"]
        assert synonyms["type"] == "synonym_graph"
        assert synonyms["synonyms"] == list(synonym_lines(language))
        # Last: the rules are analysed by the filters before it, so they meet stemmed words.
        assert analysis["analyzer"][f"hub_{language}_search"]["filter"][-1] == f"hub_{language}_synonyms"
    assert "قماش, أقمشة" in synonym_lines("ar")


def test_facet_filters_narrow_hits_but_each_facet_counts_without_its_own_filter():
    filters = {"type": ("casestudy",), "country": ("GR", "IT"), "material": ("cotton",)}
    body = build_search_body(query("recycling", filters=filters))
    assert body["post_filter"] == {
        "bool": {"filter": [{"terms": {name: list(values)}} for name, values in filters.items()]}
    }
    for facet in FACETS:
        aggregation = body["aggs"][facet]
        applied = [clause for clause in walk(aggregation["filter"]) if "terms" in clause]
        assert {name for clause in applied for name in clause["terms"]} == set(filters) - {facet}
        assert aggregation["aggs"]["values"]["terms"]["field"] == facet
    # Kept out of the query itself, or the counts of the values not chosen would drop to zero.
    assert not [clause for clause in walk(body["query"]) if set(clause.get("terms", {})) & set(filters)]


def test_without_filters_the_facets_count_every_match():
    body = build_search_body(query("recycling"))
    assert "post_filter" not in body
    assert all(body["aggs"][facet]["filter"] == {"match_all": {}} for facet in FACETS)


def test_pages_translate_to_from_and_size():
    body = build_search_body(query("recycling", page=3, page_size=5))
    assert (body["from"], body["size"]) == (10, 5)
    assert body["track_total_hits"] is True


def test_one_hit_per_page_with_highlighted_escaped_snippets():
    body = build_search_body(query("recycling", "it"))
    assert body["collapse"] == {"field": "object_key"}
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["post_tags"] == ["</mark>"]
    assert body["highlight"]["encoder"] == "html"
    assert {"summary_it", "body_it", "summary_en", "body_en"} <= set(body["highlight"]["fields"])


def test_snippets_mark_the_words_as_typed_without_expanding_typos():
    body = build_search_body(query("recycling textiles", "el"))
    assert any("fuzziness" in match for match in multi_matches(body))
    highlight_query = body["highlight"]["highlight_query"]
    matches = [node["multi_match"] for node in walk(highlight_query) if "multi_match" in node]
    assert {match["query"] for match in matches} == {match["query"] for match in multi_matches(body)}
    assert not any("fuzziness" in match or "prefix_length" in match for match in matches)


def test_misspelt_words_ask_for_a_spelling_suggestion_outside_phrases():
    body = build_search_body(query('"textile recyclng" recyclng'))
    spelling = body["suggest"]["spelling"]
    assert spelling["term"]["field"] == "spelling"
    assert spelling["term"]["max_edits"] == 1
    # the phrase is blanked, keeping offsets into the visitor's text
    assert spelling["text"] == " " * len('"textile recyclng"') + " recyclng"


# --- responses -------------------------------------------------------------------


def test_response_becomes_results_with_pages_counted_once_and_sorted_facets():
    searched = query("recyclng", languages=LANGUAGES)
    response = {
        "took": 7,
        "hits": {
            "total": {"value": 5, "relation": "eq"},
            "hits": [
                {
                    "_score": 3.14159,
                    "_source": {
                        "type": "casestudy",
                        "object_id": 4,
                        "title": "Textile recycling",
                        "url": "/el/cs/4/",
                        "language": "el",
                        "content_language": "en",
                    },
                    "highlight": {
                        "summary_en": ["A summary without the word"],
                        "body_en": ["Old clothes &lt;b&gt; <mark>recycling</mark>"],
                    },
                }
            ],
        },
        "aggregations": {
            "total": {"doc_count": 5, "objects": {"value": 2}},
            "type": {"values": {"buckets": [{"key": "casestudy", "doc_count": 5, "objects": {"value": 2}}]}},
            "country": {
                "values": {
                    "buckets": [
                        {"key": "IT", "doc_count": 4, "objects": {"value": 1}},
                        {"key": "GR", "doc_count": 1, "objects": {"value": 1}},
                    ]
                }
            },
        },
        "suggest": {"spelling": [{"text": "recyclng", "offset": 0, "length": 8, "options": [{"text": "recycling"}]}]},
    }
    results = results_from_response(searched, response)
    assert results.backend == "elasticsearch"
    assert results.took_ms == 7.0
    assert results.total == 2
    assert results.facets["country"] == {"GR": 1, "IT": 1}
    assert results.facets["material"] == {}
    assert results.suggestion == "recycling"
    (hit,) = results.hits
    assert (hit.type, hit.object_id, hit.language, hit.score) == ("casestudy", 4, "el", 3.1416)
    assert hit.snippet == "Old clothes &lt;b&gt; <mark>recycling</mark>"


# --- client and failures -------------------------------------------------------------


def test_client_uses_the_timeout_and_retries_from_settings(monkeypatch):
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://search.internal:9200")
    spec = importlib.util.spec_from_file_location(
        "settings_with_elasticsearch", Path(settings.BASE_DIR) / "hub/settings.py"
    )
    configured = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(configured)
    assert configured.SEARCH_BACKEND == "elasticsearch"
    params = dict(configured.SEARCH_BACKENDS["elasticsearch"])

    created = []
    real_client = elasticsearch_backend.Elasticsearch

    def recording_client(*args, **kwargs):
        created.append((args, kwargs))
        return real_client(*args, **kwargs)

    monkeypatch.setattr(elasticsearch_backend, "Elasticsearch", recording_client)
    backend = import_string(params.pop("BACKEND"))(params)
    assert isinstance(backend, ElasticsearchBackend)
    assert created == [
        (("http://search.internal:9200",), {"request_timeout": 0.5, "max_retries": 1, "retry_on_timeout": False})
    ]
    assert backend.alias == "hub-documents"


def configured_backend(monkeypatch, **environment):
    """The Elasticsearch backend hub/settings.py configures from `environment`, and the client's arguments."""
    for name in [name for name in os.environ if name.startswith("ELASTICSEARCH_")]:
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("configured_settings", Path(settings.BASE_DIR) / "hub/settings.py")
    configured = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(configured)
    params = dict(configured.SEARCH_BACKENDS["elasticsearch"])
    created = []
    real_client = elasticsearch_backend.Elasticsearch

    def recording_client(*args, **kwargs):
        created.append(kwargs)
        return real_client(*args, **kwargs)

    monkeypatch.setattr(elasticsearch_backend, "Elasticsearch", recording_client)
    backend = import_string(params.pop("BACKEND"))(params)
    (client_options,) = created
    return backend, client_options


def test_a_production_cluster_gets_the_api_key_the_ca_bundle_and_replicas(monkeypatch):
    ca_bundle = certifi.where()
    backend, options = configured_backend(
        monkeypatch,
        ELASTICSEARCH_URL="https://search.example.org:9243",
        ELASTICSEARCH_API_KEY="a2V5OnNlY3JldA==",
        ELASTICSEARCH_CA_CERTS=ca_bundle,
        ELASTICSEARCH_NUMBER_OF_REPLICAS="2",
    )
    assert options["api_key"] == "a2V5OnNlY3JldA=="
    assert options["ca_certs"] == ca_bundle
    assert "verify_certs" not in options and "basic_auth" not in options
    assert backend.client._headers["authorization"] == "ApiKey a2V5OnNlY3JldA=="
    (node,) = backend.client.transport.node_pool.all()
    assert node.config.scheme == "https" and node.config.ca_certs == ca_bundle and node.config.verify_certs
    # The indices a rebuild creates carry the replicas.
    created = []
    monkeypatch.setattr(backend.writer.indices, "create", lambda **body: created.append(body))
    backend._create_index("hub-documents-1", with_alias=False)
    assert created[0]["settings"]["number_of_replicas"] == 2


def test_basic_auth_and_unverified_tls_for_a_test_cluster(monkeypatch):
    backend, options = configured_backend(
        monkeypatch,
        ELASTICSEARCH_URL="https://10.0.0.5:9200",
        ELASTICSEARCH_USERNAME="hub",
        ELASTICSEARCH_PASSWORD="s3cret",
        ELASTICSEARCH_VERIFY_CERTS="false",
    )
    assert options["basic_auth"] == ("hub", "s3cret")
    assert options["verify_certs"] is False
    assert backend.client._headers["authorization"].startswith("Basic ")
    assert backend.number_of_replicas == 1  # the default for a real cluster


def test_a_local_node_needs_no_credentials(monkeypatch):
    backend, options = configured_backend(monkeypatch, ELASTICSEARCH_URL="http://127.0.0.1:9200")
    assert set(options) == {"request_timeout", "max_retries", "retry_on_timeout"}
    assert "authorization" not in backend.client._headers


def test_an_api_key_and_a_password_together_are_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        configured_backend(
            monkeypatch,
            ELASTICSEARCH_URL="https://search.example.org",
            ELASTICSEARCH_API_KEY="key",
            ELASTICSEARCH_USERNAME="hub",
        )


def test_a_dead_cluster_answers_unavailable_within_a_second_and_a_half():
    backend = ElasticsearchBackend(dict(DEAD_CLUSTER))
    started = time.perf_counter()
    with pytest.raises(BackendUnavailable):
        backend.search(query("recycling"))
    assert time.perf_counter() - started < 1.5
    assert backend.ping() is False


@pytest.mark.parametrize(
    "operation",
    [
        lambda backend: backend.suggest("rec", "en"),
        lambda backend: backend.stats(),
        lambda backend: backend.index([doc("casestudy", 1, "en", "Title")]),
        lambda backend: backend.delete(type="casestudy", object_ids=[1]),
        lambda backend: backend.rebuild([doc("casestudy", 1, "en", "Title")]),
    ],
    ids=["suggest", "stats", "index", "delete", "rebuild"],
)
def test_a_dead_cluster_makes_every_operation_unavailable(operation):
    with pytest.raises(BackendUnavailable):
        operation(ElasticsearchBackend(dict(DEAD_CLUSTER)))


def test_search_falls_back_to_the_embedded_index_when_elasticsearch_is_down(settings):
    settings.SEARCH_BACKENDS = {
        **settings.SEARCH_BACKENDS,
        "elasticsearch": {"BACKEND": "search.backends.elasticsearch.ElasticsearchBackend", **DEAD_CLUSTER},
    }
    settings.SEARCH_BACKEND = "elasticsearch"
    reset_backends()
    try:
        assert get_backend().name == "elasticsearch"
        results = search_run(SearchRequest(query=query("recycling"), all_languages=False))
    finally:
        reset_backends()
    assert results.degraded is True
    assert results.backend == "embedded"


# --- live cluster ------------------------------------------------------------------

live = pytest.mark.skipif(not LIVE_ELASTICSEARCH_URL, reason=NO_LIVE_NODE)


TEXTILES = {"country": ["GR"], "sector": ["textiles"], "material": ["cotton"]}
PACKAGING = {"country": ["IT"], "sector": ["packaging"], "material": ["plastic"]}
PLASTIC_EN = ("Plastic packaging in Milan", "Reusable crates", "Recycling plastic crates for the food trade.")

CORPUS = [
    doc(
        "casestudy",
        1,
        "en",
        "Textile recycling in Athens",
        "How old clothes become new fabric.",
        "The recycled textiles are sorted by colour in R&D <b>labs</b>.",
        facets=TEXTILES,
    ),
    doc(
        "casestudy",
        1,
        "el",
        "Ανακύκλωση υφασμάτων στην Αθήνα",
        "Πώς τα παλιά ρούχα γίνονται νέο ύφασμα.",
        "Η ανακύκλωσης των ρούχων γίνεται ανά χρώμα.",
        facets=TEXTILES,
    ),
    doc(
        "casestudy",
        1,
        "it",
        "Il riciclo dei tessili ad Atene",
        "L'economia circolare dell'abbigliamento.",
        "I tessili riciclati sono ordinati per colore.",
        facets=TEXTILES,
    ),
    doc(
        "casestudy",
        1,
        "ar",
        "إعادة تدوير المنسوجات في أثينا",
        "كيف تصبح الملابس القديمة قماشا جديدا.",
        "يتم فرز المنسوجات المعاد تدويرها حسب اللون.",
        facets=TEXTILES,
    ),
    doc("casestudy", 2, "en", *PLASTIC_EN, facets=PACKAGING),
    doc("casestudy", 2, "el", *PLASTIC_EN, content_language="en", facets=PACKAGING),
    doc(
        "casestudy",
        2,
        "it",
        "Imballaggi di plastica a Milano",
        "Casse riutilizzabili",
        "Riciclo delle casse di plastica.",
        facets=PACKAGING,
    ),
    doc("casestudy", 2, "ar", *PLASTIC_EN, content_language="en", facets=PACKAGING),
    doc(
        "course",
        3,
        "en",
        "Circular design",
        "A course for designers.",
        "Recycling of waste and textile design go together.",
    ),
]


@pytest.fixture
def live_backend():
    backend = ElasticsearchBackend(
        {
            "URL": LIVE_ELASTICSEARCH_URL,
            "INDEX_PREFIX": f"hub-test-{uuid.uuid4().hex[:12]}",
            "TIMEOUT": 10,
            "MAX_RETRIES": 1,
            "NUMBER_OF_REPLICAS": 0,
        }
    )
    backend.rebuild(CORPUS)
    yield backend
    indices = list(backend.writer.indices.get_alias(index=f"{backend.alias}-*").body)
    if indices:
        backend.writer.indices.delete(index=indices)


def found(backend, text, language="en", **options):
    return [(hit.type, hit.object_id) for hit in backend.search(query(text, language, **options)).hits]


@live
def test_live_greek_inflections_accents_and_capitals_meet(live_backend):
    for text in ("ανακύκλωση", "ανακύκλωσης", "ανακυκλωση", "ΑΝΑΚΥΚΛΩΣΗ"):
        assert ("casestudy", 1) in found(live_backend, text, "el"), text


@live
def test_live_arabic_article_and_alef_forms_meet(live_backend):
    for text in ("منسوجات", "المنسوجات", "اعادة", "إعادة"):
        assert ("casestudy", 1) in found(live_backend, text, "ar"), text


@live
def test_live_italian_plurals_and_elisions_meet(live_backend):
    for text in ("tessile", "tessili", "economia", "abbigliamento", "l'economia"):
        assert ("casestudy", 1) in found(live_backend, text, "it"), text


@live
def test_live_english_stems_meet(live_backend):
    assert found(live_backend, "recycled textile")[0] == ("casestudy", 1)
    assert ("casestudy", 2) in found(live_backend, "recycle crate")


@live
def test_live_a_phrase_needs_its_words_together(live_backend):
    assert set(found(live_backend, "textile recycling")) >= {("casestudy", 1), ("course", 3)}
    assert found(live_backend, '"textile recycling"') == [("casestudy", 1)]


@live
def test_live_typos_are_tolerated_and_corrected(live_backend):
    results = live_backend.search(query("recyclng"))
    assert ("casestudy", 1) in [(hit.type, hit.object_id) for hit in results.hits]
    assert results.suggestion == "recycling"


@live
def test_live_facets_count_without_their_own_filter(live_backend):
    results = live_backend.search(query("recycling", filters={"country": ("GR",)}))
    assert [(hit.type, hit.object_id) for hit in results.hits] == [("casestudy", 1)]
    assert results.total == 1
    assert results.facets["country"] == {"GR": 1, "IT": 1}
    assert results.facets["sector"] == {"textiles": 1}
    assert results.facets["type"] == {"casestudy": 1}


@live
def test_live_all_languages_show_a_page_once(live_backend):
    results = live_backend.search(query("plastic", languages=LANGUAGES))
    assert [(hit.type, hit.object_id) for hit in results.hits] == [("casestudy", 2)]
    assert results.total == 1
    assert results.facets["country"] == {"IT": 1}


@live
def test_live_snippets_mark_matches_and_escape_html(live_backend):
    (hit,) = [hit for hit in live_backend.search(query("colour")).hits if hit.object_id == 1]
    assert "<mark>colour</mark>" in hit.snippet
    assert "&lt;b&gt;" in hit.snippet
    assert "<b>" not in hit.snippet


@live
def test_live_suggest_stats_index_and_delete(live_backend):
    assert "Ανακύκλωση υφασμάτων στην Αθήνα" in live_backend.suggest("ανακυ", "el")
    assert live_backend.stats()[("casestudy", "en")] == 2
    live_backend.index([doc("course", 3, "el", "Κυκλικός σχεδιασμός", body="ανακύκλωση")])
    assert ("course", 3) in found(live_backend, "ανακύκλωση", "el")
    live_backend.delete(type="course", object_ids=[3])
    assert ("course", "el") not in live_backend.stats()
    assert ("course", "en") not in live_backend.stats()


@live
def test_live_rebuild_swaps_the_alias_and_drops_the_old_index(live_backend):
    indices = live_backend.writer.indices
    (before,) = indices.get_alias(name=live_backend.alias).body
    live_backend.rebuild([item for item in CORPUS if item.object_id == 1])
    (after,) = indices.get_alias(name=live_backend.alias).body
    assert after != before
    assert not indices.exists(index=before)
    assert found(live_backend, "plastic") == []
    assert ("casestudy", 1) in found(live_backend, "recycling")


@live
def test_live_a_rebuilt_index_serves_with_normal_refresh_durability_and_replicas(live_backend):
    (name,) = live_backend.writer.indices.get_alias(name=live_backend.alias).body
    index_settings = live_backend.writer.indices.get_settings(index=name, include_defaults=True).body[name]
    assert "refresh_interval" not in index_settings["settings"]["index"]  # back to the default, 1 s
    assert index_settings["settings"]["index"]["translog"]["durability"] == "request"
    assert index_settings["settings"]["index"]["number_of_replicas"] == "0"
    # A page indexed afterwards is found at once.
    live_backend.index([doc("course", 7, "en", "Upholstery from sailcloth")])
    assert ("course", 7) in found(live_backend, "sailcloth")


def test_the_index_prefix_reaches_a_backend_built_through_get_backend(settings):
    from search.backends import get_backend, reset_backends

    settings.SEARCH_BACKENDS = {
        **settings.SEARCH_BACKENDS,
        "elasticsearch": {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
            "URL": "http://127.0.0.1:9",
            "INDEX_PREFIX": "partner-a",
        },
    }
    reset_backends()
    try:
        backend = get_backend("elasticsearch")
        assert backend.alias == "partner-a-documents"
        assert backend.configured_as == "elasticsearch"
    finally:
        reset_backends()
