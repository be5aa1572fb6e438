"""Reads of case studies: faceted browsing, latest, per cluster, related.

Facet counts are computed in Python from three compact queries (one row per
case study, its strategy and material links, and the labels of every term),
so an index page costs the same handful of queries whatever it lists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import F, Prefetch, TextField, Value, prefetch_related_objects
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casestudies.imports import Vocabulary
from casestudies.models import (
    IMPACT_METRICS,
    MATERIAL_FACET,
    SECTOR_FACET,
    STRATEGY_FACET,
    CaseStudyDocument,
    CaseStudyGalleryImage,
    CaseStudyIndexPage,
    CaseStudyPage,
    CaseStudyRelatedPage,
    Material,
    Sector,
    Strategy,
)
from core.browse import Facet, FacetValue, selection_matches, selection_toggled
from core.clusters import cluster_key_field, cluster_keys, cluster_model
from core.countries import country_name
from core.searchable import SearchFacet

PAGE_SIZE = 12
# The taxonomy facets, for other apps' page types to declare as their own: one
# shared declaration is counted and labelled once by search.
SHARED_FACETS = {"sector": SECTOR_FACET, "strategy": STRATEGY_FACET, "material": MATERIAL_FACET}

FACETS: dict[str, str] = {
    "cluster": _("City cluster"),
    "country": _("Country"),
    "sector": _("Creative sector"),
    "strategy": _("10R strategy"),
    "material": _("Material"),
    "year": _("Year"),
}
MULTI_VALUED = ("strategy", "material")

SORTS: dict[str, str] = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "title": _("Title (A–Z)"),
    "impact": _("Most waste diverted"),
}
# Every query parameter case_study_browse reads (core.fragments keys the index on these alone).
BROWSE_PARAMS = (*FACETS, "sort", "page")
DEFAULT_SORT = "newest"


def translated(field_name: str, language: str | None = None):
    """An expression for `field_name` in `language`, falling back to English."""
    language = language or get_language() or "en"
    if language == "en":
        return F(f"{field_name}_en")
    return Coalesce(NullIf(F(f"{field_name}_{language}"), Value("")), F(f"{field_name}_en"), output_field=TextField())


def case_study_queryset(user=None):
    """Live case studies that `user` may see (default: an anonymous visitor)."""
    return CaseStudyPage.objects.visible(user)


@dataclass
class CaseRow:
    id: int
    title: str
    year: int
    waste: int | None
    values: dict[str, set[str]]


@dataclass
class CaseCard:
    page: CaseStudyPage
    cluster: str
    sector: str
    strategies: list[str]
    materials: list[str]


@dataclass
class Browse:
    cards: list[CaseCard]
    facets: list[Facet]
    total: int
    page_number: int
    num_pages: int
    sort: str
    sorts: list[tuple[str, str, str, bool]]
    active: list[tuple[str, str, str]]
    ignored: list[str] = field(default_factory=list)
    clear_url: str = "?"
    previous_url: str | None = None
    next_url: str | None = None
    page_urls: list[tuple[int, str, bool]] = field(default_factory=list)


def term_labels(language: str | None = None) -> dict[str, dict[str, str]]:
    """`{facet: {slug: label}}` for clusters, sectors, strategies and materials, in one query."""
    language = language or get_language() or "en"

    # Every column is an annotation, declared in the same order in each part:
    # UNION matches columns by position, and Django puts model fields first.
    def part(queryset, kind: str, key: str, label: str, position: str):
        return (
            queryset.annotate(kind=Value(kind), key=F(key), label=translated(label, language), position=F(position))
            .order_by()
            .values_list("kind", "key", "label", "position")
        )

    rows = part(Sector.objects.all(), "sector", "slug", "name", "sort_order").union(
        part(Strategy.objects.all(), "strategy", "slug", "name", "rung"),
        part(Material.objects.all(), "material", "slug", "name", "sort_order"),
        part(cluster_model().objects.live(), "cluster", cluster_key_field(), "title", "id"),
        all=True,
    )
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for kind, slug, label, position in sorted(rows, key=lambda row: (row[0], row[3])):
        labels[kind][slug] = f"R{position} {label}" if kind == "strategy" else label
    return labels


def _case_rows(language: str) -> list[CaseRow]:
    pages = case_study_queryset().annotate(
        label=translated("title", language), cluster_key=F("cluster__slug_en"), sector_key=F("sector__slug")
    )
    by_id: dict[int, CaseRow] = {}
    for page_id, title, cluster, country, sector, year, waste in pages.values_list(
        "id", "label", "cluster_key", "country", "sector_key", "year", "waste_diverted_kg"
    ):
        by_id[page_id] = CaseRow(
            id=page_id,
            title=title,
            year=year,
            waste=waste,
            values={
                "cluster": {cluster},
                "country": {str(country)},
                "sector": {sector},
                "year": {str(year)},
                "strategy": set(),
                "material": set(),
            },
        )
    links = (
        CaseStudyPage.strategies.through.objects.annotate(kind=Value("strategy"), slug=F("strategy__slug"))
        .order_by()
        .values_list("casestudypage_id", "kind", "slug")
        .union(
            CaseStudyPage.materials.through.objects.annotate(kind=Value("material"), slug=F("material__slug"))
            .order_by()
            .values_list("casestudypage_id", "kind", "slug"),
            all=True,
        )
    )
    for page_id, kind, slug in links:
        if page_id in by_id:
            by_id[page_id].values[kind].add(slug)
    return list(by_id.values())


def _selected(params: QueryDict, labels: dict[str, dict[str, str]], rows: list[CaseRow]):
    """Split the request's filter values into known selections and ignored values."""
    known: dict[str, set[str]] = {
        "country": {value for row in rows for value in row.values["country"]},
        "year": {value for row in rows for value in row.values["year"]},
    }
    for key in ("cluster", "sector", "strategy", "material"):
        known[key] = set(labels.get(key, {}))
    selected: dict[str, set[str]] = {}
    ignored: list[str] = []
    for key in FACETS:
        values = {value.strip() for value in params.getlist(key) if value.strip()}
        valid = values & known[key]
        ignored.extend(f"{key}={value}" for value in sorted(values - valid))
        if valid:
            selected[key] = valid
    return selected, ignored


def _url(selected: dict[str, set[str]], sort: str, page: int = 1) -> str:
    pairs = [(key, value) for key in FACETS for value in sorted(selected.get(key, ()))]
    if sort != DEFAULT_SORT:
        pairs.append(("sort", sort))
    if page > 1:
        pairs.append(("page", str(page)))
    return "?" + urlencode(pairs) if pairs else "?"


def _sort_rows(rows: list[CaseRow], sort: str) -> list[CaseRow]:
    if sort == "oldest":
        return sorted(rows, key=lambda row: (row.year, row.id))
    if sort == "title":
        return sorted(rows, key=lambda row: (row.title.casefold(), row.id))
    if sort == "impact":
        return sorted(rows, key=lambda row: (row.waste is None, -(row.waste or 0), row.id))
    return sorted(rows, key=lambda row: (-row.year, -row.id))


def _facet_label(key: str, value: str, labels: dict[str, dict[str, str]]) -> str:
    if key == "country":
        return country_name(value)
    if key == "year":
        return value
    return labels.get(key, {}).get(value, value)


def case_study_browse(*, params: QueryDict) -> Browse:
    """Filter, count, sort and paginate live case studies for the index page.

    Within a facet, values combine with OR; across facets, with AND. Each
    value's count is the number of case studies with that value that match
    the selections in every other facet.
    Unknown filter values are ignored and reported in `Browse.ignored`.
    """
    language = get_language() or "en"
    labels = term_labels(language)
    rows = _case_rows(language)
    selected, ignored = _selected(params, labels, rows)
    sort = params.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        ignored.append(f"sort={sort}")
        sort = DEFAULT_SORT

    facets = []
    for key, facet_label in FACETS.items():
        counts: Counter[str] = Counter()
        for row in rows:
            if selection_matches(row.values, selected, skip=key):
                counts.update(row.values[key])
        if key in ("cluster", "sector", "strategy", "material"):
            order = list(labels.get(key, {}))
        chosen = selected.get(key, set())
        if key == "year":
            order = sorted(set(counts) | chosen, reverse=True)
        elif key == "country":
            order = sorted(set(counts) | chosen, key=lambda code: _facet_label("country", code, labels))
        values = [
            FacetValue(
                value=value,
                label=_facet_label(key, value, labels),
                count=counts.get(value, 0),
                selected=value in chosen,
                url=_url(selection_toggled(selected, key, value), sort),
            )
            for value in order
            if counts.get(value) or value in chosen
        ]
        # The first three facets, and any with a selection, start unfolded.
        facets.append(Facet(key=key, label=str(facet_label), values=values, open=bool(chosen) or len(facets) < 3))

    matching = _sort_rows([row for row in rows if selection_matches(row.values, selected)], sort)
    paginator = Paginator(matching, PAGE_SIZE)
    try:
        requested = int(params.get("page", "1"))
    except ValueError:
        requested = 1
        ignored.append("page")
    page = paginator.get_page(requested)
    page_rows = list(page.object_list)
    pages_by_id = CaseStudyPage.objects.in_bulk([row.id for row in page_rows])
    case_study_card_images(list(pages_by_id.values()))
    cards = [
        CaseCard(
            page=pages_by_id[row.id],
            cluster=labels["cluster"].get(next(iter(row.values["cluster"])), ""),
            sector=labels["sector"].get(next(iter(row.values["sector"])), ""),
            strategies=[labels["strategy"][slug] for slug in labels["strategy"] if slug in row.values["strategy"]],
            materials=[labels["material"][slug] for slug in labels["material"] if slug in row.values["material"]],
        )
        for row in page_rows
        if row.id in pages_by_id
    ]
    active = [
        (str(FACETS[key]), _facet_label(key, value, labels), _url(selection_toggled(selected, key, value), sort))
        for key in FACETS
        for value in sorted(selected.get(key, ()))
    ]
    return Browse(
        cards=cards,
        facets=facets,
        total=len(matching),
        page_number=page.number,
        num_pages=paginator.num_pages,
        sort=sort,
        sorts=[(key, str(label), _url(selected, key), key == sort) for key, label in SORTS.items()],
        active=active,
        ignored=ignored,
        clear_url=_url({}, sort),
        previous_url=_url(selected, sort, page.number - 1) if page.has_previous() else None,
        next_url=_url(selected, sort, page.number + 1) if page.has_next() else None,
        page_urls=[(number, _url(selected, sort, number), number == page.number) for number in paginator.page_range],
    )


def case_study_vocabulary() -> Vocabulary:
    """The cluster, sector, strategy and material slugs that imports and filters may name."""
    return Vocabulary(
        clusters=cluster_keys(),
        sectors=frozenset(Sector.objects.values_list("slug", flat=True)),
        strategies=frozenset(Strategy.objects.values_list("slug", flat=True)),
        materials=frozenset(Material.objects.values_list("slug", flat=True)),
    )


def case_study_card_images(case_studies: list[CaseStudyPage]) -> list[CaseStudyPage]:
    """Set each case study's gallery pictures (`card_images`, first one: `card_image`) from one query.

    A detail page passes itself with its related cards, so its gallery and
    their pictures cost one query together.
    """
    pictures = defaultdict(list)
    if case_studies:
        for item in (
            CaseStudyGalleryImage.objects.filter(page__in=[page.pk for page in case_studies])
            .select_related("image")
            .order_by("sort_order", "pk")
        ):
            pictures[item.page_id].append(item)
    for page in case_studies:
        page.card_images = pictures[page.pk]
    return case_studies


def case_study_latest(*, limit: int = 3, user=None) -> list[CaseStudyPage]:
    """The most recently published visible case studies, with their card pictures."""
    latest = case_study_queryset(user).select_related("cluster", "sector").order_by("-first_published_at", "-id")
    return case_study_card_images(list(latest[:limit]))


def cluster_case_studies(*, cluster, user=None) -> list[CaseStudyPage]:
    """Visible case studies of a city cluster, newest first, with their card pictures."""
    return case_study_card_images(
        list(case_study_queryset(user).filter(cluster=cluster).select_related("sector").order_by("-year", "id"))
    )


def impact_totals(case_studies: list[CaseStudyPage]) -> dict[str, int]:
    """Sum of each impact metric over already loaded case studies (no query)."""
    return {key: sum(getattr(case, key) or 0 for case in case_studies) for key in IMPACT_METRICS}


def case_study_prefetch(case_study: CaseStudyPage) -> None:
    """Load what the detail page shows in a fixed number of queries (its gallery: `case_study_card_images`)."""
    prefetch_related_objects(
        [case_study],
        "strategies",
        "materials",
        Prefetch("documents", queryset=CaseStudyDocument.objects.select_related("document")),
        Prefetch("related_pages", queryset=CaseStudyRelatedPage.objects.select_related("target")),
    )


def case_study_related(*, case_study: CaseStudyPage, user=None, limit: int = 3) -> list[CaseStudyPage]:
    """Explicitly related case studies that `user` may see, else others of the same sector (pictures not loaded)."""
    chosen = list(case_study.related_case_studies.visible(user).select_related("cluster", "sector")[:limit])
    if not chosen:
        chosen = list(
            case_study_queryset(user)
            .exclude(pk=case_study.pk)
            .filter(sector_id=case_study.sector_id)
            .select_related("cluster", "sector")
            .order_by("-year", "id")[:limit]
        )
    return chosen


def strategy_facet() -> SearchFacet:
    """The 10R strategy search facet, for other apps' page types that classify by strategy."""
    return STRATEGY_FACET


def sector_facet() -> SearchFacet:
    """The creative-sector search facet, for other apps' page types that classify by sector."""
    return SECTOR_FACET


def case_studies_naming(*, page, user=None) -> list[CaseStudyPage]:
    """Visible case studies whose "related" inline names `page` (an expert, a course), newest first."""
    return list(
        case_study_queryset(user)
        .filter(pk__in=CaseStudyRelatedPage.objects.filter(target=page).values("page_id"))
        .select_related("cluster", "sector")
        .order_by("-year", "id")
    )


def taxonomy_terms() -> dict[str, dict[str, Strategy | Material | Sector]]:
    """`{"strategies"|"materials"|"sectors": {slug: term}}`: what other apps link their pages to."""
    return {
        "strategies": {term.slug: term for term in Strategy.objects.all()},
        "materials": {term.slug: term for term in Material.objects.all()},
        "sectors": {term.slug: term for term in Sector.objects.all()},
    }


def case_study_ids(*, external_ids: list[str]) -> list[int]:
    """Page ids of the case studies with these external ids, in the order given (unknown ids skipped)."""
    found = dict(CaseStudyPage.objects.filter(external_id__in=external_ids).values_list("external_id", "pk"))
    return [found[key] for key in external_ids if key in found]


def case_study_topics() -> list[FacetValue]:
    """The 10R strategies and materials of live case studies, most shared first, each linking to the filtered index."""
    index_url = case_study_index_url()
    if not index_url:
        return []
    browse = case_study_browse(params=QueryDict())
    values = [
        FacetValue(value=value.value, label=value.label, count=value.count, selected=False, url=index_url + value.url)
        for facet in browse.facets
        if facet.key in ("strategy", "material")
        for value in facet.values
    ]
    return sorted(values, key=lambda value: -value.count)


def case_study_index_url() -> str:
    """The case-study index's address in the active language, or "" when there is none."""
    index = CaseStudyIndexPage.objects.live().first()
    return (index.get_url() or "") if index else ""
