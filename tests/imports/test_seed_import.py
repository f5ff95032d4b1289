"""The real seed paper (Sheffield Health and Social Care, March 2017) imported whole."""

import datetime
from collections import Counter

import pytest

from planboard.imports.services import import_paper
from planboard.people.models import Person, Role
from planboard.plans.models import Action, ActionStatus, Area, DatePrecision

pytestmark = pytest.mark.django_db


def actions_of(strategy):
    return Action.objects.for_strategy(strategy).in_plan_order().with_plan_relations()


def leads_of(action):
    return {role.short_name for role in action.leads.all()}


def test_it_imports_six_themes_with_their_commitments_and_actions(seed_strategy):
    themes = list(seed_strategy.themes.order_by("number"))
    assert [theme.number for theme in themes] == [1, 2, 3, 4, 5, 6]
    assert [theme.commitments.count() for theme in themes] == [12, 7, 8, 7, 6, 0]
    assert [theme.actions.count() for theme in themes] == [16, 7, 8, 6, 5, 7]
    assert themes[0].title == "Focussed Culture Change"
    assert themes[1].title == "SUEMU: an agent for continuous improvement and change"
    assert themes[5].title == "Business Planning, Commissioning, and Corporate Areas"
    assert themes[0].commitments.get(number=10).text == (
        "We will ensure that all SHSC directorates attend, feed into, and report to SUSEG."
    )


def test_it_describes_the_strategy_from_the_summary_and_plan_heading(seed_strategy):
    assert seed_strategy.title == "Service User Engagement Strategy 2016-2021"
    assert seed_strategy.period == "2016-2021"
    assert seed_strategy.approval == "Board of Directors, July 2016"
    assert seed_strategy.plan_title == "Service User Engagement Strategy - Implementation Plan"
    assert seed_strategy.plan_version == "v2 - January 2017"
    assert seed_strategy.introduction.startswith("This Service User Engagement Strategy")
    assert seed_strategy.organisation == "SHSC"
    assert seed_strategy.source_name == "sus-engagement-board-paper-2017-03.txt"


def test_it_keeps_ratings_as_written_and_matches_only_those_in_the_key(seed_strategy):
    actions = list(actions_of(seed_strategy))
    assert Counter(action.rag_text for action in actions) == {"": 40, "Green": 5, "Yellow": 4}
    assert {a.rag_level.label for a in actions if a.rag_text == "Green"} == {"Green"}
    assert all(a.rag_level is None for a in actions if a.rag_text != "Green")
    assert [level.label for level in seed_strategy.rag_levels.all()] == ["Green", "Amber", "Red"]
    assert seed_strategy.rag_levels.get(label="Amber").definition == (
        "Some concerns re ability to deliver within target date set"
    )


def test_it_marks_completed_targets_complete_with_no_date(seed_strategy):
    completed = Action.objects.for_strategy(seed_strategy).filter(target_text="Completed")
    assert completed.count() == 7
    assert set(completed.values_list("status", flat=True)) == {ActionStatus.COMPLETE}
    assert set(completed.values_list("target_date", flat=True)) == {None}
    others = Action.objects.for_strategy(seed_strategy).exclude(target_text="Completed")
    assert set(others.values_list("status", flat=True)) == {ActionStatus.IN_PROGRESS}


def test_it_stores_targets_as_the_last_day_of_the_month_written(seed_strategy):
    first = actions_of(seed_strategy).get(theme__number=1, number=1)
    assert (first.target_text, first.target_date) == ("Mar 17", datetime.date(2017, 3, 31))
    assert first.target_precision == DatePrecision.MONTH
    assert first.original_target_date == first.target_date
    sept = actions_of(seed_strategy).get(target_text="Sept 17")
    assert sept.target_date == datetime.date(2017, 9, 30)
    assert first.source_line == 107


def test_it_resolves_the_leads_written_in_the_table(seed_strategy):
    actions = actions_of(seed_strategy)
    assert leads_of(actions.get(theme__number=1, number=1)) == {"SUSEG Chairs"}
    assert leads_of(actions.get(theme__number=1, number=2)) == {
        "EM",
        "OD Programme Manager",
        "Head of SUEMU",
    }
    assert leads_of(actions.get(theme__number=3, number=3)) == {"EM", "Supervising Managers"}
    assert leads_of(actions.get(theme__number=6, number=7)) == {"MD", "SUSEG Chairs"}
    assert actions.get(theme__number=1, number=2).lead_text == "EM/OD Manager/Head of SUEMU"
    assert sum(1 for action in actions if not action.leads.all()) == 4


def test_it_makes_one_role_of_chairs_of_suseg_and_suseg_chairs(seed_strategy):
    chairs = Role.objects.get(strategy=seed_strategy, title="Chair of SUSEG")
    assert chairs.abbreviation == "SUSEG Chairs"
    assert chairs.in_key
    lead_texts = set(chairs.actions.values_list("lead_text", flat=True))
    assert any("Chairs of SUSEG" in text for text in lead_texts)
    assert any("SUSEG Chairs" in text for text in lead_texts)
    assert set(chairs.people.values_list("name", flat=True)) == {"Helen Crimlisk", "Brendan Stone"}


def test_it_resolves_abridged_role_names_to_the_key(seed_strategy):
    od = Role.objects.get(strategy=seed_strategy, abbreviation="OD Programme Manager")
    assert od.title == "Organisational Development Programme Manager"
    assert "OD Manager" in od.aliases
    ci = Role.objects.get(strategy=seed_strategy, abbreviation="CI Manager")
    assert ci.title == "Continuous Improvement Manager"
    assert ci.actions.count() == 11


def test_it_keeps_leads_the_key_does_not_name_as_roles_outside_it(seed_strategy):
    outside = set(
        Role.objects.filter(strategy=seed_strategy, in_key=False).values_list("title", flat=True)
    )
    assert {
        "Finance",
        "Supervising Managers",
        "Board Secretary",
        "All",
        "Service User Leads",
    } <= outside
    assert (
        Role.objects.filter(strategy=seed_strategy, title__iexact="supervising managers").count()
        == 1
    )


def test_it_reads_the_key_of_people_and_roles(seed_strategy):
    em = Role.objects.get(strategy=seed_strategy, abbreviation="EM")
    assert em.title == "Engagement Manager"
    assert set(em.people.values_list("name", flat=True)) == {"Mia Bajin", "Laura Di Bona"}
    assert Role.objects.get(strategy=seed_strategy, abbreviation="Head of CG").title == (
        "Head of Clinical Governance"
    )
    assert Role.objects.get(strategy=seed_strategy, title="Head of SUEMU").people.get().name == (
        "Jane Lyon"
    )
    etd = Role.objects.get(strategy=seed_strategy, abbreviation="ETD")
    assert etd.title == "Head of Education, Training and Development"
    assert etd.people.get().name == "Karen Dickinson"
    it = Role.objects.get(strategy=seed_strategy, abbreviation="IT")
    assert (it.title, it.people.count()) == ("IT Department", 0)
    helen = Person.objects.get(strategy=seed_strategy, name="Helen Crimlisk")
    assert helen.note == "co-chair SUSEG"
    assert {r.short_name for r in helen.roles.all()} == {"DMD", "SUSEG Chairs"}


def test_it_reads_the_expert_by_experience_leads(seed_strategy):
    leads = Person.objects.filter(strategy=seed_strategy, is_ebe_lead=True)
    assert {"Brendan Stone", "Richard Fletcher", "Catherine Carlick", "Adam Butcher"} <= set(
        leads.values_list("name", flat=True)
    )
    role = Role.objects.get(strategy=seed_strategy, title="Expert by Experience Lead")
    assert role.abbreviation == "EbE Lead"
    assert set(role.people.all()) == set(leads)


def test_it_continues_an_area_within_a_theme_but_not_across_themes(seed_strategy):
    actions = actions_of(seed_strategy)
    assert [a for a in actions if a.area is None] == [actions.get(theme__number=3, number=1)]
    second = actions.get(theme__number=1, number=2)
    assert second.area.name == "SUSEG"
    assert second.cited_commitments == [1, 2, 3, 6, 7, 10, 12]
    sunrise = actions.get(theme__number=1, number=8)
    assert sunrise.area.name == "Service User Engagement Groups (SUNRISE +)"
    assert sunrise.cited_commitments == [1, 2, 3, 4, 5, 6]
    assert actions.get(theme__number=3, number=4).area.name == "ETD /Corporate"
    assert actions.get(theme__number=6, number=1).area.name == "SUEMU"


def test_it_shares_areas_across_themes(seed_strategy):
    assert Area.objects.filter(strategy=seed_strategy).count() == 7
    suseg = Area.objects.get(strategy=seed_strategy, name="SUSEG")
    assert set(suseg.actions.values_list("theme__number", flat=True)) == {1, 3, 4, 5}


def test_it_links_only_the_cited_commitments_that_exist(seed_strategy):
    actions = actions_of(seed_strategy)
    fifth = actions.filter(theme__number=5)
    assert all(action.cited_commitments == [1, 2, 3, 4, 5, 6, 7] for action in fifth)
    assert all(
        sorted(c.number for c in action.commitments.all()) == [1, 2, 3, 4, 5, 6] for action in fifth
    )
    unlinked = [action.ref for action in actions if not action.commitments.all()]
    assert unlinked == ["3.1", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7"]


def test_it_keeps_money_and_strips_html_from_action_text(seed_strategy):
    action = actions_of(seed_strategy).get(theme__number=3, number=2)
    assert "£45,980" in action.text
    assert "<" not in action.text
    assert "<" not in actions_of(seed_strategy).get(theme__number=6, number=2).text


def test_it_returns_a_summary_of_what_it_imported(db, seed_path):
    assert import_paper(seed_path, slug="seed") == {
        "strategy": "seed",
        "themes": 6,
        "commitments": 40,
        "actions": 49,
        "roles": 32,
        "people": 19,
        "committees": 4,
        "areas": 7,
    }


def test_it_slugs_the_strategy_title_by_default(db, seed_path):
    assert import_paper(seed_path)["strategy"] == "service-user-engagement-strategy-2016-2021"


def test_it_records_who_imported_each_row_and_from_which_file(db, seed_path, django_user_model):
    from tests.progress.cycle import governance

    user = governance("governance")
    import_paper(seed_path, slug="sue", user=user)
    action = Action.objects.get(theme__strategy__slug="sue", theme__number=1, number=2)
    record = action.history.get()
    assert record.history_change_reason == "Imported from sus-engagement-board-paper-2017-03.txt"
    assert record.history_user == user
    assert {link.role.short_name for link in record.leads.all()} == leads_of(action)
    assert sorted(link.commitment.number for link in record.commitments.all()) == [
        1,
        2,
        3,
        6,
        7,
        10,
        12,
    ]
    strategy = action.theme.strategy
    assert strategy.history.get().history_user == user
    assert {r.history_change_reason for r in strategy.rag_levels.model.history.all()} == {
        "Imported from sus-engagement-board-paper-2017-03.txt"
    }
    helen = Person.objects.get(strategy=strategy, name="Helen Crimlisk")
    assert helen.history.get().roles.count() == 2


def test_it_imports_in_a_bounded_number_of_queries(db, seed_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        import_paper(seed_path, slug="sue")
