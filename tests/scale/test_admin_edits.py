"""Governance edits in the admin: ratings stay in step with the scale, and no edit is lost."""

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


def test_two_people_editing_one_action_in_the_admin_cannot_overwrite_each_other(
    client, django_user_model, plan
):
    from django.test import Client

    _, _, action = plan
    url = reverse("admin:plans_action_change", args=[action.pk])
    first, second = Client(), Client()
    for name, browser in (("gail", first), ("tania", second)):
        user = django_user_model.objects.create_superuser(name, f"{name}@example.org", "x")
        browser.force_login(user)
    opened = Action.objects.get(pk=action.pk)  # both opened the form at this version

    assert first.post(url, action_form(opened, text="Gail's wording.")).status_code == 302
    refused = second.post(url, action_form(opened, text="Tania's wording."))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else saved this action after you opened it" in page
    assert "Tania&#x27;s wording." in page  # her text is still in the form
    assert "Gail&#x27;s wording." in page  # beside the saved version
    assert Action.objects.get(pk=action.pk).text == "Gail's wording."

    resubmitted = action_form(opened, text="Tania's wording.")
    resubmitted["version"] = refused.context["adminform"].form["version"].value()
    assert second.post(url, resubmitted).status_code == 302
    saved = Action.objects.get(pk=action.pk)
    assert saved.text == "Tania's wording."
    assert saved.version == opened.version + 2
    assert saved.history.filter(text="Gail's wording.").exists()
