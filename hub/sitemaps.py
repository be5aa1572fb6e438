from django.contrib.sitemaps import Sitemap
from wagtail.models import Page

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
