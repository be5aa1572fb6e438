"""Search: indexing rate and /api/search/ latency on 10k and 100k documents.

A synthetic four-language corpus (word salad from bench/synthetic_case_studies.py's
word lists, with facets) is written straight into the embedded backend with
`rebuild`, then the JSON API is asked a mix of queries through Django's test
client, end to end (URL routing, validation, backend, JSON). Targets from the
search issue: indexing at 2,000 documents/s or more and p95 at most 30 ms.

With an Elasticsearch node (`--elasticsearch URL`, or TEST_ELASTICSEARCH_URL),
the same corpus is rebuilt into throwaway `hub-bench-…` indices on it and the
same requests are answered by it, and a table puts both backends side by side.
The node's indices are deleted afterwards.
"""

from __future__ import annotations

import os
import random
import time
import uuid

from bench.environment import sandbox
from bench.measure import median, percentile
from bench.results import record
from bench.synthetic_case_studies import CLUSTERS, LANGUAGES, VOCABULARY, taxonomy_slugs

SIZES = (10_000, 100_000)
INDEX_TARGET_DOCS_PER_SECOND = 2_000
LATENCY_TARGET_P95_MS = 30.0
WARM_UP = 20
REQUESTS = 300
ELASTICSEARCH_URL_VARIABLE = "TEST_ELASTICSEARCH_URL"


VOCABULARY_SIZE = 5_000
LETTERS = {
    "en": ("bcdfglmnprstvw", "aeiou"),
    "it": ("bcdfglmnprstvz", "aeiou"),
    "el": ("βγδζθκλμνξπρστφχ", "αεηιουωάέίόύ"),
    "ar": ("بتثجحخدذرزسشصضطظعغفقكلمنهوي", "اوي"),
}


def vocabulary(language: str, rng: random.Random) -> list[str]:
    """Real words from the bench word lists first, then made-up words in the language's script.

    Text draws words with Zipf's law (the n-th word is n times rarer than the
    first), as natural language does, so queries match realistic numbers of
    documents rather than a quarter of the corpus.
    """
    real = [word for pool in VOCABULARY[language].values() for word in pool]
    consonants, vowels = LETTERS[language]
    made_up: set[str] = set()
    while len(made_up) < VOCABULARY_SIZE - len(real):
        syllables = rng.randint(2, 4)
        made_up.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)))
    words = real + sorted(made_up)
    rng.shuffle(words)
    return words


class Text:
    def __init__(self, language: str, rng: random.Random):
        self.words = vocabulary(language, rng)
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        total, running = sum(weights), 0.0
        self.cumulative = []
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)

    def sentence(self, rng: random.Random, count: int) -> str:
        return " ".join(rng.choices(self.words, cum_weights=self.cumulative, k=count)).capitalize() + "."

    def query_word(self, rng: random.Random) -> str:
        """A content word of the kind people search for: in roughly 0.5–15 % of documents.

        The most frequent words of natural text are stop words, which no
        analyzer indexes; the corpus has none, so its top ranks stand in for them.
        """
        return self.words[rng.randint(100, 3000)]


def corpus(count: int, seed: int = 2026):
    """`count` SearchDocuments: count/4 pages, each in the four languages."""
    from core.searchable import SearchDocument

    rng = random.Random(seed)
    texts = {language: Text(language, random.Random(language)) for language in LANGUAGES}
    slugs = taxonomy_slugs()
    clusters = list(CLUSTERS)
    for page in range(count // len(LANGUAGES)):
        cluster = rng.choice(clusters)
        facets = {
            "cluster": [cluster],
            "country": [CLUSTERS[cluster][0]],
            "sector": [rng.choice(slugs["sector"])],
            "strategy": rng.sample(slugs["strategy"], rng.randint(1, 3)),
            "material": rng.sample(slugs["material"], rng.randint(1, 2)),
        }
        for language in LANGUAGES:
            yield SearchDocument(
                type="casestudy",
                object_id=page + 1,
                language=language,
                content_language=language,
                url=f"/{language}/case-studies/{page + 1}/",
                title=texts[language].sentence(rng, 7),
                summary=" ".join(texts[language].sentence(rng, 12) for _ in range(2)),
                body=" ".join(texts[language].sentence(rng, 14) for _ in range(8)),
                facets=facets,
            )


def queries(rng: random.Random) -> list[dict[str, str]]:
    """A realistic mix: single words, two words, a phrase, filters, all languages."""
    mix = []
    for language in LANGUAGES:
        text = Text(language, random.Random(language))
        for _ in range(3):
            word, other = text.query_word(rng), text.query_word(rng)
            mix += [
                {"q": word, "lang": language},
                {"q": f"{word} {other}", "lang": language},
                {"q": f'"{text.words[rng.randint(0, 20)]} {word}"', "lang": language},
                {"q": word, "lang": language, "country": "IT", "strategy": "reuse"},
                {"q": other, "lang": language, "languages": "all"},
                {"q": text.words[rng.randint(100, 200)], "lang": language, "page": "2"},
            ]
    return mix


def _measure_api(client, size: int, backend_name: str) -> tuple[list[float], list[int], bool]:
    """Latencies (ms) and totals of REQUESTS API calls, after a warm-up; False if one went wrong."""
    rng = random.Random(size)
    mix = queries(rng)
    for params in mix[:WARM_UP]:
        client.get("/api/search/", params)
    samples, totals = [], []
    for index in range(REQUESTS):
        params = mix[index % len(mix)]
        started = time.perf_counter()
        response = client.get("/api/search/", params)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            print(f"  FAILED: {params} answered {response.status_code}")
            return samples, totals, False
        answer = response.json()
        if answer["backend"] != backend_name or answer["degraded"]:
            print(f"  FAILED: {params} answered by {answer['backend']} (degraded: {answer['degraded']})")
            return samples, totals, False
        totals.append(answer["total"])
    print(
        f"  /api/search/ over {len(samples)} requests ({len(mix)} query shapes): p50 {median(samples):.1f} ms, "
        f"p95 {percentile(samples, 0.95):.1f} ms, max {max(samples):.1f} ms"
    )
    print(f"  hits per query: median {median([float(total) for total in totals]):.0f}, max {max(totals)}")
    return samples, totals, True


def _use_backend(settings, alias: str) -> None:
    from search.backends import reset_backends

    settings.SEARCH_BACKEND = alias
    reset_backends()


def run(elasticsearch_url: str | None = None) -> bool:
    elasticsearch_url = elasticsearch_url or os.environ.get(ELASTICSEARCH_URL_VARIABLE, "")
    passed = True
    table = []
    with sandbox("search") as box:
        from django.conf import settings
        from django.test import Client

        from search.backends import get_backend

        print("== Search: indexing and /api/search/ latency ==")
        print(f"database: {box.database_label}; index file: {settings.EMBEDDED_SEARCH_PATH}")
        prefix = f"hub-bench-{uuid.uuid4().hex[:8]}"
        if elasticsearch_url:
            settings.SEARCH_BACKENDS["elasticsearch"] = {
                "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
                "URL": elasticsearch_url,
                "INDEX_PREFIX": prefix,
                # Timings, not fallbacks: a slow answer must count as slow, not as the embedded index's.
                "TIMEOUT": 30,
                "MAX_RETRIES": 0,
                "INDEXING_TIMEOUT": 120,
                # A single test node cannot place replicas.
                "NUMBER_OF_REPLICAS": 0,
            }
            version = get_backend("elasticsearch").client.info()["version"]["number"]
            print(f"elasticsearch: {version} at {elasticsearch_url} (indices {prefix}-documents-*)")
        else:
            print(f"elasticsearch: not measured (give --elasticsearch URL or {ELASTICSEARCH_URL_VARIABLE})")
        client = Client()
        try:
            for size in SIZES:
                # The corpus is built first: its random sampling is the benchmark's
                # cost, not the index's (a real rebuild reads pages from the database).
                documents = list(corpus(size))
                for alias in ("embedded", "elasticsearch") if elasticsearch_url else ("embedded",):
                    _use_backend(settings, alias)
                    backend = get_backend(alias)
                    started = time.perf_counter()
                    indexed = backend.rebuild(documents)
                    seconds = time.perf_counter() - started
                    rate = indexed / seconds
                    ok_rate = rate >= INDEX_TARGET_DOCS_PER_SECOND
                    print(
                        f"\n{alias}, {size:,} documents: indexed {indexed:,} in {seconds:.1f} s = {rate:,.0f} docs/s "
                        f"(target ≥ {INDEX_TARGET_DOCS_PER_SECOND:,}: {'met' if ok_rate else 'NOT met'})"
                    )
                    if indexed != size:
                        print(f"  FAILED: expected {size} documents")
                        passed = False
                    samples, _totals, ok = _measure_api(client, size, alias)
                    passed = passed and ok
                    if samples:
                        p95 = percentile(samples, 0.95)
                        print(
                            f"  target p95 ≤ {LATENCY_TARGET_P95_MS:.0f} ms: "
                            f"{'met' if p95 <= LATENCY_TARGET_P95_MS else 'NOT met'}"
                        )
                        table.append((alias, size, rate, median(samples), p95))
                        if alias == "embedded":
                            record(
                                "search",
                                **{
                                    f"p95_ms_{size}": p95,
                                    f"p50_ms_{size}": median(samples),
                                    f"docs_per_second_{size}": rate,
                                },
                            )
                del documents
        finally:
            if elasticsearch_url:
                writer = get_backend("elasticsearch").writer
                indices = list(writer.options(ignore_status=404).indices.get_alias(index=f"{prefix}-*").body)
                if indices:
                    writer.indices.delete(index=indices)
        print("\n| Backend | Documents | Indexing docs/s | p50 ms | p95 ms |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for alias, size, rate, p50, p95 in table:
            print(f"| {alias} | {size:,} | {rate:,.0f} | {p50:.1f} | {p95:.1f} |")
    return passed
