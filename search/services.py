"""Writes to the search index: the outbox, its processing, and rebuilds."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from core.freshness import content_changed
from core.searchable import SearchDocument, searchable_model_for, searchable_models
from core.visibility import visible
from search.backends import BackendUnavailable, backend_aliases, get_backend
from search.models import SearchOutboxEntry

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=30)
# Objects applied per backend call: their documents are read and written together.
BATCH = 200


def _search_type(page: Page) -> str | None:
    specific_class = type(page) if getattr(type(page), "search_type", "") else page.specific_class
    return getattr(specific_class, "search_type", "") or None


def search_outbox_enqueue(*, pages: Iterable[Page], action: str) -> int:
    """Record that each page (and, for index, its current state) must reach every backend.

    Runs inside the caller's transaction, with one insert however many pages.
    With `settings.SEARCH_OUTBOX_WORKER` the `search_index worker` process
    applies the entries (never the editor's request); without it (embedded
    development, tests) processing is scheduled in-process after the commit. Returns the number of
    entries written (unsearchable pages get none).
    """
    entries = [
        SearchOutboxEntry(backend=alias, object_type=search_type, object_id=page.pk, action=action)
        for page in pages
        if (search_type := _search_type(page)) is not None
        for alias in backend_aliases()
    ]
    if entries:
        SearchOutboxEntry.objects.bulk_create(entries)
        # With a worker (`search_index worker`), the editor's request only queues.
        if not settings.SEARCH_OUTBOX_WORKER:
            _schedule_processing()
    return len(entries)


def _process_after_commit() -> None:
    # A large import queues more than one call takes; go on while entries apply.
    while (report := search_outbox_process()).applied and report.remaining and not report.failed:
        pass


def _schedule_processing() -> None:
    """Process the outbox once after the current transaction commits, however many entries it adds.

    Django drops callbacks of rolled-back savepoints from `run_on_commit`, so
    looking there (rather than keeping a flag) cannot get stuck after a rollback.
    """
    connection = transaction.get_connection()
    if any(entry[1] is _process_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_process_after_commit)


@dataclass
class OutboxReport:
    applied: int = 0
    failed: int = 0
    remaining: int = 0


def search_outbox_process(*, limit: int = 1000, backends: list[str] | None = None) -> OutboxReport:
    """Apply due outbox entries to their backends; keep and back off the ones that fail.

    Entries for the same object collapse to the latest action. Objects are
    applied in batches of `BATCH`: their documents are read in a few queries
    and written in one backend call. A backend that is down keeps the entries
    of every batch not yet applied (attempts, last_error, a growing delay);
    the other backends proceed.
    """
    report = OutboxReport()
    now = timezone.now()
    due = SearchOutboxEntry.objects.filter(available_at__lte=now)
    if backends:
        due = due.filter(backend__in=backends)
    entries = list(due.order_by("id")[:limit])
    by_backend: dict[str, dict[tuple[str, int], list[SearchOutboxEntry]]] = {}
    for entry in entries:
        by_backend.setdefault(entry.backend, {}).setdefault((entry.object_type, entry.object_id), []).append(entry)
    for alias, objects in by_backend.items():
        if alias not in backend_aliases():
            SearchOutboxEntry.objects.filter(backend=alias).delete()
            continue
        backend = get_backend(alias)
        rebuilding = _rebuilding(alias)
        applied: set[tuple[str, int]] = set()
        try:
            keys_in_order = list(objects)
            for start in range(0, len(keys_in_order), BATCH):
                keys = keys_in_order[start : start + BATCH]
                to_index = [key for key in keys if objects[key][-1].action == "index"]
                documents = _current_documents(to_index)
                for object_type, group in itertools.groupby(sorted(keys), key=lambda key: key[0]):
                    backend.delete(type=object_type, object_ids=[object_id for _type, object_id in group])
                if documents:
                    backend.index(documents)
                done = [entry.pk for key in keys for entry in objects[key]]
                _applied(done, rebuilding)
                applied.update(keys)
                report.applied += len(done)
        except BackendUnavailable as error:
            pending = [
                entry for key, object_entries in objects.items() if key not in applied for entry in object_entries
            ]
            for entry in pending:
                entry.attempts += 1
                entry.last_error = str(error)[:2000]
                entry.available_at = now + min(MAX_BACKOFF, timedelta(seconds=2**entry.attempts))
            SearchOutboxEntry.objects.bulk_update(pending, ["attempts", "last_error", "available_at"])
            report.failed += len(pending)
            logger.warning("search backend %s unavailable, %d updates kept for retry: %s", alias, len(pending), error)
    report.remaining = SearchOutboxEntry.objects.count()
    if report.applied:
        # Search pages and answers cached since the publish showed the old index.
        content_changed()
    return report


def _current_documents(keys: list[tuple[str, int]]) -> list[SearchDocument]:
    """The documents the objects should have now: none for pages that are not live and public."""
    documents = []
    for object_type, group in itertools.groupby(sorted(keys), key=lambda key: key[0]):
        model = searchable_model_for(object_type)
        if model is None:
            continue
        ids = [object_id for _type, object_id in group]
        for page in visible(model.search_queryset()).filter(pk__in=ids).order_by("pk"):
            documents.extend(page.search_documents())
    return documents


def all_documents() -> Iterator[SearchDocument]:
    """Every live, public searchable page's documents, in every language."""
    for model in searchable_models():
        queryset = visible(model.search_queryset()).order_by("pk")
        for page in queryset.iterator(chunk_size=500):
            yield from page.search_documents()


# -- rebuilds --------------------------------------------------------------
#
# A change applied while a backend rebuilds goes to the old index; if the
# rebuild had already read that page, the swap would lose it. So a rebuild
# leaves a marker entry in the outbox (not due) for its backend; while it is
# there, entries applied to that backend are held instead of deleted, and
# after the swap every entry of the backend is applied again, to the new
# index. Entries are never dropped unapplied: one written by a transaction
# that began before the rebuild and committed after it read the page would
# otherwise be lost too. Should the rebuild die, the marker and the held
# entries fall due after REBUILD_HOLD and are applied (harmlessly once more)
# and deleted like any entry.

REBUILD_MARKER = "rebuild"  # object_type of the marker entry: no searchable type has it
REBUILD_HOLD = timedelta(hours=6)


def _held_until():
    return timezone.now() + REBUILD_HOLD


def _rebuilding(alias: str) -> bool:
    """True while a rebuild of `alias` runs (its marker is in the outbox and not yet due)."""
    return SearchOutboxEntry.objects.filter(
        backend=alias, object_type=REBUILD_MARKER, available_at__gt=timezone.now()
    ).exists()


def _applied(entry_ids: list[int], rebuilding: bool) -> None:
    """Delete applied entries, or hold them for replay after a running rebuild's swap."""
    applied = SearchOutboxEntry.objects.filter(pk__in=entry_ids)
    if rebuilding:
        applied.update(available_at=_held_until(), attempts=0, last_error="")
    else:
        applied.delete()


def search_index_rebuild(
    *, documents: Iterable[SearchDocument] | None = None, aliases: list[str] | None = None
) -> dict[str, int]:
    """Refill each backend from the database, swapping the new index in at the end.

    Changes applied during the rebuild, and entries still queued, are applied
    to the new index after the swap, so none is lost.
    """
    counts = {}
    for alias in aliases or backend_aliases():
        marker = SearchOutboxEntry.objects.create(
            backend=alias, object_type=REBUILD_MARKER, object_id=0, action="index", available_at=_held_until()
        ).pk
        try:
            counts[alias] = get_backend(alias).rebuild(documents if documents is not None else all_documents())
        finally:
            SearchOutboxEntry.objects.filter(pk=marker).delete()
        # Held, queued and backed-off entries alike: the backend has just answered.
        SearchOutboxEntry.objects.filter(backend=alias).update(available_at=timezone.now())
    while (report := search_outbox_process(backends=list(counts))).applied and report.remaining and not report.failed:
        pass
    return counts
