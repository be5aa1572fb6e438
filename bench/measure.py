"""Small timing and SQL-counting helpers shared by the benchmarks."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class StatementCount:
    """Statements sent to the database, counted by a cheap execute wrapper (no DEBUG log)."""

    total: int = 0
    writes: int = 0

    def __call__(self, execute, sql, params, many, context):
        self.total += 1
        if sql.lstrip()[:7].upper().startswith(WRITE_STATEMENTS):
            self.writes += 1
        return execute(sql, params, many, context)


@contextmanager
def counting_statements() -> Iterator[StatementCount]:
    from django.db import connection

    count = StatementCount()
    with connection.execute_wrapper(count):
        yield count


@dataclass
class Stopwatch:
    seconds: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    watch = Stopwatch()
    start = time.perf_counter()
    try:
        yield watch
    finally:
        watch.seconds = time.perf_counter() - start


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
