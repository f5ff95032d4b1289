"""Lead text resolved to the roles of the plan's key."""

import pytest

from planboard.imports.leads import LeadResolver, RoleSpec, lead_key, split_leads
from planboard.people.models import Role


@pytest.fixture
def resolver():
    return LeadResolver(
        [
            RoleSpec("Engagement Manager", "EM"),
            RoleSpec("Organisational Development Programme Manager", "OD Programme Manager"),
            RoleSpec("Continuous Improvement Manager", "CI Manager"),
            RoleSpec("Chair of SUSEG", "SUSEG Chairs"),
            RoleSpec("Head of SUEMU"),
            RoleSpec("Medical Director", "MD"),
        ]
    )


def titles(roles):
    return [role.title for role in roles]


def test_it_splits_on_slashes_and_commas_ignoring_stray_spaces():
    assert split_leads("EM/ CI Manager/Head of SUEMU ,  MD") == [
        "EM",
        "CI Manager",
        "Head of SUEMU",
        "MD",
    ]


def test_it_treats_chairs_of_x_and_x_chairs_alike():
    assert lead_key("Chairs of SUSEG") == lead_key("SUSEG Chairs") == lead_key("SUSEG chair")


def test_it_resolves_abbreviations_titles_and_plurals(resolver):
    assert titles(resolver.resolve("EM/OD Manager/Head of SUEMU")) == [
        "Engagement Manager",
        "Organisational Development Programme Manager",
        "Head of SUEMU",
    ]
    assert titles(resolver.resolve("EMs")) == ["Engagement Manager"]
    assert titles(resolver.resolve("Engagement Managers")) == ["Engagement Manager"]


def test_it_resolves_both_spellings_of_the_chairs_to_one_role(resolver):
    assert titles(resolver.resolve("MD, Chairs of SUSEG")) == ["Medical Director", "Chair of SUSEG"]
    assert titles(resolver.resolve("SUSEG Chairs/ CI Manager")) == [
        "Chair of SUSEG",
        "Continuous Improvement Manager",
    ]


def test_it_splits_a_known_role_from_the_words_after_it(resolver):
    roles = resolver.resolve("EM Fiona Goudie")
    assert titles(roles) == ["Engagement Manager", "Fiona Goudie"]
    assert [role.in_key for role in roles] == [True, False]


def test_it_keeps_one_role_outside_the_key_per_name(resolver):
    first = resolver.resolve("Supervising Managers")
    again = resolver.resolve("supervising  manager")
    assert first == again
    assert first[0].title == "Supervising Managers"
    assert first[0].in_key is False


def test_it_does_not_guess_between_two_roles_an_abridgement_fits():
    resolver = LeadResolver(
        [RoleSpec("Head of Adult Services"), RoleSpec("Head of Older Adult Services")]
    )
    assert resolver.match("Head of Services") is None


def test_it_gives_no_leads_for_empty_text(resolver):
    assert resolver.resolve("") == []
    assert resolver.resolve(" / ") == []


def test_it_records_how_the_plan_wrote_a_role(resolver):
    resolver.resolve("EMs/OD Manager")
    assert resolver.match("EMs").aliases == ["EMs"]


def test_it_resolves_against_the_seed_roles_in_the_database(seed_strategy):
    resolver = LeadResolver(Role.objects.filter(strategy=seed_strategy, in_key=True))
    em = Role.objects.get(strategy=seed_strategy, abbreviation="EM")
    for written in ("EM", "EMs", "Engagement Managers"):
        assert resolver.resolve(written) == [em]
    assert resolver.resolve("CI Manager")[0].title == "Continuous Improvement Manager"
    assert resolver.resolve("OD Manager")[0].title == "Organisational Development Programme Manager"
