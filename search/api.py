"""JSON search API: GET /api/search/ and /api/search/suggest/.

Bad parameters get a 400 with {"error": {"parameter", "message"}}; no input
can produce a 500.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.languages import language_codes
from core.searchable import facet_names
from search.backends import BackendUnavailable, get_backend
from search.breaker import breaker_allows, breaker_failure, breaker_success
from search.selectors import SearchParameterError, SearchUnavailable, parse_search_request, search_run

MAX_SUGGEST_LENGTH = 100


def _error(error: SearchParameterError) -> JsonResponse:
    return JsonResponse({"error": {"parameter": error.parameter, "message": error.message}}, status=400)


def _language(request) -> str:
    requested = request.GET.get("lang", "")
    return requested if requested in language_codes() else translation.get_language() or "en"


@require_GET
def search_json(request):
    with translation.override(_language(request)):
        try:
            search_request = parse_search_request(request.GET, interface_language=translation.get_language())
            query = search_request.query
            results = search_run(search_request) if query.text else None
        except SearchParameterError as error:
            return _error(error)
        except SearchUnavailable as error:
            return JsonResponse({"error": {"parameter": "", "message": str(error)}}, status=503)
    facets = results.facets if results else {}
    return JsonResponse(
        {
            "query": query.text,
            "lang": query.language,
            "backend": results.backend if results else get_backend().name,
            "degraded": results.degraded if results else False,
            "total": results.total if results else 0,
            "took_ms": results.took_ms if results else 0,
            "page": query.page,
            "suggestion": results.suggestion if results else "",
            "hits": [
                {
                    "type": hit.type,
                    "id": hit.object_id,
                    "title": hit.title,
                    "url": request.build_absolute_uri(hit.url),
                    "language": hit.language,
                    "content_language": hit.content_language or hit.language,
                    "snippet": hit.snippet,
                    "score": hit.score,
                }
                for hit in (results.hits if results else [])
            ],
            "facets": {name: facets.get(name, {}) for name in ("type", *facet_names())},
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _suggestions(prefix: str, language: str) -> list[str]:
    """The configured backend's suggestions, or the embedded index's while it is down (circuit breaker)."""
    primary = settings.SEARCH_BACKEND
    if breaker_allows(primary):
        try:
            suggestions = get_backend().suggest(prefix, language)
        except BackendUnavailable:
            breaker_failure(primary)
        else:
            breaker_success(primary)
            return suggestions
    try:
        return get_backend("embedded").suggest(prefix, language)
    except (BackendUnavailable, KeyError):
        return []


@require_GET
def suggest_json(request):
    language = request.GET.get("lang", "") or translation.get_language()
    if language not in language_codes():
        return _error(SearchParameterError("lang", _("Unknown language “%(value)s”.") % {"value": language[:20]}))
    prefix = request.GET.get("q", "")
    if len(prefix) > MAX_SUGGEST_LENGTH:
        return _error(
            SearchParameterError(
                "q", _("The search text is too long: use at most %(limit)d characters.") % {"limit": MAX_SUGGEST_LENGTH}
            )
        )
    suggestions = []
    if prefix.strip():
        suggestions = _suggestions(prefix, language)
    return JsonResponse(
        {"query": prefix, "lang": language, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}
    )
