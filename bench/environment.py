"""A throwaway Hub for one benchmark: its own database, media folder and search file.

Settings read the environment once, at import, so everything here must happen
before `django.setup()`; that is also why each benchmark runs in its own process.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Set BENCH_DATABASE_URL=postgres://user@host:port/name to benchmark on PostgreSQL;
# each benchmark then creates and drops its own database `<name>_<benchmark>`.
BENCH_DATABASE_URL = "BENCH_DATABASE_URL"


@dataclass(frozen=True)
class Sandbox:
    folder: Path
    database_url: str
    database_label: str


def database_description() -> str:
    """Which database the benchmarks will use, said before Django is loaded."""
    url = os.environ.get(BENCH_DATABASE_URL)
    if not url:
        return "SQLite, a throwaway file per benchmark"
    return f"PostgreSQL at {_without_password(url)}, a throwaway database per benchmark"


@contextmanager
def sandbox(benchmark: str) -> Iterator[Sandbox]:
    """Point the Hub at fresh storage, load Django, migrate; remove everything afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"hub-bench-{benchmark}-"))
    postgres_url = _postgres_url(benchmark)
    database_url = postgres_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    if postgres_url:
        _recreate_postgres_database(postgres_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["EMBEDDED_SEARCH_PATH"] = str(folder / "search_index.sqlite3")
    # Empty unless a benchmark collects static files (bench.served.collect_static).
    os.environ["STATIC_ROOT"] = str(folder / "static")
    (folder / "static").mkdir()
    # A developer's shell may point at shared services or turn on DEBUG, which
    # records every query and would distort the timings.
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["DEBUG"] = "false"
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.pop("TASKS_BACKEND", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        # wagtail-modeltranslation's column sync prints its SQL whatever the verbosity.
        migrate_output = io.StringIO()
        with redirect_stdout(migrate_output):
            call_command("migrate", interactive=False, verbosity=0, stdout=migrate_output)
        yield Sandbox(folder=folder, database_url=database_url, database_label=_database_label())
    finally:
        _close_connections()
        if postgres_url:
            _drop_postgres_database(postgres_url)
        shutil.rmtree(folder, ignore_errors=True)


def _database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version} (file {connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    return f"{connection.vendor} {version} (database {connection.settings_dict['NAME']})"


def _close_connections() -> None:
    try:
        from django.db import connections
    except ImportError:
        return
    connections.close_all()


def _postgres_url(benchmark: str) -> str | None:
    url = os.environ.get(BENCH_DATABASE_URL)
    if not url:
        return None
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "bench_hub"
    return urlunsplit(parts._replace(path=f"/{name}_{benchmark}"))


def _maintenance_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5)


def _recreate_postgres_database(url: str) -> None:
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with _maintenance_connection(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_postgres_database(url: str) -> None:
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with _maintenance_connection(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
