from django.core.management.base import BaseCommand

from hub.demo import demo_seed


class Command(BaseCommand):
    help = "Create whatever of the demo site is missing (pages, partners, case studies, logins); never overwrites."

    def handle(self, *args, **options):
        report = demo_seed()
        if report.created:
            self.stdout.write(f"Created {len(report.created)} demo items.")
        else:
            self.stdout.write("Demo content is all there: nothing changed.")
        for role, username, password in report.logins:
            self.stdout.write(self.style.SUCCESS(f"Demo {role} login: {username} / {password}"))
