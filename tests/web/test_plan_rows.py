"""What each row of the plan shows beyond the plan itself: whether its action is overdue,
and the start of its latest progress; and the contents list that jumps to each theme."""

import re

from hypothesis import given
from hypothesis import strategies as st

from planboard.plans.models import Action
from planboard.progress.services import accept_update, submit_update
from planboard.web.plan import ELLIPSIS, Shortened, shorten
from tests.web.pages import action_refs

PLAN = "/strategies/demo/"
FIFTY_WORDS = " ".join(f"word{n}," for n in range(1, 51))


def row(response, ref) -> str:
    """The HTML of the action row of ``ref``."""
    anchor = f'id="action-{ref.replace(".", "-")}"'
    start = response.text.index(anchor)
    return response.text[start : response.text.index("</tr>", start)]


def set_progress(ref, text):
    theme, number = ref.split(".")
    Action.objects.filter(theme__number=theme, number=number).update(progress=text)


# --- shortening ---------------------------------------------------------------------


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_shortening_keeps_whole_words_from_the_start(text):
    short = shorten(text)
    words = text.split()
    kept = short.text.removesuffix(ELLIPSIS).split() if short.cut else short.text.split()
    assert len(kept) <= 30
    assert kept[:-1] == words[: len(kept) - 1]
    if kept:
        assert words[len(kept) - 1].startswith(kept[-1])
    assert short.cut == (len(kept) < len(words))
    assert short.text.endswith(ELLIPSIS) == short.cut


def test_shortening_stops_after_thirty_words_or_about_240_characters():
    assert shorten(FIFTY_WORDS).text == " ".join(f"word{n}," for n in range(1, 30)) + (
        f" word30{ELLIPSIS}"
    )
    long_words = " ".join(["abcdefghij" * 3] * 20)
    short = shorten(long_words)
    assert short.cut and len(short.text) <= 241 and len(short.text.split()) == 7
    assert shorten("x" * 500) == Shortened("x" * 500, cut=False)


def test_a_cut_ends_on_a_word_with_its_ellipsis_not_on_a_stray_mark():
    assert shorten("a " * 30 + ", more").text == "a " * 29 + "a" + ELLIPSIS
    assert shorten(" ".join(["one"] * 29 + [";", "two"])).text == "one " * 29 + ";" + ELLIPSIS


def test_a_short_progress_is_kept_whole_on_one_line():
    assert shorten("Done.\n\nSigned off  by the board.").text == "Done. Signed off by the board."
    assert not shorten("").cut and shorten("").text == ""


# --- the rows of the page -----------------------------------------------------------


def test_an_overdue_action_is_marked_by_word_and_an_icon_screen_readers_skip(signed_in, small_plan):
    response = signed_in.get(PLAN)
    for ref in ["1.1", "1.2"]:  # targets in 2017, not complete
        mark = re.search(r'<strong class="pb-overdue">(.*?)</strong>', row(response, ref))
        assert mark, ref
        assert re.fullmatch(r'<svg [^>]*aria-hidden="true"[^>]*>.*</svg>Overdue', mark[1])
    for ref in ["1.3", "2.1"]:  # complete; due in 2099
        assert "Overdue" not in row(response, ref)


def test_the_row_shows_the_start_of_the_latest_progress_with_more_on_the_action_page(
    signed_in, small_plan
):
    set_progress("1.1", FIFTY_WORDS)
    set_progress("1.2", "Mapping\nstarted.")
    response = signed_in.get(PLAN)
    first = row(response, "1.1")
    assert f"word29, word30{ELLIPSIS}" in first
    assert "word31" not in first
    assert (
        '<a href="/strategies/demo/actions/1.1/">more<span class="nhsuk-u-visually-hidden">'
        " progress on action 1.1</span></a>"
    ) in first
    assert "Mapping started." in row(response, "1.2")
    assert ">more<" not in row(response, "1.2")
    assert "No progress reported yet" in row(response, "2.1")
    action_page = signed_in.get("/strategies/demo/actions/1.1/")
    assert "word30, word31," in action_page.text and "word50," in action_page.text


def test_the_progress_shown_is_the_latest_accepted_not_one_waiting_for_review(
    signed_in, small_plan, open_quarter, lead, governor
):
    update = submit_update(small_plan.review, user=lead, narrative="Meetings now monthly.")
    assert "Meetings now monthly." not in signed_in.get(PLAN).text
    accept_update(update, user=governor, expected_version=update.version)
    assert "Meetings now monthly." in row(signed_in.get(PLAN), "1.1")


def test_the_contents_list_jumps_to_each_theme(signed_in, small_plan):
    response = signed_in.get(PLAN)
    contents = re.search(
        r'<nav class="nhsuk-contents-list" id="theme-contents" role="navigation" '
        r'aria-label="Themes of this plan"\s*>(.*?)</nav>',
        response.text,
        re.S,
    )
    assert contents
    links = re.findall(r'href="(#theme-\d+)"\s*>([^<]*)</a>', contents[1])
    assert links == [
        ("#theme-1", "Theme 1: Focussed Culture Change"),
        ("#theme-2", "Theme 2: Communication and Reach"),
    ]
    for target, _ in links:
        assert f'id="{target[1:]}"' in response.text
    assert 'id="theme-1-heading"' in response.text


def test_a_plan_narrowed_to_one_theme_has_no_contents_list(signed_in, small_plan):
    response = signed_in.get(PLAN, {"theme": 2})
    assert action_refs(response) == ["2.1"]
    assert "nhsuk-contents-list" not in response.text


def test_on_a_phone_each_cell_is_labelled_with_its_column(signed_in, small_plan):
    response = signed_in.get(PLAN)
    assert "nhsuk-table--responsive pb-plan-table" in response.text
    first = row(response, "1.1")
    for heading in ["Ref", "Action", "Target date", "Status", "RAG", "Leads", "Latest progress"]:
        assert f'<span class="nhsuk-table__heading" aria-hidden="true">{heading} </span>' in first
