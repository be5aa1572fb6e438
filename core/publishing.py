"""Writes of pages in bulk, for importers and seeding (the bottom layer: any app may call these).

Wagtail's one-page-at-a-time path (add_child, save_revision, publish) saves
each page three times, and each save re-indexes the page for the admin search
and rebuilds its reference-index rows: about 120 statements and 150 ms per new
case study. These services keep Wagtail's data model (tree, revisions, log,
signals) but do each piece once per page, and the indexing once per batch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch.index import get_search_backends_with_name, insert_or_update_object
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published

from core.pages import HubPage

_deferred = threading.local()


@contextmanager
def page_indexing_deferred() -> Iterator[None]:
    """Index each hub page saved inside the block once, at the end of the block.

    Without it every save of a page re-indexes it for the admin search and
    rebuilds its reference-index rows. The pages are indexed inside the
    caller's transaction, so a rollback leaves no stray index rows. Blocks
    nest; only the outermost one indexes.
    """
    if getattr(_deferred, "pages", None) is not None:
        yield
        return
    _deferred.pages = {}
    try:
        with disable_reference_index_auto_update():
            yield
        pages = list(_deferred.pages.values())
    finally:
        _deferred.pages = None
    _index_pages(pages)


def page_admin_search_index(*, page: HubPage, **signal_kwargs) -> None:
    """Index a saved hub page for the admin search, now or at the end of `page_indexing_deferred`."""
    if signal_kwargs.get("raw", False):
        return
    deferred = getattr(_deferred, "pages", None)
    if deferred is not None:
        deferred[(type(page), page.pk)] = page
        return
    insert_or_update_object(page)


def _index_pages(pages: Sequence[HubPage]) -> None:
    by_model: dict[type, list[int]] = {}
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)
        by_model.setdefault(type(page), []).append(page.pk)
    for model, ids in by_model.items():
        indexed = list(model.get_indexed_objects().filter(pk__in=ids))
        for _name, backend in get_search_backends_with_name(with_auto_update=True):
            backend.add_bulk(model, indexed)


def pages_create_published(*, parent: Page, pages: Sequence[HubPage], user=None) -> list[Revision]:
    """Add `pages` under `parent`, live, each with its first revision, and return the revisions.

    The result is what `parent.add_child(instance=page)` followed by
    `page.save_revision().publish()` gives, page by page: tree position,
    per-language URL paths, one revision that is both latest and live,
    "created" and "published" log entries, the `page_published` signal (the
    Hub's search index follows it), admin search and reference index rows.

    Contract for the caller, who has validated the pages itself (full_clean
    is skipped): each page's slug is unique among its siblings in every
    language, and no page has a future go-live date.
    """
    if not pages:
        return []
    now = timezone.now()
    log_uuid = get_active_log_context().uuid
    with transaction.atomic(), page_indexing_deferred():
        # What treebeard's add_child does per page, once: lock the parent so that
        # no concurrent writer takes the same paths, place each page after the
        # last child (with treebeard's own path arithmetic), count them.
        locked_parent = Page.objects.select_for_update().get(pk=parent.pk)
        previous = locked_parent.get_last_child()
        many_to_many = [_take_many_to_many(page) for page in pages]
        for page in pages:
            page.depth = locked_parent.depth + 1
            page.path = previous._inc_path() if previous else Page._get_path(locked_parent.path, page.depth, 1)
            page._cached_parent_obj = parent  # what add_child sets: set_url_path reads it
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
            page.draft_title = page.title
            page.locale_id = parent.locale_id
            page.owner = page.owner or user
            page.save(clean=False, log_action=None)  # the creation is logged below, with the publication
            previous = page
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
        parent.numchild = locked_parent.numchild + len(pages)
        _insert_many_to_many(pages, many_to_many)
        # A revision holds the page's child objects and many-to-many values:
        # read them for every page at once rather than per page.
        prefetch_related_objects(pages, *_relation_names(type(page) for page in pages))
        revisions = [
            Revision(
                content_object=page,
                base_content_type_id=page.get_base_content_type().pk,
                user=user,
                content=page.serializable_data(),
                object_str=str(page),
                created_at=now,
            )
            for page in pages
        ]
        Revision.objects.bulk_create(revisions)
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
        PageLogEntry.objects.bulk_create(
            entry
            for page, revision in zip(pages, revisions, strict=True)
            for entry in _creation_log(page, revision, user=user, uuid=log_uuid, timestamp=now)
        )
        for page, revision in zip(pages, revisions, strict=True):
            # What PublishRevisionAction sends: the generic signal, then the page one.
            published.send(sender=type(page), instance=page, revision=revision)
            page_published.send(sender=type(page), instance=page, revision=revision)
    return revisions


def page_revision_publish(*, page: HubPage, user=None) -> Revision:
    """Save and publish a new revision of an existing `page` that the caller has validated.

    Wagtail's own path (revision, publish action, log, signals, workflows and
    scheduled publishing kept), without `full_clean` on the page it publishes:
    wagtail-modeltranslation's clean loads every sibling page to compare
    slugs, which makes a bulk update quadratic. Contract: the caller has
    validated every field it changed and has not changed the slugs.
    """
    revision = page.save_revision(user=user, clean=False)
    action = PublishPageRevisionAction(revision, user=user)
    # The action saves its own copy of the page, made from the revision.
    action.object._validated_by_caller = True
    action.execute()
    return revision


def _take_many_to_many(page: HubPage) -> dict:
    """Take the values set on an unsaved page's ParentalManyToManyFields off it.

    modelcluster keeps them in `_cluster_related_objects` and writes them on
    save with three statements per field; `_insert_many_to_many` writes every
    page's rows at once instead.
    """
    pending = getattr(page, "_cluster_related_objects", {})
    fields = get_all_child_m2m_relations(type(page))
    return {field: pending.pop(field.name) for field in fields if field.name in pending}


def _insert_many_to_many(pages: Sequence[HubPage], values: list[dict]) -> None:
    rows: dict[type, list] = {}
    for page, fields in zip(pages, values, strict=True):
        for field, targets in fields.items():
            through = field.remote_field.through
            rows.setdefault(through, []).extend(
                through(**{field.m2m_field_name(): page, field.m2m_reverse_field_name(): target})
                for target in dict.fromkeys(targets)
            )
    for through, objects in rows.items():
        through.objects.bulk_create(objects)


def _relation_names(models: Iterable[type]) -> list[str]:
    """The relations `serializable_data` reads, when every model has them (one model in practice)."""
    names = None
    for model in set(models):
        own = {relation.get_accessor_name() for relation in get_all_child_relations(model)}
        own |= {field.name for field in get_all_child_m2m_relations(model)}
        names = own if names is None else names & own
    return sorted(names or ())


def _creation_log(page: HubPage, revision: Revision, *, user, uuid, timestamp) -> list[PageLogEntry]:
    """The entries Page.save and publish would log: created (by the owner), then published."""
    common = {
        "page": page,
        "content_type": ContentType.objects.get_for_model(page, for_concrete_model=False),
        "label": page.get_admin_display_title(),
        "uuid": uuid,
        "timestamp": timestamp,
        "content_changed": True,
    }
    return [
        PageLogEntry(action="wagtail.create", user=user or page.owner, **common),
        PageLogEntry(action="wagtail.publish", user=user, revision=revision, **common),
    ]
