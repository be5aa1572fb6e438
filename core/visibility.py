"""Who may see which page: the one visibility rule, used by every list, card and index.

A page is visible when it is live and no view restriction of a section above
it (or on it) keeps the reader out. Restrictions change rarely and are read on
every request, so they are cached under a version key that `core.signals`
bumps whenever a restriction is saved or deleted. Anonymous visitors take the
fast path: one cached tuple of private paths, no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import PageManager, PageQuerySet, PageViewRestriction

RESTRICTIONS_VERSION_KEY = "hub:restrictions:version"
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Restriction:
    path: str
    kind: str
    group_ids: frozenset[int]


def _version() -> int:
    return cache.get_or_set(RESTRICTIONS_VERSION_KEY, 1, None)


def bump_restrictions_version() -> None:
    """Forget the cached restrictions (after a view restriction changes)."""
    try:
        cache.incr(RESTRICTIONS_VERSION_KEY)
    except ValueError:
        cache.set(RESTRICTIONS_VERSION_KEY, 2, None)


def restrictions() -> tuple[Restriction, ...]:
    """Every page view restriction: the restricted page's tree path, its kind and groups."""
    key = f"hub:restrictions:{_version()}"
    found = cache.get(key)
    if found is None:
        groups: dict[int, set[int]] = {}
        for restriction_id, group_id in PageViewRestriction.groups.through.objects.values_list(
            "pageviewrestriction_id", "group_id"
        ).order_by():
            groups.setdefault(restriction_id, set()).add(group_id)
        found = tuple(
            Restriction(path=path, kind=kind, group_ids=frozenset(groups.get(pk, ())))
            for pk, path, kind in PageViewRestriction.objects.values_list("pk", "page__path", "restriction_type")
            .order_by()
            .iterator()
        )
        cache.set(key, found, CACHE_SECONDS)
    return found


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
