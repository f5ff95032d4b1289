"""The private register is reachable only by its circle, over every URL of the project.

A marker is planted in every private field (a person's name, contact and access needs,
and the role of their involvement). Then every named URL pattern of the whole project
(``planboard/urls.py``'s resolver, walked as tests/ops/test_writes_go_through_services.py
walks it), with its arguments filled from the planted data, is fetched as a board
member, as a lead who leads actions but not the activity, and anonymously: no response
holds a marker (downloads are opened: a workbook's parts are unzipped, a PDF's text is
read). The register's own pages answer them 403, or send the anonymous visitor to sign
in. The activity's own lead sees the names on its involvement page, and nothing else
of the register.

Patterns are filled by the names of their arguments, so a URL added by any part of the
project is walked as soon as it exists; one whose arguments cannot be filled must be
listed in ``UNFILLED`` with the reason, and the walk fails on a new one unlisted.
"""

import datetime
import io
import itertools
import zipfile
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from planboard.engagement.models import Involvement, Participant, RateUnit, Reward, RewardRate
from planboard.engagement.register import save_involvement, save_participant, save_rate
from planboard.progress.services import create_period
from tests.cast import board_member, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

MARKERS = {
    "name": "Qzvpersonname",
    "contact": "Qzvcontactline",
    "access_needs": "Qzvaccessneed",
    "role": "Qzvinvolverole",
}
# The register's own pages: the governance team's alone (the involvement page is also
# the activity's lead's, and checked on its own below).
REGISTER = {
    "engagement_register",
    "engagement_participant",
    "engagement_participant_add",
    "engagement_participant_erase",
    "engagement_rates",
    "engagement_finance",
    "engagement_finance_export",
}
# URL names whose arguments the walk cannot fill, with why (none today).
UNFILLED: dict[str, str] = {}


@shared
def planted(db):
    strategy, places, commitments, actions = make_engagement_plan(slug="priv")
    board_member()
    lena = lead(strategy, [], "lena")
    lead(strategy, list(actions[0].leads.all()), "leo")
    activity = add_activity(strategy, "Listening event", lead=lena.people.get())
    create_period(strategy, "2016/17 Q4", user=None)
    save_rate(
        RewardRate(
            strategy=strategy,
            name="Working group",
            unit=RateUnit.BLOCK,
            block_hours=Decimal(3),
            amount=Decimal(20),
            valid_from=datetime.date(2016, 4, 1),
        ),
        user=None,
    )
    person = save_participant(
        Participant(
            strategy=strategy,
            name=MARKERS["name"],
            contact=MARKERS["contact"],
            access_needs=MARKERS["access_needs"],
            consent_given_on=datetime.date(2016, 5, 1),
        ),
        user=None,
    )
    involvement = save_involvement(
        Involvement(
            participant=person,
            activity=activity,
            took_part_on=datetime.date(2017, 1, 10),
            role=MARKERS["role"],
            hours=Decimal(2),
            reward=Reward.PAYMENT,
        ),
        user=None,
        rate_name="Working group",
    )
    return strategy, activity, person, involvement, actions[0]


def _arguments(route) -> tuple[list[str], int]:
    """A route's named arguments and how many unnamed groups its regular expression has."""
    if getattr(route, "converters", None):
        return list(route.converters), 0
    named = list(route.regex.groupindex)
    return named, route.regex.groups - len(named)


def _patterns(resolver=None, namespace="", outer=((), 0)):
    """Every named pattern, with the arguments of the includes around it too."""
    for pattern in (resolver or get_resolver()).url_patterns:
        named, unnamed = _arguments(pattern.pattern)
        arguments = ([*outer[0], *named], outer[1] + unnamed)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner, arguments)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", arguments


def _values(strategy, activity, person, involvement, action) -> dict[str, list]:
    """What each argument name may be, from the planted data."""
    # The numbers in the engagement pages' addresses are activities' and people's.
    ids = sorted({activity.pk, person.pk})
    return {
        "slug": [strategy.slug],
        "pk": ids,
        "object_id": [person.pk],
        "ref": [action.ref],
        "number": [action.theme.number],
        "period": ["2016-17-q4"],
        "format": ["csv", "xlsx", "json", "pdf", "docx"],
        "content_type_id": [ContentType.objects.get_for_model(Participant).pk],
        "id": [get_user_model().objects.get(username="bob").pk],
        "app_label": ["people"],
    }


def _addresses(values) -> dict[str, list[str]]:
    """Every named pattern's addresses, filled from ``values``; empty when it cannot be.
    Unnamed groups (the history admin's) are given the planted person's number."""
    addresses = {}
    for name, (arguments, unnamed) in _patterns():
        found = []
        if all(argument in values for argument in arguments):
            for chosen in itertools.product(*(values[argument] for argument in arguments)):
                kwargs = dict(zip(arguments, chosen, strict=True))
                try:
                    if unnamed:
                        found.append(reverse(name, args=values["object_id"] * unnamed))
                    else:
                        found.append(reverse(name, kwargs=kwargs))
                except NoReverseMatch:
                    continue
        addresses[name] = sorted(set(found))
    return addresses


def _text(response) -> bytes:
    """All a response says, with a workbook or document unzipped and a PDF's text read."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return b"".join(archive.read(member) for member in archive.namelist())
    if body.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "".join(page.extract_text() for page in reader.pages).encode()
    return body


def _client(username=None):
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _leaks(response) -> list[str]:
    text = _text(response)
    return [field for field, marker in MARKERS.items() if marker.encode() in text]


def test_every_url_is_filled_or_left_out_for_a_reason(planted):
    addresses = _addresses(_values(*planted))
    unfilled = {name for name, found in addresses.items() if not found}
    assert unfilled == set(UNFILLED), "URLs the privacy walk cannot reach"
    assert REGISTER <= set(addresses) and "engagement_involvement" in addresses


def test_no_url_shows_the_register_outside_its_circle(planted):
    addresses = _addresses(_values(*planted))
    private = REGISTER | {"engagement_involvement"}
    leaked, opened, refused = [], 0, set()
    for username in ("bob", "leo", None):
        client = _client(username)
        for name, found in sorted(addresses.items()):
            for address in found:
                response = client.get(address)
                opened += 1
                if fields := _leaks(response):
                    leaked.append((username or "anonymous", address, fields))
                if name not in private:
                    continue
                if username is None:
                    assert response.status_code == 302, address
                    assert response.url.startswith(reverse("login")), address
                    refused.add((username, name))
                else:
                    # An address filled with another record's number may find nothing.
                    assert response.status_code in (403, 404), (username, address)
                    if response.status_code == 403:
                        refused.add((username, name))
    assert not leaked
    assert refused == {(user, name) for user in ("bob", "leo", None) for name in private}
    assert opened > 3 * len(addresses)  # every pattern of the project, not a few


def test_the_activitys_lead_sees_its_names_and_nothing_else_of_the_register(planted):
    strategy, activity, person, involvement, action = planted
    lena = _client("lena")
    page = lena.get(reverse("engagement_involvement", kwargs={"slug": "priv", "pk": activity.pk}))
    assert page.status_code == 200
    assert MARKERS["name"] in page.text and MARKERS["role"] in page.text
    assert MARKERS["contact"] not in page.text
    arguments = {
        "engagement_participant": {"pk": person.pk},
        "engagement_participant_erase": {"pk": person.pk},
        "engagement_finance_export": {"format": "csv"},
    }
    for name in sorted(REGISTER):
        response = lena.get(reverse(name, kwargs={"slug": "priv", **arguments.get(name, {})}))
        assert response.status_code == 403, name
        assert not _leaks(response), name
