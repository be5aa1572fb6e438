"""The request's Wagtail site, looked up once per host and port until public content changes.

`Site.find_for_request` costs a query on every request; sites change rarely and
saving one bumps `core.freshness.content_version()`. Setting Wagtail's own
per-request attribute makes every later `Site.find_for_request` (page URLs,
the site chrome) use this one.
"""

from __future__ import annotations

from django.http.request import split_domain_port
from wagtail.models import Site

from core.freshness import cached_until_content_changes


def site_for_request(request) -> Site | None:
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = cached_until_content_changes(
            f"site:{hostname}:{port}", lambda: Site._find_for_request(request)
        )
    return request._wagtail_site
