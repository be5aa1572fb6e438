"""Render benchmark: public pages of the full demo site, served through django.test.Client.

Each URL gets warm-up requests first (site root paths, the cached site chrome
and image renditions are then in place, as for every later visitor in
production), one request with its SQL statements captured, then timed requests:
first the same URL again ("cached": what a page cache, once there, would
serve), then the URL with a new `_bench=<n>` query parameter each time
("uncached": a page cache keyed on the full URL misses).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.environment import sandbox
from bench.measure import median, percentile, stopwatch
from bench.results import record
from bench.served import collect_static

WARM_UP_REQUESTS = 5
TIMED_REQUESTS = 50
UNCACHED_REQUESTS = 20


@dataclass
class PageTiming:
    label: str
    url: str
    queries: int
    size: int
    samples_ms: list[float]
    uncached_ms: list[float]


def run() -> bool:
    """Print the render benchmark; False when a page does not answer 200."""
    print("== Render: public pages through django.test.Client ==")
    with sandbox("render") as box:
        print(f"database: {box.database_label}")
        from hub.demo import demo_seed

        with stopwatch() as seeding:
            demo_seed()
        print(f"site: the whole hub.demo.demo_seed() ({seeding.seconds:.1f} s, after migrate)")
        # DEBUG is off: pages link hashed static names, from the manifest collectstatic writes.
        collect_static()
        print(
            f"requests: {WARM_UP_REQUESTS} warm-up, 1 with SQL captured, {TIMED_REQUESTS} timed (same URL),"
            f" {UNCACHED_REQUESTS} uncached (a new query parameter each), per URL"
        )
        print()
        try:
            timings = [_time_page(label, url) for label, url in _pages()]
        except AssertionError as error:
            print(f"FAILED {error}")
            return False
    print(
        f"{'page':<24} {'url':<52} {'median ms':>9} {'p95 ms':>8} {'min ms':>7} {'SQL':>4} {'KiB':>6}"
        f" {'uncached median':>15} {'p95':>6}"
    )
    for timing in timings:
        url = timing.url if len(timing.url) <= 52 else timing.url[:49] + "..."
        print(
            f"{timing.label:<24} {url:<52} {median(timing.samples_ms):9.1f} {percentile(timing.samples_ms, 0.95):8.1f}"
            f" {min(timing.samples_ms):7.1f} {timing.queries:4d} {timing.size / 1024:6.1f}"
            f" {median(timing.uncached_ms):15.1f} {percentile(timing.uncached_ms, 0.95):6.1f}"
        )
    cached = [sample for timing in timings for sample in timing.samples_ms]
    uncached = [sample for timing in timings for sample in timing.uncached_ms]
    record(
        "render",
        pages=len(timings),
        cached_p50_ms=median(cached),
        cached_p95_ms=percentile(cached, 0.95),
        uncached_p50_ms=median(uncached),
        uncached_p95_ms=percentile(uncached, 0.95),
    )
    return True


def _pages() -> list[tuple[str, str]]:
    from django.utils import translation

    from casestudies.models import CaseStudyPage
    from hub.models import ClusterPage

    case_study = CaseStudyPage.objects.live().order_by("external_id").first()
    cluster = ClusterPage.objects.live().get(slug_en="athens")
    with translation.override("en"):
        case_study_url = case_study.get_url()
        cluster_url = cluster.get_url()
    return [
        ("home (en)", "/en/"),
        ("home (ar, RTL)", "/ar/"),
        ("case study index (en)", "/en/case-studies/"),
        (f"case study {case_study.external_id}", case_study_url),
        ("cluster athens", cluster_url),
    ]


def _time_page(label: str, url: str) -> PageTiming:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(WARM_UP_REQUESTS):
        _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        size = len(_get(client, url).content)
    # Read the count now: the next request's request_started signal empties the query log.
    queries = len(captured.captured_queries)
    samples = []
    for _ in range(TIMED_REQUESTS):
        start = time.perf_counter()
        _get(client, url)
        samples.append((time.perf_counter() - start) * 1000)
    uncached = []
    separator = "&" if "?" in url else "?"
    for number in range(UNCACHED_REQUESTS):
        start = time.perf_counter()
        _get(client, f"{url}{separator}_bench={number}")
        uncached.append((time.perf_counter() - start) * 1000)
    return PageTiming(label=label, url=url, queries=queries, size=size, samples_ms=samples, uncached_ms=uncached)


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response
