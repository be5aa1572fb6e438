"""The public search page: /<lang>/search/?q=… with facets, snippets and pagination."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.freshness import cached_until_content_changes
from core.searchable import declared_facets, search_hit_labels, search_types
from search.empty_states import (
    case_studies_url,
    cluster_links,
    glossary_spelling,
    glossary_suggestions,
    popular_topics,
)
from search.selectors import SearchParameterError, SearchUnavailable, parse_search_request, search_run


def _url(params: dict[str, list[str]]) -> str:
    pairs = [(name, value) for name, values in params.items() for value in values if value]
    return "?" + urlencode(pairs)


def search(request):
    language = get_language()
    context = {"query": request.GET.get("q", "")[:500], "searched": False}
    try:
        search_request = parse_search_request(request.GET, interface_language=language)
        context["all_languages"] = search_request.all_languages
        if search_request.query.text:
            results = search_run(search_request)
            context.update(searched=True, results=results, pages=_pages(request, search_request, results))
            context["hits"] = _hits(results.hits, language)
            context["facets"] = _facets(request, search_request, results)
            if not results.hits:
                context.update(_empty_result(search_request, results, language))
        else:
            context.update(_blank_query(language))
    except SearchParameterError as error:
        context["error"] = error.message
        return render(request, "search/search.html", context, status=400)
    except SearchUnavailable as error:
        context["error"] = str(error)
        return render(request, "search/search.html", context, status=503)
    return render(request, "search/search.html", context)


def _empty_result(search_request, results, language: str) -> dict:
    """What an empty result offers instead: a spelling, the glossary's concepts in the reader's language, topics."""
    text = search_request.query.text
    return {
        # The backend's suggestion from the indexed words is shown above the results; else the glossary's.
        "spelling": "" if results.suggestion else glossary_spelling(text),
        "glossary_links": glossary_suggestions(text, language=language),
        **_blank_query(language),
    }


def _blank_query(language: str) -> dict:
    return {
        "popular_topics": popular_topics(language=language),
        "cluster_links": cluster_links(language=language),
        "case_studies_url": case_studies_url(),
    }


def _hits(hits, language: str) -> list[dict]:
    """Each hit with its type label and, when its text is in another language than the page, that language."""
    labels = search_hit_labels()
    shown = []
    for hit in hits:
        written = hit.content_language or hit.language
        item = {"hit": hit, "type_label": labels.get(hit.type, hit.type), "lang": "", "dir": "", "language_label": ""}
        if written != language:
            info = get_language_info(written)
            item.update(lang=written, dir="rtl" if info["bidi"] else "ltr", language_label=info["name_translated"])
        shown.append(item)
    return shown


def _base_params(request) -> dict[str, list[str]]:
    return {name: request.GET.getlist(name) for name in request.GET if name not in ("page",)}


def _facets(request, search_request, results) -> list[dict]:
    """Each facet with counts, labelled as its declaring models label it, `type` first."""
    declared = declared_facets()
    labels = cached_until_content_changes(f"search:facet-labels:{get_language()}", _facet_labels)
    headings = {"type": _("Type"), **{name: facet.label for name, facet in declared.items()}}
    facets = []
    for name in ("type", *declared):
        counts = results.facets.get(name, {})
        selected = set(search_request.filters.get(name, ()))
        values = []
        for value, count in counts.items():
            params = _base_params(request)
            chosen = [item for item in params.get(name, []) if item != value]
            if value not in selected:
                chosen.append(value)
            params[name] = chosen
            label = labels[name].get(value, value)
            values.append(
                {
                    "value": value,
                    "label": label or value,
                    "count": count,
                    "selected": value in selected,
                    "url": _url(params),
                }
            )
        if values:
            facets.append({"name": name, "label": headings[name], "values": values})
    return facets


def _facet_labels() -> dict[str, dict[str, str]]:
    """`{facet: {value: label}}` in the active language; the labels are snippets or pages, so public content."""
    labels = {"type": search_types(), **{name: facet.values() for name, facet in declared_facets().items()}}
    return {name: {value: str(label) for value, label in values.items()} for name, values in labels.items()}


def _pages(request, search_request, results) -> dict:
    query = search_request.query
    last = max(1, -(-results.total // query.page_size))
    params = _base_params(request)

    def page_url(number):
        return _url({**params, "page": [str(number)]})

    return {
        "number": query.page,
        "last": last,
        "previous": page_url(query.page - 1) if query.page > 1 else None,
        "next": page_url(query.page + 1) if query.page < last else None,
    }
