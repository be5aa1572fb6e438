"""Reads of experts and guides: the directory's facets, profiles' related content, sections.

The directory counts its facets in Python from a handful of compact queries
(one row per expert, then its topic, strategy, sector and language links), so
it costs the same few queries however many experts it lists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q, Value
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casestudies.selectors import case_studies_naming, term_labels
from core import registry
from core.browse import Facet, FacetValue, selection_matches, selection_toggled
from core.clusters import cluster_key_field
from core.countries import country_name
from core.visibility import page_is_visible
from experts.models import (
    ContactMessage,
    ExpertLanguage,
    ExpertPage,
    GuidePage,
    GuideRelatedPage,
    GuideTemplate,
    Level,
    spoken_language_labels,
    topic_labels,
)

PAGE_SIZE = 9
MAX_QUERY = 100

FACETS: dict[str, str] = {
    "expertise": _("Expertise"),
    "speaks": _("Language spoken"),
    "country": _("Country"),
    "cluster": _("City cluster"),
    "sector": _("Creative sector"),
}
# Every query parameter expert_browse reads (core.fragments keys the directory on these alone).
BROWSE_PARAMS = (*FACETS, "q", "page")


def experts_with_external_ids(*, external_ids: list[str]) -> list[ExpertPage]:
    """The expert profiles with these external ids (drafts included), in the order given."""
    found = {expert.external_id: expert for expert in ExpertPage.objects.filter(external_id__in=external_ids)}
    return [found[key] for key in external_ids if key in found]


def expert_queryset(user=None):
    """Live expert profiles that `user` may see (default: an anonymous visitor)."""
    return ExpertPage.objects.visible(user)


def guide_queryset(user=None):
    return GuidePage.objects.visible(user)


@dataclass
class ExpertCard:
    page: ExpertPage
    cluster: str
    expertise: list[str]
    languages: list[str]


@dataclass
class Browse:
    cards: list[ExpertCard]
    facets: list[Facet]
    total: int
    query: str
    page_number: int
    num_pages: int
    active: list[tuple[str, str, str]]
    hidden_filters: list[tuple[str, str]] = field(default_factory=list)
    clear_url: str = "?"
    previous_url: str | None = None
    next_url: str | None = None
    page_urls: list[tuple[int, str, bool]] = field(default_factory=list)


def directory_labels() -> dict[str, dict[str, str]]:
    """`{facet: {value: label in the active language}}` for every directory facet but country."""
    terms = term_labels()
    expertise = dict(topic_labels())
    expertise.update(terms.get("strategy", {}))
    return {
        "expertise": expertise,
        "speaks": spoken_language_labels(),
        "cluster": dict(terms.get("cluster", {})),
        "sector": dict(terms.get("sector", {})),
    }


def _text_filter(query: str, language: str) -> Q:
    condition = Q(title__icontains=query) | Q(organisation__icontains=query)
    for code in dict.fromkeys((language, "en")):
        for name in ("role", "city", "bio"):
            condition |= Q(**{f"{name}_{code}__icontains": query})
    return condition


def _rows(*, user, query: str, language: str) -> dict[int, dict[str, set[str]]]:
    experts = expert_queryset(user)
    if query:
        experts = experts.filter(_text_filter(query, language))
    rows: dict[int, dict[str, set[str]]] = {}
    for page_id, cluster, country in experts.annotate(cluster_key=F(f"cluster__{cluster_key_field()}")).values_list(
        "id", "cluster_key", "country"
    ):
        rows[page_id] = {
            "cluster": {cluster},
            "country": {str(country)},
            "expertise": set(),
            "sector": set(),
            "speaks": set(),
        }
    if not rows:
        return rows
    links = (
        ExpertPage.topics.through.objects.annotate(kind=Value("expertise"), slug=F("topic__slug"))
        .order_by()
        .values_list("expertpage_id", "kind", "slug")
        .union(
            ExpertPage.strategies.through.objects.annotate(kind=Value("expertise"), slug=F("strategy__slug"))
            .order_by()
            .values_list("expertpage_id", "kind", "slug"),
            ExpertPage.sectors.through.objects.annotate(kind=Value("sector"), slug=F("sector__slug"))
            .order_by()
            .values_list("expertpage_id", "kind", "slug"),
            ExpertLanguage.objects.annotate(kind=Value("speaks"), slug=F("language"))
            .order_by()
            .values_list("page_id", "kind", "slug"),
            all=True,
        )
    )
    for page_id, kind, slug in links:
        if page_id in rows:
            rows[page_id][kind].add(slug)
    return rows


def _label(key: str, value: str, labels: dict[str, dict[str, str]]) -> str:
    if key == "country":
        return country_name(value)
    return labels.get(key, {}).get(value, value)


def _url(selected: dict[str, set[str]], query: str = "", page: int = 1) -> str:
    pairs = [("q", query)] if query else []
    pairs += [(key, value) for key in FACETS for value in sorted(selected.get(key, ()))]
    if page > 1:
        pairs.append(("page", str(page)))
    return "?" + urlencode(pairs) if pairs else "?"


def expert_browse(*, params: QueryDict, user=None) -> Browse:
    """Filter, count and paginate the visible experts for the directory.

    Values within a facet combine with OR, facets with AND; each value's count
    is the number of experts having it among those matching the other facets
    and the search box. Unknown filter values are ignored.
    """
    language = get_language() or "en"
    query = params.get("q", "").strip()[:MAX_QUERY]
    labels = directory_labels()
    rows = _rows(user=user, query=query, language=language)
    known_countries = {value for values in rows.values() for value in values["country"]}
    selected: dict[str, set[str]] = {}
    for key in FACETS:
        allowed = known_countries if key == "country" else set(labels[key])
        values = {value.strip() for value in params.getlist(key) if value.strip()} & allowed
        if values:
            selected[key] = values

    facets = []
    for key, facet_label in FACETS.items():
        counts: Counter[str] = Counter()
        for values in rows.values():
            if selection_matches(values, selected, skip=key):
                counts.update(values[key])
        chosen = selected.get(key, set())
        if key == "country":
            order = sorted(set(counts) | chosen, key=lambda code: _label("country", code, labels))
        else:
            order = list(labels[key])
        facet_values = [
            FacetValue(
                value=value,
                label=_label(key, value, labels),
                count=counts.get(value, 0),
                selected=value in chosen,
                url=_url(selection_toggled(selected, key, value), query),
            )
            for value in order
            if counts.get(value) or value in chosen
        ]
        facets.append(Facet(key=key, label=str(facet_label), values=facet_values, open=bool(chosen) or len(facets) < 2))

    matching = [page_id for page_id, values in rows.items() if selection_matches(values, selected)]
    paginator = Paginator(matching, PAGE_SIZE)
    try:
        requested = int(params.get("page", "1"))
    except ValueError:
        requested = 1
    page = paginator.get_page(requested)
    page_ids = list(page.object_list)
    # Alphabetical by name; the ids come ordered by the query below.
    pages = (
        ExpertPage.objects.filter(pk__in=page_ids)
        .select_related("photo")
        .prefetch_related(Prefetch("spoken_languages", queryset=ExpertLanguage.objects.order_by("sort_order")))
    )
    by_id = {expert.pk: expert for expert in pages}
    cards = []
    for page_id in page_ids:
        expert = by_id.get(page_id)
        if expert is None:
            continue
        values = rows[page_id]
        cards.append(
            ExpertCard(
                page=expert,
                cluster=labels["cluster"].get(next(iter(values["cluster"])), ""),
                expertise=[label for slug, label in labels["expertise"].items() if slug in values["expertise"]][:4],
                languages=[
                    labels["speaks"].get(item.language, item.language) for item in expert.spoken_languages.all()
                ],
            )
        )
    active = [
        (str(FACETS[key]), _label(key, value, labels), _url(selection_toggled(selected, key, value), query))
        for key in FACETS
        for value in sorted(selected.get(key, ()))
    ]
    return Browse(
        cards=cards,
        facets=facets,
        total=len(matching),
        query=query,
        page_number=page.number,
        num_pages=paginator.num_pages,
        active=active,
        hidden_filters=[(key, value) for key in FACETS for value in sorted(selected.get(key, ()))],
        clear_url=_url({}, query),
        previous_url=_url(selected, query, page.number - 1) if page.has_previous() else None,
        next_url=_url(selected, query, page.number + 1) if page.has_next() else None,
        page_urls=[(number, _url(selected, query, number), number == page.number) for number in paginator.page_range],
    )


def expert_profile_related(*, expert: ExpertPage, user=None) -> dict:
    """What a profile lists besides itself: its expertise labels, languages, guides and case studies."""
    return {
        "topics": list(expert.topics.all()),
        "strategies": list(expert.strategies.all()),
        "materials": list(expert.materials.all()),
        "sectors": list(expert.sectors.all()),
        "languages": list(expert.spoken_languages.all()),
        "levels": dict(Level.choices),
        "links": list(expert.links.all()),
        "guides": list(guide_queryset(user).filter(author=expert).order_by("title")),
        "case_studies": case_studies_naming(page=expert, user=user),
        # Other apps' pages that name the expert (courses they teach), through the registry.
        "naming": registry.related_pages(page=expert, user=user),
    }


def guide_related(*, guide: GuidePage, user=None) -> dict:
    """A guide's author (if visible), templates and the related pages `user` may see."""
    author = None
    if guide.author_id:
        author = expert_queryset(user).filter(pk=guide.author_id).select_related("photo").first()
    targets = [link.target for link in GuideRelatedPage.objects.filter(page=guide).select_related("target")]
    return {
        "author": author,
        "templates": list(GuideTemplate.objects.filter(page=guide).select_related("document")),
        "related_pages": [target.specific for target in targets if page_is_visible(target, user)],
        "topics": list(guide.topics.all()),
    }


def guide_list(*, user=None) -> list[GuidePage]:
    return list(guide_queryset(user).select_related("author").order_by("title"))


def expert_featured(*, limit: int = 4, user=None) -> list[ExpertPage]:
    """The most recently published visible experts, for the home page."""
    return list(expert_queryset(user).select_related("cluster", "photo").order_by("-first_published_at", "-id")[:limit])


def cluster_experts(*, cluster, user=None) -> list[ExpertPage]:
    """Visible experts of a city cluster, by name."""
    return list(expert_queryset(user).filter(cluster=cluster).select_related("photo").order_by("title"))


def contact_messages_for(*, user):
    """The contact messages `user` may read: their own profile's; every message for a superuser."""
    messages = ContactMessage.objects.select_related("expert")
    if user.is_superuser:
        return messages
    return messages.filter(expert__user=user)
