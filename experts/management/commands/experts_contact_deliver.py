from django.core.management.base import BaseCommand

from experts.services import contact_messages_deliver


class Command(BaseCommand):
    help = "Send contact messages still waiting (a mail server was down); run it from cron every few minutes."

    def handle(self, *args, **options):
        report = contact_messages_deliver()
        self.stdout.write(f"{report.sent} sent, {report.retrying} kept for retry, {report.failed} given up.")
