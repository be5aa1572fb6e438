"""Load benchmark: wrk at 50 connections against gunicorn with production-like settings, per database.

Per database (SQLite always; PostgreSQL when the server of BENCH_DATABASE_URL,
else TEST_DATABASE_URL, answers: a throwaway database is created and dropped):
a demo site (`seed_demo`, `search_index rebuild`, static files collected),
served by gunicorn on 127.0.0.1 (2 workers x 4 threads, DEBUG off, a random
SECRET_KEY, ALLOWED_HOSTS, Redis cache when it answers, else local memory).
Each URL of the mix is requested once (warm-up), then wrk cycles through the
mix for BENCH_LOAD_SECONDS (default 20). The mix, per language (en, el, it,
ar): home, the case-study index with two filters, two case-study pages, a
search. wrk itself runs on the same machine and takes CPU from the server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.results import record
from bench.served import REPOSITORY, get, gunicorn, hub_site, postgres_server_url, redis_flush, redis_url

CONNECTIONS = 50
WRK_THREADS = 2
WORKERS, THREADS = 2, 4
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
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
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
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
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    warm_up_failures: list[str]


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
    print(f"client: wrk, {CONNECTIONS} connections, {WRK_THREADS} threads, {SECONDS} s per database")
    print(f"load average, 1 min: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs; wrk shares them with the server)")
    if not postgres:
        print("PostgreSQL: does not answer (set TEST_DATABASE_URL or run scripts/ci_services.sh): SQLite only")
    results = []
    databases = [("sqlite", None)] + ([("postgresql", postgres)] if postgres else [])
    try:
        for name, server_url in databases:
            results.append(_run_one(name, server_url, cache, wrk))
    finally:
        redis_flush(cache)
    print()
    print(
        f"{'database':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9}"
        f" {'non-2xx/3xx':>12} {'socket err':>11}"
    )
    for result in results:
        print(
            f"{result.database:<12} {result.requests_per_second:8.1f} {result.p50_ms:8.0f} {result.p99_ms:8.0f}"
            f" {result.requests:9d} {result.non_2xx_3xx:12d} {result.socket_errors:11d}"
        )
    record(
        "load",
        seconds=SECONDS,
        connections=CONNECTIONS,
        databases={
            result.database: {
                "requests_per_second": result.requests_per_second,
                "p50_ms": result.p50_ms,
                "p99_ms": result.p99_ms,
                "errors": result.non_2xx_3xx + result.socket_errors + len(result.warm_up_failures),
            }
            for result in results
        },
    )
    return all(not r.non_2xx_3xx and not r.socket_errors and not r.warm_up_failures for r in results)


def _run_one(name: str, postgres_server: str | None, cache: str | None, wrk: str) -> LoadResult:
    print(f"\n-- {name} --", flush=True)
    with hub_site("load", postgres_server=postgres_server, cache_url=cache) as site:
        print(f"database: {site.database_label}; site seeded and static files collected in {site.seed_seconds:.0f} s")
        print(f"mix: {len(site.mix)} URLs, e.g. {', '.join(site.mix[:2])}, {site.mix[4]}")
        log = site.folder / "gunicorn.log"
        with gunicorn(
            "hub.wsgi",
            environment=site.environment,
            cwd=REPOSITORY,
            workers=WORKERS,
            threads=THREADS,
            ready_path="/en/",
            log=log,
        ) as server:
            failures = []
            for url in site.mix:
                status, _size = get(server.port, url)
                if not 200 <= status < 400:
                    failures.append(f"{status} {url}")
            for failure in failures:
                print(f"warm-up: {failure}")
            figures = _wrk(wrk, server.port, site.mix, site.folder)
            if figures["non_2xx_3xx"]:
                print(f"gunicorn's error log, last lines:\n{server.log_tail()}")
    seconds = figures["duration_us"] / 1e6
    result = LoadResult(
        database=name,
        requests_per_second=figures["requests"] / seconds,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        requests=figures["requests"],
        non_2xx_3xx=figures["non_2xx_3xx"],
        socket_errors=figures["connect"] + figures["read"] + figures["write"] + figures["timeout"],
        warm_up_failures=failures,
    )
    print(
        f"{result.requests} requests in {seconds:.1f} s = {result.requests_per_second:.1f} req/s;"
        f" p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, max {figures['max_us'] / 1000:.0f} ms;"
        f" non-2xx/3xx {result.non_2xx_3xx}; socket errors {result.socket_errors}"
    )
    return result


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
