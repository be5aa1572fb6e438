"""The demo site, built by `manage.py seed_demo`: the site layer's pages, then every app's seed step.

Seeding creates what is missing and leaves what exists alone (see
core.seeding), so it runs on every `make run` without undoing an editor's
changes. Apps add their own content through the `hub_seed_steps` hook.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from core.imagery import PALETTES
from core.languages import default_language, language_codes
from core.registry import seed_steps
from core.seeding import SeedReport, demo_image, page_seed, page_values, paragraphs, per_language
from hub.models import AboutPage, ClusterPage, HomePage, Partner, StandardPage

SITE_DATA = Path(__file__).resolve().parent / "seed_data" / "site.json"


def seed_home(site_data: dict, report: SeedReport) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's first migration leaves a plain "Welcome" page where the home page goes.
        for placeholder in root.get_children().filter(
            content_type__model="page", content_type__app_label="wagtailcore"
        ):
            placeholder.delete()
        data = site_data["home"]
        values = page_values(data, fields=("title", "hero_heading", "intro"), key="home")
        values.update({f"slug_{code}": "home" for code in language_codes()})
        home, created = page_seed(parent=root, model=HomePage, key="home", values=values)
        report.note(created, "home page")
    if not Site.objects.filter(is_default_site=True).exists():
        # The public address (SITE_URL) names the site, so API and admin links point where it is served.
        address = urlsplit(settings.SITE_URL)
        Site.objects.create(
            hostname=address.hostname or "localhost",
            port=address.port or (443 if address.scheme == "https" else 80),
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    return home


def seed_offers(home: HomePage, site_data: dict, report: SeedReport) -> None:
    """The home page's offer cards, once: each links the page under home whose slug is the offer's key."""
    if home.offers:
        return
    keys = [offer["key"] for offer in site_data["home"]["offers"]]
    links = dict(
        Page.objects.child_of(home)
        .filter(**{f"slug_{default_language()}__in": keys})
        .values_list(f"slug_{default_language()}", "pk")
    )
    values = {}
    for code in language_codes():
        values[f"offers_{code}"] = [
            {
                "type": "offer",
                "value": {
                    "heading": offer["heading"][code],
                    "text": offer["text"][code],
                    "link": links.get(offer["key"]),
                },
            }
            for offer in site_data["home"]["offers"]
            if code in offer["heading"]
        ]
    values["offers"] = values[f"offers_{default_language()}"]
    for attribute, value in values.items():
        setattr(home, attribute, value)
    home.save_revision().publish()
    report.note(True, "home page offers")


def seed_text_pages(home: HomePage, site_data: dict, report: SeedReport) -> None:
    about = site_data["about"]
    values = page_values(about, fields=("title", "intro"), key="about")
    body = {}
    # A language added to settings without seed text shows the English fallback.
    for code in (code for code in language_codes() if code in about["body"]):
        blocks = paragraphs(about["body"][code])
        blocks.append({"type": "heading", "value": _objectives_heading(code)})
        blocks.append({"type": "list", "value": [objective[code] for objective in about["objectives"]]})
        body[code] = blocks
    values.update(per_language(body, "body"))
    values["show_in_menus"] = True
    _page, created = page_seed(parent=home, model=AboutPage, key="about", values=values)
    report.note(created, "about page")

    privacy = site_data["privacy"]
    values = page_values(privacy, fields=("title", "intro"), key="privacy")
    body = {}
    for code in (code for code in language_codes() if code in privacy["sections"][0]["heading"]):
        blocks = []
        for section in privacy["sections"]:
            blocks.append({"type": "heading", "value": section["heading"][code]})
            blocks.extend(paragraphs(section["body"][code]))
        body[code] = blocks
    values.update(per_language(body, "body"))
    _page, created = page_seed(parent=home, model=StandardPage, key="privacy", values=values)
    report.note(created, "privacy page")


def _objectives_heading(code: str) -> str:
    with translation.override(code):
        return _("Objectives")


def seed_clusters(home: HomePage, site_data: dict, report: SeedReport) -> None:
    for data in site_data["clusters"]:
        key = data["key"]
        if ClusterPage.objects.child_of(home).filter(**{f"slug_{default_language()}": key}).exists():
            continue
        values = page_values(data, fields=("title", "tagline", "intro"), key=key)
        values.update({f"slug_{code}": key for code in language_codes()})
        values.update(per_language({code: paragraphs(texts) for code, texts in data["body"].items()}, "body"))
        values.update(
            {
                "country": data["country"],
                "latitude": data["lat"],
                "longitude": data["lon"],
                "image": demo_image(title=f"Cluster: {key}", seed=f"cluster-{key}", palette=PALETTES[key]),
            }
        )
        _page, created = page_seed(parent=home, model=ClusterPage, key=key, values=values)
        report.note(created, f"cluster {key}")


def seed_partners(site_data: dict, report: SeedReport) -> None:
    clusters = {page.key: page for page in ClusterPage.objects.all()}
    existing = set(Partner.objects.values_list("key", flat=True))
    for position, data in enumerate(site_data["partners"]):
        if data["key"] in existing:
            continue
        Partner.objects.create(
            key=data["key"],
            acronym=data["acronym"],
            country=data["country"],
            is_lead=data["is_lead"],
            cluster=clusters.get(data["cluster"]),
            sort_order=position,
            **per_language(data["name"], "name"),
            **per_language(data["region"], "region"),
        )
        report.note(True, f"partner {data['key']}")


def seed_users(report: SeedReport) -> None:
    user_model = get_user_model()
    username = settings.DEMO_ADMIN_USERNAME
    if not user_model.objects.filter(username=username).exists():
        user_model.objects.create_superuser(username, f"{username}@example.org", settings.DEMO_ADMIN_PASSWORD)
        report.created.append(f"user {username}")
    report.logins.insert(0, ("admin", username, settings.DEMO_ADMIN_PASSWORD))


def demo_seed() -> SeedReport:
    """Create whatever of the demo site is missing; safe to run repeatedly, never overwrites."""
    report = SeedReport()
    site_data = json.loads(SITE_DATA.read_text(encoding="utf-8"))
    with translation.override(default_language()), transaction.atomic():
        home = seed_home(site_data, report)
        seed_text_pages(home, site_data, report)
        seed_clusters(home, site_data, report)
        seed_partners(site_data, report)
        for step in seed_steps():
            step(home=home, report=report)
        seed_offers(home, site_data, report)
        seed_users(report)
    return report
