"""`python -m bench [import] [render] [search] [certificates] [--profile] [--elasticsearch URL]`: run the benchmarks.

With several benchmarks (the default is all), each runs in a child process of
its own, because Django reads its database and media settings once per process.
Exits non-zero when a benchmark's checks fail.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench.environment import database_description

BENCHMARKS = {
    "import": "bench.import_case_studies",
    "render": "bench.render_pages",
    "search": "bench.search_index",
    "certificates": "bench.certificates",
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
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in names:
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "bench", name, "--no-header"], cwd=REPOSITORY, env=environment, check=False
        )
        results.append((name, child.returncode, time.perf_counter() - start))
        print(flush=True)
    print("== Summary ==")
    for name, returncode, seconds in results:
        print(f"{name:<12} {'passed' if returncode == 0 else f'FAILED (exit {returncode})':<18} {seconds:6.1f} s wall")
    return 0 if all(returncode == 0 for _name, returncode, _seconds in results) else 1


if __name__ == "__main__":
    sys.exit(main())
