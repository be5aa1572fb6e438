"""Writes of case studies: the bulk import used by partners and by seed_demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from casestudies.imports import (
    METRICS,
    TEXT_FIELDS,
    CaseStudyRecord,
    ImportError_,
    ImportFileError,
    read_file,
    validate_records,
)
from casestudies.models import CaseStudyIndexPage, CaseStudyPage, CaseStudyRelatedPage, Material, Sector, Strategy
from casestudies.selectors import case_study_vocabulary
from core.clusters import cluster_key_field, cluster_model
from core.languages import language_codes
from core.publishing import page_indexing_deferred, page_revision_publish, pages_create_published


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def case_study_import_file(*, path: Path, dry_run: bool = False) -> ImportReport:
    """Validate a whole .json or .csv file, then import it; see `case_study_import`."""
    try:
        raw_records = read_file(path)
    except ImportFileError as error:
        return ImportReport(errors=error.errors, dry_run=dry_run)
    return case_study_import(raw_records=raw_records, dry_run=dry_run)


def case_study_import(*, raw_records: list, dry_run: bool = False) -> ImportReport:
    """Create or update published case studies, matched on `external_id`.

    Every record is validated before anything is written; on any error the
    report lists them all and the database is unchanged. Re-importing the
    same records changes nothing (no new revisions). With `dry_run`, the
    report says what would be created or updated and nothing is written.
    """
    # Errors speak the language of the person importing; the writing runs in
    # English because modeltranslation maps plain field names (title, slug) to
    # the active language and the import writes every language explicitly.
    records, errors = validate_records(raw_records, vocabulary=case_study_vocabulary())
    index = CaseStudyIndexPage.objects.first()
    if index is None:
        errors.append(ImportError_("site", "", _("no case study index page exists: create one in the admin first")))
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _import(records, errors, index=index, dry_run=dry_run)


def _import(records: list, errors: list, *, index, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    if errors:
        report.errors = errors
        return report

    existing = {
        page.external_id: page
        for page in CaseStudyPage.objects.filter(external_id__in=[record.external_id for record in records])
        .select_related("cluster", "sector")
        .prefetch_related("strategies", "materials")
    }
    lookups = _Lookups.load()
    with transaction.atomic(), page_indexing_deferred():
        sibling_slugs = _sibling_slugs(index)
        new_pages = []
        for record in records:
            page = existing.get(record.external_id)
            if page is None:
                report.created.append(record.external_id)
                new_pages.append(_new_page(record, lookups=lookups, sibling_slugs=sibling_slugs))
            elif _apply(page, record, lookups=lookups):
                report.updated.append(record.external_id)
                if not dry_run:
                    _set_relations(page, record, lookups)
                    page_revision_publish(page=page)
            else:
                report.unchanged.append(record.external_id)
        if not dry_run:
            pages_create_published(parent=index, pages=new_pages)
        if dry_run:
            transaction.set_rollback(True)
    return report


@dataclass
class _Lookups:
    clusters: dict[str, object]
    sectors: dict[str, Sector]
    strategies: dict[str, Strategy]
    materials: dict[str, Material]

    @classmethod
    def load(cls) -> _Lookups:
        return cls(
            clusters={getattr(page, cluster_key_field()): page for page in cluster_model().objects.all()},
            sectors={term.slug: term for term in Sector.objects.all()},
            strategies={term.slug: term for term in Strategy.objects.all()},
            materials={term.slug: term for term in Material.objects.all()},
        )


def _texts(record: CaseStudyRecord) -> dict[str, str]:
    """Per-language column values: each language's own texts, never another's.

    The default language's columns must be filled (Wagtail requires its title,
    the model a summary): a record that does not give the default language
    copies, whole, the first language of `LANGUAGES` it gives. A language it
    gives keeps exactly its own texts; validation has made sure each has a
    title and a summary.
    """
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    codes = language_codes()
    given = record.translations
    source = default if default in given else next(code for code in codes if code in given)
    values = {}
    for language in codes:
        texts = given.get(source if language == default else language, {})
        for text_field in TEXT_FIELDS:
            values[f"{text_field}_{language}"] = texts.get(text_field, "")
    for text_field in TEXT_FIELDS:
        # Wagtail validates the untranslated columns too; they mirror the default language.
        values[text_field] = values[f"{text_field}_{default}"]
    return values


def _original_language(record: CaseStudyRecord) -> str:
    """The record's first language with a title, the default language first; empty for the default."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    codes = sorted(language_codes(), key=lambda code: code != default)
    first = next((code for code in codes if record.translations.get(code, {}).get("title")), default)
    return "" if first == default else first


def _scalars(record: CaseStudyRecord, lookups: _Lookups) -> dict:
    values = {
        "cluster_id": lookups.clusters[record.cluster].pk,
        "country": record.country,
        "sector_id": lookups.sectors[record.sector].pk,
        "year": record.year,
        "organisation": record.organisation,
        "original_language": _original_language(record),
        "latitude": record.latitude,
        "longitude": record.longitude,
    }
    values.update({metric: record.impact.get(metric) for metric in METRICS})
    values.update(_texts(record))
    return values


def _apply(page: CaseStudyPage, record: CaseStudyRecord, *, lookups: _Lookups) -> bool:
    """Set the record's values on `page`; True when anything differs."""
    changed = False
    for attribute, value in _scalars(record, lookups).items():
        current = getattr(page, attribute)
        if attribute == "country":
            current = str(current)
        if current != value:
            setattr(page, attribute, value)
            changed = True
    if {term.slug for term in page.strategies.all()} != set(record.strategies):
        changed = True
    if {term.slug for term in page.materials.all()} != set(record.materials):
        changed = True
    return changed


def _set_relations(page: CaseStudyPage, record: CaseStudyRecord, lookups: _Lookups) -> None:
    page.strategies.set([lookups.strategies[slug] for slug in record.strategies])
    page.materials.set([lookups.materials[slug] for slug in record.materials])


def _sibling_slugs(index: CaseStudyIndexPage) -> dict[str, set[str]]:
    columns = [f"slug_{language}" for language in language_codes()]
    taken: dict[str, set[str]] = {language: set() for language in language_codes()}
    for row in index.get_children().values_list(*columns):
        for language, slug in zip(language_codes(), row, strict=True):
            if slug:
                taken[language].add(slug)
    return taken


SLUG_LENGTH = 70


def slug_cut(text: str, limit: int = SLUG_LENGTH) -> str:
    """`text` as a slug of at most `limit` characters, cut between words (a single longer word is cut)."""
    slug = slugify(text, allow_unicode=True)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[: limit + 1] else slug[:limit]
    return cut.strip("-")


def _unique_slug(base: str, fallback: str, taken: set[str]) -> str:
    slug = slug_cut(base) or slugify(fallback)
    candidate, counter = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def _new_page(record: CaseStudyRecord, *, lookups: _Lookups, sibling_slugs: dict[str, set[str]]) -> CaseStudyPage:
    page = CaseStudyPage(external_id=record.external_id, **_scalars(record, lookups))
    for language in language_codes():
        # Every language gets its own unique slug (from the default title where
        # untranslated), so no fallback slug can collide with a sibling's.
        title = getattr(page, f"title_{language}") or page.title_en
        setattr(page, f"slug_{language}", _unique_slug(title, record.external_id, sibling_slugs[language]))
    page.slug = page.slug_en
    _set_relations(page, record, lookups)
    return page


def case_study_name_page(*, external_id: str, page) -> bool:
    """Add `page` (an expert, a course) to a case study's related pages, published; False if already there or absent."""
    case_study = CaseStudyPage.objects.filter(external_id=external_id).first()
    if case_study is None or case_study.related_pages.filter(target=page).exists():
        return False
    case_study.related_pages.add(CaseStudyRelatedPage(target=page, sort_order=case_study.related_pages.count()))
    page_revision_publish(page=case_study)
    return True
