"""Embedded search: indexing rate and /api/search/ latency on 10k and 100k documents.

A synthetic four-language corpus (word salad from bench/synthetic_case_studies.py's
word lists, with facets) is written straight into the embedded backend with
`rebuild`, then the JSON API is asked a mix of queries through Django's test
client, end to end (URL routing, validation, backend, JSON). Targets from the
search issue: indexing at 2,000 documents/s or more and p95 at most 30 ms.
"""

from __future__ import annotations

import random
import time

from bench.environment import sandbox
from bench.measure import median, percentile
from bench.results import record
from bench.synthetic_case_studies import CLUSTERS, LANGUAGES, VOCABULARY, taxonomy_slugs

SIZES = (10_000, 100_000)
INDEX_TARGET_DOCS_PER_SECOND = 2_000
LATENCY_TARGET_P95_MS = 30.0
WARM_UP = 20
REQUESTS = 300


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


def run() -> bool:
    passed = True
    with sandbox("search") as box:
        from django.conf import settings
        from django.test import Client

        from search.backends import get_backend

        print("== Embedded search: indexing and /api/search/ latency ==")
        print(f"database: {box.database_label}; index file: {settings.EMBEDDED_SEARCH_PATH}")
        backend = get_backend("embedded")
        client = Client()
        for size in SIZES:
            # The corpus is built first: its random sampling is the benchmark's
            # cost, not the index's (a real rebuild reads pages from the database).
            documents = list(corpus(size))
            started = time.perf_counter()
            indexed = backend.rebuild(documents)
            seconds = time.perf_counter() - started
            del documents
            rate = indexed / seconds
            ok_rate = rate >= INDEX_TARGET_DOCS_PER_SECOND
            print(
                f"\n{size:,} documents: indexed {indexed:,} in {seconds:.1f} s = {rate:,.0f} docs/s "
                f"(target ≥ {INDEX_TARGET_DOCS_PER_SECOND:,}: {'met' if ok_rate else 'NOT met'})"
            )
            if indexed != size:
                print(f"  FAILED: expected {size} documents")
                passed = False
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
                    passed = False
                    break
                totals.append(response.json()["total"])
            p50, p95 = median(samples), percentile(samples, 0.95)
            record("search", **{f"p95_ms_{size}": p95, f"p50_ms_{size}": p50, f"docs_per_second_{size}": rate})
            ok_latency = p95 <= LATENCY_TARGET_P95_MS
            print(
                f"  /api/search/ over {len(samples)} requests ({len(mix)} query shapes): p50 {p50:.1f} ms, "
                f"p95 {p95:.1f} ms, max {max(samples):.1f} ms "
                f"(target p95 ≤ {LATENCY_TARGET_P95_MS:.0f} ms: {'met' if ok_latency else 'NOT met'})"
            )
            print(f"  hits per query: median {median([float(total) for total in totals]):.0f}, max {max(totals)}")
    return passed
