"""Keeping a plan's key of roles and people on planboard's own pages.

Each change is one service: it asks the governance rule, refuses bad input with a
``ServiceError`` naming the field, takes the record at the version the form was built
from (``planboard.lib.versions``: of two people saving at once, one is told and shown
the other's values) and records who made the change and why in the history.

A merge moves every action led by the removed role, and every person holding it, to the
kept role, whose aliases then include the removed role's names so that a re-import still
matches them. A split renames the person to the first name, keeping their account and
e-mail, and adds a second person with the second name.
"""

from django.db import transaction

from planboard.lib import versions
from planboard.lib.history import attribute, update_with_history
from planboard.lib.services import ServiceError, service
from planboard.people.models import Person, Role
from planboard.people.permissions import require_governance

DOING = "change the key of roles and people"


class KeyConflict(versions.EditConflict):
    default_message = "Someone else changed this after you opened it, so yours was not saved."


def _same(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def check_role(strategy, title: str, abbreviation: str, *, role=None) -> tuple[str, str]:
    """The role's name and short name, tidied; refuses an empty or a duplicate one."""
    title, abbreviation = " ".join(title.split()), " ".join(abbreviation.split())
    if not title:
        raise ServiceError("Enter the role's name.", "title")
    others = Role.objects.filter(strategy=strategy)
    if role is not None:
        others = others.exclude(pk=role.pk)
    for other in others:
        if _same(other.title) == _same(title):
            raise ServiceError(f'Another role is already called "{other.title}".', "title")
        if abbreviation and _same(other.abbreviation) == _same(abbreviation):
            raise ServiceError(
                f'"{other.title}" already has the short name "{other.abbreviation}".',
                "abbreviation",
            )
    return title, abbreviation


@service
@transaction.atomic
def save_role(strategy, values: dict, *, version, user, role=None) -> Role:
    """Add a role to ``strategy``'s key (``role`` None) or rename ``role``.

    ``values`` holds ``title`` and ``abbreviation``; ``version`` is the one the form showed.
    """
    require_governance(user, DOING)
    title, abbreviation = check_role(
        strategy, values.get("title", ""), values.get("abbreviation", ""), role=role
    )
    if role is None:
        role, reason = Role(strategy=strategy, in_key=True), "Role added"
    else:
        versions.claim(Role, version, conflict=KeyConflict, pk=role.pk, strategy=strategy)
        role, reason = Role.objects.get(pk=role.pk), "Role changed"
    role.title, role.abbreviation = title, abbreviation
    if "in_key" in values:
        role.in_key = bool(values["in_key"])
    attribute(role, user, reason)
    role.save()
    return role


@service
@transaction.atomic
def merge_roles(removed: Role, kept: Role, *, version, user) -> Role:
    """Merge ``removed`` into ``kept``: every action led by either is led by ``kept``,
    everyone holding ``removed`` holds ``kept``, and ``removed`` is deleted.

    ``version`` is ``removed``'s version as the form showed it.
    """
    require_governance(user, DOING)
    if kept is None or kept.pk == removed.pk:
        raise ServiceError("Choose another role to merge this one into.", "kept")
    if kept.strategy_id != removed.strategy_id:
        raise ServiceError("Choose a role of the same strategy.", "kept")
    versions.claim(Role, version, conflict=KeyConflict, pk=removed.pk)
    removed = Role.objects.get(pk=removed.pk)
    kept = Role.objects.select_for_update().get(pk=kept.pk)
    why = f'"{removed}" merged into "{kept}"'[:100]

    # The actions, through the relation: the plans app imports this one, not the reverse.
    leading = Role.actions.through
    action_model = leading._meta.get_field("action").related_model
    led = _move_links(action_model, leading, "action_id", removed, kept)
    held = _move_links(Person, Person.roles.through, "person_id", removed, kept)
    update_with_history(action_model, led, ["version"], user=user, reason=why)
    update_with_history(Person, held, ["version"], user=user, reason=why)

    names = {_same(kept.title), _same(kept.abbreviation)} | {_same(a) for a in kept.aliases}
    aliases = list(kept.aliases or [])
    for name in [removed.title, removed.abbreviation, *(removed.aliases or [])]:
        if name and _same(name) not in names:
            aliases.append(name)
            names.add(_same(name))
    kept.aliases = aliases
    kept.in_key = kept.in_key or removed.in_key
    kept.version += 1
    attribute(kept, user, why)
    kept.save()
    attribute(removed, user, why)
    removed.delete()
    return kept


def _move_links(model, through, source: str, removed: Role, kept: Role) -> list:
    """Point every link of ``through`` from ``removed`` to ``kept`` (once each), in bulk
    so that the history takes one row per record; returns the records, version bumped."""
    linked = set(through.objects.filter(role=removed).values_list(source, flat=True))
    both = set(
        through.objects.filter(role=kept, **{f"{source}__in": linked}).values_list(
            source, flat=True
        )
    )
    through.objects.filter(role=removed, **{f"{source}__in": both}).delete()
    through.objects.filter(role=removed).update(role=kept)
    records = list(model.objects.filter(pk__in=linked).order_by("pk"))
    for record in records:
        record.version += 1
    return records


def check_person(strategy, name: str, *, person=None, field="name") -> str:
    """The person's name, tidied; refuses an empty name or one already in the key."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Enter the person's name.", field)
    others = Person.objects.filter(strategy=strategy)
    if person is not None:
        others = others.exclude(pk=person.pk)
    for other in others:
        if _same(other.name) == _same(name):
            raise ServiceError(f'Someone in the key is already called "{other.name}".', field)
    return name


def roles_of(strategy, roles, field="roles") -> list[Role]:
    """``roles``, refused (on ``field``) unless each is of ``strategy``'s key."""
    roles = list(roles or [])
    if any(role.strategy_id != strategy.pk for role in roles):
        raise ServiceError("Choose roles of this strategy.", field)
    return roles


@service
@transaction.atomic
def save_person(strategy, values: dict, *, version, user, person=None) -> Person:
    """Add a person to ``strategy``'s key (``person`` None) or change ``person``: their
    ``name``, the ``account`` they sign in with (or None), ``email`` and ``roles``."""
    require_governance(user, DOING)
    name = check_person(strategy, values.get("name", ""), person=person)
    roles = roles_of(strategy, values.get("roles"))
    account = values.get("account")
    if account is not None and not account.is_active:
        raise ServiceError("Choose an account that is switched on.", "account")
    if person is None:
        person, reason = Person(strategy=strategy), "Person added"
    else:
        versions.claim(Person, version, conflict=KeyConflict, pk=person.pk, strategy=strategy)
        person, reason = Person.objects.get(pk=person.pk), "Person changed"
    person.name, person.user = name, account
    person.email = (values.get("email") or "").strip()
    attribute(person, user, reason)
    person.save()
    attribute(person, user, reason)
    person.roles.set(roles)  # a history row of its own, with the roles as now
    return person


@service
@transaction.atomic
def split_person(person: Person, first: dict, second: dict, *, version, user):
    """Split ``person`` (two people written as one) into two: ``first`` and ``second``
    each hold a ``name`` and ``roles``. The first keeps the record, with its account,
    e-mail and note; the second is a new person. Returns both."""
    require_governance(user, DOING)
    strategy = person.strategy
    first_name = check_person(strategy, first.get("name", ""), person=person, field="first_name")
    second_name = check_person(strategy, second.get("name", ""), person=person, field="second_name")
    if _same(first_name) == _same(second_name):
        raise ServiceError("Give the two people different names.", "second_name")
    first_roles = roles_of(strategy, first.get("roles"), "first_roles")
    second_roles = roles_of(strategy, second.get("roles"), "second_roles")
    versions.claim(Person, version, conflict=KeyConflict, pk=person.pk)
    person = Person.objects.get(pk=person.pk)
    why = f'"{person.name}" split into "{first_name}" and "{second_name}"'[:100]
    person.name = first_name
    attribute(person, user, why)
    person.save()
    attribute(person, user, why)
    person.roles.set(first_roles)
    other = Person(strategy=strategy, name=second_name, is_ebe_lead=person.is_ebe_lead)
    attribute(other, user, why)
    other.save()
    attribute(other, user, why)
    other.roles.set(second_roles)
    return person, other
