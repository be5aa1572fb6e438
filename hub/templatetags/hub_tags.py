"""Template tags for the site chrome: navigation, language alternates, numbers."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.formats import number_format
from wagtail.models import Page, Site

register = template.Library()


def _current_page(context) -> Page | None:
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in every site language, for the switcher and hreflang.

    Wagtail pages resolve through their translated slugs; other views through
    Django's `translate_url`, which keeps the query string.
    """
    request = context.get("request")
    if request is None:
        return []
    page = _current_page(context)
    current = translation.get_language()
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if page is not None and page.pk:
                url = page.get_url(request=request) or "/"
            else:
                url = translate_url(request.get_full_path(), code)
        info = translation.get_language_info(code)
        alternates.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return alternates


@register.simple_tag(takes_context=True)
def main_navigation(context) -> list[Page]:
    """Live pages under the site root that editors marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().specific().order_by("path"))


@register.simple_tag(takes_context=True)
def site_root(context) -> Page | None:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.filter
def number(value) -> str:
    """A whole number with the active language's thousands separator."""
    if value in (None, ""):
        return ""
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def in_section(page, section: Page) -> bool:
    """True when `page` lies below `section` in the page tree."""
    return isinstance(page, Page) and page.path.startswith(section.path) and page.depth > section.depth


@register.simple_tag
def footer_partners() -> list:
    from hub.models import Partner

    return list(Partner.objects.select_related("logo").order_by("-is_lead", "sort_order"))


@register.simple_tag(takes_context=True)
def footer_pages(context) -> list[Page]:
    """Live text pages under the site root kept out of the main menu (privacy, legal)."""
    from hub.models import StandardPage

    home = site_root(context)
    if home is None:
        return []
    return list(StandardPage.objects.live().child_of(home).filter(show_in_menus=False).order_by("path"))


@register.simple_tag
def map_pins(places) -> list[dict]:
    """Pins with label positions for `components/med_map.html`."""
    from hub.maps import map_pins as pins

    return pins(places)
