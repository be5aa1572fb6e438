"""Wagtail's page serving, with the site and the routed page from the cache.

Finding the site costs a query per request and routing a URL two or three
more (the site's root page, the page, its specific row); both change only when
a site, a page's slug or place, or its published content changes, which bumps
`core.freshness.content_version()`. So the site per host and port, and the live
page per site, language and path (or the absence of one: a 404), are cached
until then; each request unpickles its own copy of the page. Everything else (view restrictions, the
before_serve_page hooks, the page's own serve) runs as in Wagtail.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from core.freshness import content_cache_get, content_cache_set
from core.pages import HubPage
from core.sites import site_for_request


def route_for_request(request, path: str) -> None:
    """Fill Wagtail's per-request route cache from ours, or route as Wagtail does and remember a plain page."""
    if hasattr(request, "_wagtail_route_for_request"):
        return
    site = site_for_request(request)
    if site is None:
        return
    digest = hashlib.blake2b(path.encode(), digest_size=12).hexdigest()
    key = f"route:{site.pk}:{get_language()}:{digest}"
    page = content_cache_get(key)
    if page is not None:
        # False: no live page has this address (Wagtail's route answered 404).
        request._wagtail_route_for_request = RouteResult(page) if page else None
        return
    result = Page.route_for_request(request, path)
    if result is None:
        content_cache_set(key, False)
    # Only a hub page served whole (no sub-route arguments) is stored.
    elif isinstance(result[0], HubPage) and not result[1] and not result[2]:
        content_cache_set(key, result[0])


def serve(request, path):
    route_for_request(request, path)
    return wagtail_views.serve(request, path)
