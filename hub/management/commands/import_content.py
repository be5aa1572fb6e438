from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.imports import content_import_file


class Command(BaseCommand):
    help = (
        "Import content from a partner's .json file (case studies, experts: every part an app registers) "
        "or a .csv file of case studies. The whole file is validated first; on any error nothing is "
        "written. See docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        reports = content_import_file(path=file, dry_run=dry_run)
        errors = [error for report in reports.values() for error in report.errors]
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} error(s) in {file}: nothing was imported.")
        verb = "would be" if dry_run else "were"
        for part, report in reports.items():
            for label, keys in (("created", report.created), ("updated", report.updated)):
                for key in keys:
                    self.stdout.write(f"  {label}: {key}")
            self.stdout.write(
                f"{part}: {len(report.created)} {verb} created, {len(report.updated)} {verb} updated, "
                f"{len(report.unchanged)} unchanged."
            )
