"""Leads matched to the key: by role, short name, person's name or initials, whatever the
case, punctuation, titles or separators; a lead that matches nothing is kept as written
and reported, and no role is ever added to a strategy's key by a tracker."""

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planboard.imports.key import PersonSpec
from planboard.imports.leads import (
    BY_ABRIDGEMENT,
    BY_ALIAS,
    BY_INITIALS,
    BY_PERSON,
    BY_SHORT_NAME,
    BY_TITLE,
    LeadResolver,
    RoleSpec,
    lead_cell,
    split_leads,
)
from planboard.imports.paper import parse_paper
from planboard.imports.table_import import import_table
from planboard.people.models import Person, Role
from planboard.plans.models import Action, Strategy
from planboard.progress.checker import FindingCode, run_checks
from tests.builders import make_large_plan, make_person, make_role, make_strategy
from tests.imports.test_table_import import write_csv

HOPE = RoleSpec("Head of Patient Experience", "HoPE")
NURSING = RoleSpec("Director of Nursing", "DoN")
NURSING_AND_QUALITY = RoleSpec("Director of Nursing and Quality", "DNQ")
EM = RoleSpec("Engagement Manager", "EM", aliases=["Engagement Lead"])
MD = RoleSpec("Medical Director", "MD")
SUSEG_CHAIR = RoleSpec("Chair of SUSEG", "SUSEG Chairs")
CG = RoleSpec("Head of Clinical Governance", "Head of CG")
OD = RoleSpec("Organisational Development Programme Manager", "OD Programme Manager")
ROLES = [HOPE, NURSING, NURSING_AND_QUALITY, EM, MD, SUSEG_CHAIR, CG, OD]
PEOPLE = [
    PersonSpec("Jane Lyon", [HOPE]),
    PersonSpec("Dr Mike Hunter", [MD, SUSEG_CHAIR]),  # two roles
    PersonSpec("John Lee", [EM]),  # shares the initials JL with Jane Lyon
    PersonSpec("Sarah Kemp", [CG]),
    PersonSpec("Anna Ward", []),  # named in the key, holds no role
]
# Every name a lead may be written as, and the roles it means.
NAMES = {
    "Head of Patient Experience": [HOPE],
    "HoPE": [HOPE],
    "Director of Nursing": [NURSING],
    "Director of Nursing and Quality": [NURSING_AND_QUALITY],
    "EM": [EM],
    "Engagement Lead": [EM],
    "Medical Director": [MD],
    "Chairs of SUSEG": [SUSEG_CHAIR],
    "Head of CG": [CG],
    "Jane Lyon": [HOPE],
    "Mike Hunter": [MD, SUSEG_CHAIR],
    "John Lee": [EM],
    "Sarah Kemp": [CG],
    "SK": [CG],
}


ALIASES = {id(role): list(role.aliases) for role in ROLES}


def key(make_role=None):
    for role in ROLES:  # matching keeps new ways of writing a role as its aliases
        role.aliases = list(ALIASES[id(role)])
    return LeadResolver(ROLES, PEOPLE, make_role=make_role)


def leads(text, resolver=None):
    return [(m.written, list(m.roles), m.how) for m in (resolver or key()).explain(text)]


# -- each way of matching -----------------------------------------------------------------


@pytest.mark.parametrize(
    "written, roles, how",
    [
        ("Head of Patient Experience", [HOPE], BY_TITLE),
        ("HoPE", [HOPE], BY_SHORT_NAME),
        ("Engagement Lead", [EM], BY_ALIAS),
        ("Jane Lyon", [HOPE], BY_PERSON),
        ("SK", [CG], BY_INITIALS),
        ("OD Manager", [OD], BY_ABRIDGEMENT),
    ],
)
def test_each_way_of_matching_says_how(written, roles, how):
    assert leads(written) == [(written, roles, how)]


@pytest.mark.parametrize(
    "written",
    [
        "Jane Lyon",
        "jane lyon",
        "JANE LYON",
        "Dr Jane Lyon",
        "Ms. Jane Lyon",
        "Lyon, Jane",
        "Lyon Jane",
        "J. Lyon",
        "J Lyon",
        "Mrs J. Lyon.",
        "Jane-Lyon",
    ],
)
def test_a_persons_name_matches_in_any_form(written):
    assert key().resolve(written) == [HOPE]


def test_a_person_holding_two_roles_leads_with_both():
    assert key().resolve("Mike Hunter") == [MD, SUSEG_CHAIR]
    assert key().resolve("Professor Mike Hunter / MD") == [MD, SUSEG_CHAIR]


def test_a_title_in_the_key_does_not_stop_a_name_matching():
    assert key().resolve("Hunter, Mike") == [MD, SUSEG_CHAIR]


def test_initials_several_people_share_are_a_problem_not_a_guess():
    (found,) = key().explain("JL")
    assert (found.roles, found.problem) == ((), "could be Jane Lyon or John Lee")
    assert key().resolve("J.L.") == []


def test_a_role_named_before_initials_wins():
    resolver = LeadResolver([EM], [PersonSpec("Emma Moss", [HOPE])], make_role=None)
    assert resolver.resolve("EM") == [EM]


def test_a_person_holding_no_role_is_reported():
    (found,) = key().explain("Anna Ward")
    assert (found.roles, found.problem) == ((), "Anna Ward, who holds no role")


# -- separators ---------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["/", ",", "&", " and ", ";", "+", "\n", " / ", " AND "])
def test_each_separator_parts_two_leads(separator):
    resolver = key(make_role=None)
    assert resolver.resolve(lead_cell(f"EM{separator}Jane Lyon")) == [EM, HOPE]
    assert resolver.resolve(lead_cell(f"Sarah Kemp{separator}Medical Director")) == [CG, MD]


def test_a_role_whose_name_holds_and_is_one_lead():
    assert leads("Director of Nursing and Quality") == [
        ("Director of Nursing and Quality", [NURSING_AND_QUALITY], BY_TITLE)
    ]
    assert key().resolve("Director of Nursing & Quality") == [NURSING_AND_QUALITY]
    assert key().resolve("Director of Nursing and EM") == [NURSING, EM]
    assert key().resolve("EM and Director of Nursing and Quality/MD") == [
        EM,
        NURSING_AND_QUALITY,
        MD,
    ]


def test_leads_without_separators_are_still_found():
    assert key().resolve("Head of CG Jane Lyon") == [CG, HOPE]
    assert key().resolve("EM Jane Lyon (HoPE)") == [EM, HOPE]


def test_lines_of_a_cell_are_separate_leads():
    assert lead_cell("EM\n  Fred  Bloggs \n\n") == "EM / Fred Bloggs"
    assert split_leads("EM / Fred Bloggs and Bill; MD") == ["EM", "Fred Bloggs and Bill", "MD"]


# -- leads that match nothing -------------------------------------------------------------


def test_a_lead_that_matches_nothing_is_kept_as_written():
    resolver = key(make_role=None)
    assert resolver.resolve("EM / Fred Bloggs") == [EM]
    assert [lead.written for lead in resolver.unmatched.values()] == ["Fred Bloggs"]
    assert resolver.roles == ROLES  # nothing invented


def test_and_parts_an_unknown_lead_only_where_the_key_names_a_side():
    assert leads("Head of Equality and Inclusion") == [("Head of Equality and Inclusion", [], "")]
    assert leads("Clinical and Service Directors") == [("Clinical and Service Directors", [], "")]
    assert leads("Fred Bloggs and Jane Lyon & Bill") == [
        ("Fred Bloggs", [], ""),
        ("Jane Lyon", [HOPE], BY_PERSON),
        ("Bill", [], ""),
    ]


def test_each_lead_is_described_as_the_preview_shows_it():
    described = [lead.describe() for lead in key().explain("Jane Lyon/JL/Fred")]
    assert described == [
        "Jane Lyon → Head of Patient Experience (HoPE), by person's name",
        "JL → could be Jane Lyon or John Lee",
        "Fred → nothing in the key",
    ]


# -- properties ---------------------------------------------------------------------------

SEPARATORS = st.sampled_from(["/", ", ", " & ", " and ", "; ", " + ", "\n", " AND ", ",", " /"])


@st.composite
def written_as(draw, name):
    """``name`` in any casing, with stray full stops, spaces, hyphens and a title."""
    words = []
    for word in name.split():
        cased = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in word)
        words.append(cased + draw(st.sampled_from(["", "", "."])))
    joiner = draw(st.sampled_from([" ", "  ", " \t "]))
    text = joiner.join(words)
    if name in ("Jane Lyon", "Mike Hunter", "Sarah Kemp", "John Lee"):
        text = draw(st.sampled_from(["", "Dr ", "Ms ", "Mr. ", "Prof "])) + text
    return text


@st.composite
def cells(draw):
    names = draw(st.lists(st.sampled_from(sorted(NAMES)), min_size=1, max_size=5, unique=True))
    parts = [draw(written_as(name)) for name in draw(st.permutations(names))]
    text = parts[0]
    for part in parts[1:]:
        text += draw(SEPARATORS) + part
    return names, text


def ids(roles):
    return {id(role) for role in roles}


@settings(max_examples=150, deadline=None)
@given(cells())
def test_any_casing_order_punctuation_and_separators_match_the_same_roles(cell):
    names, text = cell
    resolver = key(make_role=None)
    assert ids(resolver.resolve(lead_cell(text))) == ids(r for n in names for r in NAMES[n])
    assert not resolver.unmatched


@settings(max_examples=100, deadline=None)
@given(cells(), SEPARATORS)
def test_splitting_then_joining_with_any_separator_gives_the_same_roles(cell, separator):
    _, text = cell
    resolver = key(make_role=None)
    found = resolver.explain(lead_cell(text))
    again = lead_cell(separator.join(lead.written for lead in found))
    assert ids(resolver.resolve(again)) == ids(r for lead in found for r in lead.roles)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text("abdehijlmnoqrsty EMJL./,&;+\n", max_size=40), max_size=4))
def test_whatever_is_written_no_role_is_invented_and_each_lead_is_as_written(texts):
    resolver = key(make_role=None)
    for text in texts:
        cell = "".join(lead_cell(text).split()).casefold()
        for lead in resolver.explain(lead_cell(text)):
            assert "".join(lead.written.split()).casefold() in cell
        assert set(map(id, resolver.resolve(lead_cell(text)))) <= set(map(id, ROLES))
    assert resolver.roles == ROLES


@pytest.mark.parametrize(
    ("text", "written"),
    [("EM +", ["EM"]), ("EM - Fred Bloggs", ["EM", "Fred Bloggs"]), ("E+.+", ["E"])],
)
def test_a_mark_standing_alone_is_between_leads_never_part_of_one(text, written):
    assert [lead[0] for lead in leads(text)] == written


# -- the table import ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tracker_never_adds_roles_to_a_key_and_reports_what_it_could_not_match(tmp_path):
    strategy = make_strategy(slug="plan")
    hope = make_role(strategy, "Head of Patient Experience", "HoPE")
    em = make_role(strategy, "Engagement Manager", "EM")
    dnq = make_role(strategy, "Director of Nursing and Quality")
    make_person(strategy, "Jane Lyon", [hope])
    make_person(strategy, "John Lee", [em])
    roles, people = Role.objects.count(), Person.objects.count()
    rows = [
        ["Action", "Lead"],
        ["One", "Jane Lyon"],
        ["Two", "Dr J. Lyon & EM"],
        ["Three", "JL"],
        ["Four", "Fred Bloggs / em"],
        ["Five", "Director of Nursing and Quality"],
    ]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert (Role.objects.count(), Person.objects.count()) == (roles, people)
    by_text = {a.text: a for a in Action.objects.prefetch_related("leads")}
    assert [set(by_text[n].leads.all()) for n in ("One", "Two", "Three", "Four", "Five")] == [
        {hope},
        {hope, em},
        set(),
        {em},
        {dnq},
    ]
    assert by_text["Four"].lead_text == "Fred Bloggs / em"
    assert summary["roles_created"] == []
    assert summary["leads_unmatched"] == ["JL", "Fred Bloggs"]
    messages = {f.message for f in run_checks(strategy, datetime.date(2017, 1, 1))}
    assert (
        'Action 1.4 names "Fred Bloggs" as a lead, which matches no role or person in the key.'
        in messages
    )
    assert (
        'Action 1.3 has no lead (the plan says "JL": "JL" could be Jane Lyon or John Lee).'
        in messages
    )
    codes = [f.code for f in run_checks(strategy, datetime.date(2017, 1, 1)) if f.ref == "1.4"]
    assert FindingCode.LEAD_UNRESOLVED in codes


@pytest.mark.django_db
def test_a_tracker_for_a_strategy_with_no_key_makes_its_key_from_the_leads(tmp_path):
    rows = [
        ["Action", "Lead"],
        ["One", "Jane Lyon / EM"],
        ["Two", "em\nHead of Equality and Inclusion"],
    ]

    first = import_table(write_csv(tmp_path, rows), strategy_slug="fresh")
    again = import_table(write_csv(tmp_path, rows + [["Three", "Fred"]]), strategy_slug="fresh")

    assert first["roles_created"] == ["Jane Lyon", "EM", "Head of Equality and Inclusion"]
    assert Role.objects.filter(strategy__slug="fresh", in_key=True).count() == 3
    assert (again["roles_created"], again["leads_unmatched"]) == ([], ["Fred"])
    assert Role.objects.count() == 3
    two = Action.objects.get(text="Two")
    assert {role.title for role in two.leads.all()} == {"EM", "Head of Equality and Inclusion"}


@pytest.mark.django_db
def test_the_checker_reads_the_key_once_whatever_the_size_of_the_plan(
    django_assert_num_queries,
):
    for slug, size in (("small", 40), ("large", 400)):
        make_large_plan(slug=slug, actions=size)
        Action.objects.filter(theme__strategy__slug=slug, number__lte=3).update(
            lead_text="Fred Bloggs / Nobody Known"
        )
    as_of = datetime.date(2018, 1, 1)

    for slug in ("small", "large"):
        strategy = Strategy.objects.get(slug=slug)
        with django_assert_num_queries(5 + 3):  # the plan, then its roles and people
            findings = run_checks(strategy, as_of)
        unmatched = [f for f in findings if "Fred Bloggs" in f.message]
        assert unmatched and len(unmatched) == len({f.ref for f in unmatched})


def test_a_board_paper_matches_leads_written_as_the_people_of_its_key():
    carers = Path(__file__).resolve().parent / "fixtures" / "carers-action-plan.txt"
    text = carers.read_text().replace("\tCL/PEM\n", "\tAlex Morgan & Dr P. Shah\n")
    assert "Alex Morgan & Dr P. Shah" in text

    paper = parse_paper(text, "carers.txt")

    first = paper.actions[0]
    assert first.lead_text == "Alex Morgan & Dr P. Shah"
    assert [role.abbreviation for role in first.leads] == ["CL", "PEM"]
    assert not any("Morgan" in role.title or "Shah" in role.title for role in paper.roles)
