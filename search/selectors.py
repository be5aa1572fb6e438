"""Reads: validating a search request, expanding it through the glossary, and answering it.

`search_run` is what the HTML page and the JSON API share: it picks the
configured backend and falls back (embedded index, then the database) when it
cannot answer, marking the results `degraded`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from core.freshness import cached_until_content_changes
from core.languages import language_codes
from core.searchable import declared_facets, search_types
from search.backends import BackendUnavailable, get_backend
from search.backends.base import SearchQuery, SearchResults
from search.breaker import breaker_allows, breaker_failure, breaker_success
from search.models import GlossaryConcept
from search.parameters import parameter_label
from search.query import Expansion, named_concepts

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
# Elasticsearch's default index.max_result_window; the embedded backend keeps to it too.
MAX_RESULT_WINDOW = 10_000
DEFAULT_PAGE_SIZE = 10
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SearchParameterError(ValueError):
    """A request parameter is invalid; `parameter` names it for the 400 response."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass
class SearchRequest:
    query: SearchQuery
    all_languages: bool
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def search_filters() -> tuple[str, ...]:
    """The filter parameters a search accepts: `type` and every declared facet."""
    return ("type", *declared_facets())


def known_values(name: str) -> frozenset[str]:
    """The values filter `name` accepts: the page types, or what the facet's declaration allows."""
    if name == "type":
        return frozenset(search_types())
    return frozenset(declared_facets()[name].values())


def _values(params, name: str) -> tuple[str, ...]:
    values = []
    for raw in params.getlist(name):
        values.extend(value.strip() for value in raw.split(",") if value.strip())
    return tuple(dict.fromkeys(values))


def _whole_number(params, name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise SearchParameterError(
            name, _("%(name)s must be a whole number.") % {"name": parameter_label(name)}
        ) from None
    if value < low or (high is not None and value > high):
        if high is None:
            message = _("%(name)s must be at least %(low)d.") % {"name": parameter_label(name), "low": low}
        else:
            message = _("%(name)s must be from %(low)d to %(high)d.") % {
                "name": parameter_label(name),
                "low": low,
                "high": high,
            }
        raise SearchParameterError(name, message)
    return value


def parse_search_request(params, *, interface_language: str) -> SearchRequest:
    """Validate query parameters; raise SearchParameterError naming the first bad one."""
    text = params.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchParameterError(
            "q", _("The search text is too long: use at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}
        )
    text = CONTROL_CHARACTERS.sub(" ", text).strip()
    language = params.get("lang") or interface_language
    if language not in language_codes():
        raise SearchParameterError("lang", _("Unknown language “%(value)s”.") % {"value": language[:20]})
    scope = params.get("languages", "")
    if scope not in ("", "all", language):
        raise SearchParameterError(
            "languages", _("%(name)s must be “all” or left out.") % {"name": parameter_label("languages")}
        )
    all_languages = scope == "all"
    page = _whole_number(params, "page", 1, 1, MAX_PAGE)
    page_size = _whole_number(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if page * page_size > MAX_RESULT_WINDOW:
        raise SearchParameterError(
            "page", _("Results can be paged up to the %(limit)d-th result.") % {"limit": MAX_RESULT_WINDOW}
        )
    filters: dict[str, tuple[str, ...]] = {}
    for name in search_filters():
        values = _values(params, name)
        if not values:
            continue
        if name == "country":
            values = tuple(value.upper() for value in values)
        known = known_values(name)
        unknown = [value for value in values if value not in known]
        if unknown:
            raise SearchParameterError(
                name,
                _("Unknown %(name)s: %(values)s.")
                % {"name": parameter_label(name), "values": ", ".join(unknown)[:200]},
            )
        filters[name] = values
    languages = tuple(language_codes()) if all_languages else (language,)
    query = SearchQuery(
        text=text,
        language=language,
        languages=languages,
        filters=filters,
        expansions=glossary_expansions(text) if text else (),
        page=page,
        page_size=page_size,
    )
    return SearchRequest(query=query, all_languages=all_languages, filters=filters)


def glossary_terms() -> list[dict[str, list[str]]]:
    """Each glossary concept's terms by language, cached until public content changes (a concept is a snippet)."""
    return cached_until_content_changes(
        "search:glossary",
        lambda: [
            {code: concept.term_list(code) for code in language_codes()} for concept in GlossaryConcept.objects.all()
        ],
    )


def glossary_expansions(text: str) -> tuple[Expansion, ...]:
    """The glossary concepts `text` names, each with its terms by language (search.query.named_concepts).

    A concept named in one language matches through its terms in every
    language searched: "مخلفات الأقمشة" reaches "scarti tessili" in Italian
    text, and "textile waste" typed on a Greek page reaches Greek text.
    """
    return named_concepts(text, glossary_terms())


def search_run(request: SearchRequest) -> SearchResults:
    """Answer a validated search with the configured backend, then each fallback in turn.

    The order is `settings.SEARCH_BACKEND`, then `settings.SEARCH_FALLBACKS`
    (the embedded index, then the database); an answer from a fallback is
    marked `degraded`. A backend that failed is skipped while its circuit
    breaker is open (search/breaker.py), so an outage costs one timeout per
    `SEARCH_BREAKER_SECONDS` per process, not one per search.
    """
    query = request.query
    order = list(dict.fromkeys([settings.SEARCH_BACKEND, *settings.SEARCH_FALLBACKS]))
    results = None
    for position, alias in enumerate(order):
        # The last resort is always tried; the others are skipped while their breaker is open.
        if position < len(order) - 1 and not breaker_allows(alias):
            continue
        backend = get_backend(alias)
        try:
            results = backend.search(query)
        except BackendUnavailable as error:
            breaker_failure(alias)
            logger.warning(
                "search backend %s unavailable, skipped for %ss: %s", alias, settings.SEARCH_BREAKER_SECONDS, error
            )
            continue
        breaker_success(alias)
        results.degraded = results.degraded or position > 0
        break
    if results is None:
        raise SearchUnavailable(_("Search is unavailable at the moment. Please try again in a few minutes."))
    if query.page > 1 and results.total and (query.page - 1) * query.page_size >= results.total:
        raise SearchParameterError("page", _("There is no page %(page)d of results.") % {"page": query.page})
    return results


class SearchUnavailable(Exception):
    """No backend, fallbacks included, could answer."""
