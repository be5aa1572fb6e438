"""CPU benchmark: server CPU per request of each public page type, beside a bare `wagtail start` page.

Two servers run side by side in the same run, each gunicorn with 1 worker and
1 thread, DEBUG off, SQLite, the same cache (Redis database BENCH_REDIS_DB,
default 13 here, when Redis answers at 127.0.0.1:6379, else local memory):
the Hub seeded with `seed_demo`, and a project made here by `wagtail start` with the same venv (its production
settings plus a local.py: secret key, allowed hosts, the cache, persistent
database connections like the Hub's), migrated, serving its home page.

CPU is the worker process's own CPU time (all its threads' on-CPU time from
/proc/<pid>/task/*/schedstat, in nanoseconds; utime+stime from /proc/<pid>/stat
is kept as a cross-check), read before and after blocks of BENCH_CPU_BLOCK
requests (default 20); blocks alternate between the Hub and the bare page,
BENCH_CPU_ROUNDS rounds per page type (default 7). The client's CPU is not
counted, so a busy machine slows the run but hardly moves the figures.

- uncached: every request carries a new `_bench=<n>` query parameter, so a
  page cache keyed on the full URL misses;
- repeat: the same URL again (what a page cache, once there, would serve);
- cold (with Redis only): as uncached, and before each request the content
  version (core.freshness) is bumped in Redis, as a publish does, so every
  cache of public content misses: the first visitor after a publish.
Page types: those bench.served lists, plus the course catalogue, a course, a
module, a lesson, a quiz, the expert directory, an expert, the guide index, a
guide, a certificate's public check page and a 404,
found in a child process on the prepared site.
Ratios are the median of each round's Hub block over its neighbouring bare block;
"bare ms" beside each page type is the median of those neighbouring bare blocks.
Queries: SQL statements of a repeat visit through django.test.Client.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

# A Redis database of its own (bench.served reads this when imported): the cold
# variant bumps the content version there, which must not reach a load run's site.
os.environ.setdefault("BENCH_REDIS_DB", "13")

from bench.results import record
from bench.served import BIN, REPOSITORY, get, gunicorn, hub_site, query_counts, redis_url

BLOCK = int(os.environ.get("BENCH_CPU_BLOCK", "20"))
ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "7"))
WARM_UP = 3
NOT_FOUND_PREFIX = "/en/no-such-page-here/"
VARIANTS = ("uncached", "repeat", "cold")
# core.freshness.CONTENT_VERSION_KEY as the Hub's RedisCache stores it (KEY_PREFIX "hub", version 1).
CONTENT_VERSION_REDIS_KEY = "hub:1:hub:content:version"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BARE_LOCAL_SETTINGS = """\
# Written by bench/cpu_vs_bare.py: production settings, served on loopback.
from .base import DATABASES

SECRET_KEY = {secret!r}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES["default"]["CONN_MAX_AGE"] = 60  # as the Hub (DATABASE_CONN_MAX_AGE)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
{caches}
"""


@dataclass
class Worker:
    pid: int
    schedstat_ns: int = 0
    ticks: int = 0

    def cpu(self) -> tuple[int, int]:
        """(on-CPU nanoseconds of all threads, utime+stime clock ticks)."""
        nanoseconds = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                nanoseconds += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError):
                continue
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        return nanoseconds, int(fields[11]) + int(fields[12])


@dataclass
class PageCost:
    label: str
    url: str
    ms: dict[str, list[float]] = field(default_factory=lambda: {variant: [] for variant in VARIANTS})
    ratios: dict[str, list[float]] = field(default_factory=lambda: {variant: [] for variant in VARIANTS})
    bare_ms: list[float] = field(default_factory=list)


def run() -> bool:
    print("== CPU per request: Hub pages beside a bare `wagtail start` page ==")
    cache = redis_url()
    print("servers: gunicorn 1 worker x 1 thread each, DEBUG off, SQLite, 127.0.0.1")
    print(f"cache: {cache or 'local memory (Redis does not answer at 127.0.0.1:6379)'} for both")
    print(f"blocks: {BLOCK} requests, alternating Hub and bare, {ROUNDS} rounds per page type and variant")
    print(f"load average, 1 min: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)", flush=True)
    with bare_project(cache) as bare_env, hub_site("cpu", cache_url=cache, count_queries=True) as site:
        print(f"Hub: {site.database_label}, seeded in {site.seed_seconds:.0f} s; bare project: {bare_env['folder']}")
        pages, queries = _every_page_type(site)
        with (
            gunicorn(
                "hub.wsgi",
                environment=site.environment,
                cwd=REPOSITORY,
                workers=1,
                threads=1,
                ready_path="/en/",
                log=site.folder / "hub-gunicorn.log",
            ) as hub_server,
            gunicorn(
                "bare.wsgi",
                environment=bare_env["environment"],
                cwd=Path(bare_env["folder"]),
                workers=1,
                threads=1,
                ready_path="/",
                log=Path(bare_env["folder"]) / "gunicorn.log",
            ) as bare_server,
        ):
            (hub_pid,), (bare_pid,) = hub_server.worker_pids(), bare_server.worker_pids()
            hub, bare = Worker(hub_pid), Worker(bare_pid)
            costs, bare_ms, totals = _measure(pages, hub_server.port, bare_server.port, hub, bare, cache)
    _report(costs, bare_ms, queries, totals)
    return True


def _measure(pages, hub_port, bare_port, hub: Worker, bare: Worker, cache_url: str | None):
    for url in pages.values():
        for _ in range(WARM_UP):
            _get(hub_port, url)
    for _ in range(WARM_UP):
        _get(bare_port, "/")
    serial = 0
    bare_ms: list[float] = []
    start = {"hub": hub.cpu(), "bare": bare.cpu()}
    costs = []
    for label, url in pages.items():
        cost = PageCost(label=label, url=url)
        for variant in VARIANTS if cache_url else VARIANTS[:2]:
            bump = _content_bump(cache_url) if variant == "cold" else None
            for round_number in range(ROUNDS):
                hub_paths = []
                for _ in range(BLOCK):
                    serial += 1
                    hub_paths.append(url if variant == "repeat" else _with_nonce(url, serial))
                # Alternate which server goes first, so neither always follows the other.
                order = [("hub", hub_port, hub_paths), ("bare", bare_port, ["/"] * BLOCK)]
                if round_number % 2:
                    order.reverse()
                block_ms = {}
                for name, port, paths in order:
                    worker = hub if name == "hub" else bare
                    before, _ticks = worker.cpu()
                    for path in paths:
                        if bump and name == "hub":
                            bump()
                        _get(port, path)
                    after, _ticks = worker.cpu()
                    block_ms[name] = (after - before) / 1e6 / len(paths)
                cost.ms[variant].append(block_ms["hub"])
                cost.ratios[variant].append(block_ms["hub"] / block_ms["bare"])
                bare_ms.append(block_ms["bare"])
                cost.bare_ms.append(block_ms["bare"])
        costs.append(cost)
        print(
            f"  {label}: "
            + ", ".join(f"{statistics.median(times):.1f} ms {variant}" for variant, times in cost.ms.items() if times),
            flush=True,
        )
    end = {"hub": hub.cpu(), "bare": bare.cpu()}
    totals = {
        name: ((end[name][0] - start[name][0]) / 1e6, (end[name][1] - start[name][1]) * 1000 / CLOCK_TICKS)
        for name in start
    }
    return costs, bare_ms, totals


def _content_bump(cache_url: str):
    """A function that bumps the Hub's content version in Redis, as publishing a page does."""
    import redis

    client = redis.Redis.from_url(cache_url, socket_connect_timeout=2, socket_timeout=5)
    return lambda: client.incr(CONTENT_VERSION_REDIS_KEY)


def _every_page_type(site) -> tuple[dict[str, str], dict[str, int]]:
    """The served site's page types plus the rest (courses, experts, guides, 404), with their query counts.

    Found in a child process on the prepared site's own environment (Django reads its settings once per process).
    """
    output = site.folder / "cpu-pages.json"
    subprocess.run(
        [sys.executable, "-m", "bench.cpu_vs_bare", "--pages", str(output)],
        cwd=REPOSITORY,
        env=site.environment,
        check=True,
    )
    extra = json.loads(output.read_text(encoding="utf-8"))
    pages = {**site.pages, **extra["pages"]}
    queries = {**site.queries, **extra["queries"]}
    return pages, queries


def _more_page_urls() -> dict[str, str]:
    """One English URL per public page type that bench.served does not list."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.encoding import iri_to_uri

    from courses.models import Certificate, CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
    from experts.models import ExpertIndexPage, ExpertPage, GuideIndexPage, GuidePage

    def first(model):
        return model.objects.live().public().order_by("path").first()

    pages = {}
    with translation.override("en"):
        for label, model in (
            ("course catalogue", CourseIndexPage),
            ("course page", CoursePage),
            ("module page", ModulePage),
            ("lesson page", LessonPage),
            ("quiz page", QuizPage),
            ("expert directory", ExpertIndexPage),
            ("expert profile", ExpertPage),
            ("guide index", GuideIndexPage),
            ("guide page", GuidePage),
        ):
            page = first(model)
            if page is not None:
                pages[label] = iri_to_uri(page.get_url())
        certificate = Certificate.objects.order_by("pk").first()
        if certificate is not None:
            pages["certificate check"] = reverse("certificate_verify", args=[certificate.display_code])
    pages["404 (no such page)"] = "/en/no-such-page-here/"
    return pages


def _prepare_more_pages(output: Path) -> None:
    import django

    django.setup()
    pages = _more_page_urls()
    queries = query_counts(pages)
    output.write_text(json.dumps({"pages": pages, "queries": queries}, indent=1), encoding="utf-8")


def _with_nonce(url: str, serial: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}_bench={serial}"


def _get(port: int, path: str) -> None:
    status, _size = get(port, path)
    if status != (404 if path.startswith(NOT_FOUND_PREFIX) else 200):
        raise RuntimeError(f"{path} answered {status}")


def _report(costs: list[PageCost], bare_ms: list[float], queries: dict[str, int], totals) -> None:
    bare = statistics.median(bare_ms)
    print()
    print(f"bare `wagtail start` home page: {bare:.1f} ms CPU per request (median of {len(bare_ms)} blocks)")
    print(
        f"{'page type':<30} {'uncached ms':>11} {'x bare':>7} {'repeat ms':>10} {'x bare':>7}"
        f" {'cold ms':>8} {'x bare':>7} {'bare ms':>8} {'queries':>8}  url"
    )
    figures = {}
    for cost in costs:
        figures[cost.label] = {"queries": queries.get(cost.label, "")}
        cells = []
        for variant in VARIANTS:
            if not cost.ms[variant]:
                cells.append(f"{'-':>8} {'-':>7}" if variant == "cold" else "")
                continue
            ms, ratio = statistics.median(cost.ms[variant]), statistics.median(cost.ratios[variant])
            figures[cost.label] |= {f"{variant}_ms": ms, f"{variant}_ratio": ratio}
            width = {"uncached": 11, "repeat": 10, "cold": 8}[variant]
            cells.append(f"{ms:{width}.1f} {ratio:6.1f}x")
        print(
            f"{cost.label:<30} {' '.join(cells)} {statistics.median(cost.bare_ms):8.1f}"
            f" {figures[cost.label]['queries']!s:>8}  {_short(cost.url)}"
        )
    print(
        "targets (issue 13): uncached at most 2.0x the bare page, repeat visit (page cache) at most 0.5x;"
        f" uncached met by {sum(f['uncached_ratio'] <= 2 for f in figures.values())} of {len(figures)},"
        f" repeat by {sum(f['repeat_ratio'] <= 0.5 for f in figures.values())} of {len(figures)}"
    )
    if any("cold_ratio" in f for f in figures.values()):
        print(
            "cold (first visit after a publish, every content cache missing):"
            f" at most 2.0x for {sum(f.get('cold_ratio', 99) <= 2 for f in figures.values())} of {len(figures)}"
        )
    for name, (schedstat_ms, ticks_ms) in totals.items():
        print(f"cross-check, {name} worker's CPU over the run: {schedstat_ms:.0f} ms, utime+stime {ticks_ms:.0f} ms")
    record("cpu", bare_ms=bare, pages=figures)


def _short(url: str) -> str:
    return url if len(url) < 60 else url[:57] + "..."


@contextmanager
def bare_project(cache_url: str | None) -> Iterator[dict]:
    """`wagtail start bare` in a temp folder, migrated and with its static files collected; removed afterwards."""
    parent = Path(tempfile.mkdtemp(prefix="hub-bench-bare-"))
    try:
        yield _bare_project(parent / "bare", cache_url)
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def _bare_project(folder: Path, cache_url: str | None) -> dict:
    import secrets

    folder.mkdir()
    subprocess.run([str(BIN / "wagtail"), "start", "bare", str(folder)], check=True, stdout=subprocess.DEVNULL)
    caches = ""
    if cache_url:
        caches = (
            'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",'
            f' "LOCATION": {cache_url!r}, "KEY_PREFIX": "bare", "TIMEOUT": 600}}}}'
        )
    (folder / "bare" / "settings" / "local.py").write_text(
        BARE_LOCAL_SETTINGS.format(secret=secrets.token_urlsafe(50), caches=caches), encoding="utf-8"
    )
    drop = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "STATIC_ROOT", "MEDIA_ROOT", "PYTHONPATH")
    environment = {key: value for key, value in os.environ.items() if key not in drop}
    environment.update(DJANGO_SETTINGS_MODULE="bare.settings.production", PYTHONUNBUFFERED="1")
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=folder,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return {"folder": str(folder), "environment": environment}


if __name__ == "__main__" and sys.argv[1:2] == ["--pages"]:
    _prepare_more_pages(Path(sys.argv[2]))
