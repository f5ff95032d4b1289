"""The meaning of a column told from its values: properties that hold for any values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planboard.imports.column_values import (
    MIXED,
    RATING,
    SENTENCE,
    STATE,
    STATES,
    cell_kind,
    column_verdict,
    rating_words,
    settle,
)
from planboard.imports.table_header import find_header
from planboard.imports.table_rows import read_rows
from planboard.imports.tables import RawRow, RawTable
from planboard.plans.models import ActionStatus, RagLevel

RATINGS = rating_words()
RATING_WORDS = ["Green", "Amber", "Red", "Blue", "G", "A", "R", "B"]
STATE_WORDS = sorted({word for words in STATES.values() for word in words})


def any_case(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(
            c.upper() if u else c.lower() for c, u in zip(word, upper, strict=True)
        )
    )


def padded(value):
    return st.tuples(st.sampled_from(["", " ", "  "]), st.sampled_from(["", " ", "."])).map(
        lambda edges: edges[0] + value + edges[1]
    )


RATING_VALUE = st.sampled_from(RATING_WORDS).flatmap(any_case).flatmap(padded)
STATE_VALUE = st.sampled_from(STATE_WORDS).flatmap(any_case)
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
SENTENCE_VALUE = st.lists(WORD, min_size=4, max_size=30).map(" ".join)


@given(st.lists(RATING_VALUE, min_size=1, max_size=30), st.sampled_from(["RAG", "Status", "X"]))
def test_any_mix_of_rating_words_in_any_case_is_a_rating_column(values, header):
    kind = {"RAG": "rag", "Status": "status", "X": None}[header]
    if kind is None:
        values = values + ["Green"]  # a column named by nothing needs a full rating word
    field, reason = column_verdict(kind, values, RATINGS)

    assert field == "rag", (values, reason)
    assert reason.endswith("are rating words")


@given(st.lists(STATE_VALUE, min_size=1, max_size=30))
def test_any_mix_of_state_words_is_a_status_column(values):
    assert column_verdict("rag", values, RATINGS)[0] == "status"


@given(st.lists(SENTENCE_VALUE, min_size=1, max_size=20), st.sampled_from(["rag", "status"]))
def test_any_column_of_sentences_is_commentary(values, kind):
    field, reason = column_verdict(kind, values, RATINGS)

    assert field == "progress"
    assert reason == f"{len(values)} of {len(values)} values are sentences"


@given(
    st.lists(st.one_of(RATING_VALUE, STATE_VALUE, SENTENCE_VALUE), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_a_columns_meaning_and_each_values_meaning_do_not_depend_on_the_order(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)

    assert column_verdict("rag", shuffled, RATINGS) == column_verdict("rag", values, RATINGS)
    kinds = {value: cell_kind(value, RATINGS) for value in values}
    assert {value: cell_kind(value, RATINGS) for value in shuffled} == kinds


@given(st.lists(RATING_VALUE, min_size=1), st.lists(STATE_VALUE, min_size=1))
def test_ratings_and_states_together_are_read_cell_by_cell(ratings, states):
    field, reason = column_verdict("rag", ratings + states, RATINGS)

    assert field == MIXED
    assert "read cell by cell" in reason


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Not started", STATE),
        ("G", RATING),
        ("Complete", STATE),
        ("In progress", STATE),
        ("completed.", STATE),
        ("On hold", STATE),
        ("Amber", RATING),
        ("Meetings booked with each directorate for June", SENTENCE),
        ("Purple", "word"),
        ("", None),
    ],
)
def test_each_value_is_a_rating_a_state_a_sentence_or_a_word(value, kind):
    assert cell_kind(value, RATINGS) == kind


def test_the_scales_aliases_are_rating_words():
    amber = RagLevel(label="Amber", aliases=["Yellow", "At risk of delay"])

    words = rating_words([amber])

    assert {"yellow", "at risk of delay", "y", "amber"} <= words
    assert cell_kind("YELLOW", words) == RATING


def test_states_mean_their_status():
    assert STATES[ActionStatus.COMPLETE][:3] == ("complete", "completed", "done")


def test_a_second_column_given_the_same_field_by_its_values_is_read_cell_by_cell():
    rows = [("Action", "RAG", "Position")] + [(f"Do {n}", "Green", "Red") for n in range(3)]
    table = RawTable(
        source="t.csv",
        sheet="",
        rows=tuple(RawRow(number, cells) for number, cells in enumerate(rows, start=1)),
    )

    header = settle(table, find_header(table), {}, RATINGS)

    assert header.columns() == {"Action": "text", "RAG": "rag", "Position": "mixed"}
    assert "Position" not in header.reasons[1]
    assert '"RAG" holds the rag rating' in header.reasons[2]


def table_of(rows) -> RawTable:
    return RawTable(
        source="t.csv",
        sheet="",
        rows=tuple(RawRow(number, tuple(cells)) for number, cells in enumerate(rows, start=1)),
    )


@given(
    st.lists(st.one_of(RATING_VALUE, STATE_VALUE, SENTENCE_VALUE), min_size=2, max_size=20),
    st.randoms(use_true_random=False),
)
def test_each_rows_rating_status_and_progress_do_not_depend_on_the_order_of_rows(values, random):
    rows = [(f"Action {n}", value) for n, value in enumerate(values)]
    shuffled = list(rows)
    random.shuffle(shuffled)

    def read(rows):
        table = table_of([("Action", "Status"), *rows])
        header = settle(table, find_header(table), {}, RATINGS)
        found = read_rows(table, header, ratings=RATINGS).actions
        return {a.text: (a.rag_text, a.status, a.progress) for a in found}

    assert read(shuffled) == read(rows)
    for text, value in rows:
        rating, status, progress = read(rows)[text]
        kind = cell_kind(value, RATINGS)
        assert (bool(rating), bool(status), bool(progress)) == (
            kind == RATING,
            kind == STATE,
            kind == SENTENCE,
        ), value


@pytest.mark.parametrize(
    "heading", ["Workstream 2: Communication", "PATIENT EXPERIENCE", "Theme 3", "Estates:"]
)
def test_a_heading_alone_on_its_row_is_the_area_of_the_actions_below(heading):
    rows = [
        ("Action", "Lead", "Due"),
        ("First", "EM", "Mar 2027"),
        ("", heading, ""),
        ("Second", "EM", "Mar 2027"),
        ("Third", "", ""),
    ]
    rows = [(c[0], c[1], c[2]) if c[0] else (heading, "", "") for c in rows]
    table = table_of(rows)
    header = settle(table, find_header(table), {}, RATINGS)

    read = read_rows(table, header, ratings=RATINGS)

    assert [(a.text, a.area) for a in read.actions] == [
        ("First", ""),
        ("Second", heading.rstrip(":")),
        ("Third", heading.rstrip(":")),
    ]
    assert read.header.has("area") and read.skipped[0]["row"] == 3


def test_a_lone_action_without_a_heading_shape_is_still_an_action():
    table = table_of([("Action", "Lead"), ("First", "EM"), ("Write the leaflet", "")])
    header = settle(table, find_header(table), {}, RATINGS)

    assert [a.text for a in read_rows(table, header, ratings=RATINGS).actions] == [
        "First",
        "Write the leaflet",
    ]


def test_beside_a_ref_column_a_row_without_a_ref_heads_the_rows_unless_it_is_a_sentence():
    table = table_of(
        [
            ("Ref", "Action", "Lead"),
            ("1", "First", "EM"),
            ("", "Communication", ""),
            ("2", "Second", "EM"),
            ("", "Run a listening event in each directorate.", ""),
        ]
    )
    header = settle(table, find_header(table), {}, RATINGS)

    read = read_rows(table, header, ratings=RATINGS)

    assert [(a.text, a.area) for a in read.actions] == [
        ("First", ""),
        ("Second", "Communication"),
        ("Run a listening event in each directorate.", "Communication"),
    ]
