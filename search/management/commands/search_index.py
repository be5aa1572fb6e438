import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from core.searchable import searchable_models
from search.backends import backend_aliases, get_backend
from search.models import SearchOutboxEntry
from search.services import all_documents, search_index_rebuild, search_outbox_process


def database_counts() -> dict[tuple[str, str], int]:
    """Documents the database says each backend should hold, per (type, language)."""
    counts: dict[tuple[str, str], int] = {}
    for document in all_documents():
        key = (document.type, document.language)
        counts[key] = counts.get(key, 0) + 1
    return counts


class Progress:
    """A one-line progress bar on a terminal; periodic lines elsewhere."""

    def __init__(self, stream, total: int, label: str):
        self.stream, self.total, self.label = stream, max(total, 1), label
        self.done, self.started, self.last = 0, time.monotonic(), 0.0
        self.interactive = stream.isatty()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= (0.1 if self.interactive else 5) or self.done >= self.total:
            self.last = now
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            rate = self.done / max(now - self.started, 1e-6)
            line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} ({rate:,.0f}/s)"
            self.stream.write(("\r" + line) if self.interactive else line, ending="" if self.interactive else "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("")


class Command(BaseCommand):
    help = "Manage the search index: rebuild it, apply queued updates, or report its status and drift."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update", "status", "worker"])
        parser.add_argument("--backend", choices=backend_aliases(), help="Only this backend (default: all).")
        parser.add_argument(
            "--once", action="store_true", help="worker: apply what is due, then exit instead of waiting for more."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="worker: seconds between looks at the queue (default: SEARCH_WORKER_POLL_SECONDS).",
        )

    def handle(self, *args, action: str, backend: str | None, once=False, interval=None, **options):
        aliases = [backend] if backend else backend_aliases()
        if action == "worker":
            self.worker(once=once, interval=settings.SEARCH_WORKER_POLL_SECONDS if interval is None else interval)
        elif action == "rebuild":
            self.rebuild(aliases)
        elif action == "update":
            report = search_outbox_process(limit=100_000, backends=aliases)
            self.stdout.write(
                f"Applied {report.applied} queued updates; {report.failed} failed; {report.remaining} remain."
            )
            if report.failed:
                raise CommandError("Some updates could not be applied; they stay queued for the next run.")
        else:
            self.status(aliases)

    def worker(self, *, once: bool, interval: float) -> None:
        """Apply queued index updates as they come, until SIGTERM or SIGINT (or, with --once, the queue is done).

        Entries are written in the same transaction as the content, so
        whatever a crashed web process or worker left behind is applied here:
        nothing waits for a manual `update`. Entries whose backend is down
        wait out their back-off and are retried.
        """
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"Search worker started (every {interval:g} s).")
        applied = failed = 0
        try:
            while not stop.is_set():
                report = search_outbox_process()
                applied, failed = applied + report.applied, failed + report.failed
                if report.applied or report.failed:
                    self.stdout.write(
                        f"Applied {report.applied} queued updates; {report.failed} failed; {report.remaining} remain."
                    )
                # More is due right away after a full batch; otherwise wait for new entries.
                if report.applied and report.remaining and not report.failed:
                    continue
                if once:
                    break
                stop.wait(interval)
                # A long-running process: drop a connection the database closed or that is too old.
                close_old_connections()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Search worker stopped: applied {applied} updates, {failed} failed.")

    def rebuild(self, aliases: list[str]) -> None:
        pages = sum(model.objects.live().count() for model in searchable_models())
        for alias in aliases:
            progress = Progress(self.stdout, pages, alias)

            def documents(progress=progress):
                last = None
                for document in all_documents():
                    if (document.type, document.object_id) != last:
                        last = (document.type, document.object_id)
                        progress.advance()
                    yield document

            count = search_index_rebuild(documents=documents(), aliases=[alias])[alias]
            progress.finish()
            self.stdout.write(self.style.SUCCESS(f"{alias}: indexed {count} documents from {pages} pages."))

    def status(self, aliases: list[str]) -> None:
        expected = database_counts()
        drift = False
        for alias in aliases:
            try:
                indexed = get_backend(alias).stats()
            except Exception as error:
                self.stdout.write(self.style.ERROR(f"{alias}: unavailable ({error})"))
                drift = True
                continue
            self.stdout.write(f"{alias}:")
            self.stdout.write(f"  {'type':<10} {'language':<8} {'database':>9} {'index':>9}")
            for key in sorted(set(expected) | set(indexed)):
                in_database, in_index = expected.get(key, 0), indexed.get(key, 0)
                marker = "" if in_database == in_index else "  ← drift"
                drift = drift or bool(marker)
                self.stdout.write(f"  {key[0]:<10} {key[1]:<8} {in_database:>9} {in_index:>9}{marker}")
        queued = SearchOutboxEntry.objects.count()
        self.stdout.write(f"Queued updates: {queued}")
        self.stdout.write(
            self.style.WARNING("Drift found: run `search_index update`, or `rebuild`.") if drift else "No drift."
        )
