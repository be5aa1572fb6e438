"""Elasticsearch going away under load: searches fall back, queued updates are replayed, rebuilds lose nothing.

The site talks to the live node through a small TCP proxy (a thread copying
bytes) that a test can stall or cut: from the backend's side that is the node
stopping, mid-request or between requests, without stopping the node the
rest of the suite shares. Runs only with a live node (TEST_ELASTICSEARCH_URL).
"""

import contextlib
import socket
import threading
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from casestudies.models import CaseStudyPage
from search import services
from search.backends import get_backend, reset_backends
from search.backends.base import SearchQuery
from search.models import SearchOutboxEntry
from search.services import all_documents, search_index_rebuild, search_outbox_process
from tests.search.builders import LIVE_ELASTICSEARCH_URL, NO_LIVE_NODE

pytestmark = [pytest.mark.skipif(not LIVE_ELASTICSEARCH_URL, reason=NO_LIVE_NODE), pytest.mark.django_db]


class Proxy:
    """Forwards 127.0.0.1:<port> to the node; `stall()` holds traffic, `cut()` drops every connection."""

    def __init__(self, url: str):
        target = urlsplit(url)
        self.target = (target.hostname, target.port or 9200)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = threading.Event()
        self.up.set()
        self.flowing = threading.Event()
        self.flowing.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()  # the node is down: the connection is refused at once
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    def _pipe(self, source, destination):
        try:
            while data := source.recv(65536):
                self.flowing.wait()
                if not self.up.is_set():
                    break
                destination.sendall(data)
        except OSError:
            pass
        for end in (source, destination):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def stall(self):
        """Requests go out but nothing comes back, as from a node that stopped mid-request."""
        self.flowing.clear()

    def cut(self):
        """The node is gone: open connections drop, new ones are refused."""
        self.up.clear()
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for end in sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.flowing.set()

    def restore(self):
        self.up.set()
        self.flowing.set()

    def close(self):
        self.cut()
        self.listener.close()


@pytest.fixture
def proxy():
    proxy = Proxy(LIVE_ELASTICSEARCH_URL)
    yield proxy
    proxy.close()


@pytest.fixture
def site(settings, tmp_path, proxy):
    """The site on Elasticsearch (through the proxy) with a private embedded index as fallback, both rebuilt."""
    prefix = f"hub-faults-{uuid.uuid4().hex[:12]}"
    settings.SEARCH_BACKENDS = {
        "embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": str(tmp_path / "index.sqlite3")},
        "elasticsearch": {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
            "URL": proxy.url,
            "INDEX_PREFIX": prefix,
            "TIMEOUT": 1,
            "MAX_RETRIES": 0,
            "INDEXING_TIMEOUT": 5,
            "NUMBER_OF_REPLICAS": 0,
        },
        "database": {"BACKEND": "search.backends.database.DatabaseBackend"},
    }
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACKS = ["embedded", "database"]
    reset_backends()
    search_index_rebuild()
    yield
    elasticsearch = get_backend("elasticsearch")
    proxy.restore()
    indices = list(elasticsearch.writer.indices.get_alias(index=f"{prefix}-*").body)
    if indices:
        elasticsearch.writer.indices.delete(index=indices)
    reset_backends()


def api(client, text, **params):
    response = client.get("/api/search/", {"q": text, **params})
    assert response.status_code == 200
    return response.json()


def ids(answer):
    return sorted(hit["id"] for hit in answer["hits"])


def case_studies(count):
    pages = list(CaseStudyPage.objects.live().order_by("pk")[:count])
    assert len(pages) == count
    return pages


def retitle(page, title):
    page.title_en = title
    page.save_revision().publish()


def make_due():
    SearchOutboxEntry.objects.update(available_at=timezone.now() - timedelta(seconds=1))


def titles_in(alias, word):
    results = get_backend(alias).search(SearchQuery(text=word, language="en", languages=("en",), page_size=100))
    return sorted(hit.title for hit in results.hits)


# --- searches ------------------------------------------------------------------------


def test_a_node_that_stops_mid_query_is_answered_by_the_embedded_index(client, site, proxy, settings):
    # The circuit breaker (search/breaker.py) skips a failed node for this long.
    settings.SEARCH_BREAKER_SECONDS = 1
    healthy = api(client, "wool")
    assert healthy["backend"] == "elasticsearch" and not healthy["degraded"]
    assert healthy["total"] > 0

    # The request reaches the node, which stops before it answers.
    proxy.stall()
    threading.Timer(0.3, proxy.cut).start()
    started = time.monotonic()
    degraded = api(client, "wool")
    assert time.monotonic() - started < 2.5
    assert degraded["backend"] == "embedded" and degraded["degraded"]
    assert ids(degraded) == ids(healthy)

    # While it is down, every search is refused at once and answered by the embedded index.
    started = time.monotonic()
    assert api(client, "wool")["backend"] == "embedded"
    assert time.monotonic() - started < 1.5

    proxy.restore()
    # Still skipped while the breaker is open; tried again once it has passed.
    assert api(client, "wool")["backend"] == "embedded"
    time.sleep(1.1)
    back = api(client, "wool")
    assert back["backend"] == "elasticsearch" and not back["degraded"]
    assert ids(back) == ids(healthy)


def test_a_node_that_hangs_times_out_and_the_embedded_index_answers(client, site, proxy):
    proxy.stall()
    started = time.monotonic()
    answer = api(client, "wool")
    # TIMEOUT is one second: a hung node costs that, not the page.
    assert time.monotonic() - started < 2.5
    assert answer["backend"] == "embedded" and answer["degraded"] and answer["total"] > 0


# --- indexing ------------------------------------------------------------------------


def test_updates_queued_while_the_node_is_down_are_replayed_when_it_returns(site, proxy, monkeypatch):
    pages = case_studies(6)
    titles = [f"Zorbleweave {number} blankets" for number in range(6)]
    for page, title in zip(pages, titles, strict=True):
        retitle(page, title)

    # The first batch of two pages reaches the node; it stops in the middle of the second.
    monkeypatch.setattr(services, "BATCH", 2)
    elasticsearch = get_backend("elasticsearch")
    index = elasticsearch.index
    calls = []

    def index_and_stop_in_the_second_batch(documents):
        calls.append(1)
        if len(calls) == 2:
            proxy.stall()
            threading.Timer(0.3, proxy.cut).start()
        return index(documents)

    monkeypatch.setattr(elasticsearch, "index", index_and_stop_in_the_second_batch)
    report = search_outbox_process()
    assert report.failed == 4  # the four pages not yet sent, for Elasticsearch
    assert titles_in("embedded", "zorbleweave") == sorted(titles)
    kept = SearchOutboxEntry.objects.filter(backend="elasticsearch")
    assert kept.count() == 4 and all(entry.attempts == 1 and entry.last_error for entry in kept)

    # A retry while still down keeps them, with a longer back-off.
    make_due()
    assert search_outbox_process().failed == 4

    proxy.restore()
    make_due()
    report = search_outbox_process()
    assert (report.failed, report.remaining) == (0, 0)
    assert titles_in("elasticsearch", "zorbleweave") == sorted(titles)
    assert get_backend("elasticsearch").stats() == get_backend("embedded").stats()


# --- rebuilds ------------------------------------------------------------------------


def test_a_rebuild_while_pages_are_published_loses_no_change(site):
    early, late = case_studies(2)
    early_key = f"casestudy:{early.pk}:"

    def documents_while_editors_publish():
        published = False
        for document in all_documents():
            yield document
            if not published and document.key.startswith(early_key):
                # The rebuild has read this page; an editor now publishes it,
                # and the outbox applies the change to the index still serving.
                published = True
                retitle(early, "Quillfeather early change")
                retitle(late, "Quillfeather late change")
                report = search_outbox_process()
                assert report.applied and not report.failed

    search_index_rebuild(documents=documents_while_editors_publish(), aliases=["elasticsearch"])

    assert titles_in("elasticsearch", "quillfeather") == ["Quillfeather early change", "Quillfeather late change"]
    assert SearchOutboxEntry.objects.count() == 0
    assert get_backend("elasticsearch").stats() == get_backend("embedded").stats()
