"""`manage.py course_packs build|worker`: make the offline course packs ahead of the readers who ask for them.

build   makes every missing or out-of-date pack (every live course, every language) and exits;
        --course ID limits it to one course, --force makes them again even if current.
worker  does the same, then again every --interval seconds: a course published a minute ago
        has its new packs soon after, without an editor or a reader waiting for them
        (`make run` starts it beside the web server).

A pack is out of date when a page of its course was published, unpublished or
moved since (courses.selectors.course_pack_content_version) or its design changed.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from courses.models import CoursePage
from courses.pdf import PdfRenderError
from courses.services import course_packs_refresh


class Command(BaseCommand):
    help = "Make the offline course packs (PDF) that are missing or out of date."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "worker"])
        parser.add_argument("--course", type=int, help="only the course with this page id")
        parser.add_argument("--force", action="store_true", help="make the packs again even if they are current")
        parser.add_argument("--interval", type=float, default=30.0, help="worker: seconds between two looks")

    def handle(self, *args, action, course=None, force=False, interval=30.0, **options):
        self.verbosity = options.get("verbosity", 1)
        courses = None
        if course is not None:
            courses = list(CoursePage.objects.filter(pk=course))
            if not courses:
                raise CommandError(f"no course has the page id {course}")
        if action == "build":
            try:
                self._build(courses, force)
            except PdfRenderError as error:
                raise CommandError(str(error)) from error
            return
        self.stdout.write(f"course_packs worker: looking for out-of-date packs every {interval:g} s")
        while True:
            close_old_connections()
            try:
                self._build(courses, force=False)
            except PdfRenderError as error:
                # Said loudly and tried again at the next look; nothing broken is stored.
                self.stderr.write(f"course_packs worker: {error}")
            close_old_connections()
            time.sleep(interval)

    def _build(self, courses, force: bool) -> None:
        started = time.perf_counter()
        results = course_packs_refresh(courses=courses, force=force)
        made = [(course, language) for course, language, was_made in results if was_made]
        for course, language in made:
            self.stdout.write(f"made the {language} pack of {course.title} (page {course.pk})")
        if made or self.verbosity > 1:
            self.stdout.write(
                f"course packs: {len(made)} made, {len(results) - len(made)} already current"
                f" ({time.perf_counter() - started:.1f} s)"
            )
