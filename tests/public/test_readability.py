"""How easy a public summary is to read (Flesch reading ease, textstat pinned in pyproject)."""

import pytest

from planboard.public.readability import PLAIN_ENGLISH, Readability, _words, readability

SHORT = "We meet every month."
PLAIN = "We will work with local groups to improve the information we give to carers."
JARGON = (
    "Operationalisation of multidisciplinary transformational organisational capability "
    "necessitates comprehensive interdepartmental stakeholder consultation regarding "
    "infrastructural sustainability considerations."
)
PLAN_WORDING = (
    "Review the current structure and function of SUSEG meetings to ensure effective "
    "representation of service users from all directorates and localities."
)


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n", None, "---", "1.2.3", "£5,000"])
def test_there_is_no_score_without_text(text):
    assert readability(text) is None


def test_a_short_plain_sentence_is_easy_to_read():
    result = readability(SHORT)

    assert result.score >= PLAIN_ENGLISH
    assert not result.is_hard
    assert result.words in {"Easy to read", "Plain English"}


def test_a_plain_english_sentence_is_not_hard():
    result = readability(PLAIN)

    assert PLAIN_ENGLISH <= result.score < 80
    assert (result.words, result.is_hard) == ("Plain English", False)


@pytest.mark.parametrize("text", [JARGON, PLAN_WORDING], ids=["jargon", "plan wording"])
def test_a_long_sentence_of_jargon_is_hard(text):
    result = readability(text)

    assert result.score < PLAIN_ENGLISH
    assert result.is_hard
    assert result.words == "Very hard to read"


def test_the_plain_english_summary_scores_better_than_the_plan_wording():
    assert readability(PLAIN).score > readability(PLAN_WORDING).score


@pytest.mark.parametrize(
    "text",
    [SHORT, "Go.", "I am.", JARGON, "Incomprehensibilities.", "Interdepartmentalisation."],
)
def test_scores_are_clamped_to_0_to_100(text):
    """Textstat gives 121 for "Go." and below -400 for one long word: both are clamped."""
    assert 0.0 <= readability(text).score <= 100.0


def test_the_extremes_are_exactly_0_and_100():
    assert readability("Go.").score == 100.0
    assert readability(JARGON).score == 0.0


def test_the_score_is_rounded_to_one_decimal_place():
    score = readability(PLAIN).score

    assert score == round(score, 1)


def test_surrounding_space_does_not_change_the_score():
    assert readability(f"  {PLAIN}\n") == readability(PLAIN)


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (100.0, "Easy to read"),
        (80.0, "Easy to read"),
        (79.9, "Plain English"),
        (60.0, "Plain English"),
        (59.9, "Fairly hard to read"),
        (50.0, "Fairly hard to read"),
        (49.9, "Hard to read"),
        (30.0, "Hard to read"),
        (29.9, "Very hard to read"),
        (0.0, "Very hard to read"),
    ],
)
def test_the_words_for_each_band(score, words):
    assert _words(score) == words


@pytest.mark.parametrize(
    ("score", "hard"), [(100.0, False), (60.0, False), (59.9, True), (0.0, True)]
)
def test_below_plain_english_is_hard(score, hard):
    assert Readability(score=score, words=_words(score)).is_hard is hard


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "We will ask service users to help us check the quality of the care we provide.",
            "Easy to read",
        ),
        (PLAIN, "Plain English"),
        (
            "We will develop better information for carers about the support available to them.",
            "Fairly hard to read",
        ),
        (
            "We will review the structure of the engagement group so that every directorate "
            "is represented.",
            "Hard to read",
        ),
        (PLAN_WORDING, "Very hard to read"),
    ],
    ids=["easy", "plain", "fairly hard", "hard", "very hard"],
)
def test_real_sentences_fall_in_each_band(text, words):
    result = readability(text)

    assert result.words == words
    assert result.words == _words(result.score)
    assert result.is_hard is (result.score < PLAIN_ENGLISH)


def test_plain_english_starts_at_60():
    assert PLAIN_ENGLISH == 60


def test_a_readability_is_a_frozen_value():
    result = readability(SHORT)

    with pytest.raises(AttributeError):
        result.score = 1.0  # type: ignore[misc]
    assert result == readability(SHORT)
