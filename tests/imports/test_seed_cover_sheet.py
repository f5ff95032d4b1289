"""The seed paper's cover sheet, summary report and governance committees."""

import datetime

import pytest

from planboard.papers.models import CoverSheet
from planboard.plans.models import Committee

pytestmark = pytest.mark.django_db


def test_it_reads_the_cover_sheet(seed_strategy):
    cover = CoverSheet.objects.get(strategy=seed_strategy)
    assert cover.meeting == "Board of Directors"
    assert cover.meeting_date == datetime.date(2017, 3, 8)
    assert cover.reference == "BoD: 08.03.17"
    assert cover.item == "5"
    assert cover.title == "Service User Engagement Strategy Implementation Plan"
    assert cover.presented_by == "Mike Hunter, Medical Director"
    assert cover.action_required.splitlines() == [
        "The Board of Directors is asked to:",
        "Receive this report;",
        "Acknowledge that the implementation plan will continue to evolve as more work is "
        "undertaken;",
        "Note that the Quality Assurance Committee will receive regular progress updates.",
    ]
    assert cover.timetable.startswith("To be discussed at February's Quality Assurance")
    assert cover.links_to_reports.startswith("NICE Quality Standard")
    assert cover.baf_objectives.splitlines()[1:] == [
        "1.4 CQC Compliance",
        "4.3 Governance framework may not be robust",
    ]
    assert cover.frameworks.startswith("NHS Improvement' Single Oversight Framework")
    assert [tick["label"] for tick in cover.framework_ticks] == [
        "HSE",
        "MH Act",
        "Equality",
        "BME",
        "Disability Legislation",
        "NHS Constitution: Staff Rights",
        "Patients' Rights",
        "Public's Rights",
        "Principles",
        "Values",
    ]
    assert not any(tick["ticked"] for tick in cover.framework_ticks)
    assert cover.implications.startswith("Inadequate quality and safety standards")
    assert cover.legal_issues.startswith("Poor service user experience")
    assert (cover.author, cover.designation) == ("Tania Baxter", "Head of Clinical Governance")
    assert cover.report_date == datetime.date(2017, 2, 13)


def test_it_reads_the_summary_report(seed_strategy):
    cover = CoverSheet.objects.get(strategy=seed_strategy)
    assert cover.report_to == "Quality Assurance Committee"
    assert cover.summary_date == datetime.date(2017, 2, 27)
    assert cover.subject == "Service User Engagement Strategy Implementation Plan"
    assert cover.sponsor == "Mike Hunter, Medical Director"
    assert cover.summary_author == "Tania Baxter, Head of Clinical Governance"
    assert cover.purpose_ticks == [
        {"label": "For Approval", "ticked": False},
        {"label": "For collective decision", "ticked": False},
        {"label": "To report progress", "ticked": True},
        {"label": "To seek input from", "ticked": False},
        {"label": "For information", "ticked": True},
    ]
    assert cover.purpose.startswith("To provide the Quality Assurance Committee")
    assert cover.summary.startswith("The Service User Engagement Strategy 2016-2021 was approved")
    assert cover.next_steps.splitlines()[0].startswith("- SUSEG will oversee")
    assert len(cover.next_steps.splitlines()) == 2
    assert "Receive this report;" in cover.required_actions
    assert cover.monitoring == (
        "Quarterly assurance reports will be provided to EDG and the Quality Assurance Committee."
    )
    assert "jane.lyon@shsc.nhs.uk" in cover.contacts


def test_it_finds_the_governance_committees(seed_strategy):
    committees = [
        (c.name, c.abbreviation) for c in Committee.objects.filter(strategy=seed_strategy)
    ]
    assert committees == [
        ("Service User Engagement Group", "SUSEG"),
        ("Executive Directors Group", "EDG"),
        ("Quality Assurance Committee", ""),
        ("Board of Directors", "BoD"),
    ]
