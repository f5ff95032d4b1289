"""The plan checker's rules, on small plans built for each rule."""

import datetime

import pytest

from planboard.plans.models import ActionStatus, Area, Strategy
from planboard.progress.checker import (
    Finding,
    FindingCode,
    FindingKind,
    check_report,
    run_checks,
    summarise,
)
from tests.builders import make_action, make_large_plan, make_role, make_strategy, make_theme

MARCH = datetime.date(2017, 3, 31)
BEFORE_MARCH_ENDS = datetime.date(2017, 3, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    return make_strategy(slug="plan")


@pytest.fixture
def theme(strategy):
    return make_theme(strategy, number=1, commitments=2)


@pytest.fixture
def lead(strategy):
    return make_role(strategy, "Engagement Manager", "EM")


def clean_action(theme, lead, **overrides):
    """An action with nothing wrong: rated, led, in an area, serving every commitment."""
    fields = {
        "area": "SUSEG",
        "rating": "Green",
        "leads": [lead],
        "lead_text": lead.short_name,
        "commitments": list(theme.commitments.all()),
        "target": MARCH,
    }
    fields.update(overrides)
    return make_action(theme, **fields)


def codes(strategy, as_of=BEFORE_MARCH_ENDS):
    return [(f.code, f.ref) for f in run_checks(strategy, as_of)]


def test_it_reports_nothing_for_a_clean_plan(strategy, theme, lead):
    clean_action(theme, lead)
    clean_action(theme, lead, status=ActionStatus.COMPLETE)

    assert run_checks(strategy, BEFORE_MARCH_ENDS) == []


def test_it_reports_a_rating_the_key_does_not_define(strategy, theme, lead):
    clean_action(theme, lead)
    clean_action(theme, lead, rating="Yellow")

    [finding] = run_checks(strategy, BEFORE_MARCH_ENDS)

    assert finding == Finding(
        code=FindingCode.RAG_NOT_IN_KEY,
        kind=FindingKind.DATA,
        ref="1.2",
        message='Action 1.2 is rated "Yellow", which the RAG key does not define.',
    )


def test_it_reports_an_action_without_a_rating(strategy, theme, lead):
    clean_action(theme, lead, rating="")

    [finding] = run_checks(strategy, BEFORE_MARCH_ENDS)

    assert (finding.code, finding.message) == (
        FindingCode.RAG_MISSING,
        "Action 1.1 has no RAG rating.",
    )


def test_it_accepts_a_level_set_without_a_written_rating(strategy, theme, lead):
    action = clean_action(theme, lead, rating="")
    action.rag_level = strategy.rag_levels.get(label="Red")
    action.save()

    assert codes(strategy) == []


def test_it_sees_an_alias_added_to_the_scale_without_reimporting(strategy, theme, lead):
    action = clean_action(theme, lead, rating="Yellow")
    assert codes(strategy) == [(FindingCode.RAG_NOT_IN_KEY, "1.1")]

    amber = strategy.rag_levels.get(label="Amber")
    amber.aliases = ["Yellow"]
    amber.save()

    assert codes(strategy) == []
    action.refresh_from_db()
    assert action.rag_level == amber


def test_it_reports_an_action_without_a_lead(strategy, theme, lead):
    clean_action(theme, lead, leads=[], lead_text="")

    assert codes(strategy) == [(FindingCode.LEAD_MISSING, "1.1")]
    assert run_checks(strategy, BEFORE_MARCH_ENDS)[0].message == "Action 1.1 has no lead."


def test_it_reports_a_lead_written_but_naming_no_role(strategy, theme, lead):
    clean_action(theme, lead, leads=[], lead_text="-")

    assert codes(strategy) == [(FindingCode.LEAD_MISSING, "1.1")]
    assert "names nobody" in run_checks(strategy, BEFORE_MARCH_ENDS)[0].message


def test_it_reports_each_lead_the_key_does_not_name(strategy, theme, lead):
    finance = make_role(strategy, "Finance", in_key=False)
    secretary = make_role(strategy, "Board Secretary", in_key=False)
    clean_action(theme, lead, leads=[lead, finance, secretary], lead_text="EM/Finance/BS")

    findings = run_checks(strategy, BEFORE_MARCH_ENDS)

    assert [(f.code, f.ref) for f in findings] == [(FindingCode.LEAD_UNRESOLVED, "1.1")] * 2
    assert [f.message for f in findings] == [
        'Action 1.1 is led by "Board Secretary", which the key of roles does not name.',
        'Action 1.1 is led by "Finance", which the key of roles does not name.',
    ]


def test_it_reports_an_action_without_an_area(strategy, theme, lead):
    clean_action(theme, lead, area=None)

    assert codes(strategy) == [(FindingCode.AREA_MISSING, "1.1")]


def test_it_reports_an_action_serving_no_commitment(strategy, theme, lead):
    clean_action(theme, lead)
    clean_action(theme, lead, commitments=[])

    findings = run_checks(strategy, BEFORE_MARCH_ENDS)

    assert [(f.code, f.ref, f.message) for f in findings] == [
        (FindingCode.ACTION_UNLINKED, "1.2", "Action 1.2 serves no commitment.")
    ]


def test_it_reports_a_commitment_no_action_serves(strategy, theme, lead):
    first = theme.commitments.get(number=1)
    clean_action(theme, lead, commitments=[first])

    findings = run_checks(strategy, BEFORE_MARCH_ENDS)

    assert [(f.code, f.ref, f.message) for f in findings] == [
        (FindingCode.COMMITMENT_UNCOVERED, "1.2", "Commitment 1.2 is served by no action.")
    ]


def test_it_reports_the_commitments_of_a_theme_without_actions(strategy, theme, lead):
    clean_action(theme, lead)
    make_theme(strategy, number=2, commitments=1)

    assert codes(strategy) == [(FindingCode.COMMITMENT_UNCOVERED, "2.1")]


def test_it_reports_an_invalid_citation_once_per_theme_area_and_number(strategy, lead):
    theme = make_theme(strategy, number=5, commitments=6)
    other = make_theme(strategy, number=6, commitments=6)
    cite = {
        (theme, "SUSEG"): [[1, 7], [7], [7, 8]],
        (theme, "SUEMU"): [[7]],
        (other, "SUSEG"): [[7]],
    }
    for (in_theme, area), citations in cite.items():
        for cited in citations:
            action = clean_action(in_theme, lead, area=area)
            action.cited_commitments = cited
            action.save()

    findings = [
        f
        for f in run_checks(strategy, BEFORE_MARCH_ENDS)
        if f.code == FindingCode.COMMITMENT_REF_INVALID
    ]

    assert [(f.ref, f.message) for f in findings] == [
        ("5", 'Area "SUSEG" of theme 5 cites commitment 7, which theme 5 does not have.'),
        ("5", 'Area "SUSEG" of theme 5 cites commitment 8, which theme 5 does not have.'),
        ("5", 'Area "SUEMU" of theme 5 cites commitment 7, which theme 5 does not have.'),
        ("6", 'Area "SUSEG" of theme 6 cites commitment 7, which theme 6 does not have.'),
    ]


def test_it_names_the_action_when_an_invalid_citation_has_no_area(strategy, theme, lead):
    action = clean_action(theme, lead)
    action.cited_commitments = [1, 9]
    action.area = None
    action.save()

    messages = [f.message for f in run_checks(strategy, BEFORE_MARCH_ENDS)]

    assert messages == [
        "Action 1.1 has no area.",
        "Action 1.1 cites commitment 9, which theme 1 does not have.",
    ]


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [
        (datetime.date(2017, 3, 1), False),
        (datetime.date(2017, 3, 31), False),
        (datetime.date(2017, 4, 1), True),
    ],
)
def test_it_reports_an_open_action_only_after_the_last_day_of_its_target(
    strategy, theme, lead, as_of, overdue
):
    clean_action(theme, lead, target=MARCH)

    assert codes(strategy, as_of) == ([(FindingCode.OVERDUE, "1.1")] if overdue else [])


def test_it_says_when_an_overdue_action_was_due(strategy, theme, lead):
    clean_action(theme, lead, target=MARCH)

    [finding] = run_checks(strategy, datetime.date(2017, 7, 1))

    assert finding.kind == FindingKind.DELIVERY
    assert finding.message == "Action 1.1 was due by Mar 2017 and is not complete."


def test_it_does_not_report_complete_or_undated_actions_as_overdue(strategy, theme, lead):
    clean_action(theme, lead, status=ActionStatus.COMPLETE)
    clean_action(theme, lead, target=None)

    assert codes(strategy, datetime.date(2018, 1, 1)) == []


def test_it_marks_overdue_slipped_and_not_updated_as_delivery_findings():
    delivery = {"OVERDUE", "SLIPPED", "NOT_UPDATED"}
    assert {code: code.kind for code in FindingCode} == {
        code: FindingKind.DELIVERY if code in delivery else FindingKind.DATA for code in FindingCode
    }


@pytest.mark.parametrize("code", list(FindingCode))
def test_every_code_has_a_plain_title_of_its_own(code):
    # Without a label written for it, Django would make one of the code: "Rag Not In Key".
    if "_" in code.name:
        assert code.label != code.name.replace("_", " ").title()
    assert "_" not in code.label and code.label != code.label.upper()
    assert code.label[0].isupper() and not code.label.endswith(".")
    assert [c.label for c in FindingCode].count(code.label) == 1


def test_it_lists_findings_in_plan_order(strategy, lead):
    second = make_theme(strategy, number=2, commitments=1)
    first = make_theme(strategy, number=1, commitments=2)
    for _ in range(10):
        make_action(second, rating="Green", area="SUSEG", leads=[lead])
    make_action(first, rating="", area="SUSEG", leads=[lead])

    findings = [(f.code, f.ref) for f in run_checks(strategy, BEFORE_MARCH_ENDS)]

    assert findings[:4] == [
        (FindingCode.COMMITMENT_UNCOVERED, "1.1"),
        (FindingCode.COMMITMENT_UNCOVERED, "1.2"),
        (FindingCode.RAG_MISSING, "1.1"),
        (FindingCode.ACTION_UNLINKED, "1.1"),
    ]
    assert findings[4] == (FindingCode.COMMITMENT_UNCOVERED, "2.1")
    assert [ref for _, ref in findings[5:]] == [f"2.{n}" for n in range(1, 11)]


def test_it_checks_only_the_strategy_it_is_given(strategy, theme, lead):
    clean_action(theme, lead)
    other = make_strategy(slug="other")
    make_action(make_theme(other, number=1))

    assert run_checks(strategy, BEFORE_MARCH_ENDS) == []
    assert run_checks(other, BEFORE_MARCH_ENDS) != []


def test_it_writes_every_message_as_a_sentence():
    plan = make_large_plan(slug="sentences", actions=120)

    for finding in run_checks(plan, datetime.date(2019, 1, 1)):
        assert finding.message[0].isupper() and finding.message.endswith(".")
        assert finding.ref in finding.message or f"theme {finding.ref}" in finding.message


def test_it_summarises_the_codes_present_in_code_order():
    findings = [
        Finding.of(FindingCode.OVERDUE, "1.1", "Late."),
        Finding.of(FindingCode.RAG_MISSING, "1.2", "Unrated."),
        Finding.of(FindingCode.OVERDUE, "1.3", "Late."),
    ]

    summary = summarise(findings)

    assert summary == {FindingCode.RAG_MISSING: 1, FindingCode.OVERDUE: 2}
    assert list(summary) == [FindingCode.RAG_MISSING, FindingCode.OVERDUE]
    assert summarise([]) == {}


def test_it_reports_as_plain_data(strategy, theme, lead):
    clean_action(theme, lead, rating="", target=MARCH)

    report = check_report(strategy, datetime.date(2017, 4, 1))

    assert report == {
        "strategy": "plan",
        "as_of": "2017-04-01",
        "summary": {"RAG_MISSING": 1, "OVERDUE": 1},
        "findings": [
            {
                "code": "RAG_MISSING",
                "kind": "data",
                "ref": "1.1",
                "message": "Action 1.1 has no RAG rating.",
            },
            {
                "code": "OVERDUE",
                "kind": "delivery",
                "ref": "1.1",
                "message": "Action 1.1 was due by Mar 2017 and is not complete.",
            },
        ],
    }
    assert all(type(value) is str for f in report["findings"] for value in f.values())


def test_it_reads_a_plan_ten_times_larger_in_the_same_number_of_queries(
    django_assert_num_queries,
):
    make_large_plan(slug="small", actions=49)
    make_large_plan(slug="large", actions=490)
    as_of = datetime.date(2018, 1, 1)

    for slug in ("small", "large"):
        strategy = Strategy.objects.get(slug=slug)
        with django_assert_num_queries(5):
            findings = run_checks(strategy, as_of)
        assert findings


def test_it_does_not_count_an_area_of_another_theme_as_the_same_area(strategy, lead):
    # Areas are shared by themes; an invalid number is judged against each theme.
    one = make_theme(strategy, number=1, commitments=8)
    two = make_theme(strategy, number=2, commitments=6)
    area = Area.objects.create(strategy=strategy, name="SUSEG")
    for theme in (one, two):
        action = clean_action(theme, lead, area=area)
        action.cited_commitments = [8]
        action.save()

    assert codes(strategy) == [(FindingCode.COMMITMENT_REF_INVALID, "2")]
