"""Status tags: each status's colour lives with its choices, and a tag shows its words too."""

import pytest
from django.template import engines

from planboard.papers.models import GenerationStatus
from planboard.plans.models import TagColour
from planboard.progress.models import PeriodStatus, UpdateStatus
from planboard.web.cycle import MyUpdateStatus
from planboard.web.display import update_status_words

COLOURS = {
    PeriodStatus: {"planned": "blue", "open": "green", "closed": "grey"},
    UpdateStatus: {"submitted": "blue", "returned": "orange", "accepted": "green"},
    GenerationStatus: {"queued": "grey", "running": "blue", "done": "green", "failed": "red"},
    MyUpdateStatus: {
        "no-update": "grey",
        "submitted": "blue",
        "returned": "orange",
        "accepted": "green",
        "complete": "white",
    },
}


@pytest.mark.parametrize("choices", COLOURS, ids=lambda choices: choices.__name__)
def test_every_status_has_its_colour(choices):
    assert {status.value: status.colour for status in choices} == COLOURS[choices]


@pytest.mark.parametrize("choices", COLOURS, ids=lambda choices: choices.__name__)
def test_every_colour_is_an_nhs_tag_colour(choices):
    assert {status.colour for status in choices} <= set(TagColour.values)


def test_my_actions_speaks_to_the_lead_and_keeps_the_updates_own_colours():
    assert MyUpdateStatus.RETURNED.label == "Returned to you"
    assert MyUpdateStatus.SUBMITTED.label == UpdateStatus.SUBMITTED.label
    for status in UpdateStatus:
        assert MyUpdateStatus(status.value).colour == status.colour


def test_a_status_tag_shows_the_label_in_the_statuss_colour():
    template = engines["jinja2"].from_string(
        '{% from "web/macros.html" import status_tag %}{{ status_tag(status) }}'
    )
    assert template.render({"status": GenerationStatus.FAILED}) == (
        '<strong class="nhsuk-tag nhsuk-tag--red">Failed</strong>'
    )
    assert template.render({"status": MyUpdateStatus.COMPLETE}) == (
        '<strong class="nhsuk-tag nhsuk-tag--white">Complete: none due</strong>'
    )


def test_a_kept_update_status_reads_as_words_or_as_kept():
    assert update_status_words("returned") == "Returned to the lead"
    assert update_status_words("withdrawn") == "withdrawn"
