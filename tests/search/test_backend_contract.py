"""The contract of search/backends/base.py, checked against every backend.

Each test gets a fresh, private index filled with hand-built documents, so
the expectations are exact. The embedded backend always runs; Elasticsearch
joins when TEST_ELASTICSEARCH_URL points at a node (`make test` starts one).
"""

import contextlib
import threading
import uuid

import pytest
from django.utils.module_loading import import_string

from core.languages import language_codes
from search.analysis import fold
from search.backends.base import BackendUnavailable
from search.backends.embedded import EmbeddedBackend
from search.query import Expansion
from tests.search.builders import LIVE_ELASTICSEARCH_URL, NO_LIVE_NODE, doc, query

ALL_LANGUAGES = tuple(language_codes())
ELASTICSEARCH_URL = LIVE_ELASTICSEARCH_URL


def embedded_backend(tmp_path):
    return EmbeddedBackend({"PATH": str(tmp_path / "index.sqlite3")}), lambda: None


def elasticsearch_backend(tmp_path):
    prefix = f"hub-contract-{uuid.uuid4().hex[:12]}"
    backend_class = import_string("search.backends.elasticsearch.ElasticsearchBackend")
    backend = backend_class(
        {"URL": ELASTICSEARCH_URL, "INDEX_PREFIX": prefix, "TIMEOUT": 10, "MAX_RETRIES": 1, "NUMBER_OF_REPLICAS": 0}
    )

    def drop_indices():
        from elasticsearch import Elasticsearch

        with contextlib.suppress(Exception):
            client = Elasticsearch(ELASTICSEARCH_URL)
            names = list(client.indices.get(index=f"{prefix}*", expand_wildcards="all"))
            if names:
                client.indices.delete(index=",".join(names))

    return backend, drop_indices


@pytest.fixture(
    params=[
        pytest.param(embedded_backend, id="embedded"),
        pytest.param(
            elasticsearch_backend,
            id="elasticsearch",
            marks=pytest.mark.skipif(
                not ELASTICSEARCH_URL,
                reason=NO_LIVE_NODE,
            ),
        ),
    ]
)
def backend(request, tmp_path):
    backend, cleanup = request.param(tmp_path)
    yield backend
    cleanup()


def found(results):
    return [(hit.type, hit.object_id) for hit in results.hits]


def found_ids(results):
    return sorted(hit.object_id for hit in results.hits)


# --- writing -------------------------------------------------------------------


def test_index_returns_the_count_and_reindexing_a_key_replaces_it(backend):
    assert (
        backend.index([doc("casestudy", 1, "en", "Wool blankets"), doc("cluster", 2, "en", "Prato wool district")]) == 2
    )
    assert backend.index([doc("casestudy", 1, "en", "Linen aprons")]) == 1

    assert backend.stats() == {("casestudy", "en"): 1, ("cluster", "en"): 1}
    assert found(backend.search(query("wool"))) == [("cluster", 2)]
    assert found(backend.search(query("linen"))) == [("casestudy", 1)]
    assert backend.search(query("blankets")).total == 0


def test_index_accepts_any_registered_type_and_language(backend):
    documents = [
        doc("casestudy", 1, "en", "Tannery offcuts become wallets"),
        doc("cluster", 1, "el", "Αθήνα πόλη του θεάτρου"),
        doc("course", 1, "it", "Corso di tessitura a mano"),
        doc("course", 1, "ar", "دورة في النسيج اليدوي"),
    ]
    assert backend.index(documents) == 4
    assert backend.stats() == {("casestudy", "en"): 1, ("cluster", "el"): 1, ("course", "it"): 1, ("course", "ar"): 1}
    assert found(backend.search(query("tessitura", "it"))) == [("course", 1)]
    assert found(backend.search(query("θεάτρου", "el"))) == [("cluster", 1)]


def test_delete_removes_every_language_of_an_object_and_ignores_unknown_ids(backend):
    backend.index(
        [
            doc("casestudy", 1, "en", "Theatre curtains"),
            doc("casestudy", 1, "el", "Θεατρικές αυλαίες"),
            doc("casestudy", 1, "it", "Sipari teatrali"),
            doc("casestudy", 1, "ar", "ستائر المسرح"),
            doc("casestudy", 2, "en", "Theatre lights"),
            doc("course", 1, "en", "Theatre course"),
        ]
    )
    backend.delete(type="casestudy", object_ids=[1, 999])
    backend.delete(type="casestudy", object_ids=[12345])
    backend.delete(type="casestudy", object_ids=[])

    assert backend.stats() == {("casestudy", "en"): 1, ("course", "en"): 1}
    assert sorted(found(backend.search(query("theatre")))) == [("casestudy", 2), ("course", 1)]
    assert backend.search(query("αυλαίες", "el")).total == 0
    assert backend.search(query("sipari", "it")).total == 0
    assert backend.search(query("ستائر", "ar")).total == 0


# --- matching ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "queries"),
    [
        ("en", "Recycling textiles in the mills of Prato", ["recycled textile", "RECYCLES", "textiles recycle"]),
        ("el", "Ανακύκλωση υφασμάτων στα εργαστήρια", ["ανακυκλωσεις", "ΑΝΑΚΥΚΛΩΣΗ ύφασμα", "υφάσματα"]),
        ("it", "Tessuti riciclati per l'economia circolare", ["tessuto riciclo", "economia", "l’economia circolari"]),
        ("ar", "إعادة تدوير المنسوجات في عمان", ["منسوجات", "والمنسوجات اعادة", "التــدوير", "إِعَادَة"]),
    ],
    ids=["en", "el", "it", "ar"],
)
def test_search_finds_stemmed_and_folded_forms_in_each_language(backend, language, text, queries):
    backend.index([doc("casestudy", 1, language, text), doc("casestudy", 2, language, "Unrelated")])
    for text_query in queries:
        assert found(backend.search(query(text_query, language))) == [("casestudy", 1)], text_query


def test_every_term_must_match(backend):
    backend.index(
        [
            doc("casestudy", 1, "en", "Wool blankets from Prato"),
            doc("casestudy", 2, "en", "Wool coats from Biella"),
            doc("casestudy", 3, "en", "Linen blankets"),
        ]
    )
    assert found_ids(backend.search(query("wool blankets"))) == [1]
    assert found_ids(backend.search(query("wool"))) == [1, 2]
    assert found_ids(backend.search(query("blankets"))) == [1, 3]
    assert backend.search(query("wool blankets cashmere")).total == 0


def test_quoted_phrase_requires_adjacent_words(backend):
    backend.index(
        [
            doc("casestudy", 1, "en", "Mills", body="Prato mills make regenerated wool from rags."),
            doc("casestudy", 2, "en", "Mills", body="Wool that is sorted and then regenerated."),
        ]
    )
    assert found_ids(backend.search(query('"regenerated wool"'))) == [1]
    assert found_ids(backend.search(query("regenerated wool"))) == [1, 2]
    assert found_ids(backend.search(query('"wool regenerated"'))) == []


def test_title_ranks_above_summary_above_body(backend):
    # The word sits in one field of each page; the fields are otherwise alike.
    backend.index(
        [
            doc("casestudy", 1, "en", "Weaving shop", "A studio for local makers.", "Open daily for mosaic."),
            doc("casestudy", 2, "en", "Pottery shop", "A studio for mosaic makers.", "Open daily for visits."),
            doc("casestudy", 3, "en", "Mosaic shop", "A studio for local makers.", "Open daily for visits."),
        ]
        # Other pages that do not mention the word, as on a real site.
        + [doc("casestudy", number, "en", "Glass shop", "A studio for glass.", "Open daily.") for number in range(4, 9)]
    )
    results = backend.search(query("mosaic"))
    assert [hit.object_id for hit in results.hits] == [3, 2, 1]
    assert results.hits[0].score > results.hits[1].score > results.hits[2].score


def test_a_page_about_the_query_outranks_a_city_page_with_the_same_words(backend):
    backend.index(
        [
            doc("cluster", 1, "en", "Mosaic workshops of the city", "Mosaic workshops"),
            doc("casestudy", 2, "en", "Mosaic workshops of the city", "Mosaic workshops"),
            *(doc("casestudy", number, "en", f"Pottery kiln {number}") for number in range(3, 8)),
        ]
    )
    results = backend.search(query("mosaic workshops"))
    assert [hit.type for hit in results.hits] == ["casestudy", "cluster"]
    assert results.hits[0].score > results.hits[1].score


def test_search_is_scoped_to_the_requested_languages(backend):
    backend.index(
        [
            doc("casestudy", 1, "en", "Theatre curtains reused"),
            doc("casestudy", 1, "el", "Θεατρικές αυλαίες ξανά σε χρήση"),
            doc("casestudy", 1, "it", "Sipari teatrali riusati"),
            doc("casestudy", 1, "ar", "إعادة استخدام ستائر المسرح"),
        ]
    )
    assert backend.search(query("αυλαίες", "en", ("en",))).total == 0
    assert backend.search(query("αυλαίες", "it", ("it",))).total == 0
    greek = backend.search(query("αυλαίες", "el", ("el",)))
    assert [(hit.object_id, hit.language) for hit in greek.hits] == [(1, "el")]

    # Found through its Greek text, shown in the reader's language.
    everywhere = backend.search(query("αυλαίες", "en", ALL_LANGUAGES))
    assert everywhere.total == 1
    assert [(hit.object_id, hit.language, hit.content_language) for hit in everywhere.hits] == [(1, "en", "en")]
    assert everywhere.hits[0].title == "Theatre curtains reused"


def test_all_languages_shows_each_page_in_the_readers_language_then_english_then_as_found(backend):
    backend.index(
        [
            # Translated into Greek and Arabic: a Greek reader gets the Greek version.
            doc("casestudy", 1, "en", "Mosaic workshop"),
            doc("casestudy", 1, "el", "Εργαστήριο ψηφιδωτού"),
            doc("casestudy", 1, "it", "Laboratorio di mosaico"),
            doc("casestudy", 1, "ar", "ورشة الفسيفساء"),
            # Not in Greek: the Greek address shows the English text.
            doc("casestudy", 2, "en", "Mosaic tiles from rubble"),
            doc("casestudy", 2, "el", "Mosaic tiles from rubble", content_language="en"),
            doc("casestudy", 2, "it", "Mosaico dalle macerie"),
            doc("casestudy", 2, "ar", "Mosaic tiles from rubble", content_language="en"),
            # Only in Italian: shown in Italian.
            doc("casestudy", 3, "it", "Il mosaico del mercato"),
        ]
    )
    results = backend.search(query("mosaico", "el", ALL_LANGUAGES))
    shown = {hit.object_id: (hit.language, hit.content_language, hit.title, hit.url) for hit in results.hits}
    assert results.total == 3 and len(results.hits) == 3
    assert shown[1] == ("el", "el", "Εργαστήριο ψηφιδωτού", "/el/casestudy/1/")
    assert shown[2] == ("el", "en", "Mosaic tiles from rubble", "/el/casestudy/2/")
    assert shown[3] == ("it", "it", "Il mosaico del mercato", "/it/casestudy/3/")


def test_all_languages_returns_one_hit_per_object(backend):
    # "Lanificio" is a name, written the same in every language's text.
    backend.index(
        [
            doc("casestudy", 1, code, f"Lanificio {word}")
            for code, word in zip(ALL_LANGUAGES, ["mill", "μύλος", "lana", "صوف"], strict=True)
        ]
        + [doc("casestudy", 2, "it", "Lanificio Pecci"), doc("cluster", 1, "en", "Prato")]
    )
    results = backend.search(query("lanificio", "en", ALL_LANGUAGES))
    assert results.total == 2
    assert sorted(found(results)) == [("casestudy", 1), ("casestudy", 2)]
    assert results.facets["type"] == {"casestudy": 2}


def test_expansions_let_a_concept_match_in_another_language(backend):
    backend.index(
        [
            doc("casestudy", 1, "it", "Riciclo creativo dei tessuti a Prato"),
            doc("casestudy", 2, "en", "Upcycling stage sets in Athens"),
            doc("casestudy", 3, "it", "Restauro di edifici storici"),
        ]
    )
    arabic = "التدوير الإبداعي"
    assert backend.search(query(arabic, "ar", ALL_LANGUAGES)).total == 0
    upcycling = Expansion(tokens=(0, 1), terms=UPCYCLING)
    results = backend.search(query(arabic, "ar", ALL_LANGUAGES, expansions=(upcycling,)))
    assert found_ids(results) == [1, 2]


UPCYCLING = {
    "en": ("upcycling", "creative reuse"),
    "it": ("upcycling", "riuso creativo", "riciclo creativo"),
    "el": ("αναβαθμισμένη ανακύκλωση",),
    "ar": ("التدوير الإبداعي",),
}
STAGE_SETS = {"en": ("stage sets", "scenery"), "it": ("scenografie",), "el": ("σκηνικά",), "ar": ("الديكورات",)}


def test_each_named_concept_expands_in_place_of_its_words_and_other_words_must_still_match(backend):
    backend.index(
        [
            doc("casestudy", 1, "it", "Riciclo creativo delle scenografie a Prato"),
            doc("casestudy", 2, "it", "Riciclo creativo dei tessuti a Prato"),
            doc("casestudy", 3, "en", "Upcycling stage sets in Athens"),
            doc("casestudy", 4, "it", "Scenografie in affitto ad Atene"),
        ]
    )
    # "التدوير الإبداعي الديكورات": two concepts, each expanded on its own.
    two = (Expansion(tokens=(0, 1), terms=UPCYCLING), Expansion(tokens=(2,), terms=STAGE_SETS))
    results = backend.search(query("التدوير الإبداعي الديكورات", "ar", ALL_LANGUAGES, expansions=two))
    assert found_ids(results) == [1, 3]
    # "upcycling Prato": the concept expands, the ordinary word beside it must match as typed.
    one = (Expansion(tokens=(0,), terms=UPCYCLING),)
    results = backend.search(query("upcycling Prato", "en", ALL_LANGUAGES, expansions=one))
    assert found_ids(results) == [1, 2]


# --- facets and filters -------------------------------------------------------

FACETED = {
    1: {"cluster": ["prato"], "country": ["IT"], "strategy": ["reuse", "recycle"], "material": ["textile"]},
    2: {"cluster": ["prato"], "country": ["IT"], "strategy": ["recycle"], "material": ["textile"]},
    3: {"cluster": ["athens"], "country": ["GR"], "strategy": ["reuse"], "material": ["wood"]},
    4: {"cluster": ["athens"], "country": ["GR"], "strategy": ["repair"], "material": ["textile", "wood"]},
}


@pytest.fixture
def faceted(backend):
    """Four case studies, each in English and Italian, plus a cluster page; all mention workshops."""
    documents = []
    for object_id, facets in FACETED.items():
        documents.append(doc("casestudy", object_id, "en", f"Workshop number {object_id}", facets=facets))
        documents.append(doc("casestudy", object_id, "it", f"Laboratorio {object_id}", body="workshop", facets=facets))
    documents.append(doc("cluster", 9, "en", "Prato workshops", facets={"cluster": ["prato"], "country": ["IT"]}))
    backend.index(documents)
    return backend


def test_facets_count_objects_not_documents(faceted):
    results = faceted.search(query("workshop", "en", ALL_LANGUAGES))
    assert results.total == 5
    assert results.facets["type"] == {"casestudy": 4, "cluster": 1}
    assert results.facets["cluster"] == {"prato": 3, "athens": 2}
    assert results.facets["country"] == {"IT": 3, "GR": 2}
    assert results.facets["strategy"] == {"reuse": 2, "recycle": 2, "repair": 1}
    assert results.facets["material"] == {"textile": 3, "wood": 2}


def test_facet_counts_apply_every_filter_but_their_own(faceted):
    results = faceted.search(query("workshop", "en", ALL_LANGUAGES, filters={"cluster": ("prato",)}))
    assert results.total == 3
    assert results.facets["cluster"] == {"prato": 3, "athens": 2}  # its own filter is ignored
    assert results.facets["type"] == {"casestudy": 2, "cluster": 1}
    assert results.facets["strategy"] == {"reuse": 1, "recycle": 2}
    assert results.facets["material"] == {"textile": 2}

    results = faceted.search(
        query("workshop", "en", ALL_LANGUAGES, filters={"cluster": ("prato",), "material": ("textile",)})
    )
    assert results.total == 2
    assert results.facets["cluster"] == {"prato": 2, "athens": 1}
    assert results.facets["material"] == {"textile": 2}
    assert results.facets["type"] == {"casestudy": 2}


def test_filters_combine_and_across_facets_or_within_a_facet(faceted):
    def ids(filters):
        results = faceted.search(query("workshop", "en", ALL_LANGUAGES, filters=filters))
        assert results.total == len(results.hits)
        return sorted(found(results))

    assert ids({"strategy": ("reuse", "repair")}) == [("casestudy", 1), ("casestudy", 3), ("casestudy", 4)]
    assert ids({"strategy": ("reuse", "repair"), "cluster": ("athens",)}) == [("casestudy", 3), ("casestudy", 4)]
    assert ids({"material": ("textile",), "strategy": ("reuse",)}) == [("casestudy", 1)]
    assert ids({"type": ("cluster",)}) == [("cluster", 9)]
    assert ids({"type": ("casestudy",), "country": ("GR",)}) == [("casestudy", 3), ("casestudy", 4)]
    assert ids({"cluster": ("prato",), "country": ("GR",)}) == []


def test_pagination_pages_through_every_hit_once(backend):
    backend.index([doc("casestudy", number, "en", f"Lantern number {number}") for number in range(1, 26)])
    pages = [backend.search(query("lantern", page=page, page_size=10)) for page in (1, 2, 3)]
    assert [results.total for results in pages] == [25, 25, 25]
    assert [len(results.hits) for results in pages] == [10, 10, 5]
    seen = [hit.object_id for results in pages for hit in results.hits]
    assert sorted(seen) == list(range(1, 26))
    assert [len(backend.search(query("lantern", page_size=size)).hits) for size in (1, 7, 100)] == [1, 7, 25]


# --- typos, snippets, suggestions ---------------------------------------------


@pytest.fixture
def typo_corpus(backend):
    backend.index(
        [
            doc("casestudy", 1, "en", "Regenerated wool blankets", body="Linen and wool from Prato."),
            doc("casestudy", 2, "el", "Ανακύκλωση υφασμάτων στην Αθήνα"),
            doc("casestudy", 3, "en", "Glass bottles melted into art"),
        ]
    )
    return backend


@pytest.mark.parametrize(
    ("language", "typo", "meant", "expected"),
    [
        ("en", "regenrated", "regenerated", 1),  # a letter missing
        ("en", "regeneratted wool", "regenerated wool", 1),  # a letter too many, next to a good word
        ("en", "linan", "linen", 1),  # a five-letter word
        ("el", "ανακίκλωση", "ανακυκλωση", 2),  # a wrong letter in Greek
    ],
    ids=["deletion", "insertion", "five-letters", "greek"],
)
def test_one_typo_in_a_long_word_still_finds_and_suggests(typo_corpus, language, typo, meant, expected):
    results = typo_corpus.search(query(typo, language))
    assert found_ids(results) == [expected]
    assert fold(results.suggestion) == meant


def test_a_typo_in_a_short_word_is_not_corrected(typo_corpus):
    results = typo_corpus.search(query("woll"))
    assert results.total == 0
    assert results.suggestion == ""


def test_a_correct_query_has_no_suggestion(typo_corpus):
    results = typo_corpus.search(query("regenerated wool"))
    assert found_ids(results) == [1]
    assert results.suggestion == ""


def test_snippets_mark_the_matched_word_and_escape_html(backend):
    backend.index(
        [
            doc(
                "casestudy",
                1,
                "en",
                "A Prato mill",
                summary="Rags are sorted by colour.",
                body="The mill <script>alert('x')</script> kept Recycling & spinning the fibres into new yarn.",
            ),
            doc("casestudy", 2, "el", "Εργαστήριο", body="Η Ανακύκλωση υφασμάτων <b>μειώνει</b> τα απόβλητα."),
        ]
    )
    snippet = backend.search(query("recycled")).hits[0].snippet
    assert "<mark>Recycling</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp;" in snippet

    greek = backend.search(query("ανακυκλωση", "el")).hits[0].snippet
    assert "<mark>Ανακύκλωση</mark>" in greek
    assert "<b>" not in greek and "&lt;b&gt;" in greek


def test_suggest_returns_titles_by_prefix_in_the_requested_language(backend):
    backend.index(
        [
            doc("casestudy", 1, "en", "Regenerated wool from Prato"),
            doc("casestudy", 1, "el", "Αναγεννημένο μαλλί από το Πράτο"),
            doc("casestudy", 2, "en", "Refurbished stage sets"),
            doc("casestudy", 3, "en", "Glass art in Amman"),
        ]
    )
    assert backend.suggest("regen", "en") == ["Regenerated wool from Prato"]
    assert sorted(backend.suggest("re", "en")) == ["Refurbished stage sets", "Regenerated wool from Prato"]
    assert backend.suggest("wool fr", "en") == ["Regenerated wool from Prato"]
    assert backend.suggest("regen", "el") == []
    assert backend.suggest("αναγ", "el") == ["Αναγεννημένο μαλλί από το Πράτο"]
    assert backend.suggest("ΠΡΑ", "el") == ["Αναγεννημένο μαλλί από το Πράτο"]
    assert backend.suggest("re", "en", limit=1) in (["Refurbished stage sets"], ["Regenerated wool from Prato"])
    assert backend.suggest("zzz", "en") == []


# --- administration ------------------------------------------------------------


def test_stats_count_documents_per_type_and_language(backend):
    assert backend.stats() == {}
    backend.index(
        [doc("casestudy", number, code, f"Case {number}") for number in (1, 2, 3) for code in ALL_LANGUAGES]
        + [doc("cluster", 1, "en", "Prato"), doc("cluster", 1, "ar", "براتو"), doc("course", 1, "it", "Corso")]
    )
    assert backend.stats() == {
        ("casestudy", "en"): 3,
        ("casestudy", "el"): 3,
        ("casestudy", "it"): 3,
        ("casestudy", "ar"): 3,
        ("cluster", "en"): 1,
        ("cluster", "ar"): 1,
        ("course", "it"): 1,
    }


def test_rebuild_replaces_everything_and_never_shows_an_empty_index(backend):
    backend.index([doc("casestudy", number, "en", f"Old lantern {number}") for number in range(1, 6)])
    seen_during_rebuild = []

    def new_documents():
        for number in range(1, 4):
            # Visitors searching while the rebuild runs still get the old content.
            seen_during_rebuild.append(backend.search(query("lantern")).total)
            yield doc("course", number, "en", f"New lantern {number}")

    stop = threading.Event()
    background_totals = []

    def keep_searching():
        while not stop.is_set():
            background_totals.append(backend.search(query("lantern")).total)

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        assert backend.rebuild(new_documents()) == 3
    finally:
        stop.set()
        reader.join(timeout=30)

    assert seen_during_rebuild == [5, 5, 5]
    assert background_totals and 0 not in background_totals
    assert backend.stats() == {("course", "en"): 3}
    assert backend.search(query("old")).total == 0
    assert found_ids(backend.search(query("new lantern"))) == [1, 2, 3]


def test_ping_answers_true_when_the_backend_works(backend):
    assert backend.ping() is True


def test_an_unreachable_embedded_index_reports_unavailable(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index folder should be")
    broken = EmbeddedBackend({"PATH": str(blocker / "index.sqlite3")})
    assert broken.ping() is False
    with pytest.raises(BackendUnavailable):
        broken.search(query("wool"))


def test_two_writers_at_once_both_succeed(tmp_path):
    """Two web workers indexing at the same moment wait for each other instead of failing."""
    path = str(tmp_path / "index.sqlite3")
    EmbeddedBackend({"PATH": path}).stats()  # create the file before the race
    start = threading.Barrier(2)
    errors = []

    def write(type_):
        backend = EmbeddedBackend({"PATH": path})
        try:
            start.wait()
            for chunk in range(10):
                backend.index(
                    doc(type_, chunk * 30 + number, "en", f"Concurrent lantern {number}", body="wool " * 200)
                    for number in range(30)
                )
        except Exception as error:  # the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=write, args=(type_,)) for type_ in ("casestudy", "course")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    backend = EmbeddedBackend({"PATH": path})
    assert backend.stats() == {("casestudy", "en"): 300, ("course", "en"): 300}
    assert backend.search(query("concurrent lantern", page_size=1)).total == 600
