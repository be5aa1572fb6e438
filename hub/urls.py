from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.registry import url_patterns
from hub.api import api_router
from hub.media import media_serve
from hub.routing import serve as serve_page
from hub.sitemaps import PageSitemap
from hub.views import robots_txt
from search import api as search_api
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/search/", search_api.search_json, name="search_api"),
    path("api/search/suggest/", search_api.suggest_json, name="search_suggest"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    *url_patterns(i18n=False),
]

if settings.SERVE_MEDIA:
    # Images only: documents are served by Wagtail's document view above (hub/media.py).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media_serve)]

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    *url_patterns(i18n=True),
    # Wagtail's catch-all serves the page tree and must come last; hub.routing
    # serves it with the site and routed page from the cache.
    path(
        "",
        include(
            [
                *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"),
                re_path(wagtail_urls.serve_pattern, serve_page, name="wagtail_serve"),
            ]
        ),
    ),
    prefix_default_language=True,
)
