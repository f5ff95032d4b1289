"""Who someone signing in through the single sign-on provider is on planboard.

Someone is known by the provider's stable subject (``SignInIdentity``), never by their
name. At their first sign-in their e-mail (or, where Microsoft Entra ID leaves e-mail out,
their ``preferred_username``) finds them in a plan's key, where the governance team has
set that person's e-mail; their group or role claims may also put them in planboard's
groups (``OIDC_GROUP_MAP``). Someone neither in the key nor in a mapped group gets no
account: they are asked to see their governance team.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.people.access import GOVERNANCE, ensure_groups
from planboard.people.models import Person, SignInIdentity
from planboard.people.permissions import planboard_itself

ENTRA_TENANT = "tenant:"


class NotRecognised(ServiceError):
    """Someone the provider vouched for, whom planboard does not know."""


@dataclass(frozen=True)
class Claims:
    """What planboard reads of the provider's claims about someone."""

    issuer: str
    subject: str
    email: str
    first_name: str
    last_name: str
    groups: frozenset[str]

    @classmethod
    def read(cls, issuer: str, claims: dict) -> "Claims":
        tenant, object_id = claims.get("tid"), claims.get("oid")
        if tenant and object_id:
            issuer, subject = f"{ENTRA_TENANT}{tenant}", str(object_id)
        else:
            subject = str(claims.get("sub") or "")
        email = str(claims.get("email") or "").strip()
        if not email:
            username = str(claims.get("preferred_username") or "").strip()
            email = username if "@" in username else ""
        return cls(
            issuer=issuer,
            subject=subject,
            email=email,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            groups=frozenset(mapped_groups(claims)),
        )


def mapped_groups(claims: dict) -> set[str]:
    """planboard's groups that ``OIDC_GROUP_MAP`` gives the claims' groups or roles."""
    found = set()
    for name in settings.OIDC_GROUP_CLAIMS:
        values = claims.get(name) or []
        if isinstance(values, str):
            values = [values]
        for value in values if isinstance(values, list) else []:
            group = settings.OIDC_GROUP_MAP.get(str(value))
            if group:
                found.add(group)
    return found


@service
@transaction.atomic
def account_for_sign_in(claims: Claims):
    """The account for someone the provider has vouched for, made and linked to the key
    at their first sign-in; raises ``NotRecognised`` for someone planboard does not know."""
    planboard_itself("sign someone in through the single sign-on provider")
    if not claims.subject:
        raise ServiceError("The provider did not say who you are (no subject).")
    identity = (
        SignInIdentity.objects.select_related("user")
        .filter(issuer=claims.issuer, subject=claims.subject)
        .first()
    )
    if identity is None:
        account = _first_sign_in(claims)
        identity = SignInIdentity(user=account, issuer=claims.issuer, subject=claims.subject)
    identity.email = claims.email[:254]
    identity.last_signed_in_at = timezone.now()
    identity.save()
    _keep_groups(identity.user, claims.groups)
    return identity.user


def _first_sign_in(claims: Claims):
    people = list(Person.objects.filter(email__iexact=claims.email)) if claims.email else []
    if not people and not claims.groups:
        if not claims.email:
            raise NotRecognised(
                "The provider gave no e-mail address, so planboard cannot find you in a plan's key."
            )
        raise NotRecognised(
            f"Nobody in a plan's key has the e-mail address {claims.email}, "
            "and your groups at the provider give no access to planboard."
        )
    accounts = {person.user for person in people if person.user_id}
    if len(accounts) > 1:
        raise NotRecognised(
            f"The e-mail address {claims.email} belongs to people linked to different "
            "accounts in the key."
        )
    account = accounts.pop() if accounts else _new_account(claims)
    for person in people:
        if person.user_id is None:
            person.user = account
            person.version += 1
            attribute(person, None, "Account linked at its first single sign-on")
            person.save(update_fields=["user", "version"])
    return account


def _new_account(claims: Claims):
    users = get_user_model().objects
    base = (claims.email or f"sso-{claims.subject}").lower()[:140]
    username, number = base, 1
    while users.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    account = users.create_user(
        username,
        email=claims.email,
        first_name=claims.first_name,
        last_name=claims.last_name,
    )
    return account


def _keep_groups(account, groups: frozenset[str]) -> None:
    """Give ``account`` the mapped groups the provider says, and take away those of the
    map's groups it no longer says; groups outside the map are left as they are."""
    governed = set(settings.OIDC_GROUP_MAP.values())
    if not governed:
        return
    if Group.objects.filter(name__in=governed).count() != len(governed):
        ensure_groups()
    held = set(account.groups.filter(name__in=governed).values_list("name", flat=True))
    if held == groups:
        return
    account.groups.remove(*Group.objects.filter(name__in=held - groups))
    account.groups.add(*Group.objects.filter(name__in=groups - held))
    # Governance accounts are staff accounts (they use the admin): while the provider says so.
    if GOVERNANCE in groups - held and not account.is_staff:
        account.is_staff = True
        account.save(update_fields=["is_staff"])
    elif GOVERNANCE in held - groups and account.is_staff and not account.is_superuser:
        account.is_staff = False
        account.save(update_fields=["is_staff"])
