from django.core.management.base import BaseCommand

from experts.services import expert_roles_setup


class Command(BaseCommand):
    help = (
        'Create or complete the "Experts" and "Cluster editors" groups, their page permissions on the guides '
        "section and the directory, and the moderation workflow. Safe to run again; seed_demo runs it."
    )

    def handle(self, *args, **options):
        experts, editors = expert_roles_setup()
        self.stdout.write(f"Groups ready: {experts.name}, {editors.name}.")
