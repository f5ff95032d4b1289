"""Actions added, changed, moved, retired and restored on planboard's pages: the
governance team's only, version-checked, in history with who and why, bad input refused
naming its field, and the public page unchanged until something is published."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from planboard.plans.action_changes import ActionValues, change_action, retire_action
from planboard.plans.models import Action, Theme
from planboard.plans.structure import add_theme
from planboard.progress.completion import completion_rate
from planboard.progress.reminders import outstanding_actions
from planboard.progress.services import submit_update
from planboard.public.content import public_plan
from planboard.public.publishing import save_action_publication, save_strategy_publication
from tests.bounds import database_fingerprint
from tests.web.pages import action_refs, date_boxes, errors, form_data

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name, **kwargs):
    return reverse(name, kwargs={"slug": "sue", **kwargs})


def opened(client, address, **changes) -> dict:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    data = form_data(response.text)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def published(plan):
    """The strategy and action 1.1 published, as the public page shows them."""
    save_strategy_publication(
        plan.strategy, published=True, summary="Our strategy.", version=0, user=plan.gail
    )
    save_action_publication(
        plan.review, published=True, summary="We review meetings.", version=0, user=plan.gail
    )
    return public_plan(plan.strategy)


def test_an_action_is_added_unpublished_with_the_next_number_leads_and_commitments(plan):
    shown = published(plan)
    gail = signed_in(plan.gail)
    commitment = plan.theme.commitments.get(number=2)
    data = opened(gail, url("add_action") + "?theme=1", text="Hold a listening event.")
    data.update(date_boxes("target", ("", "Sep", "2017")))
    data.update(leads=[str(plan.em.pk), str(plan.head.pk)])
    data["commitments"] = [str(commitment.pk)]

    response = gail.post(url("add_action"), data)

    assert response.status_code == 302
    added = Action.objects.get(text="Hold a listening event.")
    assert added.ref == "1.3" and response.url == url("action", ref="1.3")
    assert added.target_date == datetime.date(2017, 9, 30)
    assert added.original_target_date == added.target_date
    assert set(added.leads.all()) == {plan.em, plan.head}
    assert list(added.commitments.all()) == [commitment]
    assert {
        (record.history_user, record.history_change_reason) for record in added.history.all()
    } == {(plan.gail, "Action added on planboard")}
    assert not hasattr(added, "publication")
    assert public_plan(plan.strategy) == shown
    assert "1.3" in action_refs(gail.get(url("plan")))


def test_changing_an_actions_words_leaves_the_public_page_as_published(plan):
    shown = published(plan)
    gail = signed_in(plan.gail)
    address = url("edit_action", ref="1.1")

    data = opened(gail, address, text="Rework SUSEG meetings.", reason="Board asked")
    response = gail.post(address, data)

    assert response.status_code == 302
    plan.review.refresh_from_db()
    assert plan.review.text == "Rework SUSEG meetings."
    record = plan.review.history.first()
    assert record.history_user == plan.gail
    assert record.history_change_reason == "Action changed on planboard (text): Board asked"
    assert public_plan(plan.strategy) == shown
    public_page = Client().get(reverse("public_strategy", kwargs={"slug": "sue"})).text
    assert "We review meetings." in public_page and "Rework" not in public_page


def test_moving_an_action_to_another_theme_gives_it_the_next_free_number_there(plan):
    second = add_theme(plan.strategy, title="Reach", user=plan.gail)
    existing = change_action(
        Action.objects.create(theme=second, number=5, text="Already here."),
        ActionValues(text="Already here.", theme=second, number=5),
        version=1,
        user=plan.gail,
    )
    submit_update(plan.mapping, user=plan.jane, narrative="Mapping is under way.")
    updates = sorted(plan.mapping.updates.values_list("pk", flat=True))
    assert len(updates) == 1
    gail = signed_in(plan.gail)
    address = url("edit_action", ref="1.2")

    response = gail.post(address, opened(gail, address, theme=str(second.pk), number=""))

    assert response.status_code == 302 and response.url == url("action", ref="2.6")
    plan.mapping.refresh_from_db()
    assert (plan.mapping.ref, existing.ref) == ("2.6", "2.5")
    assert sorted(plan.mapping.updates.values_list("pk", flat=True)) == updates
    plan.review.refresh_from_db()
    assert plan.review.ref == "1.1"  # the others keep their numbers
    assert gail.get(url("action", ref="1.2")).status_code == 404
    reason = plan.mapping.history.first().history_change_reason
    assert reason == "Action 1.2 moved to 2.6 on planboard (theme, number)"


def test_a_number_already_taken_is_refused_and_nothing_changes(plan):
    gail = signed_in(plan.gail)
    address = url("edit_action", ref="1.2")
    before = database_fingerprint()

    response = gail.post(address, opened(gail, address, number="1"))

    assert response.status_code == 400
    assert errors(response.text)[0] == [
        (
            "#number",
            "Action 1.1 already exists: choose another number, or leave the number empty "
            "for the next free one",
        )
    ]
    assert database_fingerprint() == before


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"text": "  "}, ("#text", "Enter the action")),
        (
            date_boxes("target", ("", "soonish", "2017")),
            ("#target-month", "The target date must be a real date"),
        ),
        (
            date_boxes("target", ("31", "6", "2017")),
            ("#target-day", "The target date must be a real date"),
        ),
        (
            date_boxes("target", ("1", "", "")),
            ("#target-month", "The target date must include a month and year"),
        ),
        ({"theme": "999999"}, ("#theme", "Choose a theme")),
        ({"number": "1000"}, ("#number", "The number must be a whole number from 1 to 999")),
        ({"area": "999999"}, ("#area", "Choose an area")),
    ],
)
def test_bad_input_is_refused_in_one_line_naming_the_field(plan, changes, expected):
    gail = signed_in(plan.gail)
    address = url("edit_action", ref="1.1")
    data = opened(gail, address, **changes)
    before = database_fingerprint()

    response = gail.post(address, data)

    assert response.status_code == 400
    summary, inline = errors(response.text)
    assert summary == [expected] and inline == [expected[1]]
    assert database_fingerprint() == before


def test_an_action_saved_by_someone_else_meanwhile_shows_both_and_is_not_overwritten(plan):
    gail = signed_in(plan.gail)
    address = url("edit_action", ref="1.1")
    mine = opened(gail, address, text="Gail's words.")
    change_action(
        plan.review,
        ActionValues(text="Jo's words.", theme=plan.theme, number=1),
        version=plan.review.version,
        user=plan.gail,
    )
    before = database_fingerprint()

    response = gail.post(address, mine)

    assert response.status_code == 409
    assert database_fingerprint() == before
    page = response.text
    assert "The saved version" in page and "Jo&#39;s words." in page
    again = form_data(page)
    assert again["text"] == "Gail's words."
    assert gail.post(address, again).status_code == 302
    assert Action.objects.get(pk=plan.review.pk).text == "Gail's words."


def test_only_the_governance_team_may_add_change_retire_or_restore_actions(plan):
    retire_action(plan.mapping, reason="Dropped.", version=plan.mapping.version, user=plan.gail)
    addresses = [
        url("add_action"),
        url("edit_action", ref="1.1"),
        url("retire_action", ref="1.1"),
        url("restore_action", ref="1.2"),
    ]
    clients = [signed_in(user) for user in (plan.mia, plan.bob)]
    before = database_fingerprint()
    for client in clients:
        for address in addresses:
            assert client.get(address).status_code == 403, address
            sent = {"text": "X", "reason": "X", "version": "9", "theme": str(plan.theme.pk)}
            assert client.post(address, sent).status_code == 403, address
        page = client.get(url("action", ref="1.1")).text
        assert "Change this action" not in page and "Retire this action" not in page
        assert "Add an action" not in client.get(url("plan")).text
    assert database_fingerprint() == before
    page = signed_in(plan.gail).get(url("action", ref="1.1")).text
    assert "Change this action" in page and "Retire this action" in page


def test_retiring_takes_an_action_out_of_the_plan_completion_and_reminders(plan):
    gail = signed_in(plan.gail)
    assert completion_rate(plan.period).open == 2
    address = url("retire_action", ref="1.2")

    response = gail.post(address, opened(gail, address, reason=""))
    assert response.status_code == 400
    assert errors(response.text)[0] == [("#reason", "Enter the reason for retiring it")]

    response = gail.post(address, opened(gail, address, reason="Merged into 1.1."))

    assert response.status_code == 302
    plan.mapping.refresh_from_db()
    assert (plan.mapping.retired_by, plan.mapping.retired_reason) == (plan.gail, "Merged into 1.1.")
    assert plan.mapping.history.first().history_change_reason == "Action retired: Merged into 1.1."
    assert action_refs(gail.get(url("plan"))) == ["1.1"]
    assert completion_rate(plan.period).open == 1
    assert [a.ref for a in outstanding_actions(plan.period)] == ["1.1"]
    page = gail.get(url("action", ref="1.2")).text
    assert "This action is retired" in page and "Restore this action" in page
    assert "Merged into 1.1." in gail.get(url("plan")).text  # the retired list
    assert signed_in(plan.jane).get(url("update_action", ref="1.2")).status_code == 404

    restore = url("restore_action", ref="1.2")
    assert gail.post(restore, opened(gail, restore)).status_code == 302
    assert action_refs(gail.get(url("plan"))) == ["1.1", "1.2"]
    assert completion_rate(plan.period).open == 2
    assert plan.mapping.history.first().history_change_reason == "Action restored to the plan"


def test_a_retired_action_leaves_the_public_page(plan):
    published(plan)
    retire_action(plan.review, reason="Dropped.", version=plan.review.version, user=plan.gail)

    assert public_plan(plan.strategy).actions == ()


def test_the_plan_page_costs_the_same_queries_however_many_areas_and_retired_actions(
    plan, django_assert_max_num_queries
):
    gail = signed_in(plan.gail)
    with django_assert_max_num_queries(30) as few:
        gail.get(url("plan"))
    for number in range(3, 13):
        action = Action.objects.create(theme=plan.theme, number=number, text=f"Action {number}")
        retire_action(action, reason="Dropped.", version=1, user=plan.gail)
        add_theme(plan.strategy, title=f"Theme {number}", user=plan.gail)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = gail.get(url("plan")).text
    assert page.count("Dropped.") == 10
    assert Theme.objects.filter(strategy=plan.strategy).count() == 11
