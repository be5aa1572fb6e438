"""Public search page.

Until the language-aware index lands (see docs/search.md), this answers from
the database: a case-insensitive match on the translated text fields of the
visitor's language and of English, the fallback language.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casestudies.models import CaseStudyPage
from hub.models import ClusterPage
from hub.selectors import public_q

MAX_QUERY_LENGTH = 500
PAGE_SIZE = 10

SEARCHABLE_FIELDS = {
    CaseStudyPage: ("title", "summary", "challenge", "solution", "results"),
    ClusterPage: ("title", "tagline", "intro"),
}


def _matching(model, fields, terms, languages):
    condition = Q()
    for term in terms:
        term_condition = Q()
        for field in fields:
            for language in languages:
                term_condition |= Q(**{f"{field}_{language}__icontains": term})
        condition &= term_condition
    return model.objects.live().filter(public_q()).filter(condition)


def search(request):
    query = request.GET.get("q", "").strip()
    error = None
    results = []
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Your search is too long: use at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}
        query = query[:MAX_QUERY_LENGTH]
    terms = [term for term in query.replace("\x00", " ").split() if term][:10]
    if terms and not error:
        languages = list(dict.fromkeys([get_language() or "en", "en"]))
        for model, fields in SEARCHABLE_FIELDS.items():
            results.extend(_matching(model, fields, terms, languages).order_by("path")[:200])
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if error else 200
    return render(
        request,
        "search/search.html",
        {"query": query, "page_obj": page, "total": len(results), "error": error, "searched": bool(terms)},
        status=status,
    )
