"""Reads shared by every page: the site chrome (navigation, footer links, partners).

It changes rarely and is needed on every request, so it is cached until
public content next changes (`core.freshness`: publishing, moving or deleting a
page, saving a partner, site or view restriction).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from wagtail.models import Page, Site

from core.fallback import language_attributes
from core.freshness import cached_until_content_changes
from core.sites import site_for_request
from core.visibility import visible


@dataclass(frozen=True)
class ChromeLink:
    page_id: int
    path: str
    depth: int
    title: str
    url: str
    # ` lang="en" dir="ltr"` when the title falls back to another language (core.fallback), else "".
    title_language: str = ""


@dataclass(frozen=True)
class ChromePartner:
    acronym: str
    name: str
    country: str
    website: str
    logo_url: str
    logo_width: int
    logo_height: int
    cluster_id: int | None
    is_lead: bool


@dataclass(frozen=True)
class SiteChrome:
    home_url: str
    navigation: tuple[ChromeLink, ...]
    footer_links: tuple[ChromeLink, ...]
    partners: tuple[ChromePartner, ...]


def site_chrome(*, request) -> SiteChrome:
    """Navigation, footer links and partners for the request's site and language.

    Navigation is the site root's live children marked "show in menus"; footer
    links are its live text pages kept out of the menu (privacy, legal).
    """
    if hasattr(request, "_hub_site_chrome"):
        return request._hub_site_chrome
    site = site_for_request(request)
    if site is None:
        return SiteChrome("/", (), (), ())
    chrome = cached_until_content_changes(f"chrome:{site.pk}:{get_language()}", lambda: _build_chrome(site, request))
    request._hub_site_chrome = chrome
    return chrome


def _build_chrome(site: Site, request) -> SiteChrome:
    from django.contrib.contenttypes.models import ContentType

    from hub.models import Partner, StandardPage

    standard_type = ContentType.objects.get_for_model(StandardPage)
    navigation, footer_links = [], []
    root_page = Page.objects.get(pk=site.root_page_id)
    for page in visible(root_page.get_children()).order_by("path"):
        link = ChromeLink(
            page.pk,
            page.path,
            page.depth,
            page.title,
            page.get_url(request=request),
            title_language=str(language_attributes(page, "title")),
        )
        if page.show_in_menus:
            navigation.append(link)
        elif page.content_type_id == standard_type.pk:
            footer_links.append(link)
    partners = []
    for partner in Partner.objects.select_related("logo").order_by("-is_lead", "sort_order"):
        logo = partner.logo.get_rendition("max-160x64|format-webp") if partner.logo else None
        partners.append(
            ChromePartner(
                acronym=partner.acronym,
                name=partner.name,
                country=partner.country.code,
                website=partner.website,
                logo_url=logo.url if logo else "",
                logo_width=logo.width if logo else 0,
                logo_height=logo.height if logo else 0,
                cluster_id=partner.cluster_id,
                is_lead=partner.is_lead,
            )
        )
    home_url = root_page.get_url(request=request) or "/"
    return SiteChrome(home_url, tuple(navigation), tuple(footer_links), tuple(partners))
