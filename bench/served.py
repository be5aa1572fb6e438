"""The Hub served by gunicorn with production-like settings, for the load and CPU benchmarks.

`hub_site()` builds a throwaway Hub (SQLite file or a new PostgreSQL database,
media and search index in a temp folder, static files collected), seeded with
`seed_demo` and `search_index rebuild` in a child process (Django reads its
settings once per process), and returns the environment to serve it with and
the URLs of each public page type. `gunicorn()` serves an app on a free
loopback port and always stops it (and only it) afterwards.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

REPOSITORY = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# The Redis database the served benchmarks use (the test suite uses 15); it is
# emptied before each site is served, so one run's cache never feeds another.
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "14"))
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
LANGUAGES = ("en", "el", "it", "ar")


@dataclass
class HubSite:
    folder: Path
    environment: dict[str, str]
    database_label: str
    pages: dict[str, str]
    mix: list[str]
    queries: dict[str, int] = field(default_factory=dict)
    seed_seconds: float = 0.0


def redis_url() -> str | None:
    """redis://127.0.0.1:6379/<BENCH_REDIS_DB> when Redis answers there, else None."""
    url = f"redis://{HOST}:6379/{REDIS_DB}"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        client.ping()
        client.close()
    except Exception:
        return None
    return url


def redis_flush(url: str | None) -> None:
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    client.flushdb()
    client.close()


def postgres_server_url() -> str | None:
    """BENCH_DATABASE_URL, else TEST_DATABASE_URL (the Makefile's default), when its server answers."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL
    try:
        import psycopg

        psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), connect_timeout=3).close()
    except Exception:
        return None
    return url


def throwaway_postgres_url(server_url: str, suffix: str) -> str:
    parts = urlsplit(server_url)
    name = parts.path.lstrip("/") or "hub"
    return urlunsplit(parts._replace(path=f"/{name}_{suffix}"))


def hub_environment(folder: Path, database_url: str, cache_url: str | None, static_root: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ELASTICSEARCH_URL", "TASKS_BACKEND", "HTTPS", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="hub.settings",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(folder / "media"),
        EMBEDDED_SEARCH_PATH=str(folder / "search_index.sqlite3"),
        STATIC_ROOT=str(static_root),
        CACHE_URL=cache_url or "locmem://",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        # testserver: the query counts go through django.test.Client.
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        PYTHONUNBUFFERED="1",
    )
    return environment


@contextmanager
def hub_site(
    label: str,
    *,
    postgres_server: str | None = None,
    cache_url: str | None,
    count_queries: bool = False,
    repository: Path = REPOSITORY,
) -> Iterator[HubSite]:
    """A seeded throwaway Hub on SQLite (or PostgreSQL when `postgres_server` is given); removed afterwards.

    `repository`: another checkout of the Hub (an older commit, bench.load) to
    seed instead of this one; it is only seeded, so `pages` and `mix` are empty.
    """
    from bench.environment import _drop_postgres_database, _recreate_postgres_database

    folder = Path(tempfile.mkdtemp(prefix=f"hub-bench-{label}-"))
    database_url = f"sqlite:///{folder / 'hub.sqlite3'}"
    if postgres_server:
        database_url = throwaway_postgres_url(postgres_server, f"bench_{label}")
        _recreate_postgres_database(database_url)
    try:
        environment = hub_environment(folder, database_url, cache_url, folder / "static")
        redis_flush(cache_url)
        started = time.perf_counter()
        output = folder / "prepared.json"
        command = [sys.executable, "-m", "bench.served", str(output)] + (["--queries"] if count_queries else [])
        if repository != REPOSITORY:
            # This file's seeding, run on the other checkout's code (its folder comes first on sys.path).
            script = f"import runpy, sys; sys.argv = ['served', {str(output)!r}, '--seed-only']; "
            script += f"runpy.run_path({__file__!r}, run_name='__main__')"
            command = [sys.executable, "-c", script]
            environment.pop("PYTHONPATH", None)
        subprocess.run(command, cwd=repository, env=environment, check=True)
        prepared = json.loads(output.read_text(encoding="utf-8"))
        yield HubSite(
            folder=folder,
            environment=environment,
            database_label=prepared["database"],
            pages=prepared["pages"],
            mix=prepared["mix"],
            queries=prepared.get("queries", {}),
            seed_seconds=time.perf_counter() - started,
        )
    finally:
        if postgres_server:
            try:
                _drop_postgres_database(database_url)
            except Exception as error:  # the report matters more than the cleanup
                print(f"could not drop {database_url}: {error}")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the processes whose parent is the master we started."""
        workers = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Field 4 (ppid) comes after the parenthesised command name.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                workers.append(int(entry.name))
        return sorted(workers)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(
    app: str, *, environment: dict[str, str], cwd: Path, workers: int, threads: int, ready_path: str, log: Path
) -> Iterator[Server]:
    """Serve `app` on 127.0.0.1; wait until `ready_path` answers; stop the server whatever happens."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        app,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--timeout=120",
        "--graceful-timeout=5",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    process = subprocess.Popen(command, cwd=cwd, env=environment, start_new_session=True)
    server = Server(process=process, port=port, log=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with {process.returncode}:\n{server.log_tail()}")
            try:
                get(port, ready_path, timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not answer in 90 s:\n{server.log_tail()}") from None
                time.sleep(0.3)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the gunicorn master we started, then SIGKILL its process group if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def get(port: int, path: str, timeout: float = 60, encoding: str = "identity") -> tuple[int, int]:
    """One GET on a fresh connection; (status, body bytes as sent, compressed or not)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


# --- Child process: prepare the site -------------------------------------------------


def _prepare(output: Path, count_queries: bool, seed_only: bool = False) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    quiet = io.StringIO()
    with redirect_stdout(quiet):  # wagtail-modeltranslation prints its ALTER TABLEs
        call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
        call_command("seed_demo", stdout=quiet)
        call_command("search_index", "rebuild", stdout=quiet)
    collect_static()
    if seed_only:
        output.write_text(json.dumps({"database": _database_label(), "pages": {}, "mix": []}), encoding="utf-8")
        return
    pages, mix = _page_urls()
    prepared = {"database": _database_label(), "pages": pages, "mix": mix}
    if count_queries:
        prepared["queries"] = query_counts(pages)
    output.write_text(json.dumps(prepared, ensure_ascii=False, indent=1), encoding="utf-8")


def collect_static() -> None:
    """collectstatic into STATIC_ROOT: with DEBUG off, every {% static %} needs the manifest."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())


def _database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}, file in a temp folder"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    return f"PostgreSQL {version}, database {connection.settings_dict['NAME']}"


def _page_urls() -> tuple[dict[str, str], list[str]]:
    """One URL per public page type (for the CPU benchmark) and the load mix (several languages)."""
    from django.utils import translation
    from django.utils.encoding import iri_to_uri

    from casestudies.models import CaseStudyIndexPage, CaseStudyPage
    from hub.models import AboutPage, ClusterPage

    case_studies = list(CaseStudyPage.objects.live().order_by("external_id")[:6])
    cluster = ClusterPage.objects.live().order_by("path").first()
    about = AboutPage.objects.live().first()
    index = CaseStudyIndexPage.objects.live().first()
    pages: dict[str, str] = {}
    mix: list[str] = []
    for language in LANGUAGES:
        with translation.override(language):
            filtered = index.get_url() + _two_filters()
            word = _search_word(case_studies[0], language)
            search = f"/{language}/search/?q={quote(word)}"
            details = [page.get_url() for page in case_studies]
            if language == "en":
                pages = {
                    "home": "/en/",
                    "home (ar)": "/ar/",
                    "about": about.get_url(),
                    "cluster": cluster.get_url(),
                    "case-study index, 2 filters": filtered,
                    "case-study detail": details[0],
                    "search": search,
                }
            # The mix: home, filtered index, two details and search per language.
            mix += [f"/{language}/", filtered, details[LANGUAGES.index(language)], details[-1], search]
    return {label: iri_to_uri(url) for label, url in pages.items()}, [iri_to_uri(url) for url in mix]


def _two_filters() -> str:
    """'?a=x&b=y': the first value of the first facet, then the first value left in another facet."""
    from django.http import QueryDict

    from casestudies.selectors import case_study_browse

    browse = case_study_browse(params=QueryDict(""))
    first = next(value for facet in browse.facets for value in facet.values if value.count)
    first_key = first.url.lstrip("?").split("=", 1)[0]
    narrowed = case_study_browse(params=QueryDict(first.url.lstrip("?")))
    second = next(value for facet in narrowed.facets if facet.key != first_key for value in facet.values if value.count)
    return second.url


def _search_word(page, language: str) -> str:
    title = getattr(page, f"title_{language}", "") or page.title
    words = sorted(re.findall(r"\w{4,}", title), key=len, reverse=True)
    return words[0] if words else "circular"


def query_counts(pages: dict[str, str]) -> dict[str, int]:
    """SQL statements per page type on a repeat visit (the caches warm), via django.test.Client.

    A page answering other than expected (200; 404 for labels starting "404") gives minus its status.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for label, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        expected = 404 if label.startswith("404") else 200
        counts[label] = len(captured.captured_queries) if response.status_code == expected else -response.status_code
    return counts


if __name__ == "__main__":
    _prepare(Path(sys.argv[1]), count_queries="--queries" in sys.argv[2:], seed_only="--seed-only" in sys.argv[2:])
