"""Importing an activity register: headers as trackers write them, every bad row listed,
nothing written when refused, a dry run, and a second import updating, not adding."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.engagement.models import Activity, Kind, Level, Recurrence
from planboard.feedback.models import Service, ServiceKind
from planboard.imports.engagement_activities import import_activities
from planboard.imports.engagement_columns import (
    HEADERS,
    PERSPECTIVE_HEADERS,
    read_kind,
    read_level,
    read_recurrence,
    recognise,
)
from planboard.imports.feedback_tables import TableRefused, header_words
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.cast import governance
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date

REGISTER = (
    "Ref,Name of activity,Type,Directorate,Engagement level,Start date,End,Frequency,"
    "Purpose,Commitments,Actions,Lead,What changed,Feedback given,Date fed back,"
    "How fed back,Service users,Carers,EbE,Members of the public\n"
    'E1,SUNRISE group,Forum,"Acute; maple ward",Co-production,03/04/2017,Ongoing,Monthly,'
    "Service users shape the wards,1.2,1.1,Ada Lovelace,New menus,yes,12/06/2017,"
    "At the group,8,2,1,\n"
    ",Open day,Event,COM,consultation,2017-05-20,,One-off,,2,,,,no,,,40,10,,25\n"
)


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    places["community"].code = "COM"
    places["community"].save()
    ada = make_person(strategy, "Ada Lovelace")
    return strategy, places, commitments, actions, ada, governance()


def _import(strategy, text, name="register.csv", **options):
    return import_activities(strategy, text.encode(), name, user=None, **options)


def test_a_register_imports_with_every_field_and_link(plan):
    strategy, places, commitments, actions, ada, _ = plan
    summary = _import(strategy, REGISTER)
    assert summary.line() == "Engagement activities: 2 were created, 0 updated, 0 unchanged."
    group = Activity.objects.get(strategy=strategy, ref="E1")
    assert (group.title, group.kind, group.level) == (
        "SUNRISE group",
        Kind.STANDING_GROUP,
        Level.COPRODUCE,
    )
    assert (group.starts_on, group.ends_on, group.ongoing) == (D(2017, 4, 3), None, True)
    assert group.recurrence == Recurrence.MONTHLY
    assert group.purpose == "Service users shape the wards" and group.outcome == "New menus"
    assert (group.fed_back_on, group.fed_back_how) == (D(2017, 6, 12), "At the group")
    assert set(group.services.all()) == {places["acute"], places["maple"]}
    assert list(group.commitments.all()) == [commitments[1]]
    assert list(group.actions.all()) == [actions[0]]
    assert group.lead == ada
    assert dict(group.participation.values_list("perspective", "count")) == {
        "service_user": 8,
        "carer": 2,
        "expert_by_experience": 1,
    }
    day = Activity.objects.get(strategy=strategy, title="Open day")
    assert (day.ref, day.kind, day.level, day.recurrence) == ("", "event", "consult", "once")
    assert list(day.services.all()) == [places["community"]]  # by its code
    assert list(day.commitments.all()) == [commitments[1]]  # a bare number
    assert day.fed_back_on is None and day.lead is None
    assert dict(day.participation.values_list("perspective", "count")) == {
        "service_user": 40,
        "carer": 10,
        "public": 25,
    }


def test_a_second_import_updates_by_ref_and_by_title_and_start(plan):
    strategy = plan[0]
    _import(strategy, REGISTER)
    again = _import(strategy, REGISTER)
    assert again.line() == (
        "Engagement activities: 0 were created, 0 updated, 2 unchanged; "
        "1 matched by title and start date."
    )
    changed = REGISTER.replace("New menus", "New menus and a garden").replace(",40,10,", ",41,10,")
    summary = _import(strategy, changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 0)
    assert Activity.objects.filter(strategy=strategy).count() == 2
    assert Activity.objects.get(ref="E1").outcome == "New menus and a garden"
    day = Activity.objects.get(strategy=strategy, title="Open day")
    assert day.participation.get(perspective="service_user").count == 41


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(plan):
    before = database_fingerprint()
    summary = _import(plan[0], REGISTER, dry_run=True)
    assert summary.line() == "Engagement activities: 2 would be created, 0 updated, 0 unchanged."
    assert database_fingerprint() == before


def test_every_bad_row_is_listed_and_nothing_is_written(plan):
    strategy = plan[0]
    add_activity(strategy, "Kept", starts_on=D(2017, 1, 1))
    before = database_fingerprint()
    bad = (
        "Activity,Date,Level,Directorate,Commitments,Lead,Carers,End,Type\n"
        "Good row,01/02/2017,Inform,Acute,1.1,,,,\n"
        "Walk,someday,Inform,Acute,,,,,\n"
        "Talk,01/02/2017,tokenism,Narnia; Acute,9.9,Nobody,lots,31/01/2017,party\n"
        "Good row,01/02/2017,Inform,,,,,,\n"
        ",,,,,,,,\n"
    )
    with pytest.raises(TableRefused) as refused:
        _import(strategy, bad, "mine.csv")
    assert refused.value.lines == [
        'mine.csv, row 3, column Date: "someday" is not a date (use e.g. "Mar 17", '
        '"June 2017" or "31/03/2017")',
        'mine.csv, row 4, column Type: "party" is not a kind of activity (standing group or '
        "forum, event, quality-improvement project, co-production project, recruitment "
        "panel, consultation, survey, training co-delivered, other)",
        'mine.csv, row 4, column Level: "tokenism" is not a level of involvement (inform, '
        "consult, involve, collaborate or co-produce)",
        'mine.csv, row 4, column Directorate: no directorate or service is called "Narnia"',
        "mine.csv, row 4, column Commitments: there is no commitment 9.9 in the plan",
        'mine.csv, row 4, column Carers: "lots" is not a number of people',
        'mine.csv, row 4, column Lead: nobody in the key is called "Nobody"',
        "mine.csv, row 4, column End: The end is before the start",
        "mine.csv, row 5: it is the same activity as row 2",
    ]
    assert database_fingerprint() == before


def test_a_file_without_the_columns_it_needs_is_refused_naming_them(plan):
    with pytest.raises(TableRefused) as refused:
        _import(plan[0], "Activity,Level\nWalk,Inform\n", "x.csv")
    assert str(refused.value) == (
        "x.csv, row 1: no column of start dates (a header such as Date, Start or From); "
        "the headers found are: Activity, Level"
    )


def test_an_unknown_directorate_is_added_when_asked(plan):
    strategy = plan[0]
    text = "Activity,Date,Directorate\nWalk,01/02/2017,Forensic services\n"
    summary = _import(strategy, text, add_services=True, dry_run=True)
    assert "directorates that would be added: Forensic services" in summary.line()
    assert not Service.objects.filter(strategy=strategy, name="Forensic services").exists()
    _import(strategy, text, add_services=True)
    added = Service.objects.get(strategy=strategy, name="Forensic services")
    assert added.kind == ServiceKind.DIRECTORATE
    assert list(Activity.objects.get(title="Walk").services.all()) == [added]


def test_the_command_imports_checks_and_refuses(plan, tmp_path):
    strategy = plan[0]
    path = tmp_path / "register.csv"
    path.write_text(REGISTER)
    out = io.StringIO()
    call_command(
        "import_engagement", str(path), "--strategy", strategy.slug, "--dry-run", stdout=out
    )
    assert out.getvalue().strip().endswith("2 would be created, 0 updated, 0 unchanged.")
    assert not Activity.objects.filter(strategy=strategy).exists()
    call_command("import_engagement", str(path), "--strategy", strategy.slug, stdout=out)
    assert Activity.objects.filter(strategy=strategy).count() == 2
    path.write_text("Activity,Date\nWalk,never\n")
    with pytest.raises(CommandError, match=r"register.csv, row 2, column Date: \"never\""):
        call_command("import_engagement", str(path), "--strategy", strategy.slug)


# --- header and value spellings ---------------------------------------------------------


def _spelled(text: str, how: int, numbered: bool) -> str:
    text = (text, text.upper(), text.lower(), text.title(), f" {text}: ")[how]
    return f"3. {text}" if numbered else text


EVERY_HEADER = [(words, field) for field, all_words in HEADERS.items() for words in all_words]
EVERY_HEADER += [
    (words, f"count:{perspective}")
    for perspective, all_words in PERSPECTIVE_HEADERS.items()
    for words in all_words
]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(EVERY_HEADER), st.integers(0, 4), st.booleans())
def test_a_header_is_recognised_whatever_its_case_and_numbering(header, how, numbered):
    words, field = header
    assert recognise(header_words(_spelled(words, how, numbered))) == (field, 0)


@given(
    st.sampled_from(
        [
            ("Number of carers", "count:carer"),
            ("No. of service users", "count:service_user"),
            ("How many EbEs", "count:expert_by_experience"),
            ("Name of Activity", "title"),
            ("Level of Involvement", "level"),
        ]
    ),
    st.integers(0, 4),
)
def test_counts_and_long_headers_read_with_their_prefixes(header, how):
    words, field = header
    assert recognise(header_words(_spelled(words, how, False))) == (field, 0)


LEVELS = {
    Level.INFORM: ["Inform", "informing", "Informed", "1 - Inform", "Information"],
    Level.CONSULT: ["consult", "Consultation", "consulting", "Informal consultation"],
    Level.INVOLVE: ["Involve", "involvement", "INVOLVING", "3. Involve"],
    Level.COLLABORATE: ["Collaborate", "collaboration", "Collaborative"],
    Level.COPRODUCE: [
        "Co-produce",
        "coproduction",
        "co-production",
        "Co production",
        "CO-PRODUCED",
    ],
}


@given(st.sampled_from([(level, word) for level, words in LEVELS.items() for word in words]))
def test_a_level_is_read_from_its_common_spellings(spelled):
    level, word = spelled
    assert read_level(word) == level


@given(st.sampled_from(Kind.choices), st.integers(0, 3))
def test_a_kind_reads_back_from_its_label_or_value_in_any_case(kind, how):
    value, label = kind
    assert read_kind(_spelled(label, how, False)) == value
    assert read_kind(value) == value


@given(st.sampled_from(Recurrence.choices), st.integers(0, 3))
def test_a_recurrence_reads_back_from_its_label(recurrence, how):
    value, label = recurrence
    assert read_recurrence(_spelled(label, how, False)) == value


def test_a_ref_given_later_is_taken_by_the_activity_of_that_title_and_start(plan):
    strategy = plan[0]
    _import(strategy, "Activity,Date\nWalk,01/02/2017\n")
    summary = _import(strategy, "Ref,Activity,Date\nW1,Walk,01/02/2017\n")
    assert (summary.created, summary.updated, summary.by_title) == (0, 1, 1)
    walk = Activity.objects.get(strategy=strategy, title="Walk")
    assert walk.ref == "W1"
    kept = _import(strategy, "Ref,Activity,Date\n,Walk,01/02/2017\n")  # no ref: kept as it is
    assert (kept.unchanged, Activity.objects.get(pk=walk.pk).ref) == (1, "W1")
    other = _import(strategy, "Ref,Activity,Date\nW2,Walk,01/02/2017\n")  # another ref: another
    assert other.created == 1
    assert Activity.objects.filter(strategy=strategy, title="Walk").count() == 2


@pytest.mark.parametrize(
    "text, line",
    [
        (
            "Activity,Date,Fed back\nWalk,01/02/2017,Yes\n",
            'x.csv, row 2, column Fed back: it says yes: give the day in a "Date fed back" column',
        ),
        (
            "Activity,Date,Fed back,How fed back\nWalk,01/02/2017,No,By letter\n",
            "x.csv, row 2, column Fed back: Give the day the outcome was fed back",
        ),
        (
            "Activity,Date,Fed back\nWalk,01/02/2017,soon\n",
            'x.csv, row 2, column Fed back: "soon" is not a date (use e.g. "Mar 17", "June '
            '2017" or "31/03/2017")',
        ),
    ],
)
def test_fed_back_is_a_day_or_yes_with_a_day(plan, text, line):
    before = database_fingerprint()
    with pytest.raises(TableRefused) as refused:
        _import(plan[0], text, "x.csv")
    assert refused.value.lines == [line]
    assert database_fingerprint() == before


def test_fed_back_read_from_a_day_or_from_yes_and_its_day(plan):
    strategy = plan[0]
    _import(
        strategy,
        "Activity,Date,Fed back,Date fed back\nWalk,01/02/2017,Yes,3 March 2017\n"
        "Talk,01/02/2017,05/03/2017,\nRun,01/02/2017,No,\n",
    )
    fed = dict(Activity.objects.filter(strategy=strategy).values_list("title", "fed_back_on"))
    assert fed == {"Walk": D(2017, 3, 3), "Talk": D(2017, 3, 5), "Run": None}
