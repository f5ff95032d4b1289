"""What ``public_plan`` reads: only what governance published, never the plan's own text.

Most tests use the seed strategy published as the demo publishes it (theme 1's sixteen
actions, with plain-English summaries) and drive the quarterly cycle through its real
services, so narratives, review comments and names really are in the database.
"""

import dataclasses
import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planboard.people.access import LEAD
from planboard.people.models import Person
from planboard.plans.models import Action
from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)
from planboard.public.content import PublicAction, PublicPlan, StandingCount, public_plan
from planboard.public.models import InformationRequest, RequestedFormat
from planboard.public.publishing import (
    action_publication_of,
    save_action_publication,
    save_strategy_publication,
    save_theme_summary,
)
from planboard.public.standing import Standing
from tests.builders import make_large_plan
from tests.progress.cycle import governance, make_user, reviewer
from tests.shared import shared

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
Q4 = "2016/17 Q4"
Q1 = "2017/18 Q1"
THEME_ONE = [f"1.{n}" for n in range(1, 17)]


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def action(strategy, ref):
    theme, number = ref.split(".")
    return Action.objects.for_strategy(strategy).get(theme__number=theme, number=number)


def send(strategy, ref, user, narrative="Progress this quarter.", when=None, **fields):
    return submit_update(action(strategy, ref), user=user, narrative=narrative, when=when, **fields)


def accept(strategy, ref, user, when=None, comment="", **fields):
    """``user`` gives the update on ``ref`` and a second member of the governance team
    accepts it."""
    update = send(strategy, ref, user, when=when, **fields)
    return accept_update(
        update, user=reviewer(), expected_version=update.version, when=when, comment=comment
    )


def leaves(value, path="plan"):
    """Every leaf of a dataclass tree, with where it was found."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from leaves(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def strings_in(plan):
    return [value for _, value in leaves(plan) if isinstance(value, str)]


# --- only what is published ------------------------------------------------------


def test_it_shows_the_published_actions_in_plan_order_with_their_summaries(published):
    plan = public_plan(published)
    summaries = {ref: action_publication_of(action(published, ref)).summary for ref in THEME_ONE}

    assert [a.ref for a in plan.actions] == THEME_ONE
    assert {a.ref: a.summary for a in plan.actions} == summaries
    assert [t.number for t in plan.themes] == [1, 2, 3, 4, 5, 6]
    assert all(not theme.actions for theme in plan.themes[1:])


def test_it_shows_the_strategy_and_theme_summaries(published):
    plan = public_plan(published)

    assert plan.summary.startswith("This strategy is about listening to the people")
    assert plan.themes[0].summary.startswith("We want staff, service users and carers")
    assert [theme.summary for theme in plan.themes[1:]] == [""] * 5
    assert (plan.slug, plan.title) == ("sue", published.title)


def test_a_withdrawn_or_never_published_action_does_not_appear(published, editor):
    withdrawn = action(published, "1.2")
    save_action_publication(
        withdrawn, published=False, summary="A draft we took down.", version=1, user=editor
    )
    save_action_publication(
        action(published, "2.1"),
        published=False,
        summary="DRAFT-SUMMARY not ready for the public.",
        version=0,
        user=editor,
    )

    plan = public_plan(published)

    assert [a.ref for a in plan.actions] == [ref for ref in THEME_ONE if ref != "1.2"]
    assert not any("DRAFT-SUMMARY" in text for text in strings_in(plan))
    assert not any("A draft we took down" in text for text in strings_in(plan))


def test_publishing_another_action_adds_it_to_its_theme(published, editor):
    save_action_publication(
        action(published, "3.4"),
        published=True,
        summary="We now train staff with service users.",
        version=0,
        user=editor,
    )

    plan = public_plan(published)

    assert [a.ref for a in plan.themes[2].actions] == ["3.4"]
    assert plan.themes[2].actions[0].standing is Standing.COMPLETE
    assert len(plan.actions) == 17


@shared
def busy(published, editor):
    """The published seed after two quarters of real updates, returns and comments.

    A lead named in the key (Mia Bajin, Engagement Manager) is linked to an account;
    every narrative, comment and note below holds a word that must never be public.
    """
    mia = make_user("mia", LEAD)
    Person.objects.filter(strategy=published, name="Mia Bajin").update(user=mia)
    q4 = open_period(published, Q4, user=editor)
    accept(published, "1.1", editor, narrative="SECRET-NARRATIVE-A", comment="SECRET-COMMENT-A")
    accept(published, "2.2", editor, narrative="SECRET-NARRATIVE-B", complete=True)
    returned = send(published, "1.3", editor, narrative="SECRET-NARRATIVE-C")
    return_update(returned, user=reviewer(), comment="SECRET-COMMENT-C", expected_version=1)
    close_period(q4, user=editor, confirm_not_accepted=True)
    q1 = open_period(published, Q1, user=editor)
    done = send(published, "1.2", mia, narrative="SECRET-NARRATIVE-D by Mia", complete=True)
    assert not done.on_behalf  # Mia (Engagement Manager) leads 1.2 herself
    accept_update(done, user=editor, expected_version=1, comment="SECRET-COMMENT-D")
    send(
        published,
        "1.4",
        mia,
        narrative="SECRET-NARRATIVE-E",
        new_target_date=datetime.date(2018, 3, 31),
        reason="SECRET-REASON-WAITING",
    )
    InformationRequest.objects.create(
        strategy=published,
        format=RequestedFormat.LARGE_PRINT,
        name="Pat Public",
        contact="pat.public@example.org",
        details="SECRET-REQUEST",
        received_at=timezone.now(),
    )
    close_period(q1, user=editor, confirm_not_accepted=True)
    return published


def test_every_leaf_of_the_public_plan_is_plain_data(busy):
    allowed = (str, int, datetime.date, Standing, type(None))

    found = {path: type(value) for path, value in leaves(public_plan(busy))}

    assert found
    assert {path: kind for path, kind in found.items() if not issubclass(kind, allowed)} == {}


def test_nothing_internal_reaches_the_public_plan(busy):
    plan = public_plan(busy)
    assert plan.changes is not None and plan.changes.any  # the walk covers the changes too
    texts = strings_in(plan)
    everything = "\n".join(texts)

    actions = Action.objects.for_strategy(busy)
    for item in actions:
        assert item.text not in everything, f"the plan's wording of {item.ref}"
        if item.progress:
            assert item.progress not in everything, f"the progress of {item.ref}"
        if item.lead_text:
            assert item.lead_text not in texts, f"the leads of {item.ref}"
    assert "SECRET" not in everything
    for name in Person.objects.filter(strategy=busy).values_list("name", flat=True):
        assert name not in everything
    for word in ("Bajin", "Mia", "Tester", "Gail", "Pat Public", "example.org"):
        assert word not in everything


def test_the_leak_check_would_see_internal_text_if_it_were_there(busy):
    """The walk reaches every summary, so a summary holding a secret is found."""
    save_action_publication(
        action(busy, "1.5"),
        published=True,
        summary="SECRET-IN-A-SUMMARY",
        version=1,
        user=governance("gus"),
    )

    assert "SECRET-IN-A-SUMMARY" in strings_in(public_plan(busy))


# --- counts ----------------------------------------------------------------------


def counts(items):
    return {count.standing: count.count for count in items}


def test_counts_are_given_for_every_standing_in_order(published):
    plan = public_plan(published)

    for owner in (plan, *plan.themes):
        assert [count.standing for count in owner.counts] == list(Standing)
        assert all(isinstance(count, StandingCount) for count in owner.counts)


def test_each_themes_counts_match_its_actions(busy):
    plan = public_plan(busy)

    for theme in plan.themes:
        assert sum(count.count for count in theme.counts) == len(theme.actions)
        for count in theme.counts:
            assert count.count == sum(1 for a in theme.actions if a.standing is count.standing)


def test_the_overall_counts_are_the_sum_of_the_themes(busy, editor):
    save_action_publication(
        action(busy, "2.2"), published=True, summary="Done.", version=0, user=editor
    )
    plan = public_plan(busy)

    assert len(plan.actions) == 17
    assert sum(count.count for count in plan.counts) == 17
    for count in plan.counts:
        assert count.count == sum(counts(theme.counts)[count.standing] for theme in plan.themes)


def test_the_seed_theme_one_stands_as_the_paper_rated_it(published):
    """Five Green, two complete, and nine rated Yellow (outside the key) or not at all."""
    plan = public_plan(published)

    assert counts(plan.counts) == {
        Standing.COMPLETE: 2,
        Standing.ON_TRACK: 5,
        Standing.AT_RISK: 0,
        Standing.OFF_TRACK: 0,
        Standing.NOT_STARTED: 0,
        Standing.NOT_RATED: 9,
    }
    by_ref = {a.ref: a.standing for a in plan.actions}
    assert by_ref["1.1"] is Standing.ON_TRACK
    assert by_ref["1.10"] is Standing.COMPLETE
    assert by_ref["1.2"] is Standing.NOT_RATED  # "Yellow": not in the default key


def test_an_accepted_update_changes_the_standing_and_the_counts(published, editor):
    open_period(published, Q4, user=editor)
    red = published.rag_levels.get(label="Red")
    accept(published, "1.1", editor, proposed_rag=red)
    accept(published, "1.2", editor, complete=True)

    plan = public_plan(published)

    by_ref = {a.ref: a.standing for a in plan.actions}
    assert (by_ref["1.1"], by_ref["1.2"]) == (Standing.OFF_TRACK, Standing.COMPLETE)
    assert counts(plan.counts)[Standing.COMPLETE] == 3
    assert counts(plan.counts)[Standing.OFF_TRACK] == 1


def test_targets_are_shown_as_precisely_as_they_were_given(published):
    by_ref = {a.ref: a.target for a in public_plan(published).actions}

    assert by_ref["1.1"] == "Mar 2017"
    assert by_ref["1.10"] == "Completed"


# --- last updated ----------------------------------------------------------------


def test_nothing_was_updated_before_any_update_is_accepted(published):
    plan = public_plan(published)

    assert plan.last_updated is None
    assert {a.last_updated for a in plan.actions} == {None}


def test_last_updated_is_the_date_of_the_latest_accepted_update(published, editor):
    open_period(published, Q4, user=editor)
    accept(published, "1.1", editor, when=at(2017, 3, 10))
    accept(published, "1.3", editor, when=at(2017, 4, 2))
    send(published, "1.2", editor, when=at(2017, 4, 20))  # waiting for review
    returned = send(published, "1.4", editor, when=at(2017, 4, 21))
    return_update(
        returned, user=reviewer(), comment="More, please.", expected_version=1, when=at(2017, 4, 22)
    )

    plan = public_plan(published)

    by_ref = {a.ref: a.last_updated for a in plan.actions}
    assert by_ref["1.1"] == datetime.date(2017, 3, 10)
    assert by_ref["1.3"] == datetime.date(2017, 4, 2)
    assert by_ref["1.2"] is None
    assert by_ref["1.4"] is None
    assert plan.last_updated == datetime.date(2017, 4, 2)


def test_an_action_shows_its_latest_accepted_update_of_several(published, editor):
    q4 = open_period(published, Q4, user=editor)
    accept(published, "1.1", editor, when=at(2017, 3, 10))
    close_period(q4, user=editor)
    open_period(published, Q1, user=editor)
    accept(published, "1.1", editor, when=at(2017, 6, 9))

    plan = public_plan(published)

    assert plan.actions[0].last_updated == datetime.date(2017, 6, 9)
    assert plan.last_updated == datetime.date(2017, 6, 9)


def test_an_update_accepted_after_being_returned_counts_from_its_acceptance(published, editor):
    open_period(published, Q4, user=editor)
    update = send(published, "1.1", editor, when=at(2017, 3, 1))
    update = return_update(
        update, user=reviewer(), comment="Say more.", expected_version=1, when=at(2017, 3, 2)
    )
    update = submit_update(
        action(published, "1.1"),
        user=editor,
        narrative="More.",
        expected_version=update.version,
        when=at(2017, 3, 20),
    )
    accept_update(update, user=reviewer(), expected_version=update.version, when=at(2017, 3, 25))

    assert public_plan(published).last_updated == datetime.date(2017, 3, 25)


def test_an_update_accepted_on_an_unpublished_action_does_not_count(published, editor):
    open_period(published, Q4, user=editor)
    accept(published, "1.1", editor, when=at(2017, 3, 10))
    accept(published, "2.1", editor, when=at(2017, 3, 30))

    assert public_plan(published).last_updated == datetime.date(2017, 3, 10)


def test_last_updated_is_the_local_date_of_acceptance(published, editor):
    open_period(published, Q1, user=editor)
    accept(published, "1.1", editor, when=at(2017, 6, 1, hour=0, minute=30))

    plan = public_plan(published)

    assert plan.actions[0].last_updated == datetime.date(2017, 6, 1)
    assert plan.last_updated == datetime.date(2017, 6, 1)


# --- cost ------------------------------------------------------------------------


def publish_everything(strategy, user):
    save_strategy_publication(
        strategy, published=True, summary="What the strategy is for.", version=0, user=user
    )
    for theme in strategy.themes.all():
        save_theme_summary(theme, summary=f"Theme {theme.number} explained.", version=0, user=user)
    actions = Action.objects.for_strategy(strategy).select_related("theme")
    for item in actions:
        save_action_publication(
            item, published=True, summary=f"Summary of {item.ref}.", version=0, user=user
        )
    for label in (Q4, Q1):
        close_period(open_period(strategy, label, user=None), user=None)
    return actions.count()


def queries_for(strategy) -> tuple[int, PublicPlan]:
    with CaptureQueriesContext(connection) as captured:
        plan = public_plan(strategy)
    return len(captured.captured_queries), plan


def test_the_cost_does_not_grow_with_the_plan(editor):
    small = make_large_plan(slug="small", actions=49)
    large = make_large_plan(slug="large", actions=490)
    assert publish_everything(small, editor) == 49
    assert publish_everything(large, editor) == 490

    small_queries, small_plan = queries_for(small)
    large_queries, large_plan = queries_for(large)

    assert (len(small_plan.actions), len(large_plan.actions)) == (49, 490)
    assert large_plan.changes is not None and large_plan.changes.baseline == Q4
    assert all(isinstance(a, PublicAction) for a in large_plan.actions)
    assert small_queries == large_queries
    assert large_queries <= 8
