"""The review queue's other choices: accept with the reviewer's own rating or target,
accept several at once (all or none), narrow to a theme or a lead, and the previous
accepted update shown beside the new one. Every error names its action."""

import datetime
import re

import pytest

from planboard.plans.models import Action
from planboard.progress.models import TargetChange, Update, UpdateStatus
from planboard.progress.services import accept_update, close_period, open_period, submit_update
from tests.bounds import database_fingerprint
from tests.web.cycle import level_id, review_url
from tests.web.pages import errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(lead, governor, small_plan, open_quarter):
    """Mia's updates on 1.1 (Green) and 1.2 (Amber, target to Sep 2017), and one on
    2.1 given by Gail on the Finance lead's behalf."""
    levels = {level.label: level for level in small_plan.strategy.rag_levels.all()}
    return {
        "1.1": submit_update(
            small_plan.review, user=lead, narrative="Terms agreed.", proposed_rag=levels["Green"]
        ),
        "1.2": submit_update(
            small_plan.mapping,
            user=lead,
            narrative="Two of four mapped.",
            proposed_rag=levels["Amber"],
            new_target_date=datetime.date(2017, 9, 30),
            reason="Directorates restructured.",
        ),
        "2.1": submit_update(small_plan.materials, user=governor, narrative="Drafted."),
    }


def flat(html):
    """``html`` with each run of white space as one space."""
    return " ".join(html.split())


def adjust(client, update, url=None, **fields):
    update.refresh_from_db()
    data = {"update": str(update.pk), "version": str(update.version), "decision": "adjust"}
    return client.post(url or review_url(), data | fields)


def test_accepting_with_another_rating_keeps_the_leads_and_shows_both(
    client_for, governor, queue, small_plan
):
    client = client_for(governor)
    red = level_id(small_plan.strategy, "Red")

    response = adjust(client, queue["1.2"], rag=red, adjustment_reason="Two of four is late.")

    assert response.status_code == 302
    page = client.get(review_url()).text
    assert "You accepted the update on action 1.2 with your changes." in page
    update = Update.objects.get(pk=queue["1.2"].pk)
    assert (update.status, update.proposed_rag.label, update.adjusted_rag.label) == (
        UpdateStatus.ACCEPTED,
        "Amber",
        "Red",
    )
    action = Action.objects.get(pk=small_plan.mapping.pk)
    assert action.rag_level.label == "Red"
    assert action.target_date == datetime.date(2017, 9, 30)  # the lead's move stands
    said = "Gail Tester changed the rating from Amber to Red. Reason: Two of four is late."
    assert said in page  # under Accepted
    action_page = client.get("/strategies/demo/actions/1.2/").text
    assert said in action_page


def test_accepting_with_another_target_moves_the_action_with_the_reviewers_reason(
    client_for, governor, queue, small_plan
):
    client = client_for(governor)

    response = adjust(
        client,
        queue["1.2"],
        **{"target_date-month": "12", "target_date-year": "2017"},
        adjustment_reason="Be real.",
    )

    assert response.status_code == 302
    action = Action.objects.get(pk=small_plan.mapping.pk)
    assert action.target_display == "Dec 2017"
    move = TargetChange.objects.get(action=action)
    assert (move.to_display, move.reason) == ("Dec 2017", "Be real.")
    assert (
        "changed the target date to Dec 2017 (the lead proposed Sep 2017)"
        in client.get("/strategies/demo/actions/1.2/").text
    )


@pytest.mark.parametrize(
    ("fields", "anchor", "message"),
    [
        (
            {"rag": "Red", "adjustment_reason": " "},
            "adjustment-reason",
            "Action 1.2: give the reason you changed the lead's rating or target date",
        ),
        (
            {"adjustment_reason": "Because."},
            "rag",
            "Action 1.2: choose the rating or enter the target date you accept instead",
        ),
        (
            {
                "target_date-month": "13",
                "target_date-year": "2017",
                "adjustment_reason": "Because.",
            },
            "target-month",
            "Action 1.2: the target date you accept must be a real date",
        ),
        (
            {"rag": "Amber", "adjustment_reason": "Because."},
            "rag",
            "Action 1.2: choose a rating or target date different from the lead's, "
            "or accept the update as it is",
        ),
        (
            {"rag": "999999", "adjustment_reason": "Because."},
            "rag",
            "Action 1.2: choose a RAG rating from this strategy's scale",
        ),
    ],
)
def test_a_bad_change_is_refused_on_its_field_naming_the_action(
    client_for, governor, queue, small_plan, fields, anchor, message
):
    client = client_for(governor)
    if fields.get("rag") in ("Red", "Amber"):
        fields = fields | {"rag": level_id(small_plan.strategy, fields["rag"])}
    before = database_fingerprint()

    response = adjust(client, queue["1.2"], **fields)

    summary, inline = errors(response.text)
    pk = queue["1.2"].pk
    assert summary == [(f"#{anchor}-{pk}", message)]
    assert inline == [message]
    assert database_fingerprint() == before
    assert '<details class="nhsuk-details" open>' in flat(response.text)  # the fields stay shown


def test_a_bad_return_comment_names_its_action_among_several(client_for, governor, queue):
    client = client_for(governor)
    update = queue["1.1"]

    response = client.post(
        review_url(),
        {"update": update.pk, "version": update.version, "decision": "return", "comment": ""},
    )

    summary, inline = errors(response.text)
    message = "Action 1.1: enter a comment saying what the lead should change"
    assert summary == [(f"#comment-{update.pk}", message)]
    assert inline == [message]


def selected(*updates):
    return [f"{u.pk}:{u.version}" for u in updates]


def test_ticking_several_accepts_them_all(client_for, governor, queue):
    client = client_for(governor)
    page = flat(client.get(review_url()).text)
    # Gail gave 2.1 herself: no box to tick for it, and the boxes belong to one form.
    boxes = re.findall(
        r'name="selected" type="checkbox" value="([\d:]+)" form="accept-selected-form"', page
    )
    assert boxes == selected(queue["1.1"], queue["1.2"])
    form = f'<form method="post" action="{review_url()}" id="accept-selected-form"'
    assert form in page

    response = client.post(review_url(), {"decision": "accept-selected", "selected": boxes})

    assert response.status_code == 302
    assert "You accepted the 2 updates on actions 1.1, 1.2." in client.get(review_url()).text
    assert set(
        Update.objects.filter(status=UpdateStatus.ACCEPTED).values_list("pk", flat=True)
    ) == {
        queue["1.1"].pk,
        queue["1.2"].pk,
    }


def test_if_one_ticked_cannot_be_accepted_none_is_and_the_error_names_it(
    client_for, governor, lead, queue, small_plan
):
    client = client_for(governor)
    boxes = selected(queue["1.1"], queue["1.2"])
    submit_update(
        small_plan.mapping, user=lead, narrative="Changed.", expected_version=queue["1.2"].version
    )
    before = database_fingerprint()

    response = client.post(review_url(), {"decision": "accept-selected", "selected": boxes})

    summary, inline = errors(response.text)
    message = (
        "Action 1.2: the update changed while you were reading it. "
        "Read it again below, then decide."
    )
    assert summary == [("#accept-selected", message)]
    assert inline == [message]
    assert database_fingerprint() == before


def test_ones_own_update_forged_into_the_selection_stops_them_all(client_for, governor, queue):
    client = client_for(governor)
    before = database_fingerprint()

    response = client.post(
        review_url(),
        {"decision": "accept-selected", "selected": selected(queue["1.1"], queue["2.1"])},
    )

    summary, _ = errors(response.text)
    assert summary == [
        (
            "#accept-selected",
            "Action 2.1: you gave this update, so another member of the governance team "
            "must accept or return it.",
        )
    ]
    assert database_fingerprint() == before


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        ([], "Select the updates you want to accept"),
        (
            ["x:1"],
            "This form was changed outside planboard. Open the page again and start from there.",
        ),
    ],
)
def test_accepting_a_selection_of_nothing_or_a_forged_one_is_refused(
    client_for, governor, queue, selection, message
):
    response = client_for(governor).post(
        review_url(), {"decision": "accept-selected", "selected": selection}
    )

    summary, _ = errors(response.text)
    assert [text for _, text in summary] == [message]
    assert not Update.objects.filter(status=UpdateStatus.ACCEPTED).exists()


def shown_refs(text):
    return re.findall(r'id="update-\d+-heading">\s*<a href="[^"]+">Action ([\d.]+)</a>', text)


def test_the_queue_narrows_to_a_theme_or_a_lead_kept_in_the_address(
    client_for, governor, queue, small_plan
):
    client = client_for(governor)

    assert shown_refs(client.get(review_url()).text) == ["1.1", "1.2", "2.1"]
    by_theme = flat(client.get(review_url() + "?theme=2").text)
    assert shown_refs(by_theme) == ["2.1"]
    assert '<option value="2" selected>2. Communication and Reach</option>' in by_theme
    by_lead = flat(client.get(review_url() + f"?lead={small_plan.head.pk}").text)
    assert shown_refs(by_lead) == ["1.2"]
    assert f'<option value="{small_plan.head.pk}" selected>Head of SUEMU</option>' in by_lead
    both = client.get(review_url() + f"?theme=1&lead={small_plan.em.pk}").text
    assert shown_refs(both) == ["1.1", "1.2"]
    assert shown_refs(client.get(review_url() + "?theme=99&lead=x").text) == ["1.1", "1.2", "2.1"]


def test_a_decision_made_on_a_narrowed_queue_returns_to_it(client_for, governor, queue):
    client = client_for(governor)
    update = queue["1.1"]
    url = review_url() + "?theme=1"

    response = client.post(
        url, {"update": update.pk, "version": update.version, "decision": "accept", "comment": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == url
    page = flat(client.get(url).text)
    assert shown_refs(page) == ["1.2"]
    assert f'<form method="post" action="{url}" novalidate>' in page


def test_each_waiting_update_shows_the_actions_previous_accepted_update(
    client_for, governor, lead, small_plan
):
    from tests.cast import reviewer

    q3 = open_period(small_plan.strategy, "2016/17 Q3", user=governor)
    earlier = submit_update(small_plan.review, user=lead, narrative="Chair appointed.", period=q3)
    accept_update(earlier, user=governor, expected_version=earlier.version)
    close_period(q3, user=governor)
    open_period(small_plan.strategy, "2016/17 Q4", user=governor)
    submit_update(small_plan.review, user=lead, narrative="Terms agreed.")
    submit_update(small_plan.mapping, user=lead, narrative="Mapped one.")

    text = client_for(reviewer()).get(review_url()).text

    first = text[text.index("Action 1.1</a>") : text.index("Action 1.2</a>")]
    assert "Previous accepted update" in first
    assert "2016/17 Q3:" in first and "Chair appointed." in first
    second = text[text.index("Action 1.2</a>") :]
    assert "None accepted in an earlier period" in second
