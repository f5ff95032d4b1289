"""``planboard api-token create|list|revoke --user USERNAME``: an account's API tokens,
from the server's shell.

The command line may make and revoke tokens for any account (an operator setting up an
integration), through the same services as the "Your API tokens" page. ``create``
prints the secret once, alone on the last line, so a script can capture it::

    TOKEN=$(planboard api-token create --user lead --scope read | tail -n 1)

A mistake (an unknown or switched-off account, a scope that is not read or write, days
out of range, a prefix of no token of the account) stops the command with one line,
before anything is written.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from planboard.api import tokens
from planboard.api.models import ApiToken
from planboard.lib.letters import long_date
from planboard.lib.services import ServiceError
from planboard.people.permissions import COMMAND_LINE

OPTIONS = {"name": "--name", "scope": "--scope", "expires_days": "--expires"}
NEVER = "never"
DEFAULT_NAME = "Made on the command line"


class Command(BaseCommand):
    help = (
        "Makes an API token for an account and prints it once (create), lists the "
        "account's tokens (list), or revokes one by the first characters of its secret "
        "(revoke)."
    )

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["create", "list", "revoke"])
        parser.add_argument(
            "prefix",
            nargs="?",
            metavar="PREFIX",
            help="revoke: the token's first characters, as list shows them (pb_...).",
        )
        parser.add_argument("--user", metavar="USERNAME", required=True)
        parser.add_argument("--scope", help="create: read, or write (read and write).")
        parser.add_argument(
            "--expires",
            metavar="DAYS",
            help=f"create: days until it expires, 1 to {tokens.MAX_EXPIRY_DAYS}, or "
            f"'{NEVER}' (default {tokens.DEFAULT_EXPIRY_DAYS}).",
        )
        parser.add_argument(
            "--name", metavar="TEXT", help=f"create: what it is for (default '{DEFAULT_NAME}')."
        )

    def handle(self, *args, **options):
        operation = options["operation"]
        owner = account(options["user"], operation)
        if operation != "create":
            for option in ("scope", "expires", "name"):
                if options[option] is not None:
                    raise CommandError(f"--{option} is only for creating a token.")
        if operation != "revoke" and options["prefix"]:
            raise CommandError("A prefix is only for revoking a token.")
        if operation == "create":
            self.create(owner, options)
        elif operation == "list":
            self.list_tokens(owner)
        else:
            self.revoke(owner, options["prefix"])

    def create(self, owner, options):
        if not options["scope"]:
            raise CommandError("--scope: say read, or write (read and write).")
        days = expiry_days(options["expires"])
        name = DEFAULT_NAME if options["name"] is None else options["name"]
        try:
            token, secret = tokens.create_token(
                COMMAND_LINE, owner=owner, name=name, scope=options["scope"], expires_days=days
            )
        except ServiceError as error:
            raise CommandError(f"{OPTIONS.get(error.field, error.field)}: {error}") from None
        self.stdout.write(
            f'Made the {token.get_scope_display().lower()} token "{token.name}" for '
            f"{owner.username} ({token.prefix}); it {expiry_words(token)}."
        )
        self.stdout.write("Copy it now: it is shown this once and cannot be shown again.")
        self.stdout.write(secret)

    def list_tokens(self, owner):
        found = list(ApiToken.objects.filter(user=owner))
        noun = "token" if len(found) == 1 else "tokens"
        self.stdout.write(f"{owner.username}: {len(found)} API {noun}")
        now = timezone.now()
        for token in found:
            used = (
                f"last used {moment(token.last_used_at)} from {token.last_used_from or 'unknown'}"
                if token.last_used_at
                else "never used"
            )
            self.stdout.write(
                f"  {token.prefix}  {token.scope:<5}  {tokens.state(token, now):<7}  "
                f"made {moment(token.created_at)}, {expiry_words(token, now)}, {used}  "
                f"{token.name}"
            )

    def revoke(self, owner, prefix):
        if not prefix:
            raise CommandError("Give the prefix of the token to revoke, as list shows it.")
        prefix = prefix.strip().rstrip("…")
        if len(prefix) < len(tokens.PREFIX) + 4:
            raise CommandError(f'"{prefix}" is too short: give the prefix as list shows it.')
        found = list(ApiToken.objects.filter(user=owner, prefix__startswith=prefix)[:2])
        if not found:
            raise CommandError(f'{owner.username} has no token beginning "{prefix}".')
        if len(found) > 1:
            raise CommandError(f'"{prefix}" begins more than one token: give all of it.')
        (token,) = found
        was_revoked = token.revoked_at is not None
        tokens.revoke_token(COMMAND_LINE, token)
        if was_revoked:
            self.stdout.write(f'The token "{token.name}" ({token.prefix}) was already revoked.')
        else:
            self.stdout.write(f'Revoked the token "{token.name}" ({token.prefix}).')


def account(username, operation):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f'--user: there is no user "{username}".')
    if operation == "create" and not user.is_active:
        raise CommandError(
            f'--user: the account "{username}" is switched off, so a token would open nothing.'
        )
    return user


def expiry_days(value) -> int | None:
    if value is None:
        return tokens.DEFAULT_EXPIRY_DAYS
    if value.strip().lower() == NEVER:
        return None
    if not value.strip().isdigit():
        raise CommandError(
            f"--expires: give a whole number of days, 1 to {tokens.MAX_EXPIRY_DAYS}, "
            f"or '{NEVER}', not \"{value}\"."
        )
    return int(value)


def moment(value) -> str:
    local = timezone.localtime(value)
    return f"{long_date(local.date())} at {local:%H:%M}"


def expiry_words(token, now=None) -> str:
    if token.expires_at is None:
        return "never expires"
    verb = "expired" if token.expires_at <= (now or timezone.now()) else "expires"
    return f"{verb} on {long_date(timezone.localtime(token.expires_at).date())}"
