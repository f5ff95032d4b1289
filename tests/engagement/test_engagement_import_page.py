"""The governance team's page to import an activity register, and the register's
download as CSV and Excel, which imports back to the same activities."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from planboard.engagement.models import Activity, Kind, Level, Recurrence
from planboard.engagement.services import set_participation
from planboard.imports.engagement_activities import import_activities
from planboard.imports.tables import read_table_bytes
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.cast import board_member, governance, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date
GOOD = b"Activity,Date,Level,Directorate\nOpen day,01/02/2017,Consultation,Acute\n"
BAD = b"Activity,Date,Level\nOpen day,someday,Consultation\nWalk,01/02/2017,loud\n"


def _describe(activity) -> dict:
    """Everything the register carries about ``activity``, by natural keys."""
    return {
        **{
            name: getattr(activity, name)
            for name in (
                "ref",
                "title",
                "kind",
                "level",
                "starts_on",
                "ends_on",
                "ongoing",
                "recurrence",
                "purpose",
                "outcome",
                "fed_back_on",
                "fed_back_how",
            )
        },
        "services": sorted(s.name for s in activity.services.all()),
        "commitments": sorted(c.ref for c in activity.commitments.all()),
        "actions": sorted(a.ref for a in activity.actions.all()),
        "lead": activity.lead.name if activity.lead else None,
        "participation": dict(activity.participation.values_list("perspective", "count")),
    }


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    governance()
    board_member()
    lead(strategy, [], "lena")
    ada = make_person(strategy, "Ada Lovelace")
    group = add_activity(
        strategy,
        "=SUNRISE, the service users' group",
        ref="E-1",
        kind=Kind.STANDING_GROUP,
        level=Level.COPRODUCE,
        starts_on=D(2017, 4, 3),
        ongoing=True,
        recurrence=Recurrence.FORTNIGHTLY,
        purpose="To shape the wards.\n\nAnd the menus.",
        outcome="New menus",
        fed_back_on=D(2017, 6, 12),
        fed_back_how="At the group",
        lead=ada,
        services=[places["acute"], places["maple"]],
        commitments=commitments[:2],
        actions=actions,
    )
    set_participation(group, {"service_user": 8, "expert_by_experience": 2}, user=None)
    add_activity(
        strategy,
        "Open day",
        starts_on=D(2017, 5, 20),
        ends_on=D(2017, 5, 21),
        kind=Kind.EVENT,
        level=Level.INFORM,
        services=[places["pharmacy"]],
    )
    add_activity(strategy, "Survey of carers", kind=Kind.SURVEY, level=Level.CONSULT)
    return strategy


def _client(username=None):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _url(strategy, name="engagement_import", **kwargs):
    return reverse(name, kwargs={"slug": strategy.slug, **kwargs})


def test_only_the_governance_team_may_import(plan):
    assert _client().get(_url(plan)).status_code in (302, 403)
    clients = [_client("bob"), _client("lena")]
    before = database_fingerprint()
    for client in clients:
        assert client.get(_url(plan)).status_code == 403
        upload = SimpleUploadedFile("register.csv", GOOD)
        assert client.post(_url(plan), {"file": upload}).status_code == 403
    assert database_fingerprint() == before


def test_a_check_then_an_import(plan):
    gov = _client("gail")
    page = gov.get(_url(plan))
    assert page.status_code == 200 and "Import engagement activities" in page.text
    before = database_fingerprint()
    checked = gov.post(
        _url(plan), {"file": SimpleUploadedFile("register.csv", GOOD), "dry_run": "on"}
    )
    assert checked.status_code == 200
    assert "Engagement activities: 1 would be created, 0 updated, 0 unchanged." in checked.text
    assert database_fingerprint() == before
    done = gov.post(_url(plan), {"file": SimpleUploadedFile("register.csv", GOOD)})
    assert done.status_code == 302 and done.headers["Location"] == _url(plan)
    day = Activity.objects.get(strategy=plan, title="Open day", starts_on=D(2017, 2, 1))
    assert (day.level, [s.name for s in day.services.all()]) == ("consult", ["Acute"])
    assert "1 were created" in gov.get(done.headers["Location"]).text


def test_a_bad_file_lists_every_bad_row_and_changes_nothing(plan):
    gov = _client("gail")
    before = database_fingerprint()
    refused = gov.post(_url(plan), {"file": SimpleUploadedFile("register.csv", BAD)})
    assert refused.status_code == 400
    assert "The file was not imported" in refused.text and "Nothing was changed." in refused.text
    assert "register.csv, row 2, column Date: &#34;someday&#34; is not a date" in refused.text
    assert "register.csv, row 3, column Level: &#34;loud&#34; is not a level" in refused.text
    assert database_fingerprint() == before
    empty = gov.post(_url(plan), {})
    assert empty.status_code == 400 and "Choose the file to import." in empty.text


def test_every_signed_in_account_may_download_the_register_without_the_private_one(
    plan, django_assert_max_num_queries
):
    bob = _client("bob")
    for format, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
        with django_assert_max_num_queries(12):
            response = bob.get(_url(plan, "engagement_export", format=format))
        assert response.status_code == 200 and kind in response["Content-Type"]
        assert f".{format}" in response["Content-Disposition"]
    assert bob.get(_url(plan, "engagement_export", format="pdf")).status_code == 404
    assert _client().get(_url(plan, "engagement_export", format="csv")).status_code == 302
    text = bob.get(_url(plan, "engagement_export", format="csv")).content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Ref,Activity,Type,Directorates,Level of involvement,Start,End,")
    assert "'=SUNRISE" in text  # a formula is kept as text
    for private in ("Participant", "Hours", "Reward", "Contact", "Access needs", "Consent"):
        assert private not in header


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_an_export_imports_back_to_the_same_activities(plan, format):
    content = _client("gail").get(_url(plan, "engagement_export", format=format)).content
    if format == "xlsx":  # a formula is kept as text, exactly; a date is a date
        cells = read_table_bytes(content, "register.xlsx").rows[2].cells
        assert cells[1] == "=SUNRISE, the service users' group"
        assert isinstance(cells[5], datetime.date)
    fresh, _, _, _ = make_engagement_plan(slug="fresh")
    make_person(fresh, "Ada Lovelace")
    summary = import_activities(fresh, content, f"register.{format}", user=None)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    original = sorted(
        (_describe(a) for a in Activity.objects.filter(strategy=plan)), key=lambda d: d["title"]
    )
    copied = sorted(
        (_describe(a) for a in Activity.objects.filter(strategy=fresh)), key=lambda d: d["title"]
    )
    assert copied == original
    assert original[0]["title"] == "=SUNRISE, the service users' group"
    again = import_activities(fresh, content, f"register.{format}", user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
