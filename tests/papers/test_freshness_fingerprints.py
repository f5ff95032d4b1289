"""What a paper file was made from: the fingerprints of its paper and of its cover
sheet, the same for the same paper and changed by any change to either."""

import dataclasses
import datetime

from hypothesis import given
from hypothesis import strategies as st

from planboard.papers.covers import EDITABLE
from planboard.papers.formats.docx_check import sample_paper
from planboard.papers.freshness import (
    COVER_CHANGED,
    DATA_CHANGED,
    Freshness,
    freshness,
    made_from,
    what_changed,
)
from planboard.papers.models import CoverSheet
from planboard.papers.paper import Field, Tick


def _leaves(value, path=()):
    """The paths to every text, number, flag and date inside ``value``."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _leaves(getattr(value, field.name), (*path, field.name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(value)
        items[head] = _replaced(items[head], rest, new)
        return tuple(items)
    return dataclasses.replace(value, **{head: _replaced(getattr(value, head), rest, new)})


def _at(value, path):
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value


def _different(old):
    if old is None:
        return "(changed)"
    if isinstance(old, bool):
        return not old
    if isinstance(old, int | float):
        return old + 1
    if isinstance(old, str):
        return old + " (changed)"
    return old + (old - old).__class__(days=1)  # a date


PAPER = dataclasses.replace(
    sample_paper(),
    cover=(Field("meeting", "Meeting", "Board of Directors (Open)"),),
    framework_ticks=(Tick("HSE", False),),
    summary=(Field("report_to", "Report to", "Quality Committee"),),
    purpose_ticks=(Tick("For information", True),),
)
LEAVES = list(_leaves(PAPER))
SHEET = CoverSheet(
    meeting="Board of Directors (Open)",
    meeting_date=datetime.date(2017, 3, 8),
    framework_ticks=[{"label": "HSE", "ticked": False}],
    purpose_ticks=[{"label": "For information", "ticked": True}],
    version=3,
)


def test_the_same_paper_and_sheet_have_the_same_fingerprints_every_time():
    rebuilt = _replaced(PAPER, (), dataclasses.replace(PAPER))
    again = CoverSheet(**{name: getattr(SHEET, name) for name in EDITABLE}, version=4)
    assert made_from(rebuilt, again) == made_from(PAPER, SHEET)  # the version is not printed
    assert len(made_from(PAPER, SHEET).paper) == len(made_from(PAPER, SHEET).cover) == 64


@given(st.sampled_from(LEAVES))
def test_any_change_to_what_the_paper_prints_changes_its_fingerprint(path):
    before = made_from(PAPER, SHEET)
    after = made_from(_replaced(PAPER, path, _different(_at(PAPER, path))), SHEET)
    assert after.paper != before.paper
    assert after.cover == before.cover


@given(st.sampled_from(EDITABLE), st.text(min_size=1, max_size=20))
def test_any_change_to_a_cover_sheet_field_changes_the_sheets_fingerprint(name, text):
    changed = CoverSheet(**{n: getattr(SHEET, n) for n in EDITABLE})
    old = getattr(SHEET, name)
    if isinstance(old, list):
        new = [*old, {"label": text, "ticked": True}]
    elif isinstance(old, bool):
        new = not old
    elif CoverSheet._meta.get_field(name).get_internal_type() == "DateField":
        new = (old or datetime.date(2017, 1, 1)) + datetime.timedelta(days=len(text))
    else:
        new = old + text
    setattr(changed, name, new)
    assert made_from(PAPER, changed).cover != made_from(PAPER, SHEET).cover


class File:
    """A file made, as the page sees it."""

    is_ready = True

    def __init__(self, made):
        self.made_from_paper, self.made_from_cover = made.paper, made.cover


def test_a_file_is_ready_while_its_paper_prints_the_same_and_says_what_changed_once_not():
    now = made_from(PAPER, SHEET)
    same = File(now)
    assert (freshness(same, now), what_changed(same, now)) == (Freshness.READY, "")
    # A cover sheet edit the paper does not print leaves the file as it is.
    assert freshness(File(dataclasses.replace(now, cover="c")), now) == Freshness.READY

    cover = File(dataclasses.replace(now, paper="p", cover="c"))
    assert freshness(cover, now) == Freshness.OUT_OF_DATE
    assert what_changed(cover, now) == COVER_CHANGED
    data = File(dataclasses.replace(now, paper="p"))
    assert freshness(data, now) == Freshness.OUT_OF_DATE
    assert what_changed(data, now) == DATA_CHANGED
    assert "plan or the period's updates" in DATA_CHANGED

    unknown = File(now)
    unknown.made_from_paper = unknown.made_from_cover = ""
    assert freshness(unknown, now) is None
    waiting = File(now)
    waiting.is_ready = False
    assert freshness(waiting, now) is None
