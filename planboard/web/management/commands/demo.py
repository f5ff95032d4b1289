"""``planboard demo``: the seed plan, the access groups, three accounts, a quarterly cycle
and the public page.

Safe to run again and again: it imports the seed paper only if there is no strategy
"sue", creates only the groups and accounts that are missing, sets up the demo's
reporting periods only if the strategy has none, and never changes an existing
password. A password is shown once, when its account is created; after that
``planboard changepassword USER`` sets a new one.

The accounts are linked to people in the seed's key: ``lead`` to Mia Bajin, Engagement
Manager (EM), ``governance`` to Tania Baxter, Head of Clinical Governance, who wrote the
paper, and ``board`` to Mike Hunter, the Medical Director who presented it. Mike Hunter
leads actions, so the board account, though in the Board member group, gives their
updates (whoever leads an action may update it) and otherwise only reads.

When it creates the ``board`` account it also makes a read token for the API and prints
it once, beside its password; every run prints the command that makes another.
"""

import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from planboard.engagement.demo import ensure_demo_engagement
from planboard.imports.feedback_demo import ensure_demo_fft
from planboard.imports.services import import_paper
from planboard.lib import clock
from planboard.lib.letters import long_date
from planboard.people.access import BOARD_MEMBER, GOVERNANCE, LEAD, ensure_groups
from planboard.people.models import Person
from planboard.people.services import link_account
from planboard.plans.models import Strategy
from planboard.progress.management.demo_cycle import OPEN, STORY_TODAY, ensure_demo_cycle
from planboard.public.demo import ensure_demo_publication
from planboard.public.demo_feedback import ensure_demo_feedback
from planboard.public.engagement_publishing import save_engagement_summary

SEED_PAPER = (
    Path(__file__).resolve().parents[3] / "demo" / "data" / "sus-engagement-board-paper-2017-03.txt"
)
SEED_SLUG = "sue"
# The account given a read token for the API when the demo's accounts are made.
API_READER = "board"
# Demo addresses are in the reserved .example domain: in the demo, e-mail is printed
# to the console, and should anyone configure SMTP, nothing reaches a real person.
EMAIL_DOMAIN = "planboard.example"

User = get_user_model()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    group: str
    is_staff: bool
    description: str
    # (abbreviation, title) of the role whose first holder in the key the account is
    # linked to, or None for an account linked to no one.
    role: tuple[str, str] | None = None


DEMO_ENGAGEMENT = (
    "We involve the people who use our services in how we run and change them. This page "
    "shows where that happened, how closely people were involved, and what changed."
)

ACCOUNTS = (
    DemoAccount(
        "governance",
        GOVERNANCE,
        True,
        "governance team: runs the quarterly cycle, changes plans, uses the admin",
        ("Head of CG", "Head of Clinical Governance"),
    ),
    DemoAccount("lead", LEAD, False, "an action lead", ("EM", "Engagement Manager")),
    DemoAccount(
        "board",
        BOARD_MEMBER,
        False,
        "a board member: reads, and updates the actions he leads",
        ("MD", "Medical Director"),
    ),
)


class Command(BaseCommand):
    help = (
        "Loads the demo: imports the seed board paper as strategy 'sue', creates the "
        "access groups, the accounts governance, lead and board, and the reporting "
        "periods 2016/17 Q3 (closed) and 2016/17 Q4 (open), and publishes the public "
        "page with plain-English summaries of theme 1. Safe to run again."
    )

    def handle(self, **options):
        require_migrated()
        with transaction.atomic():
            summary = ensure_seed()
            new_groups = ensure_groups()
            passwords = {account.username: ensure_account(account) for account in ACCOUNTS}
            users = {
                account.username: User.objects.get(username=account.username)
                for account in ACCOUNTS
            }
            linked = {
                account.username: link_person(users[account.username], account.role)
                for account in ACCOUNTS
                if account.role
            }
            cycle = ensure_cycle(users, linked)
            seed = Strategy.objects.get(slug=SEED_SLUG)
            published = ensure_demo_publication(seed, user=users["governance"])
            feedback = ensure_demo_feedback(seed, user=users["governance"])
            counts = ensure_demo_fft(seed, user=users["governance"])
            activities = ensure_demo_engagement(seed, user=users["governance"])
            if activities:
                save_engagement_summary(
                    seed, summary=DEMO_ENGAGEMENT, published=True, version=0, user=None
                )
            token = api_token(API_READER) if passwords[API_READER] else None
        self.report(
            summary,
            new_groups,
            passwords,
            linked,
            cycle,
            published,
            token,
            (feedback, counts, activities),
        )

    def report(self, summary, new_groups, passwords, linked, cycle, published, token, feedback):
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
        for account in ACCOUNTS:
            if account.role and linked.get(account.username) is None:
                out(
                    self.style.WARNING(
                        f"No one in the seed's key holds the {account.role[0]} role "
                        f"to link to {account.username}."
                    )
                )
        self.report_cycle(cycle)
        self.report_publication(published)
        items, counts, activities = feedback
        if items:
            out(
                f"Added {items} made-up feedback items; one is published at "
                f"/public/{SEED_SLUG}/you-said-we-did/."
            )
        if counts:
            out(f"Added {counts} made-up months of Friends and Family Test answers.")
        if activities:
            out(
                f"Added {activities} made-up engagement activities; the map is at "
                f"/strategies/{SEED_SLUG}/engagement/ and their summary is published at "
                f"/public/{SEED_SLUG}/engagement/."
            )
        if clock.demo_today() is None:
            out(
                self.style.WARNING(
                    f"DEMO_TODAY is not set, so the {OPEN} plan is judged by today's date; "
                    f"`make demo` sets it to {STORY_TODAY.isoformat()}."
                )
            )

        url = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
        created = {name: password for name, password in passwords.items() if password}
        if created:
            out("")
            out("Demo accounts (the passwords are shown this once only):")
            width = max(len(name) for name in created)
            for account in ACCOUNTS:
                if account.username in created:
                    who = account.description
                    person = linked.get(account.username)
                    if person is not None:
                        who = f"{who}: {person.name}, {role_held(person, account.role)}"
                    out(f"  {account.username:<{width}}  {created[account.username]}  ({who})")
        existing = [name for name, password in passwords.items() if not password]
        if existing:
            out("")
            out(f"These demo accounts already exist: {', '.join(existing)}.")
            out("Their passwords were shown when they were created. To set a new one:")
            out("  planboard changepassword USERNAME")
        self.report_api(token)
        out("")
        out(f"Sign in at {url}")

    def report_api(self, token):
        out = self.stdout.write
        api = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/api/v1/"
        out("")
        if token:
            out(f"A read token for the API as {API_READER} (shown this once only):")
            out(f"  {token}")
            out(f'  curl -H "Authorization: Bearer {token}" {api}strategies/{SEED_SLUG}/actions/')
        out(f"The API is at {api}. To make a token for a demo account:")
        out(f"  planboard api-token create --user {API_READER} --scope read")

    def report_publication(self, published):
        if published is None:
            self.stdout.write(f'The strategy "{SEED_SLUG}" already has a public page setting.')
        else:
            self.stdout.write(
                f"Published the public page /public/{SEED_SLUG}/ with plain-English "
                f"summaries of {published} actions."
            )

    def report_cycle(self, cycle):
        out = self.stdout.write
        if cycle is None:
            out(f'The strategy "{SEED_SLUG}" already has reporting periods; none added.')
            return
        closed, opened, updates = cycle
        out(
            f"Set up the reporting periods {closed.label} (closed: its snapshot is the "
            f"paper) and {opened.label} (open, updates due {long_date(opened.updates_due)})."
        )
        if updates:
            states = ", ".join(
                f"{update.action.ref} {update.get_status_display().lower()}" for update in updates
            )
            out(f"Gave example {opened.label} updates from the lead: {states}.")


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
    password is left alone. An account with no e-mail address is given a demo one, so
    ``planboard remind`` has someone to write to.
    """
    user = User.objects.filter(username=account.username).first()
    password = ""
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User(username=account.username, is_staff=account.is_staff)
        user.set_password(password)
    if user.pk is None or not user.email:
        user.email = user.email or f"{account.username}@{EMAIL_DOMAIN}"
        user.save()
    user.groups.add(Group.objects.get(name=account.group))
    return password


def api_token(username: str) -> str:
    """A new read token for ``username``, made as any script would make one: with
    ``planboard api-token``, whose last line is the token."""
    out = io.StringIO()
    call_command(
        "api_token", "create", user=username, scope="read", name="The demo's API reader", stdout=out
    )
    return out.getvalue().splitlines()[-1]


def link_person(user, role):
    """Link ``user`` to the seed's first holder of ``role``; the person, or None.

    ``role`` is (abbreviation, title). The account takes the person's name if it has none.
    """
    strategy = Strategy.objects.filter(slug=SEED_SLUG).first()
    if strategy is None:
        return None
    people = Person.objects.filter(strategy=strategy)
    person = people.filter(user=user).first()
    if person is None:
        abbreviation, title = role
        person = (
            people.filter(roles__abbreviation__iexact=abbreviation).order_by("id").first()
            or people.filter(roles__title__iexact=title).order_by("id").first()
        )
        if person is None:
            return None
        link_account(person, user, user=None)
    if not user.first_name and not user.last_name:
        user.first_name, _, user.last_name = person.name.partition(" ")
        user.save(update_fields=["first_name", "last_name"])
    return person


def role_held(person, role) -> str:
    """The role the account was linked for, as the key writes it."""
    abbreviation, title = role
    roles = person.roles.all()
    found = (
        roles.filter(abbreviation__iexact=abbreviation).first()
        or roles.filter(title__iexact=title).first()
        or roles.first()
    )
    return str(found) if found else "no role"


def ensure_cycle(users, linked):
    """The demo's closed and open periods (see planboard.progress.management.demo_cycle)."""
    strategy = Strategy.objects.get(slug=SEED_SLUG)
    lead = users["lead"] if linked.get("lead") is not None else None
    return ensure_demo_cycle(strategy, governance=users["governance"], lead=lead)
