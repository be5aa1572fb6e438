from django.core.management.base import BaseCommand

from hub.demo import demo_seed


class Command(BaseCommand):
    help = "Create or refresh the demo site (pages, partners, case studies, logins). Idempotent."

    def handle(self, *args, **options):
        report = demo_seed()
        if report.created or report.updated:
            self.stdout.write(f"Created {len(report.created)} and updated {len(report.updated)} demo items.")
        else:
            self.stdout.write("Demo content is up to date: nothing changed.")
        for role, username, password in report.logins:
            self.stdout.write(self.style.SUCCESS(f"Demo {role} login: {username} / {password}"))
