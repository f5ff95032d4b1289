import pytest
from django.urls import reverse

from planboard.papers.models import CoverSheet
from tests.web.pages import form_data

MODELS = [
    "plans_strategy",
    "plans_theme",
    "plans_commitment",
    "plans_area",
    "plans_action",
    "people_role",
    "people_person",
    "papers_coversheet",
    "papers_papertemplate",
]


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin"))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_each_model_lists_and_adds_in_the_admin(admin, small_plan, model):
    CoverSheet.objects.create(strategy=small_plan.strategy, title="Implementation plan")
    assert admin.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin.get(reverse(f"admin:{model}_add")).status_code == 200


def test_the_action_list_filters_by_theme_status_and_rating(admin, small_plan):
    green = small_plan.strategy.rag_levels.get(label="Green")
    response = admin.get(
        reverse("admin:plans_action_changelist"), {"rag_level__id__exact": green.pk}
    )
    assert response.status_code == 200
    assert "Review the structure of SUSEG meetings." in response.text
    assert "Revise service user information materials." not in response.text


def test_the_strategy_page_edits_its_rag_scale_with_aliases_as_words(admin, small_plan):
    url = reverse("admin:plans_strategy_change", args=[small_plan.strategy.pk])
    response = admin.get(url)
    assert response.status_code == 200
    assert "RAG scale (the key to ratings)" in response.text
    assert "Focussed Culture Change" in response.text


def test_history_shows_in_the_admin(admin, small_plan):
    url = reverse("admin:plans_action_history", args=[small_plan.review.pk])
    assert admin.get(url).status_code == 200


def test_the_rag_level_form_reads_aliases_as_a_comma_separated_list():
    from planboard.plans.admin import RagLevelForm

    form = RagLevelForm(
        data={
            "position": 2,
            "label": "Amber",
            "definition": "",
            "colour": "orange",
            "aliases": "Yellow,  Amber/Green ,",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["aliases"] == ["Yellow", "Amber/Green"]


def test_adding_an_alias_to_the_scale_resolves_the_ratings_written_with_it(admin, small_plan):
    strategy = small_plan.strategy
    url = reverse("admin:plans_strategy_change", args=[strategy.pk])
    data = form_data(admin.get(url).text)
    amber = strategy.rag_levels.get(label="Amber")
    prefix = next(k.removesuffix("-id") for k, v in data.items() if v == str(amber.pk))
    data[f"{prefix}-aliases"] = "Yellow"
    response = admin.post(url, data)
    assert response.status_code == 302, response.text
    amber.refresh_from_db()
    assert amber.aliases == ["Yellow"]
    small_plan.mapping.refresh_from_db()
    assert small_plan.mapping.rag_level == amber
