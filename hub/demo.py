"""The demo site: every page, partner, case study and picture, built idempotently.

`demo_seed()` may run any number of times: it creates what is missing and
publishes a new revision only where the content differs from the seed data,
so a second run changes nothing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from casestudies.models import CaseStudyGalleryImage, CaseStudyIndexPage, CaseStudyPage
from casestudies.services import case_study_import
from hub.imagery import PALETTES, pattern_png
from hub.languages import language_codes
from hub.models import AboutPage, ClusterPage, HomePage, Partner, StandardPage

SITE_DATA = Path(__file__).resolve().parent / "seed_data" / "site.json"
CASE_STUDIES_DATA = Path(settings.BASE_DIR) / "casestudies" / "fixtures" / "demo_case_studies.json"
DEMO_COLLECTION = "Demo pictures"
GALLERY_SIZE = 2


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def note(self, created: bool, changed: bool, label: str) -> None:
        if created:
            self.created.append(label)
        elif changed:
            self.updated.append(label)


def paragraphs(texts: list[str]) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{escape(text)}</p>"} for text in texts]


def per_language(values: dict[str, object], name: str) -> dict[str, object]:
    """`{"title_en": ..., "title_el": ...}` for the site's languages found in `values`."""
    result = {f"{name}_{code}": values[code] for code in language_codes() if code in values}
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    result[name] = values[default]
    return result


def _stream_signature(value) -> list:
    raw = value.raw_data if hasattr(value, "raw_data") else value or []
    return [(block["type"], block["value"]) for block in raw]


def _differs(current, wanted) -> bool:
    if hasattr(current, "raw_data") or isinstance(wanted, list):
        return _stream_signature(current) != _stream_signature(wanted)
    if hasattr(current, "code"):  # django-countries Country
        return current.code != wanted
    return current != wanted


def upsert_page(*, parent: Page, model: type[Page], key: str, values: dict) -> tuple[Page, bool, bool]:
    """Find `model` under `parent` by English slug `key`; create or update it.

    Returns (page, created, changed). A new revision is published only when a
    value differs, which is what makes seeding idempotent.
    """
    page = model.objects.child_of(parent).filter(slug_en=key).first()
    if page is None:
        page = model(**values)
        page.live = False
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page, True, True
    changed = False
    for attribute, value in values.items():
        if _differs(getattr(page, attribute), value):
            setattr(page, attribute, value)
            changed = True
    if changed:
        page.save_revision().publish()
    return page, False, changed


def page_values(data: dict, *, fields: dict[str, Callable | None], key: str) -> dict:
    """Translated page values from seed data; `fields` maps names to an optional transform."""
    values: dict = {}
    for name, transform in fields.items():
        translated = data[name]
        if transform:
            translated = {code: transform(text) for code, text in translated.items()}
        values.update(per_language(translated, name))
    slugs = data.get("slug", {code: key for code in language_codes()})
    values.update(per_language(slugs, "slug"))
    values["slug"] = key
    return values


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
    values = page_values(data, fields={"title": None, "hero_heading": None, "intro": None}, key="home")
    values.update({f"slug_{code}": "home" for code in language_codes()})
    home, created, changed = upsert_page(parent=root, model=HomePage, key="home", values=values)
    report.note(created, changed, "home page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
        )
    elif site.root_page_id != home.pk or site.site_name != settings.WAGTAIL_SITE_NAME:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    return home


def seed_offers(home: HomePage, site_data: dict, index: CaseStudyIndexPage, report: SeedReport) -> None:
    links = {"case-studies": index.pk}
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
    values["offers"] = values[f"offers_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"]
    changed = False
    for attribute, value in values.items():
        if _differs(getattr(home, attribute), value):
            setattr(home, attribute, value)
            changed = True
    if changed:
        home.save_revision().publish()
        report.note(False, True, "home page offers")


def seed_text_pages(home: HomePage, site_data: dict, report: SeedReport) -> CaseStudyIndexPage:
    about = site_data["about"]
    values = page_values(about, fields={"title": None, "intro": None}, key="about")
    body = {}
    # A language added to settings without seed text shows the English fallback.
    for code in (code for code in language_codes() if code in about["body"]):
        blocks = paragraphs(about["body"][code])
        blocks.append({"type": "heading", "value": _objectives_heading(code)})
        blocks.append({"type": "list", "value": [objective[code] for objective in about["objectives"]]})
        body[code] = blocks
    values.update(per_language(body, "body"))
    values["show_in_menus"] = True
    _page, created, changed = upsert_page(parent=home, model=AboutPage, key="about", values=values)
    report.note(created, changed, "about page")

    privacy = site_data["privacy"]
    values = page_values(privacy, fields={"title": None, "intro": None}, key="privacy")
    body = {}
    for code in (code for code in language_codes() if code in privacy["sections"][0]["heading"]):
        blocks = []
        for section in privacy["sections"]:
            blocks.append({"type": "heading", "value": section["heading"][code]})
            blocks.extend(paragraphs(section["body"][code]))
        body[code] = blocks
    values.update(per_language(body, "body"))
    _page, created, changed = upsert_page(parent=home, model=StandardPage, key="privacy", values=values)
    report.note(created, changed, "privacy page")

    index_data = site_data["case_studies_index"]
    values = page_values(index_data, fields={"title": None, "intro": None}, key="case-studies")
    values["show_in_menus"] = True
    index, created, changed = upsert_page(parent=home, model=CaseStudyIndexPage, key="case-studies", values=values)
    report.note(created, changed, "case study index")
    return index


def _objectives_heading(code: str) -> str:
    with translation.override(code):
        return _("Objectives")


def demo_collection() -> Collection:
    collection = Collection.objects.filter(name=DEMO_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=DEMO_COLLECTION)
    return collection


def demo_image(*, title: str, seed: str, palette: tuple[str, ...]):
    """A generated picture, stored once under `title`."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is None:
        content = pattern_png(seed=seed, palette=palette)
        image = image_model(title=title, collection=demo_collection())
        image.file = ImageFile(io.BytesIO(content), name=f"{seed}.png")
        image.save()
    return image


def seed_clusters(home: HomePage, site_data: dict, report: SeedReport) -> None:
    for data in site_data["clusters"]:
        key = data["key"]
        values = page_values(data, fields={"title": None, "tagline": None, "intro": None}, key=key)
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
        _page, created, changed = upsert_page(parent=home, model=ClusterPage, key=key, values=values)
        report.note(created, changed, f"cluster {key}")


def seed_partners(site_data: dict, report: SeedReport) -> None:
    clusters = {page.slug_en: page for page in ClusterPage.objects.all()}
    for position, data in enumerate(site_data["partners"]):
        values = {
            "acronym": data["acronym"],
            "country": data["country"],
            "is_lead": data["is_lead"],
            "cluster": clusters.get(data["cluster"]),
            "sort_order": position,
            **per_language(data["name"], "name"),
            **per_language(data["region"], "region"),
        }
        partner = Partner.objects.filter(key=data["key"]).first()
        created = partner is None
        partner = partner or Partner(key=data["key"])
        changed = created or any(_differs(getattr(partner, name), value) for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(partner, name, value)
            partner.save()
        report.note(created, changed, f"partner {data['key']}")


def seed_case_studies(report: SeedReport) -> None:
    data = json.loads(CASE_STUDIES_DATA.read_text(encoding="utf-8"))
    result = case_study_import(raw_records=data["case_studies"])
    if result.errors:
        raise ValueError("demo case studies do not validate:\n" + "\n".join(map(str, result.errors)))
    report.created.extend(f"case study {key}" for key in result.created)
    report.updated.extend(f"case study {key}" for key in result.updated)
    imported = result.created + result.updated + result.unchanged
    for page in CaseStudyPage.objects.filter(external_id__in=imported).select_related("cluster"):
        _seed_gallery(page, report)


def _seed_gallery(page: CaseStudyPage, report: SeedReport) -> None:
    if page.gallery_images.exists():
        return
    palette = PALETTES.get(page.cluster.slug_en, PALETTES["athens"])
    for number in range(1, GALLERY_SIZE + 1):
        image = demo_image(
            title=f"Case study {page.external_id} ({number})", seed=f"{page.external_id}-{number}", palette=palette
        )
        alt = {}
        for code in language_codes():
            with translation.override(code):
                title = getattr(page, f"title_{code}") or page.title_en
                alt[code] = _("Illustrative pattern in the colours of the case study “%(title)s”") % {"title": title}
        CaseStudyGalleryImage.objects.create(page=page, image=image, sort_order=number, **per_language(alt, "alt_text"))
    report.created.append(f"gallery {page.external_id}")


def seed_users(report: SeedReport) -> None:
    user_model = get_user_model()
    username = settings.DEMO_ADMIN_USERNAME
    if not user_model.objects.filter(username=username).exists():
        user_model.objects.create_superuser(username, f"{username}@example.org", settings.DEMO_ADMIN_PASSWORD)
        report.created.append(f"user {username}")
    report.logins.append(("admin", username, settings.DEMO_ADMIN_PASSWORD))


def demo_seed() -> SeedReport:
    """Build or refresh the whole demo site; safe to run repeatedly."""
    report = SeedReport()
    site_data = json.loads(SITE_DATA.read_text(encoding="utf-8"))
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        home = seed_home(site_data, report)
        index = seed_text_pages(home, site_data, report)
        seed_offers(home, site_data, index, report)
        seed_clusters(home, site_data, report)
        seed_partners(site_data, report)
        seed_case_studies(report)
        seed_users(report)
    return report
