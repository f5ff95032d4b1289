"""Making, revoking and recognising personal access tokens (``ApiToken``).

The secret is ``pb_`` followed by 43 URL-safe characters (32 random bytes). It is never
stored: ``digest`` finds it again. Real time (Django's clock) decides expiry and use,
as for sessions: a token is a credential, not part of the plan's story.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from planboard.api.models import ApiToken
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import planboard_itself, require_own_tokens

PREFIX = "pb_"
PREFIX_SHOWN = 8
MAX_EXPIRY_DAYS = 366
# What the page and the command offer unless told otherwise.
DEFAULT_EXPIRY_DAYS = 90


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def usable():
    """Tokens that open the API now: not revoked, not expired, of an active account."""
    now = timezone.now()
    return (
        ApiToken.objects.filter(revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=now)
        .select_related("user")
    )


def find(secret: str) -> ApiToken | None:
    """The usable token whose secret is ``secret``, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return usable().filter(digest=digest(secret)).first()


def clean_name(name: str) -> str:
    """What the token is for, trimmed; refused when empty or too long."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter what the token is for.", field="name")
    if len(name) > 100:
        raise ServiceError("What the token is for must be 100 characters or fewer.", field="name")
    return name


def check_scope(scope: str) -> None:
    if scope not in ApiToken.Scope.values:
        raise ServiceError("Choose whether the token reads only or also writes.", field="scope")


def check_expiry(expires_days: int | None) -> None:
    """A token expires after 1 to ``MAX_EXPIRY_DAYS`` days, or never (None)."""
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise ServiceError(
            f"A token expires after 1 to {MAX_EXPIRY_DAYS} days.", field="expires_days"
        )


def state(token: ApiToken, now=None) -> str:
    """ "Revoked", "Expired" or "Active": whether the token still opens the API (as far
    as the token goes: an account switched off opens nothing)."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "Revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "Expired"
    return "Active"


@service
@transaction.atomic
def create_token(
    user, *, owner, name: str, scope: str, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``owner`` (``user`` is the owner, or the command line) and return
    it with its secret, which is shown once and never again."""
    require_own_tokens(user, owner)
    name = clean_name(name)
    check_scope(scope)
    check_expiry(expires_days)
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=owner,
        name=name,
        scope=scope,
        prefix=secret[: len(PREFIX) + PREFIX_SHOWN],
        digest=digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    return token, secret


@service
@transaction.atomic
def revoke_token(user, token: ApiToken) -> ApiToken:
    """Stop ``token`` opening the API, for good. Revoking a revoked token changes nothing."""
    require_own_tokens(user, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@service
def record_use(token: ApiToken, address: str | None) -> None:
    """Note when and from where ``token`` was last used."""
    planboard_itself("note a token's use")
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address or None)
    token.last_used_at, token.last_used_from = now, address or None
