from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casestudies.services import case_study_import_file


class Command(BaseCommand):
    help = (
        "Import case studies from a partner's .json or .csv file. The whole file is "
        "validated first; on any error nothing is written. See docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        report = case_study_import_file(path=file, dry_run=dry_run)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} error(s) in {file}: nothing was imported.")
        verb = "would be" if dry_run else "were"
        for label, keys in (("created", report.created), ("updated", report.updated)):
            for key in keys:
                self.stdout.write(f"  {label}: {key}")
        self.stdout.write(
            f"{len(report.created)} {verb} created, {len(report.updated)} {verb} updated, "
            f"{len(report.unchanged)} unchanged."
        )
