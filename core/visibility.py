"""Who may see which page: the one visibility rule, used by every list, card and index.

A page is visible when it is live and no view restriction of a section above
it (or on it) keeps the reader out. Restrictions change rarely and are read on
every request, so they are cached until public content next changes (saving or
deleting a restriction bumps `core.freshness.content_version()`). Anonymous
visitors take the fast path: one cached tuple of private paths, no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import PageManager, PageQuerySet, PageViewRestriction

from core.freshness import cached_until_content_changes


@dataclass(frozen=True)
class Restriction:
    path: str
    kind: str
    group_ids: frozenset[int]


def restrictions() -> tuple[Restriction, ...]:
    """Every page view restriction: the restricted page's tree path, its kind and groups."""
    return cached_until_content_changes("restrictions", _read_restrictions)


def _read_restrictions() -> tuple[Restriction, ...]:
    # One query: a row per restriction and group (a restriction without groups gives one row, group None).
    found: dict[int, tuple[str, str, set[int]]] = {}
    for pk, path, kind, group_id in (
        PageViewRestriction.objects.values_list("pk", "page__path", "restriction_type", "groups")
        .order_by("pk")
        .iterator()
    ):
        groups = found.setdefault(pk, (path, kind, set()))[2]
        if group_id is not None:
            groups.add(group_id)
    return tuple(
        Restriction(path=path, kind=kind, group_ids=frozenset(groups)) for path, kind, groups in found.values()
    )


def restricted_page_paths() -> tuple[str, ...]:
    """Tree paths of pages carrying a view restriction; their subtrees are private."""
    return tuple(restriction.path for restriction in restrictions())


def _user_group_ids(user) -> frozenset[int]:
    if not hasattr(user, "_hub_group_ids"):
        user._hub_group_ids = frozenset(user.groups.values_list("id", flat=True))
    return user._hub_group_ids


def _admits(restriction: Restriction, user) -> bool:
    """Whether `restriction` lets `user` in, in a listing (a password is asked page by page, so never)."""
    if user is None or not user.is_authenticated:
        return False
    if restriction.kind == PageViewRestriction.LOGIN:
        return True
    if restriction.kind == PageViewRestriction.GROUPS:
        return user.is_superuser or bool(restriction.group_ids & _user_group_ids(user))
    return False


def hidden_paths(user=None) -> tuple[str, ...]:
    """Tree paths of the sections `user` (None: an anonymous visitor) may not see."""
    return tuple(restriction.path for restriction in restrictions() if not _admits(restriction, user))


def visible_q(user=None) -> Q:
    """A filter for pages outside every section hidden from `user` (liveness not included)."""
    query = Q()
    for path in hidden_paths(user):
        query |= Q(path__startswith=path)
    return ~query if query else Q()


def public_q() -> Q:
    """`visible_q` for an anonymous visitor: Wagtail's `public()`, from the cache."""
    return visible_q(None)


def page_is_visible(page, user=None) -> bool:
    """The same rule for one loaded page, without a query."""
    return page.live and not any(page.path.startswith(path) for path in hidden_paths(user))


def visible(queryset, user=None):
    """The live pages of any page queryset that `user` may see (None or anonymous: public pages only)."""
    return queryset.live().filter(visible_q(user))


class HubPageQuerySet(PageQuerySet):
    def visible(self, user=None):
        """`visible(queryset, user)` as a method of every hub page queryset."""
        return visible(self, user)


class HubPageManager(PageManager.from_queryset(HubPageQuerySet)):
    pass
