"""The Elasticsearch backend: one index per rebuild, served through an alias.

Each rebuild fills a fresh `<prefix>-documents-<timestamp>` index, then moves
the `<prefix>-documents` alias onto it in one atomic step, so searches always
see a complete index. A document's text goes into the fields of its content
language only (`title_el`, `summary_el`, `body_el`, ...), each analysed by a
custom analyzer that repeats the steps of search/analysis.py on the server.

Reads use the short `TIMEOUT` from settings so that a dead cluster costs about
a second; every failure to reach the cluster becomes `BackendUnavailable`, and
the caller falls back to the embedded index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import A, Index, Keyword, Mapping, Q, Search, Text, analyzer, char_filter, token_filter
from elasticsearch.helpers import BulkIndexError, bulk

from core.languages import language_codes
from core.searchable import SearchDocument, facet_names, search_weights
from search.analysis import STOP_WORDS, synonym_lines, words
from search.backends.base import (
    BackendUnavailable,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
    shown_language,
)
from search.query import TYPO_MIN_LENGTH, QueryPart, parse_query, query_parts

BATCH = 500
TITLE_BOOST, SUMMARY_BOOST = 10, 4
# One edit from five letters, two from eight; applied to the analysed term.
FUZZINESS = "AUTO:5,8"
# Arabic words are short roots wrapped in affixes: one edit lands on another root.
NO_FUZZINESS = frozenset({"ar"})
FACET_SIZE = 500
CARDINALITY_PRECISION = 10_000
SNIPPET_CHARACTERS = 180
AUTOCOMPLETE_MIN, AUTOCOMPLETE_MAX = 2, 20
INDEXING_TIMEOUT = 30.0
BULK_LOAD_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0, "translog": {"durability": "async"}}

# -- analysis ---------------------------------------------------------------
#
# Every analyzer starts with the steps of `analysis.fold` and `analysis.words`,
# which the Python code applies to all languages alike, then adds the
# language's stop words and stemmer. ICU is not installed on a stock cluster,
# so folding is assembled from built-in filters.

# Python drops every combining mark after NFD; this covers text that arrives
# decomposed (precomposed letters are folded by the filters below).
STRIP_MARKS = char_filter("hub_strip_marks", "pattern_replace", pattern=r"\p{Mn}", replacement="")
# `fold` maps hamza carriers and alef wasla to plain letters; arabic_normalization
# covers the other alef forms, taa marbuta, alef maqsura, tatweel and tashkeel.
ARABIC_LETTERS = char_filter("hub_arabic_letters", "mapping", mappings=["ؤ => و", "ئ => ي", "ٱ => ا"])
# `words` removes these Italian elisions (l'economia -> economia) in every language.
ELISION = token_filter(
    "hub_elision",
    "elision",
    articles=["l", "un", "dell", "all", "dall", "nell", "sull", "quest", "quell", "c", "d", "s", "m", "t", "v", "n"],
    articles_case=True,
)
# GreekLowerCaseFilter lowercases every script and also drops Greek tonos and
# dialytika and turns final sigma into sigma: casefold plus the Greek part of `fold`.
LOWERCASE = token_filter("hub_lowercase", "lowercase", language="greek")
FOLD_FILTERS = [ELISION, LOWERCASE, "asciifolding", "arabic_normalization"]
FOLD_CHAR_FILTERS = [STRIP_MARKS, ARABIC_LETTERS]


def _stop(language: str):
    # The Python lists, not `_english_` and friends: both backends must agree on
    # which words carry no meaning. They are checked after folding, as in Python.
    return token_filter(f"hub_{language}_stop", "stop", stopwords=sorted(STOP_WORDS[language]))


def _stemmer(language: str, algorithm: str):
    return token_filter(f"hub_{language}_stemmer", "stemmer", language=algorithm)


# The filters after folding, per language. Where Elasticsearch ships the
# algorithm PyStemmer runs, it is used (porter2 is Snowball English, italian is
# Snowball Italian); Greek and Arabic use Lucene's stemmers, which do the same
# job: Greek inflections, and the Arabic article, conjunctions and plural
# suffixes that `_strip_arabic_affixes` removes before stemming.
LANGUAGE_FILTERS = {
    "en": lambda: [_stemmer("en_possessive", "possessive_english"), _stop("en"), _stemmer("en", "porter2")],
    "el": lambda: [_stop("el"), _stemmer("el", "greek")],
    "it": lambda: [_stop("it"), _stemmer("it", "italian")],
    "ar": lambda: ["decimal_digit", _stop("ar"), _stemmer("ar", "arabic")],
}


def _synonyms(language: str):
    """The language's synonym list (search/synonyms/) as a search-time filter, or None without one.

    Placed last, after stemming: Elasticsearch analyses each rule with the
    filters before it, so the rules meet the stems of a query's words.
    """
    lines = synonym_lines(language)
    if not lines:
        return None
    return token_filter(f"hub_{language}_synonyms", "synonym_graph", synonyms=list(lines), lenient=True)


def search_analyzer(language: str):
    """`language_analyzer` plus the language's synonyms: what a query's words are read with."""
    synonyms = _synonyms(language)
    extra = LANGUAGE_FILTERS.get(language)
    if synonyms is None or extra is None:
        return language_analyzer(language)
    return analyzer(
        f"hub_{language}_search",
        tokenizer="standard",
        char_filter=FOLD_CHAR_FILTERS,
        filter=[*FOLD_FILTERS, *extra(), synonyms],
    )


def folded_analyzer():
    """Case-, accent- and script-folded words, unstemmed: `analysis.words` on the server."""
    return analyzer("hub_folded", tokenizer="standard", char_filter=FOLD_CHAR_FILTERS, filter=FOLD_FILTERS)


def language_analyzer(language: str):
    """The server twin of `analysis.analyze(text, language)`.

    A language added to settings.LANGUAGES without filters here is folded but
    not stemmed until it gets its own entry.
    """
    extra = LANGUAGE_FILTERS.get(language)
    if extra is None:
        return folded_analyzer()
    return analyzer(
        f"hub_{language}", tokenizer="standard", char_filter=FOLD_CHAR_FILTERS, filter=[*FOLD_FILTERS, *extra()]
    )


def autocomplete_analyzers():
    """(index, search) analyzers: every word prefix of 2-20 letters is indexed; the typed text is not split up."""
    edge = token_filter("hub_edge_ngram", "edge_ngram", min_gram=AUTOCOMPLETE_MIN, max_gram=AUTOCOMPLETE_MAX)
    # A typed word longer than the longest prefix still finds its word.
    truncate = token_filter("hub_truncate", "truncate", length=AUTOCOMPLETE_MAX)
    return (
        analyzer("hub_autocomplete", tokenizer="standard", char_filter=FOLD_CHAR_FILTERS, filter=[*FOLD_FILTERS, edge]),
        analyzer(
            "hub_autocomplete_search",
            tokenizer="standard",
            char_filter=FOLD_CHAR_FILTERS,
            filter=[*FOLD_FILTERS, truncate],
        ),
    )


def _facets() -> tuple[str, ...]:
    """`type` and every facet a searchable model declares (core.searchable)."""
    return ("type", *facet_names())


def index_settings_and_mappings(*, number_of_replicas: int = 1) -> dict:
    """The body that creates an index: analysis settings and field mappings (one keyword field per facet)."""
    mapping = Mapping()
    for name in ("key", "object_id", "object_key", "language", "content_language", "url", *_facets()):
        mapping.field(name, Keyword())
    autocomplete, autocomplete_search = autocomplete_analyzers()
    folded = folded_analyzer()
    mapping.field(
        "title",
        Text(
            analyzer=folded,
            fields={"autocomplete": Text(analyzer=autocomplete, search_analyzer=autocomplete_search)},
        ),
    )
    # Folded, unstemmed words of every text: the vocabulary typo suggestions come from.
    mapping.field("spelling", Text(analyzer=folded))
    for language in language_codes():
        text_analyzer = language_analyzer(language)
        query_analyzer = search_analyzer(language)
        mapping.field(
            f"title_{language}", Text(analyzer=text_analyzer, search_analyzer=query_analyzer, copy_to="spelling")
        )
        for part in ("summary", "body"):
            # Offsets in the postings let the highlighter skip re-analysing long bodies.
            mapping.field(
                f"{part}_{language}",
                Text(
                    analyzer=text_analyzer,
                    search_analyzer=query_analyzer,
                    copy_to="spelling",
                    index_options="offsets",
                ),
            )
    index = Index("documents")
    # One shard: a small corpus, and term statistics (so ranking) shared by all documents.
    index.settings(number_of_shards=1, number_of_replicas=number_of_replicas)
    index.mapping(mapping)
    return index.to_dict()


def document_source(document: SearchDocument) -> dict:
    """The indexed form of a document: its text in the fields of its content language."""
    language = document.content_language if document.content_language in language_codes() else settings.LANGUAGE_CODE
    source = {
        "key": document.key,
        "type": document.type,
        "object_id": document.object_id,
        "object_key": f"{document.type}:{document.object_id}",
        "language": document.language,
        "content_language": document.content_language,
        "url": document.url,
        "title": document.title,
        f"title_{language}": document.title,
        f"summary_{language}": document.summary,
        f"body_{language}": document.body,
    }
    for facet in facet_names():
        source[facet] = [value for value in document.facets.get(facet, ()) if value]
    return source


# -- queries ----------------------------------------------------------------


def _content_languages(query: SearchQuery) -> list[str]:
    # Untranslated pages carry English text under every site language.
    return list(dict.fromkeys([*query.languages, settings.LANGUAGE_CODE]))


def _fields(language: str) -> list[str]:
    return [f"title_{language}^{TITLE_BOOST}", f"summary_{language}^{SUMMARY_BOOST}", f"body_{language}"]


def _phrase_clause(phrase: str, language: str) -> Q:
    # Read without synonyms, as the embedded index reads phrases and glossary terms.
    return Q("multi_match", query=phrase, type="phrase", fields=_fields(language), analyzer=f"hub_{language}")


def _word_clause(word: str, language: str) -> Q:
    # One clause per word, each free to match any field: the embedded index's
    # "{title summary body} : (a AND b)". A single multi_match with operator
    # "and" would need every word in the same field.
    options = {"prefix_length": 1, "fuzziness": FUZZINESS} if language not in NO_FUZZINESS else {}
    return Q(
        "multi_match",
        query=word,
        type="most_fields",
        operator="and",
        fields=_fields(language),
        # The Python analyzer already dropped stop words; should the server drop
        # a word it kept, the word is ignored rather than matching nothing.
        zero_terms_query="all",
        **options,
    )


def _part_clause(part: QueryPart, language: str) -> Q | None:
    """One part of the query (search.query.query_parts): its words, its phrase, or any of its alternatives."""
    if part.phrase:
        return _phrase_clause(part.phrase, language)
    alternatives = []
    if part.words:
        # Tokens, not words: "children's" and "dell'arte" reach the server whole,
        # where the possessive and elision filters handle them as they did at indexing.
        words_clause = [_word_clause(word, language) for word in part.words]
        alternatives.append(words_clause[0] if len(words_clause) == 1 else Q("bool", must=words_clause))
    alternatives += [_phrase_clause(term, language) for term in part.alternatives]
    if not alternatives:
        return None
    if len(alternatives) == 1:
        return alternatives[0]
    return Q("bool", should=alternatives, minimum_should_match=1)


def _language_clause(query: SearchQuery, language: str) -> Q | None:
    """Documents written in `language` that match every part of the query read in `language`."""
    parts = query_parts(query.text, language, query.expansions)
    clauses = [clause for part in parts if (clause := _part_clause(part, language))]
    if not clauses:
        return None
    return Q("bool", filter=[Q("term", content_language=language)], must=clauses)


def _filter_clauses(query: SearchQuery, skip: str | None = None) -> list[Q]:
    return [Q("terms", **{facet: list(values)}) for facet, values in query.filters.items() if values and facet != skip]


def _all_of(clauses: list[Q]) -> Q:
    return Q("bool", filter=clauses) if clauses else Q("match_all")


def _counts_objects(query: SearchQuery) -> bool:
    # Searching one language finds at most one document per page; several
    # languages may find a page's every translation, counted once.
    return len(query.languages) > 1


def _main_query(query: SearchQuery) -> tuple[Q, bool]:
    """The query every hit matches, and whether it can match anything."""
    arms = [clause for clause in (_language_clause(query, code) for code in _content_languages(query)) if clause]
    if not arms:
        return Q("match_none"), False
    return Q("bool", filter=[Q("terms", language=list(query.languages))], should=arms, minimum_should_match=1), True


def _weighted(main: Q) -> Q:
    """`main` with each type's score multiplied by its weight (core.searchable `search_weight`)."""
    weights = {type_: weight for type_, weight in search_weights().items() if weight != 1.0}
    if not weights:
        return main
    functions = [{"filter": {"term": {"type": type_}}, "weight": weight} for type_, weight in weights.items()]
    return Q("function_score", query=main, functions=functions, score_mode="first", boost_mode="multiply")


def _highlighted(search: Search, query: SearchQuery, main: Q, matches: bool) -> Search:
    """`search` with the snippet of each hit: a summary or body fragment, the query's words marked."""
    for language in _content_languages(query):
        for part in ("summary", "body"):
            search = search.highlight(
                f"{part}_{language}",
                number_of_fragments=1,
                fragment_size=SNIPPET_CHARACTERS,
                no_match_size=SNIPPET_CHARACTERS,
            )
    search = search.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html")
    if matches:
        # Marking fuzzy matches makes the highlighter expand every fuzzy term
        # against each hit's text: on a live node that was 90 % of the time of
        # a search (p95 490 ms instead of 60 ms at 10,000 documents). Snippets
        # mark the words as typed; a misspelt word gets its "did you mean".
        search = search.highlight_options(highlight_query=_without_fuzziness(main.to_dict()))
    return search


SHOWN_FIELDS = ["type", "object_id", "title", "url", "language", "content_language"]


def build_search_body(query: SearchQuery) -> dict:
    """The one request that answers `query`: hits, facet counts, total and spelling suggestion."""
    main, matches = _main_query(query)
    start = (query.page - 1) * query.page_size
    search = (
        Search()
        .query(_weighted(main) if matches else main)
        .extra(track_total_hits=True, track_scores=True)
        # Every language of a page may match; the best-scoring one stands for the page.
        .collapse("object_key")
        .sort("_score", {"object_key": "asc"})
        .source(SHOWN_FIELDS)
    )[start : start + query.page_size]
    filters = _filter_clauses(query)
    if filters:
        # After aggregating: facet counts must not shrink to the chosen values.
        search = search.post_filter(_all_of(filters))
    for facet in _facets():
        values = A("terms", field=facet, size=FACET_SIZE)
        if _counts_objects(query):
            values.metric("objects", "cardinality", field="object_key", precision_threshold=CARDINALITY_PRECISION)
        search.aggs.bucket(facet, "filter", filter=_all_of(_filter_clauses(query, skip=facet))).bucket("values", values)
    if _counts_objects(query):
        search.aggs.bucket("total", "filter", filter=_all_of(filters)).metric(
            "objects", "cardinality", field="object_key", precision_threshold=CARDINALITY_PRECISION
        )
    search = _highlighted(search, query, main, matches)
    # Phrases are blanked, not removed, so suggestion offsets still point into the text.
    spelling_text = parse_query(query.text).spelling_text()
    if matches and words(spelling_text):
        search = search.suggest(
            "spelling",
            spelling_text,
            term={
                "field": "spelling",
                "suggest_mode": "missing",
                "max_edits": 1,
                "prefix_length": 1,
                "min_word_length": TYPO_MIN_LENGTH,
                "size": 1,
            },
        )
    return search.to_dict()


def shown_documents_body(query: SearchQuery, hits: list[SearchHit]) -> dict:
    """The request for every searched language's document of the pages in `hits`, with snippets.

    A page found in several languages is shown in one of them (base.shown_language),
    which need not be the one that matched: the reader's, though the query was Italian.
    """
    keys = [f"{hit.type}:{hit.object_id}" for hit in hits]
    main, matches = _main_query(query)
    search = (
        Search()
        .query(
            Q(
                "bool",
                filter=[Q("terms", object_key=keys), Q("terms", language=list(query.languages))],
                should=[main] if matches else [],
            )
        )
        .source(SHOWN_FIELDS)
        .extra(size=len(keys) * len(query.languages))
    )
    return _highlighted(search, query, main, matches).to_dict()


def with_shown_documents(query: SearchQuery, hits: list[SearchHit], response: dict) -> list[SearchHit]:
    """`hits`, each page's replaced by the document that stands for it, from the answer to `shown_documents_body`."""
    documents: dict[tuple[str, int], dict[str, dict]] = {}
    for document in response["hits"]["hits"]:
        source = document["_source"]
        documents.setdefault((source["type"], int(source["object_id"])), {})[source["language"]] = document
    shown = []
    for hit in hits:
        available = documents.get((hit.type, hit.object_id), {})
        language = shown_language(
            {code: document["_source"]["content_language"] for code, document in available.items()},
            reader=query.language,
            found=hit.language,
        )
        if language == hit.language or language not in available:
            shown.append(hit)
            continue
        source = available[language]["_source"]
        shown.append(
            SearchHit(
                type=hit.type,
                object_id=hit.object_id,
                title=source["title"],
                url=source["url"],
                language=source["language"],
                snippet=_snippet(available[language]),
                score=hit.score,
                content_language=source["content_language"],
            )
        )
    return shown


def _without_fuzziness(node):
    """A query body with its fuzziness options removed: exact (analysed) terms only."""
    if isinstance(node, dict):
        return {
            key: _without_fuzziness(value) for key, value in node.items() if key not in ("fuzziness", "prefix_length")
        }
    if isinstance(node, list):
        return [_without_fuzziness(value) for value in node]
    return node


def _snippet(hit: dict) -> str:
    """The summary or body fragment with a match, else the first fragment; already HTML-escaped."""
    language = hit["_source"].get("content_language", "")
    highlight = hit.get("highlight", {})
    names = dict.fromkeys([f"summary_{language}", f"body_{language}", *sorted(highlight)])
    fragments = [fragment for name in names for fragment in highlight.get(name, ())]
    return next((fragment for fragment in fragments if "<mark>" in fragment), fragments[0] if fragments else "")


def _suggestion(query: SearchQuery, response: dict) -> str:
    corrected = query.text
    entries = response.get("suggest", {}).get("spelling", [])
    for entry in sorted(entries, key=lambda entry: entry["offset"], reverse=True):
        if not entry.get("options"):
            continue
        start, end = entry["offset"], entry["offset"] + entry["length"]
        if end <= len(corrected):
            corrected = corrected[:start] + entry["options"][0]["text"] + corrected[end:]
    return corrected if corrected != query.text else ""


def results_from_response(query: SearchQuery, response: dict) -> SearchResults:
    """SearchResults from the response to `build_search_body(query)`."""
    aggregations = response.get("aggregations", {})
    objects = _counts_objects(query)
    facets = {}
    for facet in _facets():
        buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
        counts = {bucket["key"]: bucket["objects"]["value"] if objects else bucket["doc_count"] for bucket in buckets}
        facets[facet] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    if objects:
        total = aggregations.get("total", {}).get("objects", {}).get("value", 0)
    else:
        total = response["hits"]["total"]["value"]
    hits = [
        SearchHit(
            type=hit["_source"]["type"],
            object_id=int(hit["_source"]["object_id"]),
            title=hit["_source"]["title"],
            url=hit["_source"]["url"],
            language=hit["_source"]["language"],
            snippet=_snippet(hit),
            score=round(hit.get("_score") or 0.0, 4),
            content_language=hit["_source"].get("content_language", ""),
        )
        for hit in response["hits"]["hits"]
    ]
    return SearchResults(
        total=total,
        hits=hits,
        facets=facets,
        took_ms=float(response.get("took", 0)),
        suggestion=_suggestion(query, response),
        backend=ElasticsearchBackend.name,
    )


# -- backend ----------------------------------------------------------------


def client_security_options(params: dict) -> dict:
    """The client's authentication and TLS options from the backend's params (none for a local node)."""
    options: dict = {}
    if params.get("API_KEY"):
        options["api_key"] = params["API_KEY"]
    elif params.get("USERNAME"):
        options["basic_auth"] = (params["USERNAME"], params.get("PASSWORD", ""))
    if params.get("CA_CERTS"):
        options["ca_certs"] = params["CA_CERTS"]
    if not params.get("VERIFY_CERTS", True):
        # Only for a test cluster with a self-signed certificate and no CA bundle.
        options["verify_certs"] = False
        options["ssl_show_warn"] = False
    return options


class ElasticsearchBackend(SearchBackend):
    """Search served by an Elasticsearch 8 cluster.

    Params: URL, INDEX_PREFIX, and TIMEOUT and MAX_RETRIES for every request;
    INDEXING_TIMEOUT (default 30 s) replaces TIMEOUT for index, delete and
    rebuild, which move more data than a search and are not waited on by visitors.
    A real cluster: API_KEY, or USERNAME and PASSWORD; CA_CERTS (a CA bundle
    for https URLs) and VERIFY_CERTS (default true); NUMBER_OF_REPLICAS
    (default 1) for the indices a rebuild creates.
    """

    name = "elasticsearch"

    def __init__(self, params: dict | None = None):
        super().__init__(params)
        self.prefix = self.params.get("INDEX_PREFIX", "hub")
        # The index alias searches go through. Not `self.alias`: get_backend() overwrites
        # that with the backend's name in settings.SEARCH_BACKENDS ("elasticsearch"),
        # which then named the indices and ignored INDEX_PREFIX.
        self.index_alias = f"{self.prefix}-documents"
        self.alias = self.index_alias
        self.number_of_replicas = int(self.params.get("NUMBER_OF_REPLICAS", 1))
        self.client = Elasticsearch(
            self.params["URL"],
            request_timeout=float(self.params.get("TIMEOUT", 0.5)),
            max_retries=int(self.params.get("MAX_RETRIES", 1)),
            # A cluster that did not answer in time is busy or gone: retrying only doubles the wait.
            retry_on_timeout=False,
            **client_security_options(self.params),
        )
        self.writer = self.client.options(request_timeout=float(self.params.get("INDEXING_TIMEOUT", INDEXING_TIMEOUT)))
        self._alias_ready = False

    @contextmanager
    def _unavailable(self, action: str) -> Iterator[None]:
        """Turn "cannot reach or use the cluster now" into BackendUnavailable; let mistakes through."""
        try:
            yield
        except TransportError as error:  # ConnectionError, ConnectionTimeout, SerializationError
            raise BackendUnavailable(f"Elasticsearch {action}: {error}") from error
        except ApiError as error:
            if error.status_code >= 500 or error.status_code == 429:
                raise BackendUnavailable(f"Elasticsearch {action}: {error}") from error
            raise
        except BulkIndexError as error:
            # Rejected documents are kept for retry by the caller (the outbox), not lost.
            reason = error.errors[0] if error.errors else ""
            raise BackendUnavailable(f"Elasticsearch {action}: {error}: {reason}"[:2000]) from error

    def _missing_index(self) -> BackendUnavailable:
        return BackendUnavailable(
            f"Elasticsearch has no {self.index_alias} index yet: run `manage.py search_index rebuild`"
        )

    def _new_index_name(self) -> str:
        return f"{self.index_alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _create_index(self, name: str, *, with_alias: bool, bulk_load: bool = False) -> None:
        body = index_settings_and_mappings(number_of_replicas=self.number_of_replicas)
        if with_alias:
            body["aliases"] = {self.index_alias: {}}
        if bulk_load:
            # Nobody searches an index being rebuilt: no refreshes, replicas or
            # per-request fsync until it is full (a crash means rebuilding again).
            body["settings"].update(BULK_LOAD_SETTINGS)
        self.writer.indices.create(index=name, **body)

    def _finish_bulk_load(self, name: str) -> None:
        self.writer.indices.put_settings(
            index=name,
            settings={
                "index": {
                    "refresh_interval": None,
                    "translog": {"durability": "request"},
                    "number_of_replicas": self.number_of_replicas,
                }
            },
        )
        self.writer.indices.refresh(index=name)

    def _ensure_alias(self) -> None:
        if self._alias_ready:
            return
        if not self.writer.indices.exists_alias(name=self.index_alias):
            self._create_index(self._new_index_name(), with_alias=True)
        self._alias_ready = True

    def _bulk(self, index: str, documents: Iterable[SearchDocument], **options) -> int:
        actions = (
            {"_op_type": "index", "_index": index, "_id": document.key, "_source": document_source(document)}
            for document in documents
        )
        count, _errors = bulk(self.writer, actions, chunk_size=BATCH, **options)
        return count

    # -- writing -----------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        with self._unavailable("index"):
            self._ensure_alias()
            try:
                # require_alias: should the alias vanish, fail rather than let
                # Elasticsearch create an index of that name with guessed mappings.
                return self._bulk(self.index_alias, documents, refresh=True, require_alias=True)
            except BulkIndexError:
                self._alias_ready = False
                raise

    def delete(self, *, type: str, object_ids: Iterable[int]) -> None:
        object_ids = list(object_ids)
        if not object_ids:
            return
        with self._unavailable("delete"):
            try:
                self.writer.delete_by_query(
                    index=self.index_alias,
                    query={"bool": {"filter": [{"term": {"type": type}}, {"terms": {"object_id": object_ids}}]}},
                    conflicts="proceed",
                    refresh=True,
                )
            except NotFoundError:
                return  # no index yet, so nothing to delete

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        name = self._new_index_name()
        with self._unavailable("rebuild"):
            self._create_index(name, with_alias=False, bulk_load=True)
            try:
                count = self._bulk(name, documents)
                self._finish_bulk_load(name)
                try:
                    current = list(self.writer.indices.get_alias(name=self.index_alias))
                except NotFoundError:
                    current = []
                # One request, applied atomically: searches see the old index or the new one.
                self.writer.indices.update_aliases(
                    actions=[
                        *({"remove": {"index": old, "alias": self.index_alias}} for old in current),
                        {"add": {"index": name, "alias": self.index_alias}},
                    ]
                )
            except BaseException:
                with suppress(TransportError, ApiError):
                    self.writer.indices.delete(index=name)
                raise
            self._alias_ready = True
            self._delete_older_than(name)
        return count

    def _delete_older_than(self, name: str) -> None:
        """Drop earlier rebuilds' indices, including ones a failed rebuild left behind."""
        own = re.compile(rf"^{re.escape(self.index_alias)}-\d{{20}}$")
        existing = self.writer.indices.get_alias(index=f"{self.index_alias}-*")
        stale = sorted(index for index in existing if own.match(index) and index < name)
        if stale:
            # Named one by one: clusters refuse wildcard deletes by default.
            self.writer.indices.delete(index=stale)

    # -- reading -----------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        with self._unavailable("search"):
            try:
                response = self.client.search(index=self.index_alias, body=build_search_body(query))
                results = results_from_response(query, response.body)
                if len(query.languages) > 1 and results.hits:
                    shown = self.client.search(index=self.index_alias, body=shown_documents_body(query, results.hits))
                    results.hits = with_shown_documents(query, results.hits, shown.body)
            except NotFoundError as error:
                raise self._missing_index() from error
        return results

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        if not words(prefix):
            return []
        body = (
            Search()
            .query(
                Q(
                    "bool",
                    must=[Q("match", **{"title.autocomplete": {"query": prefix, "operator": "and"}})],
                    filter=[Q("term", language=language)],
                )
            )
            .source(["title"])
            .extra(size=limit * 2)
            .to_dict()
        )
        with self._unavailable("suggest"):
            try:
                response = self.client.search(index=self.index_alias, body=body)
            except NotFoundError as error:
                raise self._missing_index() from error
        titles = dict.fromkeys(hit["_source"]["title"] for hit in response.body["hits"]["hits"])
        return list(titles)[:limit]

    def stats(self) -> dict[tuple[str, str], int]:
        search = Search().extra(size=0, track_total_hits=False)
        search.aggs.bucket("types", "terms", field="type", size=FACET_SIZE).bucket(
            "languages", "terms", field="language", size=FACET_SIZE
        )
        with self._unavailable("stats"):
            try:
                response = self.client.search(index=self.index_alias, body=search.to_dict())
            except NotFoundError:
                return {}
        return {
            (type_bucket["key"], language_bucket["key"]): language_bucket["doc_count"]
            for type_bucket in response.body["aggregations"]["types"]["buckets"]
            for language_bucket in type_bucket["languages"]["buckets"]
        }

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except (TransportError, ApiError):
            return False
