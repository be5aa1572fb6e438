from django.contrib.sitemaps import Sitemap
from wagtail.models import Page

from core.languages import default_language
from core.visibility import visible


class PageSitemap(Sitemap):
    """Every live public page in every language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return visible(Page.objects.filter(depth__gt=1)).order_by("path")

    def location(self, page):
        # Django's i18n sitemap activates each language before asking; the
        # page's translated url_path then gives that language's address.
        return page.get_url()

    def lastmod(self, page):
        return page.last_published_at

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's URLs, with x-default pointing where the pages' own x-default link points.

        Django strips the language prefix for x-default, and unprefixed page
        addresses 404 here (every language is prefixed): use the default
        language's address, as the pages' `<link hreflang="x-default">` does.
        """
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alternate["lang_code"]: alternate["location"] for alternate in url["alternates"]}
            for alternate in url["alternates"]:
                if alternate["lang_code"] == "x-default" and default_language() in by_language:
                    alternate["location"] = by_language[default_language()]
        return urls
