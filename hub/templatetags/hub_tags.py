"""Template tags for the site chrome: navigation, language alternates, numbers."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from core.countries import country_name as country_name_in_language
from core.formatting import list_display, number_display, quantity_display, unit_name, unit_symbol
from core.formatting import list_separator as list_separator_in_language
from core.fragments import FRAGMENT_HTML, FRAGMENT_KEY, fragment_store
from core.freshness import cached_until_content_changes
from core.languages import open_graph_locale as open_graph_locale_of
from hub import maps

register = template.Library()


class ContentFragmentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        cached = context.get(FRAGMENT_HTML)
        if cached is not None:
            return cached
        html = self.nodelist.render(context)
        key = context.get(FRAGMENT_KEY)
        if key:
            fragment_store(key, html, context)
        return html


@register.tag
def content_fragment(parser, token):
    """`{% content_fragment %}…{% endcontent_fragment %}`: the page's main content, cached by core.fragments."""
    nodelist = parser.parse(("endcontent_fragment",))
    parser.delete_first_token()
    return ContentFragmentNode(nodelist)


def _current_page(context) -> Page | None:
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in every site language, for the switcher and hreflang.

    Wagtail pages resolve through their translated slugs; other views through
    Django's `translate_url`, which keeps the query string. `switch_url` is
    where the switcher goes: the same address with the visitor's filters,
    search and page number kept.
    """
    request = context.get("request")
    if request is None:
        return []
    page = _current_page(context)
    current = translation.get_language()
    query_string = request.META.get("QUERY_STRING", "")
    page_urls = _page_urls(page, request) if page is not None and page.pk else None
    alternates = []
    for code, _name in settings.LANGUAGES:
        if page_urls is not None:
            url = page_urls[code]
            switch_url = f"{url}?{query_string}" if query_string else url
        else:
            # translate_url resolves in the active language, so call it outside override().
            url = switch_url = translate_url(request.get_full_path(), code)
        info = translation.get_language_info(code)
        alternates.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "switch_url": switch_url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return alternates


def _page_urls(page: Page, request) -> dict[str, str]:
    """`page`'s URL in each site language; for a live page, cached per host until public content changes."""

    def build():
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = page.get_url(request=request) or "/"
        return urls

    if getattr(request, "is_preview", False) or not page.live:
        return build()
    return cached_until_content_changes(f"page-urls:{page.pk}:{request.get_host()}", build)


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Navigation, footer links and partners, cached per site and language."""
    from hub.selectors import SiteChrome
    from hub.selectors import site_chrome as chrome_for

    request = context.get("request")
    return chrome_for(request=request) if request else SiteChrome("/", (), (), ())


@register.filter
def number(value) -> str:
    """A whole number with the active language's thousands separator."""
    return number_display(value)


@register.filter
def quantity(value, unit: str) -> str:
    """`{{ amount|quantity:"kg" }}`: the grouped number and the unit's symbol in the active language."""
    return quantity_display(value, unit)


@register.filter
def unit(value: str) -> str:
    """`{{ "kg"|unit }}`: a unit's symbol in the active language."""
    return unit_symbol(value)


@register.filter
def unit_title(value: str) -> str:
    """`{{ "kg"|unit_title }}`: the unit spelled out, for `<abbr title>`."""
    return unit_name(value)


@register.filter
def list_join(items) -> str:
    """`{{ names|list_join }}`: items joined as the active language joins a list ("، " in Arabic)."""
    return list_display(items)


@register.simple_tag
def list_of(*items) -> str:
    """`{% list_of city country %}`: a short list ("Prato, Italy", "براتو، إيطاليا"); empty items left out."""
    return list_display(items)


@register.simple_tag
def list_separator() -> str:
    """The separator between two list items, for lists whose items are links."""
    return list_separator_in_language()


@register.filter
def country_name(country) -> str:
    """`{{ page.country|country_name }}`: the country's name in the active language (core.countries)."""
    return country_name_in_language(country)


@register.filter
def open_graph_locale(code: str) -> str:
    """`{{ LANGUAGE_CODE|open_graph_locale }}`: "el" gives "el_GR" (core.languages)."""
    return open_graph_locale_of(code)


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """`url` with the scheme and host of the current request, for link previews and feeds."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.simple_tag(takes_context=True)
def social_preview(context, page) -> dict | None:
    """The link-preview picture of `page` (a 1200x630 JPEG: url, width, height), or None.

    Cached until content changes, so a page served from core.fragments still
    makes no query for its head.
    """
    social_image = getattr(page, "social_image", None)
    if social_image is None:
        return None

    def build() -> dict | None:
        image = social_image()
        if image is None:
            return None
        # JPEG, not the site's WebP: every link-preview reader takes it.
        rendition = image.get_rendition("fill-1200x630|format-jpeg")
        return {"url": rendition.url, "width": rendition.width, "height": rendition.height}

    request = context.get("request")
    if page.pk is None or getattr(request, "is_preview", False):
        return build()
    return cached_until_content_changes(f"social-preview:{page.pk}", build)


@register.filter
def in_section(page, link) -> bool:
    """True when `page` lies below the navigation link's page in the tree."""
    return isinstance(page, Page) and page.path.startswith(link.path) and page.depth > link.depth


@register.simple_tag
def map_pins(places) -> dict:
    """Pins, their tap targets and label positions for `components/med_map.html` (see hub.maps)."""
    return maps.map_pins(places)
