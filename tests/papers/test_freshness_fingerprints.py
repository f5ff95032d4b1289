"""What a paper file was made from: the fingerprints of its paper, told apart by the
cover sheet's parts and the rest, for any paper and any change to it."""

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from planboard.papers.formats.docx_check import sample_paper
from planboard.papers.freshness import CHANGED, COVER_PARTS, made_from, what_changed
from planboard.papers.paper import Field, Paper, Tick


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


def test_the_cover_parts_are_parts_of_the_paper():
    assert set(COVER_PARTS) <= {field.name for field in dataclasses.fields(Paper)}


def test_the_same_paper_has_the_same_fingerprints_every_time():
    rebuilt = _replaced(PAPER, (), dataclasses.replace(PAPER))
    assert made_from(rebuilt) == made_from(PAPER)
    assert len(made_from(PAPER).cover) == len(made_from(PAPER).data) == 64


@given(st.sampled_from(LEAVES))
def test_any_change_to_the_paper_changes_the_fingerprint_of_its_part_only(path):
    before = made_from(PAPER)
    after = made_from(_replaced(PAPER, path, _different(_at(PAPER, path))))
    on_cover = path[0] in COVER_PARTS
    assert (after.cover != before.cover, after.data != before.data) == (on_cover, not on_cover)


def test_the_sentence_names_what_changed():
    class File:
        made_from_cover, made_from_data = "c", "d"

    now = made_from(PAPER)
    assert what_changed(File, dataclasses.replace(now, cover="c", data="d")) == ""
    assert what_changed(File, dataclasses.replace(now, data="d")) == CHANGED[True, False]
    assert "cover sheet" in CHANGED[True, False]
    assert what_changed(File, dataclasses.replace(now, cover="c")) == CHANGED[False, True]
    assert "plan or the period's updates" in CHANGED[False, True]
    assert what_changed(File, now) == CHANGED[True, True]
