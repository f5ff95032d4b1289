"""The engagement map against hand-worked examples: rows by directorate, columns by
commitment (directly or through actions) and by quarter, each activity counted once
per cell, the highest level, the gaps and the filters, in a fixed number of queries."""

import datetime

import pytest

from planboard.engagement import mapping
from planboard.engagement.models import Kind, Level, Perspective
from planboard.engagement.services import set_participation
from planboard.progress.periods import quarter_label
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date
QUARTERS = [mapping.quarter_line(2016, q) for q in (1, 2, 3, 4)] + [mapping.quarter_line(2017, 1)]


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    c1, c2, c3 = commitments
    sunrise = add_activity(
        strategy,
        "SUNRISE group",
        kind=Kind.STANDING_GROUP,
        level=Level.INVOLVE,
        starts_on=D(2016, 4, 5),
        ongoing=True,
        services=[places["maple"], places["home"]],
        commitments=[c1],
    )
    set_participation(sunrise, {"service_user": 6, "carer": 2}, user=None)
    day = add_activity(
        strategy,
        "Co-design day",
        kind=Kind.COPRODUCTION,
        level=Level.COPRODUCE,
        starts_on=D(2017, 1, 10),
        ends_on=D(2017, 1, 10),
        services=[places["maple"]],
        actions=[actions[0]],
    )
    set_participation(day, {"service_user": 4}, user=None)
    add_activity(
        strategy,
        "Ward survey",
        kind=Kind.SURVEY,
        level=Level.INFORM,
        starts_on=D(2017, 2, 1),
        ends_on=D(2017, 5, 15),
        services=[places["acute"], places["maple"]],
        commitments=[c1, c2],
    )
    add_activity(
        strategy, "Annual meeting", level=Level.INFORM, starts_on=D(2016, 9, 1), commitments=[c3]
    )
    add_activity(
        strategy,
        "Pharmacy panel",
        kind=Kind.RECRUITMENT,
        starts_on=D(2016, 11, 1),
        services=[places["pharmacy"]],
        actions=[actions[1]],
    )
    return strategy, places, commitments


def _titles(grid, row, column):
    from planboard.engagement.models import Activity

    ids = grid.cell(row, column).activity_ids
    return sorted(Activity.objects.filter(pk__in=ids).values_list("title", flat=True))


def test_the_directorate_by_commitment_map_counts_each_activity_once_per_cell(plan):
    strategy, places, (c1, c2, c3) = plan
    grid = mapping.by_commitment(strategy)
    assert [line.label for line in grid.rows] == [
        "Acute",
        "Community",
        "Pharmacy",
        mapping.ACROSS_THE_TRUST,
    ]
    assert [line.label for line in grid.columns] == ["1.1", "1.2", "1.3"]
    acute, community = places["acute"].pk, places["community"].pk
    # The survey names the directorate and its ward: it counts once.
    assert _titles(grid, acute, c1.pk) == ["SUNRISE group", "Ward survey"]
    assert grid.cell(acute, c1.pk).highest == Level.INVOLVE
    assert grid.cell(acute, c1.pk).participants == 8
    # The co-design day serves 1.2 through its action.
    assert _titles(grid, acute, c2.pk) == ["Co-design day", "Ward survey"]
    assert grid.cell(acute, c2.pk).highest == Level.COPRODUCE
    assert grid.cell(acute, c2.pk).participants == 4
    assert _titles(grid, community, c1.pk) == ["SUNRISE group"]
    assert _titles(grid, None, c3.pk) == ["Annual meeting"]
    assert grid.cell(None, c3.pk).highest == Level.INFORM
    # Pharmacy's panel serves no commitment: a row of gaps, with its activity in the total.
    assert all(grid.cell(places["pharmacy"].pk, c.pk).gap for c in (c1, c2, c3))
    assert grid.row_totals[places["pharmacy"].pk].activities == 1
    assert len(grid.gaps) == 8
    assert {c: grid.column_totals[c.pk].activities for c in (c1, c2, c3)} == {c1: 2, c2: 2, c3: 1}
    assert grid.row_totals[acute].activities == 3


def test_the_directorate_by_quarter_map_counts_every_quarter_an_activity_touches(plan):
    strategy, places, _ = plan
    grid = mapping.by_quarter(strategy, quarters=QUARTERS)
    acute, pharmacy = places["acute"].pk, places["pharmacy"].pk
    q4, next_q1 = quarter_label(2016, 4), quarter_label(2017, 1)
    assert _titles(grid, acute, q4) == ["Co-design day", "SUNRISE group", "Ward survey"]
    assert grid.cell(acute, q4).highest == Level.COPRODUCE
    assert _titles(grid, acute, next_q1) == ["SUNRISE group", "Ward survey"]
    assert [grid.cell(pharmacy, q.key).activities for q in QUARTERS] == [0, 0, 1, 0, 0]
    assert [grid.cell(None, q.key).activities for q in QUARTERS] == [0, 1, 0, 0, 0]


def test_the_filters_narrow_what_is_counted(plan):
    strategy, places, (c1, c2, c3) = plan
    acute = places["acute"].pk
    informing = mapping.by_commitment(strategy, mapping.Filters(levels=frozenset({"inform"})))
    assert _titles(informing, acute, c1.pk) == ["Ward survey"]
    carers = mapping.by_commitment(strategy, mapping.Filters(perspective=Perspective.CARER))
    assert _titles(carers, acute, c1.pk) == ["SUNRISE group"]
    assert carers.cell(acute, c1.pk).participants == 2
    q3 = mapping.Filters(starts=D(2016, 10, 1), ends=D(2016, 12, 31))
    autumn = mapping.by_commitment(strategy, q3)
    assert _titles(autumn, acute, c1.pk) == ["SUNRISE group"]
    assert autumn.cell(None, c3.pk).gap
    panels = mapping.by_commitment(strategy, mapping.Filters(kinds=frozenset({"recruitment"})))
    assert panels.row_totals[places["pharmacy"].pk].activities == 1
    assert [line.label for line in panels.rows] == ["Acute", "Community", "Pharmacy"]


@pytest.mark.parametrize("extra", [0, 30])
def test_the_map_reads_a_fixed_number_of_queries(plan, extra, django_assert_num_queries):
    strategy, places, commitments = plan
    for n in range(extra):
        add_activity(
            strategy,
            f"Extra {n}",
            services=[places["home"]],
            commitments=commitments[:2],
            actions=[],
        )
    with django_assert_num_queries(8):
        mapping.by_commitment(strategy)
    with django_assert_num_queries(4):
        mapping.by_quarter(strategy, quarters=QUARTERS)


def test_the_filter_form_reads_the_address_into_the_maps_filters(plan):
    from django.http import QueryDict

    from planboard.web.engagement_filters import EngagementFilterForm

    strategy, places, (c1, c2, c3) = plan
    data = QueryDict("level=inform&level=consult&kind=survey&perspective=carer&quarter=2016/17 Q3")
    form = EngagementFilterForm(data, strategy=strategy)
    assert form.filters() == mapping.Filters(
        levels=frozenset({"inform", "consult"}),
        kinds=frozenset({"survey"}),
        perspective="carer",
        starts=D(2016, 10, 1),
        ends=D(2016, 12, 31),
    )
    assert [i["value"] for i in form.items("level") if i["checked"]] == ["inform", "consult"]
    assert form.fields["quarter"].choices[-1] == ("2016/17 Q1", "2016/17 Q1")
    wrong = EngagementFilterForm(QueryDict("level=tokenism"), strategy=strategy)
    assert wrong.filters() == mapping.Filters() and "level" in wrong.errors
