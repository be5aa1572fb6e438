"""Reads for the search page when it has nothing to list: a blank query, an empty result, a bad parameter.

Kept apart from ranking and backends (search/selectors.py): these only help a
visitor on: a spelling the glossary knows, the glossary's concepts in the
reader's language, popular topics and the city clusters.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import get_language

from casestudies.selectors import case_study_index_url, case_study_topics
from core.clusters import cluster_model
from core.freshness import cached_until_content_changes
from core.visibility import visible
from search.analysis import fold
from search.selectors import glossary_terms

# A typed word this close to a glossary term (difflib's ratio) is offered as a correction.
SPELLING_CUTOFF = 0.8
GLOSSARY_SUGGESTIONS = 6
POPULAR_TOPICS = 8
WORD = re.compile(r"[^\W_]+")
# Only the first words of a long query are compared: each costs a pass over the glossary.
MAX_WORDS = 8


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int | None = None


def search_url(text: str, *, all_languages: bool = False) -> str:
    pairs = [("q", text)] + ([("languages", "all")] if all_languages else [])
    return "?" + urlencode(pairs)


def _concepts() -> list[dict[str, list[str]]]:
    return [concept for concept in glossary_terms() if any(concept.values())]


def glossary_spelling(text: str) -> str:
    """`text` with each word the glossary nearly spells replaced by the glossary's spelling, or "" if none is."""
    vocabulary = {
        fold(word): word
        for concept in _concepts()
        for terms in concept.values()
        for term in terms
        for word in WORD.findall(term)
    }
    folded = list(vocabulary)
    corrected, changed = [], False
    for word in WORD.findall(text)[:MAX_WORDS]:
        if fold(word) in vocabulary or len(word) < 4:
            corrected.append(word)
            continue
        match = difflib.get_close_matches(fold(word), folded, n=1, cutoff=SPELLING_CUTOFF)
        if match:
            corrected.append(vocabulary[match[0]])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


def _similarity(word: str, other: str) -> float:
    return 1.0 if word == other else difflib.SequenceMatcher(None, word, other).ratio()


def glossary_suggestions(text: str, *, language: str) -> list[Link]:
    """Glossary concepts the query names or nearly names, as searches for their term in `language`.

    Each link searches all languages, since a concept's pages may be written
    in any of them.
    """
    typed = {fold(word) for word in WORD.findall(text)[:MAX_WORDS]}
    if not typed:
        return []
    scored: list[tuple[float, dict[str, list[str]]]] = []
    for concept in _concepts():
        # A term scores by how well every one of its words is matched by a typed word: "recyclng"
        # names "recycling" (0.94), not "glass recycling" (half its words unmatched).
        best = max(
            (
                sum(max(_similarity(word, typed_word) for typed_word in typed) for word in term_words) / len(term_words)
                for terms in concept.values()
                for term in terms
                if (term_words := [fold(word) for word in WORD.findall(term)])
            ),
            default=0.0,
        )
        if best >= SPELLING_CUTOFF:
            scored.append((best, concept))
    scored.sort(key=lambda item: -item[0])
    links = []
    for _score, concept in scored[:GLOSSARY_SUGGESTIONS]:
        terms = concept.get(language) or next(terms for terms in concept.values() if terms)
        links.append(Link(label=terms[0], url=search_url(terms[0], all_languages=True)))
    return links


def popular_topics(*, language: str) -> list[Link]:
    """The 10R strategies and materials most case studies share, each a link to those case studies."""
    topics = cached_until_content_changes(
        f"search:popular-topics:{language}", lambda: [(t.label, t.url, t.count) for t in case_study_topics()]
    )
    return [Link(label=label, url=url, count=count) for label, url, count in topics[:POPULAR_TOPICS]]


def cluster_links(*, language: str) -> list[Link]:
    """The city clusters a visitor may see, in tree order, linking to their pages."""

    def build():
        clusters = visible(cluster_model().objects.live().order_by("path"), None)
        return [(cluster.title, cluster.get_url()) for cluster in clusters]

    return [
        Link(label=title, url=url) for title, url in cached_until_content_changes(f"search:clusters:{language}", build)
    ]


def case_studies_url() -> str:
    """Where to browse every case study, in the active language."""
    return cached_until_content_changes(f"search:case-studies-url:{get_language()}", case_study_index_url)
