"""The case studies' demo seed step: the index page, 18 case studies in four languages, their pictures."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casestudies.models import CaseStudyGalleryImage, CaseStudyIndexPage, CaseStudyPage
from casestudies.services import case_study_import
from core.imagery import PALETTES
from core.languages import language_codes
from core.seeding import SeedReport, demo_image, page_seed, page_values, per_language

SEED_DATA = Path(__file__).resolve().parent / "seed_data"
CASE_STUDIES_DATA = Path(__file__).resolve().parent / "fixtures" / "demo_case_studies.json"
GALLERY_SIZE = 2


def seed_case_study_index(*, home, report: SeedReport) -> CaseStudyIndexPage:
    """The case-study index under `home`, created if missing."""
    data = json.loads((SEED_DATA / "index.json").read_text(encoding="utf-8"))
    values = page_values(data, fields=("title", "intro"), key="case-studies")
    values["show_in_menus"] = True
    index, created = page_seed(parent=home, model=CaseStudyIndexPage, key="case-studies", values=values)
    report.note(created, "case study index")
    return index


def seed_case_studies(*, home, report: SeedReport) -> None:
    """Create the case-study index and whichever demo case studies are missing (matched on external_id)."""
    seed_case_study_index(home=home, report=report)
    records = json.loads(CASE_STUDIES_DATA.read_text(encoding="utf-8"))["case_studies"]
    existing = set(CaseStudyPage.objects.values_list("external_id", flat=True))
    missing = [record for record in records if record.get("external_id") not in existing]
    if not missing:
        return
    result = case_study_import(raw_records=missing)
    if result.errors:
        raise ValueError("demo case studies do not validate:\n" + "\n".join(map(str, result.errors)))
    report.created.extend(f"case study {key}" for key in result.created)
    _seed_publication_dates(records, created=set(result.created))
    for page in CaseStudyPage.objects.filter(external_id__in=result.created).select_related("cluster"):
        _seed_gallery(page, report)


def _seed_publication_dates(records: list[dict], *, created: set[str]) -> None:
    """Give each case study created now its own plausible first publication, within the year after its case.

    An import publishes everything at one instant, which made every entry of
    the Atom feed share the seed time. Only pages created by this run are
    dated, so an existing site keeps its real history.
    """
    now = timezone.now()
    for position, record in enumerate(records):
        if record["external_id"] not in created:
            continue
        published = datetime.datetime(int(record["year"]) + 1, 1, 20, 9, 30, tzinfo=datetime.UTC)
        published += datetime.timedelta(days=(position * 47) % 320, hours=position % 7, minutes=position * 11 % 60)
        published = min(published, now - datetime.timedelta(days=len(records) - position))
        CaseStudyPage.objects.filter(external_id=record["external_id"]).update(
            first_published_at=published, last_published_at=published
        )


def _seed_gallery(page: CaseStudyPage, report: SeedReport) -> None:
    palette = PALETTES.get(page.cluster.key, PALETTES["athens"])
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
