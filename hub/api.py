"""The open-data API: Wagtail's endpoints plus every app's own (the `hub_api_endpoints` hook).

Every endpoint is registered through `hardened()`, which answers hostile query
parameters with a 400 naming the parameter instead of letting them reach the
database (huge offsets, non-ASCII digits, NUL bytes, unreadable full-text
syntax): no query string can produce a 500.
"""

import re

from django.db import DatabaseError
from django.utils.translation import gettext as _
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from core.registry import api_endpoints

# Parameters Wagtail turns into numbers (pagination, ids, tree filters).
INTEGER_PARAMETERS = ("offset", "limit", "id", "child_of", "descendant_of", "ancestor_of", "translation_of")
# The largest value a PostgreSQL `integer` column (Wagtail's ids) holds.
MAX_INTEGER = 2**31 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,10}")
SEARCH_OPERATORS = ("and", "or")
MAX_SEARCH_LENGTH = 200


# Wagtail's own 400 messages that do not say which parameter they refuse.
WAGTAIL_MESSAGE_PARAMETERS = {
    "parent page doesn't exist": "child_of",
    "ancestor page doesn't exist": "descendant_of",
    "descendant page doesn't exist": "ancestor_of",
    "type doesn't exist": "type",
    "cannot order by": "order",
    "fields error": "fields",
    "filtering by tag with a search query": "search",
}


def _refuse(parameter: str, message: str) -> BadRequestError:
    return BadRequestError(f"{parameter}: {message}")


class HardenedParametersMixin:
    """Checks the query parameters before Wagtail's filters and paginator see them."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in request.GET.items():
            if "\x00" in value or "\x00" in name:
                raise _refuse(name.replace("\x00", ""), _("null characters are not allowed."))
        for name in INTEGER_PARAMETERS:
            value = request.GET.get(name)
            if value is not None and not (ASCII_DIGITS.fullmatch(value) and int(value) <= MAX_INTEGER):
                raise _refuse(name, _("must be a whole number from 0 to %(max)d.") % {"max": MAX_INTEGER})
        search = request.GET.get("search")
        if search is not None:
            if len(search) > MAX_SEARCH_LENGTH:
                raise _refuse("search", _("use at most %(limit)d characters.") % {"limit": MAX_SEARCH_LENGTH})
            if search.count('"') % 2:
                raise _refuse("search", _("a quotation mark is not closed."))
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise _refuse("search_operator", _("must be “and” or “or”."))

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            message = str(exc)
            for start, parameter in WAGTAIL_MESSAGE_PARAMETERS.items():
                if message.startswith(start):
                    exc = _refuse(parameter, message)
                    break
        return super().handle_exception(exc)

    def listing_view(self, request):
        if "search" not in request.GET:
            return super().listing_view(request)
        try:
            return super().listing_view(request)
        except DatabaseError as error:
            # The database's full-text syntax refused the text (e.g. SQLite FTS5).
            raise _refuse("search", _("the search text could not be read.")) from error


def hardened(viewset: type) -> type:
    return type(viewset.__name__, (HardenedParametersMixin, viewset), {"__module__": viewset.__module__})


api_router = WagtailAPIRouter("wagtailapi")
# The router links each object to the first registered endpoint whose model it
# is: the apps' own endpoints come before `pages`, so a case study's
# `detail_url` is under /case-studies/.
for name, viewset in api_endpoints():
    api_router.register_endpoint(name, hardened(viewset))
api_router.register_endpoint("pages", hardened(PagesAPIViewSet))
api_router.register_endpoint("images", hardened(ImagesAPIViewSet))
api_router.register_endpoint("documents", hardened(DocumentsAPIViewSet))
