"""`python -m bench [import] [render] [search] [certificates] [load] [cpu] [--profile] [--elasticsearch URL]`.

With several benchmarks (the default is all), each runs in a child process of
its own, because Django reads its database and media settings once per process;
each child writes its key figures to a JSON file (bench.results) and a summary
table closes the report. Exits non-zero when a benchmark's checks fail.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import database_description
from bench.results import RESULTS_DIR, read_all

BENCHMARKS = {
    "import": "bench.import_case_studies",
    "render": "bench.render_pages",
    "search": "bench.search_index",
    "certificates": "bench.certificates",
    "load": "bench.load",
    "cpu": "bench.cpu_vs_bare",
}
REPOSITORY = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK", help=f"one or more of: {', '.join(BENCHMARKS)}")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile a 100-record first import instead of timing (import only)"
    )
    parser.add_argument(
        "--elasticsearch",
        metavar="URL",
        help="also measure this Elasticsearch node (search only; default: $TEST_ELASTICSEARCH_URL)",
    )
    parser.add_argument("--no-header", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.elasticsearch:
        # Read by bench/search_index.py, here or in its child process.
        os.environ["TEST_ELASTICSEARCH_URL"] = args.elasticsearch
    names = args.benchmarks or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")
    if args.profile and names != ["import"]:
        parser.error("--profile applies to the import benchmark alone: python -m bench import --profile")

    if not args.no_header:
        _print_machine()
    if len(names) == 1:
        module = importlib.import_module(BENCHMARKS[names[0]])
        passed = module.profile() if args.profile else module.run()
        return 0 if passed else 1
    return _run_in_children(names)


def _print_machine() -> None:
    print("INNOMED-UP Knowledge Hub benchmarks")
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"python: {platform.python_implementation()} {platform.python_version()}")
    print(f"database: {database_description()}")
    load = os.getloadavg()[0]
    busy = " (other work is running: wall-clock timings will be slower than on a quiet machine)" if load > 0.5 else ""
    print(f"load average, 1 min: {load:.2f}{busy}")
    print(flush=True)


def _run_in_children(names: list[str]) -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="hub-bench-results-") as folder:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1", RESULTS_DIR: folder}
        for name in names:
            start = time.perf_counter()
            child = subprocess.run(
                [sys.executable, "-m", "bench", name, "--no-header"], cwd=REPOSITORY, env=environment, check=False
            )
            results.append((name, child.returncode, time.perf_counter() - start))
            print(flush=True)
        figures = read_all(Path(folder))
    print("== Summary ==")
    for name, returncode, seconds in results:
        print(f"{name:<12} {'passed' if returncode == 0 else f'FAILED (exit {returncode})':<18} {seconds:6.1f} s wall")
    print()
    _print_table(figures)
    return 0 if all(returncode == 0 for _name, returncode, _seconds in results) else 1


def _print_table(figures: dict[str, dict]) -> None:
    """One table of the key figures; a dash where a benchmark did not run or did not get that far."""
    rows: list[tuple[str, str]] = []
    render = figures.get("render", {})
    # Through django.test.Client: "cached" is a page-cache hit, "uncached" a miss (a new query string).
    for variant, label in (("uncached", "uncached (new query string)"), ("cached", "cached (same URL again)")):
        value = "-"
        if f"{variant}_p50_ms" in render:
            value = f"{render[f'{variant}_p50_ms']:.1f} / {render[f'{variant}_p95_ms']:.1f} ms"
        rows.append((f"page render p50 / p95, {label}", value))
    load = figures.get("load", {})
    runs = (("cached", "anonymous page cache, warm"), ("uncached", "page cache off"), ("base", load.get("base", "")))
    for database in ("sqlite", "postgresql"):
        results = load.get("databases", {}).get(database, {})
        for variant, label in runs:
            result = results.get(variant)
            value = "-"
            if result:
                value = (
                    f"{result['requests_per_second']:.1f} req/s, p50 {result['p50_ms']:.0f} ms,"
                    f" p99 {result['p99_ms']:.0f} ms, {result['errors']} errors"
                )
            rows.append((f"load, {database}, {variant} ({label}; wrk, 50 connections)", value))
        if "uncached_speed_up" in results:
            rows.append((f"load, {database}, uncached vs base", f"{results['uncached_speed_up']:.2f}x"))
    search = figures.get("search", {})
    for size in (10_000, 100_000):
        value = f"{search[f'p95_ms_{size}']:.1f} ms" if f"p95_ms_{size}" in search else "-"
        rows.append((f"search /api/search/ p95 at {size // 1000}k documents", value))
    imported = figures.get("import", {})
    value = f"{imported['first_import_seconds']:.1f} s" if "first_import_seconds" in imported else "-"
    rows.append((f"import of {imported.get('records', 500)} case studies (first run)", value))
    certificates = figures.get("certificates", {})
    value = "-"
    if "median_ms" in certificates:
        value = f"{certificates['median_ms']:.0f} ms wall ({certificates['median_cpu_ms']:.0f} ms CPU)"
    rows.append(("certificate PDF, median", value))
    cpu = figures.get("cpu", {})
    if cpu.get("pages"):
        pages = cpu["pages"]
        for variant in ("uncached", "repeat"):
            worst = max(pages, key=lambda label, variant=variant: pages[label][f"{variant}_ratio"])
            rows.append(
                (
                    f"CPU per request vs bare Wagtail, worst {variant}",
                    f"{pages[worst][f'{variant}_ratio']:.1f}x ({worst}: {pages[worst][f'{variant}_ms']:.1f} ms,"
                    f" bare {cpu['bare_ms']:.1f} ms)",
                )
            )
    else:
        rows.append(("CPU per request vs bare Wagtail", "-"))
    width = max(len(label) for label, _value in rows)
    print("== Summary table ==")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    sys.exit(main())
