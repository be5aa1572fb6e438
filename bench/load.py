"""Load benchmark: wrk at 50 connections against gunicorn with production-like settings, per database.

Per database (SQLite always; PostgreSQL when the server of BENCH_DATABASE_URL,
else TEST_DATABASE_URL, answers: throwaway databases are created and dropped),
three runs side by side, each served the same way (gunicorn on 127.0.0.1,
2 workers x 4 threads, DEBUG off, a random SECRET_KEY, Redis cache when it
answers, else local memory) on a demo site seeded the same way (`seed_demo`,
`search_index rebuild`, static files collected):

- cached: this checkout, the anonymous page cache on, warm (each URL of the mix
  requested once first, so wrk measures hits);
- uncached: this checkout, PAGE_CACHE=false (every request renders);
- base: the same mix rendered by an older commit (BENCH_BASE, default 79d77d8,
  the main before the speed work), checked out into a temporary `git worktree`
  sharing this virtual environment, seeded and served the same way, removed
  afterwards. BENCH_BASE= (empty) skips it.

wrk cycles through the mix for BENCH_LOAD_SECONDS (default 20) per run,
sending `Accept-Encoding: gzip` as browsers do. The mix, per language (en, el,
it, ar): home, the case-study index with two filters, two case-study pages, a
search. wrk itself runs on the same machine and takes CPU from the server.
Targets (issue 13): cached at least 1,000 req/s, no errors anywhere, uncached
at least twice the base.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.results import record
from bench.served import REPOSITORY, get, gunicorn, hub_site, postgres_server_url, redis_flush, redis_url

CONNECTIONS = 50
WRK_THREADS = 2
WORKERS, THREADS = 2, 4
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
BASE = os.environ.get("BENCH_BASE", "79d77d8")
CACHED_TARGET = 1000
UNCACHED_SPEED_UP_TARGET = 2.0
COMPRESSED_API = "/api/v2/case-studies/?fields=*"
MARKER = "BENCH-JSON "

# wrk's Lua: every thread walks the mix from its own offset; done() prints the
# figures as one JSON line (latencies in microseconds).
LUA = """
local paths = %(paths)s
local counter = 0
local threads = 0
setup = function(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end
init = function(args)
  counter = offset or 0
end
local headers = {["Accept-Encoding"] = "gzip"}
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "%(marker)s{\\"requests\\": %%d, \\"duration_us\\": %%d, \\"non_2xx_3xx\\": %%d, \\"connect\\": %%d, "
    .. "\\"read\\": %%d, \\"write\\": %%d, \\"timeout\\": %%d, \\"p50_us\\": %%d, \\"p99_us\\": %%d, "
    .. "\\"max_us\\": %%d}\\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class LoadResult:
    database: str
    variant: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    warm_up_failures: list[str]

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + self.socket_errors + len(self.warm_up_failures)

    def figures(self) -> dict:
        return {
            "requests_per_second": self.requests_per_second,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "errors": self.errors,
        }


def run() -> bool:
    print("== Load: wrk against gunicorn, production-like settings ==")
    wrk = shutil.which("wrk")
    if not wrk:
        print("FAILED wrk is not installed (Debian: apt-get install wrk; `make bench` installs it)")
        return False
    cache = redis_url()
    postgres = postgres_server_url()
    print(f"server: gunicorn {WORKERS} workers x {THREADS} threads, DEBUG off, 127.0.0.1")
    print(f"cache: {cache or 'local memory per process (Redis does not answer at 127.0.0.1:6379)'}")
    print(f"client: wrk, {CONNECTIONS} connections, {WRK_THREADS} threads, {SECONDS} s per run, Accept-Encoding: gzip")
    print(f"runs per database: cached (page cache on, warm), uncached (PAGE_CACHE=false), base ({BASE or 'skipped'})")
    print(f"load average, 1 min: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs; wrk shares them with the server)")
    if not postgres:
        print("PostgreSQL: does not answer (set TEST_DATABASE_URL or run scripts/ci_services.sh): SQLite only")
    results: list[LoadResult] = []
    databases = [("sqlite", None)] + ([("postgresql", postgres)] if postgres else [])
    try:
        with _base_checkout(BASE) as base:
            for name, server_url in databases:
                results += _run_database(name, server_url, cache, wrk, base)
    finally:
        redis_flush(cache)
    print()
    print(
        f"{'database':<12} {'run':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9}"
        f" {'non-2xx/3xx':>12} {'socket err':>11}"
    )
    for result in results:
        print(
            f"{result.database:<12} {result.variant:<10} {result.requests_per_second:8.1f} {result.p50_ms:8.0f}"
            f" {result.p99_ms:8.0f} {result.requests:9d} {result.non_2xx_3xx:12d} {result.socket_errors:11d}"
        )
    by_database: dict[str, dict] = {}
    for result in results:
        by_database.setdefault(result.database, {})[result.variant] = result.figures()
    passed = all(not result.errors for result in results)
    for database, runs in by_database.items():
        checks = []
        if "cached" in runs:
            rate = runs["cached"]["requests_per_second"]
            checks.append(f"cached {rate:.0f} req/s {'>=' if rate >= CACHED_TARGET else '<'} {CACHED_TARGET}")
        if "uncached" in runs and "base" in runs:
            speed_up = runs["uncached"]["requests_per_second"] / runs["base"]["requests_per_second"]
            runs["uncached_speed_up"] = speed_up
            verdict = ">=" if speed_up >= UNCACHED_SPEED_UP_TARGET else "<"
            checks.append(f"uncached {speed_up:.2f}x the base {verdict} {UNCACHED_SPEED_UP_TARGET:.0f}x")
        print(f"{database}: {'; '.join(checks)} (targets, reported; errors fail the benchmark)")
    record("load", seconds=SECONDS, connections=CONNECTIONS, base=BASE, databases=by_database)
    return passed


def _run_database(name: str, postgres_server: str | None, cache: str | None, wrk: str, base: Path | None):
    print(f"\n-- {name} --", flush=True)
    results = []
    with hub_site("load", postgres_server=postgres_server, cache_url=cache) as site:
        print(f"database: {site.database_label}; site seeded and static files collected in {site.seed_seconds:.0f} s")
        print(f"mix: {len(site.mix)} URLs, e.g. {', '.join(site.mix[:2])}, {site.mix[4]}")
        mix = site.mix
        results.append(_serve_and_load(name, "cached", site.environment, REPOSITORY, site.folder, mix, wrk))
        uncached = {**site.environment, "PAGE_CACHE": "false"}
        results.append(_serve_and_load(name, "uncached", uncached, REPOSITORY, site.folder, mix, wrk))
    if base is not None:
        with hub_site("load_base", postgres_server=postgres_server, cache_url=cache, repository=base) as old:
            print(f"base {BASE}: {old.database_label}; seeded in {old.seed_seconds:.0f} s")
            results.append(_serve_and_load(name, "base", old.environment, base, old.folder, mix, wrk))
    return results


def _serve_and_load(
    database: str, variant: str, environment: dict, repository: Path, folder: Path, mix: list[str], wrk: str
) -> LoadResult:
    log = folder / f"gunicorn-{variant}.log"
    with gunicorn(
        "hub.wsgi",
        environment=environment,
        cwd=repository,
        workers=WORKERS,
        threads=THREADS,
        ready_path="/en/",
        log=log,
    ) as server:
        failures = []
        for url in mix:
            status, _size = get(server.port, url)
            if not 200 <= status < 400:
                failures.append(f"{status} {url}")
        for failure in failures:
            print(f"{variant} warm-up: {failure}")
        if variant != "base":
            print(f"{variant}: bytes sent, identity -> gzip: {_compressed_sizes(server.port, mix[0])}")
        figures = _wrk(wrk, server.port, mix, folder)
        if figures["non_2xx_3xx"]:
            print(f"gunicorn's error log, last lines:\n{server.log_tail()}")
    seconds = figures["duration_us"] / 1e6
    result = LoadResult(
        database=database,
        variant=variant,
        requests_per_second=figures["requests"] / seconds,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        requests=figures["requests"],
        non_2xx_3xx=figures["non_2xx_3xx"],
        socket_errors=figures["connect"] + figures["read"] + figures["write"] + figures["timeout"],
        warm_up_failures=failures,
    )
    print(
        f"{variant}: {result.requests} requests in {seconds:.1f} s = {result.requests_per_second:.1f} req/s;"
        f" p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, max {figures['max_us'] / 1000:.0f} ms;"
        f" non-2xx/3xx {result.non_2xx_3xx}; socket errors {result.socket_errors}",
        flush=True,
    )
    return result


def _compressed_sizes(port: int, home: str) -> str:
    sizes = []
    for url in (home, COMPRESSED_API):
        plain, compressed = get(port, url)[1], get(port, url, encoding="gzip")[1]
        sizes.append(f"{url} {plain / 1024:.1f} KiB -> {compressed / 1024:.1f} KiB")
    return "; ".join(sizes)


@contextmanager
def _base_checkout(ref: str) -> Iterator[Path | None]:
    """`ref` checked out into a temporary git worktree with its messages compiled; removed afterwards."""
    if not ref:
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="hub-bench-base-"))
    checkout = folder / "hub"
    git = ["git", "-C", str(REPOSITORY)]
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(checkout), ref], check=True)
    try:
        commit = subprocess.run(
            [*git, "log", "-1", "--format=%h %s", ref], capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"base: {commit[:100]}")
        # Compiled catalogues are not in git; without them every language would render English.
        subprocess.run(
            [sys.executable, "manage.py", "compilemessages", "-v0", "--ignore=.venv"],
            cwd=checkout,
            check=True,
        )
        yield checkout
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(checkout)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _wrk(wrk: str, port: int, mix: list[str], folder: Path) -> dict:
    paths = "{" + ", ".join(json.dumps(url) for url in mix) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", dir=folder, delete=False) as script:
        script.write(LUA % {"paths": paths, "marker": MARKER})
    command = [
        wrk,
        f"--threads={WRK_THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={SECONDS}s",
        "--timeout=30s",
        f"--script={script.name}",
        f"http://127.0.0.1:{port}",
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 120, check=True)
    line = next(line for line in finished.stdout.splitlines() if line.startswith(MARKER))
    return json.loads(line[len(MARKER) :])
