"""The last-resort backend: the pages' own database columns, no index to keep.

It answers when no index can (the fallback order is `settings.SEARCH_FALLBACKS`):
every word must occur somewhere in a page's title, summary or body fields, in
the searched languages or the default one. Filters and facet counts work as
in the other backends; there is no ranking, stemming or snippet, and hits
come in tree order, at most `CANDIDATES` per page type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Q

from core.languages import default_language
from core.searchable import SearchDocument, facet_names, searchable_models
from core.visibility import visible
from search.backends.base import SearchBackend, SearchHit, SearchQuery, SearchResults
from search.query import parse_query

# Candidates read per page type, before facet filters.
CANDIDATES = 200


class DatabaseBackend(SearchBackend):
    name = "database"
    keeps_index = False

    def index(self, documents: Iterable[SearchDocument]) -> int:
        return 0

    def delete(self, *, type: str, object_ids: Iterable[int]) -> None:
        return None

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        return 0

    def stats(self) -> dict[tuple[str, str], int]:
        return {}

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        return []

    def search(self, query: SearchQuery) -> SearchResults:
        words = parse_query(query.text).words[:10]
        names = ("type", *facet_names())
        hits: list[SearchHit] = []
        facets: dict[str, Counter] = {name: Counter() for name in names}
        wanted = {name: set(values) for name, values in query.filters.items() if values}
        for model in searchable_models() if words else ():
            if "type" in wanted and model.search_type not in wanted["type"]:
                continue
            fields = ("title", model.search_summary_field, *model.search_body_fields)
            condition = Q()
            for word in words:
                alternatives = Q()
                for name in fields:
                    for code in dict.fromkeys([*query.languages, default_language()]):
                        alternatives |= Q(**{f"{name}_{code}__icontains": word})
                condition &= alternatives
            pages = visible(model.search_queryset()).filter(condition).order_by("path")
            for page in pages[:CANDIDATES]:
                values = {"type": [model.search_type], **page.search_facets()}
                if any(not wanted_values & set(values.get(name, ())) for name, wanted_values in wanted.items()):
                    continue
                for name in names:
                    facets[name].update(values.get(name, ()))
                hits.append(
                    SearchHit(
                        type=model.search_type,
                        object_id=page.pk,
                        title=page.title,
                        url=page.get_url() or "",
                        language=query.language,
                        snippet="",
                        score=0.0,
                    )
                )
        start = (query.page - 1) * query.page_size
        return SearchResults(
            total=len(hits),
            hits=hits[start : start + query.page_size],
            facets={name: dict(counts) for name, counts in facets.items()},
            backend=self.name,
        )
