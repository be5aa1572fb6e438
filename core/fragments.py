"""The rendered main content of a public page, cached for anonymous visitors until public content changes.

An anonymous visitor's `{% block content %}` depends on the page, the
language, the template and public content only (plus, for pages that read it,
the query string), so `HubPage.serve` renders it once per content version and
then skips the page's `get_context` queries: only the site chrome around it
(header, language switcher with the visitor's own query string, footer) is
rendered per request. Logged-in visitors, previews, POSTs and requests with
pending messages always render in full, and so does content that holds a
form's CSRF token (public pages show anonymous visitors links, not POST forms).

base.html wraps its content block in `{% content_fragment %}` (hub_tags), which
stores the fragment on a miss and outputs it on a hit.
"""

from __future__ import annotations

import hashlib

from django.contrib.messages import get_messages
from django.utils.translation import get_language

from core.freshness import content_cache_get, content_cache_set

# Context names shared by HubPage.serve and the {% content_fragment %} tag.
FRAGMENT_KEY = "content_fragment_key"
FRAGMENT_HTML = "content_fragment"
FRAGMENT_EXTRAS = "content_fragment_extras"
CSRF_FIELD = 'name="csrfmiddlewaretoken"'


def fragment_key(page, request, template_name: str) -> str | None:
    """The cache key of `page`'s main content for this request, or None when it must be rendered in full."""
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False):
        return None
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return None
    if len(get_messages(request)):  # shown inside some pages' content; counting does not consume them
        return None
    names = page.fragment_query_params()
    pairs = sorted(
        (name, value) for name, values in request.GET.lists() if names is None or name in names for value in values
    )
    # The path too: an untranslated slug can reach the same page by another address.
    address = hashlib.blake2b(repr((request.path, pairs)).encode(), digest_size=12).hexdigest()
    return f"fragment:{page.pk}:{get_language()}:{request.scheme}://{request.get_host()}:{template_name}:{address}"


def fragment_get(key: str) -> dict | None:
    return content_cache_get(key)


def fragment_store(key: str, html: str, context) -> None:
    """Remember `html` (and the page's extra context values) under `key`; never a form's CSRF token."""
    if CSRF_FIELD in html:
        return
    extras = {name: context.get(name) for name in context.get(FRAGMENT_EXTRAS, ())}
    content_cache_set(key, {"html": html, "extras": extras})
