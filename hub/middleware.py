"""The site's middleware: Content-Security-Policy, gzip, and the anonymous page cache.

Content-Security-Policy on every response (django-csp), strict on the public site.

The public site (`CONTENT_SECURITY_POLICY`) loads scripts and styles from its
own origin only: no `'unsafe-inline'`, no inline `style` attributes. JSON-LD
(`<script type="application/ld+json">`) is a data block, which browsers never
execute, so `script-src` does not block it.

The Wagtail and Django admins (`HUB_ADMIN_CONTENT_SECURITY_POLICY`) run their
own inline scripts and styles; they get a policy that forbids plugins, foreign
framing, `<base>` rewriting and foreign form targets, and leaves scripts to the
admin's own code (which only editors reach).
"""

import gzip
import hashlib
import logging
import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.freshness import content_version, one_content_version

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class HubCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = settings.HUB_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


# --- Anonymous page cache and compression (issue 13) -----------------------

logger = logging.getLogger(__name__)

# Bodies worth compressing; images, fonts, PDFs and archives are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "image/svg+xml")
# Responses the page cache keeps: pages, API answers, the sitemap.
CACHEABLE_TYPES = ("text/html", "application/json", "application/xml")
CACHEABLE_STATUSES = (200, 404)
# A response that varies on anything else is not shared between visitors.
# Accept-Language: the key holds the language LocaleMiddleware picks; Cookie:
# hits only go to requests without a session or messages cookie.
SHAREABLE_VARY = {"accept-language", "cookie", "accept-encoding"}
API_VARY = SHAREABLE_VARY | {"accept"}
PRIVATE_CACHE_CONTROL = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
MESSAGES_COOKIE = "messages"


def compressible(response) -> bool:
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES) or content_type.endswith("+json")


class HubGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text and JSON only (its random gzip filename guards against BREACH).

    Responses the page cache serves come compressed already (Content-Encoding
    set), so this only compresses what the page cache passed by.
    """

    def process_response(self, request, response):
        if not compressible(response):
            return response
        return super().process_response(request, response)


class PageCacheMiddleware:
    """Whole responses for anonymous visitors, served before sessions, auth or Wagtail are touched.

    A hit costs two cache reads (`content_version()` and the entry) and no SQL;
    the request reads the version only once (`core.freshness.one_content_version`).
    Placed after SecurityMiddleware and the CSP middleware (they add their
    headers to hits too), before SessionMiddleware.

    Bypassed, never looked up or stored: methods other than GET and HEAD, a
    request with a session or messages cookie or an Authorization header.
    Stored only from GET: status 200 or 404, an HTML, JSON or XML body, no
    cookie set (a page that used the CSRF token sets the CSRF cookie, so every
    page with a POST form bypasses), no `Cache-Control` private, no-store or
    no-cache, no Vary beyond Accept-Language and Cookie (and Accept outside
    the language prefixes), not a preview, no CSP nonce used, an anonymous user.

    The key: `content_version()` (bumped whenever anything public is published,
    unpublished, moved or deleted, or a snippet, image, document, site or view
    restriction is saved), scheme, host, the language LocaleMiddleware would
    activate (the URL prefix, or for unprefixed URLs the cookie or
    Accept-Language), the full path with its query string, for unprefixed URLs
    (the APIs) the Accept header, and the encoding.
    Each entry is kept per encoding the visitors asked for, as is or gzipped
    (compressed once: the first gzip request for a page stored as is converts
    that copy, and the other way round).
    `PAGE_CACHE=false` switches it off; `PAGE_CACHE_SECONDS` bounds staleness
    from changes no signal reports.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # One read of the content version serves the key and every content cache the page uses.
        with one_content_version():
            return self._serve(request)

    def _serve(self, request):
        if not settings.PAGE_CACHE or not self._may_use_cache(request):
            return self.get_response(request)
        encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
        other = "identity" if encoding == "gzip" else "gzip"
        try:
            key = self._key(request)
            found = cache.get_many([f"{key}:{encoding}", f"{key}:{other}"])
        except Exception:  # a cache outage slows the site down, it does not take it down
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if f"{key}:{encoding}" in found:
            return self._response(request, found[f"{key}:{encoding}"], "hit")
        if f"{key}:{other}" in found:
            # Stored for the other encoding only: convert it once and keep that too.
            entry = self._converted(found[f"{key}:{other}"], encoding)
            self._store({f"{key}:{encoding}": entry})
            return self._response(request, entry, "hit")
        response = self.get_response(request)
        if request.method != "GET" or not self._may_store(request, response):
            return response
        entry = (response.status_code, self._stored_headers(response), response.content)
        if encoding == "gzip":
            entry = self._gzipped(entry)
        self._store({f"{key}:{encoding}": entry})
        # The rendered response itself goes out (tests read its context), with the stored body.
        if entry[2] is not response.content:
            response.content = entry[2]
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Content-Length"] = str(len(response.content))
        response.headers["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _store(entries: dict) -> None:
        try:
            cache.set_many(entries, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)

    @staticmethod
    def _may_use_cache(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def _key(request) -> str:
        # The version read before rendering: a page rendered while content
        # changes is stored under the old version, never served as the new one.
        language = translation.get_language_from_request(request, check_path=True)
        parts = [request.scheme, request.get_host(), language, request.get_full_path()]
        if not translation.get_language_from_path(request.path_info):
            # Outside the language prefixes live the APIs, which negotiate JSON or HTML.
            parts.append(request.META.get("HTTP_ACCEPT", ""))
        place = "\n".join(parts)
        digest = hashlib.sha256(place.encode("utf-8", "surrogateescape")).hexdigest()
        return f"hub:page:{content_version()}:{digest}"

    @staticmethod
    def _may_store(request, response) -> bool:
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        user = getattr(request, "user", None)
        vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
        return (
            response.status_code in CACHEABLE_STATUSES
            and not response.streaming
            and content_type in CACHEABLE_TYPES
            and not response.cookies
            and not response.has_header("Content-Encoding")
            and not PRIVATE_CACHE_CONTROL.search(response.get("Cache-Control", ""))
            and vary <= (SHAREABLE_VARY if translation.get_language_from_path(request.path_info) else API_VARY)
            and not getattr(request, "is_preview", False)
            # django-csp: a nonce in the body must match the header of its own request.
            and getattr(request, "_csp_nonce", None) is None
            and not (user is not None and user.is_authenticated)
        )

    @staticmethod
    def _stored_headers(response) -> list[tuple[str, str]]:
        patch_vary_headers(response, ("Accept-Encoding",))
        return [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]

    @classmethod
    def _converted(cls, entry: tuple, encoding: str) -> tuple:
        """A stored entry in the other encoding: gzipped, or (rarely: a client that refuses gzip) unzipped."""
        status, headers, body = entry
        if encoding == "gzip":
            return cls._gzipped(entry)
        if not any(name.lower() == "content-encoding" for name, _value in headers):
            return entry
        plain_headers = [(name, value) for name, value in headers if name.lower() != "content-encoding"]
        return status, plain_headers, gzip.decompress(body)

    @staticmethod
    def _gzipped(identity: tuple) -> tuple:
        status, headers, body = identity
        compressed = gzip.compress(body, compresslevel=6, mtime=0)
        if len(compressed) >= len(body):
            return identity
        return status, [*headers, ("Content-Encoding", "gzip")], compressed

    @staticmethod
    def _response(request, entry: tuple, outcome: str) -> HttpResponse:
        status, headers, body = entry
        # HEAD: the headers of the stored GET, its length included, and no body.
        response = HttpResponse(b"" if request.method == "HEAD" else body, status=status, headers=headers)
        response.headers["Content-Length"] = str(len(body))
        response.headers["X-Page-Cache"] = outcome
        return response
