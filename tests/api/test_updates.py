"""Giving and reviewing updates through the API: the web form's service and permissions,
the version check (409 with the update as it now is), and problems naming each field."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.api import tokens
from planboard.api.update_serializers import UpdateSubmission
from planboard.people.permissions import COMMAND_LINE
from planboard.plans.models import Action, normalise_rating
from planboard.progress.models import Update
from planboard.progress.services import close_period
from tests.bounds import database_fingerprint
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.cast import lead, reviewer
from tests.progress.cycle import JUNE, open_quarter, submit
from tests.shared import shared

pytestmark = pytest.mark.django_db

BASE = "/api/v1/strategies/sue"
PERIOD = f"{BASE}/periods/2016-17-q4"
MIA_SAYS = {"version": 0, "narrative": "SUSEG met twice.", "proposed_rating": "Amber"}


def update_url(ref="1.1"):
    return f"{BASE}/actions/{ref}/update"


def decision_url(ref, decision):
    return f"{PERIOD}/updates/{ref}/{decision}"


@shared
def api_plan(cast):
    """1.1 led by the Engagement Manager (Mia), 1.2 by the Head of SUEMU (Jane), 2.1 by
    Mia; Q4 2016/17 open; a token for each person (``read`` is Mia's read token)."""
    strategy = make_strategy(slug="sue", title="Service User Engagement Strategy")
    culture = make_theme(strategy, title="Focussed Culture Change")
    reach = make_theme(strategy, title="Communication and Reach")
    em, head = make_role(strategy, "Engagement Manager", "EM"), make_role(strategy, "Head")
    review = make_action(culture, "Review SUSEG meetings.", rating="Green", leads=[em])
    make_action(culture, "Map engagement.", rating="Amber", leads=[head], target=JUNE)
    make_action(reach, "Revise the leaflets.", rating="Green", leads=[em])
    people = {
        "mia": lead(strategy, [em], "mia"),
        "jane": lead(strategy, [head], "jane"),
        "gail": cast.gail,
        "grace": reviewer(),
        "bob": cast.bob,
    }
    secrets = {
        name: tokens.create_token(COMMAND_LINE, owner=user, name="Tracker", scope="write")[1]
        for name, user in people.items()
    }
    _, secrets["read"] = tokens.create_token(
        COMMAND_LINE, owner=people["mia"], name="BI", scope="read"
    )
    period = open_quarter(strategy)
    return SimpleNamespace(strategy=strategy, review=review, period=period, secrets=secrets)


@pytest.fixture
def api(api_plan):
    def client(name) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {api_plan.secrets[name]}")

    return client


def put(client, body, ref="1.1"):
    return client.put(update_url(ref), body, content_type="application/json")


def post(client, ref, decision, body):
    return client.post(decision_url(ref, decision), body, content_type="application/json")


def fingerprint():
    return database_fingerprint(leaving_out=("api.ApiToken",))


def test_a_lead_gives_an_update_with_a_write_token_and_reads_it_back(api, api_plan):
    mia = api("mia")
    assert mia.get(update_url()).status_code == 404

    response = put(mia, MIA_SAYS)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["version"] == 1
    assert body["narrative"] == "SUSEG met twice." and body["proposed_rating"] == "Amber"
    assert body["on_behalf"] is False and body["submitted_by"] == "Mia Bajin"
    assert body["url"].endswith(update_url()) and body["period"] == "2016-17-q4"
    saved = Update.objects.get(action=api_plan.review)
    assert (saved.narrative, saved.proposed_rag.label, saved.version) == (
        body["narrative"],
        "Amber",
        1,
    )
    assert mia.get(update_url()).json() == body
    assert api("read").get(update_url()).json() == body


def test_governance_gives_an_update_on_the_leads_behalf(api):
    response = put(api("gail"), MIA_SAYS)

    assert response.status_code == 200
    assert response.json()["on_behalf"] is True
    assert Update.objects.get().on_behalf


def test_a_moved_target_is_kept_as_its_month_with_the_reason(api, api_plan):
    body = MIA_SAYS | {"new_target_date": "2017-09-03", "target_change_reason": "Venue closed."}

    response = put(api("mia"), body)

    assert response.status_code == 200, response.json()
    assert response.json()["new_target_date"] == "2017-09-30"
    assert response.json()["target_change_reason"] == "Venue closed."


@pytest.mark.parametrize(
    "who, detail",
    [
        ("read", "This token may only read: make a token with the write scope to change anything."),
        (
            "jane",
            "You do not lead action 1.1, so you cannot give its update. "
            "Only its leads and the governance team can.",
        ),
        (
            "bob",
            "You do not lead action 1.1, so you cannot give its update. "
            "Only its leads and the governance team can.",
        ),
    ],
)
def test_a_read_token_and_a_non_lead_are_refused(api, who, detail):
    before = fingerprint()

    response = put(api(who), MIA_SAYS)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == detail
    assert fingerprint() == before


def test_no_open_period_is_a_conflict_naming_it(api, api_plan, cast):
    close_period(api_plan.period, user=cast.gail)
    before = fingerprint()

    response = put(api("mia"), MIA_SAYS)
    missing = api("mia").get(update_url())

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Service User Engagement Strategy has no open reporting period, "
        "so no update can be given now."
    )
    assert fingerprint() == before
    assert missing.status_code == 404 and missing.json()["open_period"] is None


def test_an_update_left_waiting_when_its_period_closed_is_not_reviewed(api, api_plan, cast):
    put(api("mia"), MIA_SAYS)
    close_period(api_plan.period, user=cast.gail, confirm_not_accepted=True)
    before = fingerprint()

    response = post(api("gail"), "1.1", "accept", {"version": 1})

    assert response.status_code == 409
    assert response.json()["type"].endswith("/not-possible-now")
    assert response.json()["detail"] == "2016/17 Q4 is closed; its updates can no longer change."
    assert fingerprint() == before
    listed = api("read").get(f"{PERIOD}/updates/").json()["results"]
    assert [(u["action_ref"], u["url"]) for u in listed] == [("1.1", None)]


def test_the_missing_update_names_the_open_period(api):
    response = api("mia").get(update_url())

    assert response.status_code == 404
    assert response.json()["open_period"] == "2016-17-q4"
    assert response.json()["detail"] == "Action 1.1 has no update for 2016/17 Q4 yet."


def test_bad_fields_are_each_named_and_change_nothing(api):
    before = fingerprint()
    body = {
        "version": "one",
        "narrative": "   ",
        "proposed_rating": "Purple",
        "complete": False,
        "new_target_date": "2017-13-01",
        "target_change_reason": "x" * 1001,
    }

    response = put(api("mia"), body)

    assert response.status_code == 400
    errors = {error["field"]: error["detail"] for error in response.json()["errors"]}
    assert set(errors) == {
        "version",
        "narrative",
        "proposed_rating",
        "new_target_date",
        "target_change_reason",
    }
    assert errors["narrative"] == "Enter the progress made on this action"
    assert errors["proposed_rating"] == "Choose a RAG rating from this strategy's scale"
    assert errors["target_change_reason"].startswith("The reason must be 1,000 characters")
    assert fingerprint() == before


@pytest.mark.parametrize(
    "changes, field, detail",
    [
        ({"proposed_rating": None}, "proposed_rating", "This field may not be null."),
        (
            {"new_target_date": "2017-09-30"},
            "target_change_reason",
            "Give the reason the target moves from Mar 2017 to Sep 2017",
        ),
        (
            {"new_target_date": "2101-01-31", "target_change_reason": "Later."},
            "new_target_date",
            "The new target date must be in a year from 2000 to 2100",
        ),
        ({"version": 2**31}, "version", "Ensure this value is less than or equal to 2147483647."),
    ],
)
def test_one_bad_field_is_named_in_the_detail(api, changes, field, detail):
    before = fingerprint()

    response = put(api("mia"), MIA_SAYS | changes)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "detail": detail}]
    assert response.json()["detail"] == f"{field}: {detail}"
    assert fingerprint() == before


def test_two_clients_read_version_1_and_the_second_save_gets_409_with_current(api):
    mia, gail = api("mia"), api("gail")
    put(mia, MIA_SAYS)
    mias, gails = mia.get(update_url()).json(), gail.get(update_url()).json()
    assert mias["version"] == gails["version"] == 1

    first = put(mia, MIA_SAYS | {"version": 1, "narrative": "Mia's second word."})
    second = put(gail, MIA_SAYS | {"version": 1, "narrative": "Gail's word."})

    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    problem = second.json()
    assert problem["type"].endswith("edit-conflict")
    assert problem["current"] == first.json()
    assert Update.objects.get().narrative == "Mia's second word."
    # Read again, the second saves.
    third = put(gail, MIA_SAYS | {"version": 2, "narrative": "Gail's word."})
    assert third.status_code == 200 and third.json()["on_behalf"] is True


def test_a_new_update_sent_over_one_saved_meanwhile_gets_409(api):
    put(api("gail"), MIA_SAYS)

    response = put(api("mia"), MIA_SAYS | {"narrative": "Mine."})

    assert response.status_code == 409
    assert response.json()["current"]["narrative"] == "SUSEG met twice."


def test_governance_accepts_an_update(api, api_plan):
    version = put(api("mia"), MIA_SAYS).json()["version"]

    response = post(api("gail"), "1.1", "accept", {"version": version})

    assert response.status_code == 200, response.json()
    assert (
        response.json()["status"] == "accepted" and response.json()["reviewed_by"] == "Gail Tester"
    )
    action = Action.objects.get(pk=api_plan.review.pk)
    assert action.rag_level.label == "Amber" and action.progress == "SUSEG met twice."


def test_governance_accepts_with_their_own_rating_and_reason(api, api_plan):
    put(api("mia"), MIA_SAYS)
    body = {"version": 1, "adjusted_rating": "red", "adjustment_reason": "Two meetings missed."}

    response = post(api("gail"), "1.1", "accept", body)

    assert response.status_code == 200, response.json()
    assert response.json()["adjusted_rating"] == "Red"
    assert response.json()["proposed_rating"] == "Amber"
    assert Action.objects.get(pk=api_plan.review.pk).rag_level.label == "Red"


def test_governance_accepts_with_their_own_target_month(api, api_plan):
    put(api("mia"), MIA_SAYS)
    body = {"version": 1, "adjusted_target_date": "2017-12-01", "adjustment_reason": "Winter."}

    response = post(api("gail"), "1.1", "accept", body)

    assert response.status_code == 200, response.json()
    assert response.json()["adjusted_target_date"] == "2017-12-31"
    assert Action.objects.get(pk=api_plan.review.pk).target_date == datetime.date(2017, 12, 31)


def test_an_adjustment_needs_its_reason(api):
    put(api("mia"), MIA_SAYS)
    before = fingerprint()

    response = post(api("gail"), "1.1", "accept", {"version": 1, "adjusted_rating": "Red"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "adjustment_reason",
            "detail": "Give the reason you changed the lead's rating or target date",
        }
    ]
    assert fingerprint() == before


def test_governance_returns_an_update_with_a_comment(api):
    put(api("mia"), MIA_SAYS)
    gail = api("gail")
    assert post(gail, "1.1", "return", {"version": 1, "comment": " "}).status_code == 400

    response = post(gail, "1.1", "return", {"version": 1, "comment": "Say who attended."})

    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["review_comment"] == "Say who attended."
    resent = put(api("mia"), MIA_SAYS | {"version": 2, "narrative": "Ten attended."})
    assert resent.status_code == 200 and resent.json()["status"] == "submitted"


def test_nobody_decides_on_their_own_update(api):
    put(api("gail"), MIA_SAYS)
    before = fingerprint()

    own = post(api("gail"), "1.1", "accept", {"version": 1})

    assert own.status_code == 403
    assert own.json()["detail"].endswith(
        "so another member of the governance team must accept or return it."
    )
    assert fingerprint() == before
    assert post(api("grace"), "1.1", "accept", {"version": 1}).status_code == 200


def test_a_lead_may_not_review_and_a_stale_or_settled_update_is_a_conflict(api):
    put(api("mia"), MIA_SAYS)

    refused = post(api("mia"), "1.1", "accept", {"version": 1})
    stale = post(api("gail"), "1.1", "return", {"version": 0, "comment": "Again."})
    version = post(api("gail"), "1.1", "accept", {"version": 1}).json()["version"]
    settled = post(api("gail"), "1.1", "accept", {"version": version})
    changed = put(api("mia"), MIA_SAYS | {"version": version})

    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the governance team may review updates."
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 1
    assert settled.status_code == 409
    assert settled.json()["detail"] == "This update is accepted, not waiting for review."
    assert changed.status_code == 409 and "already accepted" in changed.json()["detail"]
    assert Update.objects.get().status == "accepted"


def test_an_action_with_no_update_or_no_such_period_is_404(api):
    gail = api("gail")

    missing = [
        post(gail, "1.2", "accept", {"version": 1}),
        gail.get(f"{BASE}/periods/2030-31-q1/updates/"),
        gail.get(f"{BASE}/actions/9.9/update"),
        gail.get("/api/v1/strategies/lost/actions/1.1/update"),
    ]

    assert [response.json()["detail"] for response in missing] == [
        "Action 1.2 has no update for 2016/17 Q4.",
        "Service User Engagement Strategy has no reporting period 2030-31-q1.",
        "Service User Engagement Strategy has no action 9.9.",
        "There is no strategy lost.",
    ]
    assert {response.status_code for response in missing} == {404}


def test_the_period_lists_its_updates_filtered_by_status_and_theme(api):
    put(api("mia"), MIA_SAYS)
    put(api("mia"), MIA_SAYS, ref="2.1")
    post(api("gail"), "2.1", "accept", {"version": 1})
    reader = api("read")

    every = reader.get(f"{PERIOD}/updates/").json()
    waiting = reader.get(f"{PERIOD}/updates/?status=submitted").json()
    second_theme = reader.get(f"{PERIOD}/updates/?theme=2").json()
    wrong = reader.get(f"{PERIOD}/updates/?status=lost&theme=0")

    assert every["count"] == 2
    assert [u["action_ref"] for u in every["results"]] == ["1.1", "2.1"]
    assert [u["action_ref"] for u in waiting["results"]] == ["1.1"]
    action = reader.get(waiting["results"][0]["action_url"]).json()
    assert action["ref"] == "1.1" and action["url"] == waiting["results"][0]["action_url"]
    assert [(u["action_ref"], u["status"]) for u in second_theme["results"]] == [
        ("2.1", "accepted")
    ]
    assert wrong.status_code == 400
    assert {error["field"] for error in wrong.json()["errors"]} == {"status", "theme"}


# The token and its use, the strategy, its periods, the count and the page.
LIST_QUERIES = 6


def test_the_list_reads_in_the_same_queries_however_many_updates(
    api, api_plan, cast, django_assert_max_num_queries
):
    reader = api("read")
    put(api("mia"), MIA_SAYS)
    theme = api_plan.strategy.themes.get(number=2)
    with django_assert_max_num_queries(LIST_QUERIES):
        few = reader.get(f"{PERIOD}/updates/").json()
    for n in range(10):
        action = make_action(theme, f"Action {n}.", target=datetime.date(2017, 6, 30))
        submit(action, cast.gail)

    with django_assert_max_num_queries(LIST_QUERIES):
        many = reader.get(f"{PERIOD}/updates/").json()

    assert (few["count"], len(many["results"])) == (1, 11)


def test_a_method_an_address_does_not_answer_is_405_whatever_the_token(api):
    reader = api("read")

    assert reader.delete(update_url()).status_code == 405
    assert reader.generic("TRACE", f"{PERIOD}/updates/").status_code == 405
    assert api("mia").get(decision_url("1.1", "accept")).status_code == 405


def test_a_page_size_that_is_not_a_number_is_refused(api):
    response = api("read").get(f"{PERIOD}/updates/?page_size=null")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "page_size", "detail": "Give the page size as a whole number."}
    ]
    assert api("read").get(f"{PERIOD}/updates/?page_size=1").status_code == 200


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    index=st.integers(min_value=0, max_value=2),
    spacing=st.tuples(*[st.sampled_from(["", " ", "  ", "\t"])] * 3),
    casing=st.sampled_from([str.lower, str.upper, str.title, str.swapcase]),
    other=st.text(max_size=12),
)
def test_a_rating_names_a_level_by_its_label_written_any_way_else_is_refused(
    api_plan, index, spacing, casing, other
):
    """Any level's label, in any case and spacing, names that level; any other text is
    refused with the scale's sentence, whatever the strategy's labels are."""
    levels = api_plan.strategy.rag_levels.all()
    level = list(levels)[index]
    before, between, after = spacing
    written = before + between.join(casing(level.label).split(" ")) + after
    context = {"action": api_plan.review, "levels": levels}

    named = UpdateSubmission(data=MIA_SAYS | {"proposed_rating": written}, context=context)
    unknown = UpdateSubmission(data=MIA_SAYS | {"proposed_rating": other}, context=context)

    assert named.is_valid(), named.errors
    assert named.submission()["proposed_rag"] == level
    if not any(candidate.names() & {normalise_rating(other)} for candidate in levels):
        assert not unknown.is_valid()
        assert "proposed_rating" in unknown.errors
