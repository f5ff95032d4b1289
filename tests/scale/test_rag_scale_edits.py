"""Ratings and the scale stay in step when governance edits either in the admin."""

import pytest
from django.urls import reverse

from planboard.plans.models import Action, RagLevel
from planboard.plans.rag import relink_ratings
from tests.builders import make_action, make_role, make_strategy, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    strategy = make_strategy(slug="plan")
    theme = make_theme(strategy, commitments=2)
    lead = make_role(strategy, "Engagement Manager", "EM")
    action = make_action(theme, rating="Green", leads=[lead], area="SUSEG")
    return strategy, theme, action


def action_form(action, **changes):
    """The admin change form of ``action`` as a browser would post it."""
    data = {
        "theme": action.theme_id,
        "number": action.number,
        "area": action.area_id or "",
        "text": action.text,
        "progress": action.progress,
        "target_date": action.target_date.isoformat() if action.target_date else "",
        "target_precision": action.target_precision,
        "target_text": action.target_text,
        "original_target_date": action.original_target_date or "",
        "original_target_precision": action.original_target_precision,
        "status": action.status,
        "completed_on": "",
        "rag_level": action.rag_level_id or "",
        "rag_text": action.rag_text,
        "leads": [role.pk for role in action.leads.all()],
        "lead_text": action.lead_text,
        "commitments": [c.pk for c in action.commitments.all()],
        "cited_commitments": "[]",
        "source_line": "",
        "version": action.version,
    }
    data.update(changes)
    return data


def test_a_rating_chosen_in_the_admin_survives_later_edits_of_the_scale(admin_client, plan):
    strategy, _, action = plan
    red = strategy.rag_levels.get(label="Red")
    url = reverse("admin:plans_action_change", args=[action.pk])

    response = admin_client.post(url, action_form(action, rag_level=red.pk))
    assert response.status_code == 302, response.content.decode()[:2000]

    green = strategy.rag_levels.get(label="Green")
    green.definition = "On track."
    green.save()

    action.refresh_from_db()
    assert action.rag_level == red
    assert action.rag_text == "Red"


def test_renaming_a_level_keeps_the_ratings_written_with_its_old_name(plan):
    strategy, _, action = plan
    green = strategy.rag_levels.get(label="Green")

    green.label = "On track"
    green.save()

    action.refresh_from_db()
    assert action.rag_level == green
    assert "Green" in RagLevel.objects.get(pk=green.pk).aliases
    assert relink_ratings(strategy.pk) == 0


def test_the_admin_refuses_an_area_rating_or_lead_from_another_strategy(admin_client, plan):
    _, _, action = plan
    other = make_strategy(slug="other")
    other_theme = make_theme(other)
    foreign = make_action(other_theme, rating="Red", area="Elsewhere")
    foreign_lead = make_role(other, "Director", "DIR")
    url = reverse("admin:plans_action_change", args=[action.pk])

    response = admin_client.post(
        url,
        action_form(
            action,
            area=foreign.area_id,
            rag_level=foreign.rag_level_id,
            leads=[foreign_lead.pk],
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"area", "rag_level", "leads"}
    action.refresh_from_db()
    assert action.area.name == "SUSEG"
    assert action.rag_level.label == "Green"
    assert Action.objects.get(pk=action.pk).leads.get().abbreviation == "EM"
