"""Import benchmark: 500 synthetic case studies in four languages, imported three times.

1. first import: every record creates and publishes a page;
2. the identical records again: nothing may be written;
3. the records with 50 of them edited: exactly those 50 are updated.

The site is the minimum the import needs, built with hub.demo's own steps:
seed_home, seed_text_pages, seed_clusters and casestudies.demo's seed_case_study_index.
Django modules are imported inside functions: settings must not load before
`sandbox` has pointed them at the throwaway database.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import time
from dataclasses import dataclass, field

from bench.environment import sandbox
from bench.measure import counting_statements, stopwatch
from bench.results import record
from bench.synthetic_case_studies import LANGUAGES, edited, synthetic_case_studies

RECORDS = 500
EDITED = 50
PROFILED_RECORDS = 100
PROFILE_ENTRIES = 15
OWN_TIME_ENTRIES = 10
# From the issue: a partner's 500-record file must import in under 30 s on the 2-core server.
FIRST_IMPORT_TARGET_SECONDS = 30.0


@dataclass
class Expected:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    updated_ids: set[str] | None = None
    writes_allowed: bool = True


@dataclass
class Outcome:
    label: str
    seconds: float
    cpu_seconds: float
    counts: dict[str, int]
    statements: int
    writes: int
    new_revisions: int
    problems: list[str] = field(default_factory=list)


def run() -> bool:
    """Print the import benchmark; False when a report count or a write check is wrong."""
    print("== Import: case_study_import of synthetic case studies ==")
    with sandbox("import") as box:
        print(f"database: {box.database_label}")
        with stopwatch() as setup:
            build_minimal_site()
        print(f"site: hub.demo seed_home, seed_text_pages, seed_clusters, case-study index ({setup.seconds:.1f} s)")

        records = synthetic_case_studies(count=RECORDS)
        changed_records, changed_ids = edited(records, count=EDITED)
        print(
            f"records: {RECORDS} generated (random.Random seed 2025), texts in {'/'.join(LANGUAGES)};"
            f" {EDITED} edited for run 3"
        )
        print()
        outcomes = [
            timed_import("1. first import", records, Expected(created=RECORDS)),
            timed_import("2. identical re-import", records, Expected(unchanged=RECORDS, writes_allowed=False)),
            timed_import(
                f"3. re-import, {EDITED} edited",
                changed_records,
                Expected(updated=EDITED, unchanged=RECORDS - EDITED, updated_ids=changed_ids),
            ),
        ]
    _print_outcomes(outcomes)
    first = outcomes[0].seconds
    record("import", records=RECORDS, first_import_seconds=first)
    verdict = "MET" if first < FIRST_IMPORT_TARGET_SECONDS else "NOT MET"
    print(f"target: first import of {RECORDS} under {FIRST_IMPORT_TARGET_SECONDS:.0f} s -> {verdict} ({first:.1f} s)")
    if first >= FIRST_IMPORT_TARGET_SECONDS:
        print(f"        profile it with: python -m bench import --profile ({PROFILED_RECORDS} records under cProfile)")
    problems = [f"{outcome.label}: {problem}" for outcome in outcomes for problem in outcome.problems]
    for problem in problems:
        print(f"FAILED {problem}")
    return not problems


def build_minimal_site() -> None:
    """Home page, case study index and the six cluster pages, as demo_seed builds them."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import translation

    from casestudies.demo import seed_case_study_index
    from hub import demo

    site_data = json.loads(demo.SITE_DATA.read_text(encoding="utf-8"))
    report = demo.SeedReport()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        home = demo.seed_home(site_data, report)
        demo.seed_text_pages(home, site_data, report)
        demo.seed_clusters(home, site_data, report)
        seed_case_study_index(home=home, report=report)


def timed_import(label: str, records: list[dict], expected: Expected) -> Outcome:
    from wagtail.models import Revision

    from casestudies.services import case_study_import

    revisions_before = Revision.objects.count()
    cpu_start = time.process_time()
    with counting_statements() as statements, stopwatch() as watch:
        report = case_study_import(raw_records=records)
    cpu_seconds = time.process_time() - cpu_start
    counts = {
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "errors": len(report.errors),
    }
    outcome = Outcome(
        label=label,
        seconds=watch.seconds,
        cpu_seconds=cpu_seconds,
        counts=counts,
        statements=statements.total,
        writes=statements.writes,
        new_revisions=Revision.objects.count() - revisions_before,
    )
    wanted = {"created": expected.created, "updated": expected.updated, "unchanged": expected.unchanged, "errors": 0}
    for name, number in wanted.items():
        if counts[name] != number:
            outcome.problems.append(f"{name} = {counts[name]}, expected {number}")
    for error in report.errors[:5]:
        outcome.problems.append(f"import error: {error}")
    if expected.updated_ids is not None and set(report.updated) != expected.updated_ids:
        outcome.problems.append("the updated records are not the edited ones")
    if not expected.writes_allowed and (statements.writes or outcome.new_revisions):
        outcome.problems.append(
            f"wrote to the database: {statements.writes} write statements, {outcome.new_revisions} new revisions"
        )
    return outcome


def _print_outcomes(outcomes: list[Outcome]) -> None:
    # CPU seconds are this process's own: unlike wall seconds, other work on the machine barely moves them.
    print(
        f"{'run':<26} {'seconds':>8} {'CPU s':>7} {'records/s':>10}   created/updated/unchanged/errors"
        f"   {'SQL':>7} {'writes':>7} revisions"
    )
    for outcome in outcomes:
        total = sum(outcome.counts[name] for name in ("created", "updated", "unchanged"))
        rate = total / outcome.seconds if outcome.seconds else float("inf")
        counts = "/".join(str(outcome.counts[name]) for name in ("created", "updated", "unchanged", "errors"))
        status = "ok" if not outcome.problems else "WRONG"
        print(
            f"{outcome.label:<26} {outcome.seconds:8.2f} {outcome.cpu_seconds:7.2f} {rate:10.1f}"
            f"   {counts:<18} {status:<15} {outcome.statements:7d} {outcome.writes:7d} {outcome.new_revisions:+9d}"
        )


def profile(*, count: int = PROFILED_RECORDS) -> bool:
    """cProfile a first import of `count` records on a fresh site; print the top cumulative entries."""
    print(f"== Import profile: first import of {count} records under cProfile ==")
    with sandbox("import-profile") as box:
        print(f"database: {box.database_label}")
        build_minimal_site()
        from casestudies.services import case_study_import

        records = synthetic_case_studies(count=count)
        profiler = cProfile.Profile()
        with stopwatch() as watch:
            report = profiler.runcall(case_study_import, raw_records=records)
    print(
        f"created {len(report.created)}, errors {len(report.errors)} in {watch.seconds:.2f} s (with profiler overhead)"
    )
    # Cumulative time shows which call paths cost most; own time shows where the interpreter actually is.
    for order, entries in (("cumulative", PROFILE_ENTRIES), ("tottime", OWN_TIME_ENTRIES)):
        output = io.StringIO()
        pstats.Stats(profiler, stream=output).strip_dirs().sort_stats(order).print_stats(entries)
        print(output.getvalue().rstrip())
    return len(report.created) == count and not report.errors
