"""A hung search cluster neither stalls publishing nor searches, and queued index
updates reach the index by themselves (issue 11, findings 5 and 6).

"Hung" is a socket that accepts connections and never answers, the hardest
failure: every request waits its full timeout.
"""

import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from casestudies.models import CaseStudyPage
from search.backends import get_backend, reset_backends
from search.breaker import breaker_is_open
from search.models import SearchOutboxEntry
from search.services import search_index_rebuild

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
NEW_TITLE = "Quokkaweave blankets spun from Prato rags"


@pytest.fixture
def hung_server():
    """An address that accepts TCP connections and never sends a byte."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    server.settimeout(0.1)
    held, stop = [], threading.Event()

    def accept_and_hold():
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                break

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def hung_elasticsearch(settings, tmp_path, hung_server):
    """Elasticsearch (hung) answers searches; a private embedded index is the fallback."""
    settings.SEARCH_BACKENDS = {
        "embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": str(tmp_path / "index.sqlite3")},
        "elasticsearch": {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
            "URL": hung_server,
            "INDEX_PREFIX": "hub-hung",
            "TIMEOUT": 0.5,
            "MAX_RETRIES": 1,
        },
        "database": {"BACKEND": "search.backends.database.DatabaseBackend"},
    }
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACKS = ["embedded", "database"]
    reset_backends()
    search_index_rebuild(aliases=["embedded"])
    yield
    reset_backends()


@pytest.fixture
def embedded_index(settings, tmp_path):
    settings.SEARCH_BACKENDS = {
        "embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": str(tmp_path / "index.sqlite3")}
    }
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    search_index_rebuild()
    yield get_backend("embedded")
    reset_backends()


def titles_found(client, text):
    response = client.get("/api/search/", {"q": text})
    assert response.status_code == 200
    return [hit["title"] for hit in response.json()["hits"]]


# Finding 5: publishing only queues; searches skip a failed backend -------------------------------------------


def test_publishing_with_a_hung_cluster_takes_under_a_second(
    settings, hung_elasticsearch, django_capture_on_commit_callbacks
):
    settings.SEARCH_OUTBOX_WORKER = True
    page = CaseStudyPage.objects.get(external_id="prato-001")
    page.title_en = NEW_TITLE
    started = time.perf_counter()
    # What the admin's Publish runs, after-commit work included.
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    elapsed = time.perf_counter() - started
    print(f"publish with a hung cluster: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    queued = SearchOutboxEntry.objects.filter(object_id=page.pk)
    assert set(queued.values_list("backend", flat=True)) == {"embedded", "elasticsearch"}


def test_searches_skip_a_hung_cluster_once_its_breaker_is_open(client, hung_elasticsearch):
    started = time.perf_counter()
    first = client.get("/api/search/", {"q": "wool"}).json()
    first_ms = (time.perf_counter() - started) * 1000
    assert first["degraded"] is True and first["backend"] == "embedded" and first["total"] > 0
    assert breaker_is_open("elasticsearch")

    timings = []
    for query in ["wool", "denim", "ceramics", "repair", "textile"] * 8:
        started = time.perf_counter()
        response = client.get("/api/search/", {"q": query})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        assert response.json()["degraded"] is True
    p95 = statistics.quantiles(timings, n=20)[-1]
    started = time.perf_counter()
    assert client.get("/api/search/suggest/", {"q": "wo"}).status_code == 200
    suggest_ms = (time.perf_counter() - started) * 1000
    print(
        f"hung cluster: first search {first_ms:.0f} ms (opens the breaker); then {len(timings)} searches "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms; "
        f"suggest {suggest_ms:.1f} ms"
    )
    assert p95 < 50
    assert suggest_ms < 50


def test_the_breaker_tries_the_backend_again_after_its_period(client, settings, hung_elasticsearch):
    settings.SEARCH_BREAKER_SECONDS = 0
    client.get("/api/search/", {"q": "wool"})
    assert not breaker_is_open("elasticsearch")  # a zero period: every search tries the cluster again


# Finding 5 and 6: the worker applies the queue --------------------------------------------------------------------


def test_the_worker_applies_what_publishing_queued(client, settings, embedded_index):
    settings.SEARCH_OUTBOX_WORKER = True
    page = CaseStudyPage.objects.get(external_id="prato-001")
    page.title_en = NEW_TITLE
    page.save_revision().publish()
    assert NEW_TITLE not in titles_found(client, "Quokkaweave")
    out = StringIO()
    call_command("search_index", "worker", "--once", stdout=out)
    assert "Applied 1 queued updates; 0 failed; 0 remain." in out.getvalue()
    assert NEW_TITLE in titles_found(client, "Quokkaweave")
    assert not SearchOutboxEntry.objects.exists()


CRASH_MID_BATCH = """
import os, signal, django
django.setup()
from django.db import transaction
from core.searchable import searchable_models
from search.backends import get_backend
from search.services import search_outbox_enqueue, search_outbox_process

with transaction.atomic():
    for model in searchable_models():
        search_outbox_enqueue(pages=model.objects.live(), action="index")

backend = get_backend("embedded")
write = backend.index

def index_half_then_die(documents):
    documents = list(documents)
    write(documents[: len(documents) // 2])
    os.kill(os.getpid(), signal.SIGKILL)

backend.index = index_half_then_die
search_outbox_process()
"""


def test_a_crash_mid_batch_heals_by_itself_with_the_worker(tmp_path):
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("copies the SQLite test database to a file")
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    database.write_bytes(connection.connection.serialize())
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("CACHE_URL", "ELASTICSEARCH_URL")},
        "DJANGO_SETTINGS_MODULE": "hub.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "EMBEDDED_SEARCH_PATH": str(tmp_path / "index.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_OUTBOX_WORKER": "true",
        "SEARCH_WORKER_POLL_MS": "100",
    }

    def run(*args, **kwargs):
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, **kwargs)

    crashed = run(sys.executable, "-c", CRASH_MID_BATCH)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    with sqlite3.connect(database) as check:
        queued = check.execute("SELECT COUNT(*) FROM search_searchoutboxentry").fetchone()[0]
    assert queued > 0
    assert "Drift found" in run(sys.executable, "manage.py", "search_index", "status").stdout

    # The worker, as `make run` and production start it; nobody runs `search_index update`.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "search_index", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with sqlite3.connect(database) as check:
                if check.execute("SELECT COUNT(*) FROM search_searchoutboxentry").fetchone()[0] == 0:
                    break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        stdout, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0, stderr[-2000:]
    assert "Search worker stopped" in stdout
    status = run(sys.executable, "manage.py", "search_index", "status").stdout
    assert "No drift." in status, status
