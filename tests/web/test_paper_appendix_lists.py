"""A closed period's paper keeps, in its appendix, the updates the period closed without
accepting, and the ratings given for the first time since the quarter before."""

import pytest

from planboard.papers.content import build_paper
from planboard.plans.models import Action
from planboard.progress.services import close_period, open_period, return_update, submit_update

pytestmark = pytest.mark.django_db


def appendix(paper):
    return {group.title: group.items for group in paper.exceptions.appendix_groups}


def test_updates_not_accepted_at_close_are_listed_with_their_leads(
    small_plan, open_quarter, lead, governor
):
    submit_update(small_plan.review, user=lead, narrative="Meetings reviewed.")
    returned = submit_update(small_plan.mapping, user=lead, narrative="Mapping started.")
    return_update(returned, user=governor, comment="Which directorates?", expected_version=1)
    close_period(open_quarter, user=governor, confirm_not_accepted=2)

    items = appendix(build_paper(small_plan.strategy, open_quarter))["Not accepted at close"]

    assert [(i.ref, i.note, i.leads) for i in items] == [
        ("1.1", "Waiting for review when the period closed", "EM"),
        ("1.2", "Returned to its lead when the period closed", "EM / Head of SUEMU"),
    ]
    # An update waiting for review was given; one returned to its lead was not.
    lists = appendix(build_paper(small_plan.strategy, open_quarter))
    not_updated = {i.ref for i in lists["Not updated this period"]}
    assert "1.1" not in not_updated
    assert "1.2" in not_updated


def test_a_period_closed_with_every_update_accepted_has_no_such_list(
    small_plan, open_quarter, governor
):
    close_period(open_quarter, user=governor)
    assert "Not accepted at close" not in appendix(build_paper(small_plan.strategy, open_quarter))


def test_a_rating_given_for_the_first_time_is_listed_apart_from_improvements(small_plan, governor):
    q3 = open_period(small_plan.strategy, "2016/17 Q3", user=governor)
    close_period(q3, user=governor)
    q4 = open_period(small_plan.strategy, "2016/17 Q4", user=governor)
    unrated = Action.objects.get(pk=small_plan.training.pk)
    assert unrated.rag_level is None
    unrated.rag_level = small_plan.strategy.rag_levels.get(label="Green")
    unrated.save()
    close_period(q4, user=governor)

    lists = appendix(build_paper(small_plan.strategy, q4))

    first = lists["Rated for the first time since 2016/17 Q3"]
    assert [(i.ref, i.note) for i in first] == [(unrated.ref, "Not rated to Green")]
    assert lists["Rating improved since 2016/17 Q3"] == ()
