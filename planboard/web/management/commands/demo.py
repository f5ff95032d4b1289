"""``planboard demo``: the seed plan, the access groups and three accounts to sign in with.

Safe to run again and again: it imports the seed paper only if there is no strategy
"sue", creates only the groups and accounts that are missing, and never changes an
existing password. A password is shown once, when its account is created; after that
``planboard changepassword USER`` sets a new one.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from planboard.imports.services import import_paper
from planboard.people.access import BOARD_MEMBER, GOVERNANCE, LEAD, ensure_groups
from planboard.people.models import Person
from planboard.plans.models import Strategy

SEED_PAPER = (
    Path(__file__).resolve().parents[3] / "demo" / "data" / "sus-engagement-board-paper-2017-03.txt"
)
SEED_SLUG = "sue"
# The demo lead is the first person in the seed's key holding this role.
LEAD_ROLE = ("EM", "Engagement Manager")

User = get_user_model()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    group: str
    is_staff: bool
    description: str


ACCOUNTS = (
    DemoAccount("governance", GOVERNANCE, True, "governance team: changes plans, uses the admin"),
    DemoAccount("lead", LEAD, False, "an action lead"),
    DemoAccount("board", BOARD_MEMBER, False, "a board member: reads, changes nothing"),
)


class Command(BaseCommand):
    help = (
        "Loads the demo: imports the seed board paper as strategy 'sue' and creates the "
        "access groups and the accounts governance, lead and board. Safe to run again."
    )

    def handle(self, **options):
        require_migrated()
        with transaction.atomic():
            summary = ensure_seed()
            new_groups = ensure_groups()
            passwords = {account.username: ensure_account(account) for account in ACCOUNTS}
            lead_person = link_lead(User.objects.get(username="lead"))
        self.report(summary, new_groups, passwords, lead_person)

    def report(self, summary, new_groups, passwords, lead_person):
        out = self.stdout.write
        if summary is None:
            out(f'The strategy "{SEED_SLUG}" is already there; nothing imported.')
        else:
            counts = ", ".join(
                f"{summary[key]} {key}"
                for key in ("themes", "commitments", "actions", "roles", "people")
                if key in summary
            )
            out(f'Imported the seed board paper as strategy "{SEED_SLUG}" ({counts}).')
        if new_groups:
            out(f"Created the access groups: {', '.join(new_groups)}.")
        if lead_person is None:
            out(self.style.WARNING("No one in the seed's key holds the EM role to link to lead."))

        url = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
        created = {name: password for name, password in passwords.items() if password}
        if created:
            out("")
            out("Demo accounts (the passwords are shown this once only):")
            width = max(len(name) for name in created)
            for account in ACCOUNTS:
                if account.username in created:
                    who = account.description
                    if account.username == "lead" and lead_person is not None:
                        who = f"{who}: {lead_person.name}, {lead_role(lead_person)}"
                    out(f"  {account.username:<{width}}  {created[account.username]}  ({who})")
        existing = [name for name, password in passwords.items() if not password]
        if existing:
            out("")
            out(f"These demo accounts already exist: {', '.join(existing)}.")
            out("Their passwords were shown when they were created. To set a new one:")
            out("  planboard changepassword USERNAME")
        out("")
        out(f"Sign in at {url}")


def require_migrated():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("The database is not up to date; run `planboard migrate` first.")


def ensure_seed():
    """Import the seed paper unless strategy "sue" exists; the import summary, or None."""
    if Strategy.objects.filter(slug=SEED_SLUG).exists():
        return None
    return import_paper(SEED_PAPER, slug=SEED_SLUG)


def ensure_account(account: DemoAccount) -> str:
    """Create the account if missing and return its new password, or "" if it existed.

    An existing account is put back in its group (someone may have removed it) but its
    password is left alone.
    """
    user = User.objects.filter(username=account.username).first()
    password = ""
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User(username=account.username, is_staff=account.is_staff)
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=account.group))
    return password


def link_lead(user):
    """Link ``user`` to the seed's first Engagement Manager; the person, or None."""
    strategy = Strategy.objects.filter(slug=SEED_SLUG).first()
    if strategy is None:
        return None
    people = Person.objects.filter(strategy=strategy)
    person = people.filter(user=user).first()
    if person is None:
        abbreviation, title = LEAD_ROLE
        person = (
            people.filter(roles__abbreviation__iexact=abbreviation).order_by("id").first()
            or people.filter(roles__title__iexact=title).order_by("id").first()
        )
        if person is None:
            return None
        person.user = user
        person.save(update_fields=["user"])
    if not user.first_name and not user.last_name:
        user.first_name, _, user.last_name = person.name.partition(" ")
        user.save(update_fields=["first_name", "last_name"])
    return person


def lead_role(person) -> str:
    """The role the demo lead was chosen for, as the key writes it."""
    abbreviation, title = LEAD_ROLE
    roles = person.roles.all()
    role = (
        roles.filter(abbreviation__iexact=abbreviation).first()
        or roles.filter(title__iexact=title).first()
        or roles.first()
    )
    return str(role) if role else "no role"
