import datetime

import pytest
from django.urls import reverse

from planboard.plans.models import ActionStatus, DatePrecision


def action_url(ref, slug="demo"):
    return reverse("action", kwargs={"slug": slug, "ref": ref})


def test_it_shows_the_action_in_full(signed_in, small_plan):
    response = signed_in.get(action_url("1.2"))
    assert response.status_code == 200
    text = response.text
    assert "Map service user engagement across the directorates." in text
    assert "Focussed Culture Change" in text
    assert "SUSEG" in text
    assert "Apr 2017" in text
    assert "In progress" in text


def test_it_shows_a_rating_outside_the_key_as_written(signed_in, small_plan):
    response = signed_in.get(action_url("1.2"))
    assert '<strong class="nhsuk-tag nhsuk-tag--yellow">Yellow</strong>' in response.text
    assert "As written in the source: Yellow" in response.text


def test_it_shows_the_written_rating_where_it_differs_from_the_level(signed_in, small_plan):
    small_plan.strategy.rag_levels.filter(label="Amber").update(aliases=["Yellow"])
    small_plan.mapping.rag_level = small_plan.strategy.rag_levels.get(label="Amber")
    small_plan.mapping.save()
    response = signed_in.get(action_url("1.2"))
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Amber</strong>' in response.text
    assert "As written in the source: Yellow" in response.text
    assert "(not in key)" not in response.text


def test_it_does_not_repeat_a_rating_written_as_its_label(signed_in, small_plan):
    response = signed_in.get(action_url("1.1"))
    assert "As written in the source: Green" not in response.text


def test_it_shows_the_leads_and_the_people_holding_them(signed_in, small_plan):
    response = signed_in.get(action_url("1.2"))
    assert "Engagement Manager (EM): Laura Di Bona, Mia Bajin" in response.text
    assert "Head of SUEMU" in response.text
    assert "As written in the source: EM/Head of SUEMU" in response.text


def test_it_marks_a_lead_not_in_the_key(signed_in, small_plan):
    response = signed_in.get(action_url("2.1"))
    assert 'Finance <span class="pb-note">(not in the key of roles)</span>' in response.text


def test_it_shows_the_commitments_served_with_their_text(signed_in, small_plan):
    response = signed_in.get(action_url("1.1"))
    assert "Commitment 1.1</a>: We will do thing 1." in response.text
    assert "Commitment 1.2</a>: We will do thing 2." in response.text


def test_it_shows_the_original_target_when_the_target_moved(signed_in, small_plan):
    action = small_plan.review
    action.target_date = datetime.date(2017, 9, 30)
    action.save()
    response = signed_in.get(action_url("1.1"))
    assert "Sep 2017" in response.text
    assert "Originally Mar 2017" in response.text


def test_it_shows_completed_for_a_complete_action(signed_in, small_plan):
    response = signed_in.get(action_url("1.3"))
    assert "Completed" in response.text


def test_it_shows_a_target_given_to_the_day(signed_in, small_plan):
    action = small_plan.review
    action.target_precision = DatePrecision.DAY
    action.status = ActionStatus.NOT_STARTED
    action.save()
    assert "31 Mar 2017" in signed_in.get(action_url("1.1")).text


@pytest.mark.parametrize("ref", ["9.1", "1.99"])
def test_it_is_404_for_an_unknown_ref(signed_in, small_plan, ref):
    assert signed_in.get(action_url(ref)).status_code == 404


def test_it_is_404_for_an_action_of_another_strategy(signed_in, small_plan):
    from tests.builders import make_strategy

    make_strategy(slug="other")
    assert signed_in.get(action_url("1.1", slug="other")).status_code == 404


def test_a_ref_that_is_not_a_ref_is_404(signed_in, small_plan):
    assert signed_in.get("/strategies/demo/actions/one/").status_code == 404


def test_it_shows_the_original_target_when_the_target_moved_earlier(signed_in, small_plan):
    action = small_plan.review
    action.target_date = datetime.date(2017, 1, 31)
    action.save()
    assert "Originally Mar 2017" in signed_in.get(action_url("1.1")).text


def test_it_does_not_show_an_original_target_that_did_not_move(signed_in, small_plan):
    assert "Originally" not in signed_in.get(action_url("1.1")).text


def test_an_action_written_as_several_paragraphs_keeps_its_line_breaks(signed_in, seed_strategy):
    response = signed_in.get("/strategies/sue/actions/3.2/")
    html = response.content.decode()

    assert 'class="nhsuk-body-l pb-prose"' in html
    assert "Sheffield Education Exchange\nAbove 3 schemes are being delivered" in html
