"""The paper's front matter and its key of roles and people, built from the plan's key
and, for a closed period, from what the period's record froze."""

from planboard.papers.content import build_paper
from planboard.papers.key import KeyRole
from planboard.papers.people_key import people_key
from planboard.people.models import Person, Role
from planboard.progress.models import PeriodRecord


def test_the_front_matter_names_the_trust_the_meeting_and_the_plan(seed_strategy, closed_q3):
    front = build_paper(seed_strategy, closed_q3).front
    assert (front.organisation, front.meeting, front.meeting_date) == (
        "SHSC",
        "Board of Directors",
        "8 March 2017",
    )
    assert (front.reference, front.item) == ("BoD: 08.03.17", "5")
    assert front.title == "Service User Engagement Strategy Implementation Plan"
    assert front.plan_version == "v2 - January 2017"
    assert "the RAG rating should be interpreted with care" in front.preface


def test_without_a_title_of_paper_the_title_names_the_plan_and_the_period(seed_strategy, closed_q3):
    from planboard.papers.models import CoverSheet

    CoverSheet.objects.filter(period=closed_q3).update(title="")
    front = build_paper(seed_strategy, closed_q3).front
    assert front.title == f"{seed_strategy.plan_title}: progress in {closed_q3.label}"


def test_the_key_names_people_with_their_roles_and_the_expert_by_experience_leads_apart(
    seed_strategy, closed_q3
):
    key = build_paper(seed_strategy, closed_q3).people_key
    lines = [person.line for person in key.people]
    assert "Mike Hunter, Medical Director (MD)" in lines
    assert "Mia Bajin, Engagement Manager (EM)" in lines
    ebe = [person.line for person in key.ebe_leads]
    assert "Richard Fletcher" in ebe
    assert "Tammy Raines Sue Sibbald" in ebe
    assert not any("Expert by Experience Lead" in line for line in ebe)
    assert [role.decoded for role in key.unheld] == ["IT Department"]
    assert key.decode("EM").decoded == "Engagement Manager (Laura Di Bona, Mia Bajin)"
    assert key.decode("nobody") is None


def test_each_theme_decodes_the_leads_its_rows_name_once_each(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    for theme in paper.themes:
        named = {short for row in theme.rows for short in row.lead_roles}
        shorts = [role.short for role in theme.lead_key]
        assert len(shorts) == len(set(shorts))
        assert set(shorts) <= named
        # Every role the key has more to say of is decoded under its theme.
        assert {s for s in named if paper.people_key.decode(s).says_more} == set(shorts)


def test_exceptions_name_their_leads_and_not_updated_is_counted_per_lead(
    seed_strategy, closed_q3_with_exceptions
):
    exceptions = build_paper(seed_strategy, closed_q3_with_exceptions).exceptions
    (late,) = exceptions.overdue
    assert (late.ref, late.leads) == ("1.1", "SUSEG Chairs")
    counts = {count.lead: count for count in exceptions.not_updated_by_lead}
    assert sum(c.count for c in counts.values()) >= len(exceptions.not_updated)
    assert counts["EM"].decoded == "Engagement Manager (Laura Di Bona, Mia Bajin)"
    assert counts["EM"].count == sum("EM" in e.leads.split(" / ") for e in exceptions.not_updated)
    ordered = [c.count for c in exceptions.not_updated_by_lead]
    assert ordered == sorted(ordered, reverse=True)


def test_a_closed_periods_key_is_the_key_as_it_closed(seed_strategy, closed_q3):
    before = build_paper(seed_strategy, closed_q3)
    Person.objects.filter(strategy=seed_strategy, name="Mike Hunter").update(name="Someone Else")
    Role.objects.filter(strategy=seed_strategy, abbreviation="EM").update(title="Renamed")
    assert build_paper(seed_strategy, closed_q3) == before
    assert "Someone Else" in [p.name for p in build_paper(seed_strategy).people_key.people]

    # A period closed before records kept the key reads it as it stands.
    record = PeriodRecord.objects.get(period=closed_q3)
    content = {k: v for k, v in record.content.items() if k not in ("roles", "people")}
    PeriodRecord.objects.filter(pk=record.pk).update(content=content)
    people = build_paper(seed_strategy, closed_q3).people_key.people
    assert "Someone Else" in [person.name for person in people]


def test_a_key_with_no_people_is_empty_and_decodes_only_what_it_holds():
    key = people_key({"roles": [{"short": "X", "title": "X", "in_key": False, "people": []}]})
    assert not key
    assert key.decode("X") == KeyRole("X", "X", ())
    assert not key.decode("X").says_more
