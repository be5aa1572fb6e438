"""Template tags for the site chrome: navigation, language alternates, numbers."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.formats import number_format
from wagtail.models import Page

from core.fragments import FRAGMENT_HTML, FRAGMENT_KEY, fragment_html, fragment_store

register = template.Library()


class ContentFragmentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        cached = context.get(FRAGMENT_HTML)
        if cached is not None:
            return fragment_html(cached, context)
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
    alternates = []
    for code, _name in settings.LANGUAGES:
        if page is not None and page.pk:
            with translation.override(code):
                url = page.get_url(request=request) or "/"
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
    if value in (None, ""):
        return ""
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def in_section(page, link) -> bool:
    """True when `page` lies below the navigation link's page in the tree."""
    return isinstance(page, Page) and page.path.startswith(link.path) and page.depth > link.depth


@register.simple_tag
def map_pins(places) -> list[dict]:
    """Pins with label positions for `components/med_map.html`."""
    from hub.maps import map_pins as pins

    return pins(places)
