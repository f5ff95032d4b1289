"""``planboard ensure-groups``: create the access groups and reset their permissions."""

from django.core.management.base import BaseCommand

from planboard.people.access import GROUPS, ensure_groups


class Command(BaseCommand):
    help = (
        "Create the Governance, Lead and Board member groups if missing and give each "
        "exactly its permissions. Safe to run after every migrate."
    )

    def handle(self, *args, **options):
        created = ensure_groups()
        for name in GROUPS:
            state = "created" if name in created else "up to date"
            self.stdout.write(f"{name}: {state}")
