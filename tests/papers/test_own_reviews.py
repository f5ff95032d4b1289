"""The paper's appendix names the updates accepted by the person who gave them, when the
strategy allows its small governance team to, in every format that has the appendix."""

import io
from types import SimpleNamespace

import pytest
from docx import Document
from pypdf import PdfReader

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.docx_check import check_template
from planboard.plans.models import Strategy
from planboard.progress.services import accept_update, close_period, return_update, submit_update
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.progress.cycle import lead, open_quarter

pytestmark = pytest.mark.django_db

HEADING = "Updates accepted without a second reviewer"
TWO = (
    "In 2016/17 Q4, 2 updates were accepted by the person who gave them, or on whose behalf "
    "they were given, rather than by a second member of the governance team: actions 1.1 and "
    "1.3. The strategy allowed this for a small governance team."
)
ONE = (
    "In 2016/17 Q4, 1 update was accepted by the person who gave it, or on whose behalf it "
    "was given, rather than by a second member of the governance team: action 1.1. The "
    "strategy allowed this for a small governance team."
)


def allow_own_review(strategy, allowed=True):
    Strategy.objects.filter(pk=strategy.pk).update(allow_own_review=allowed)
    strategy.refresh_from_db()


def give(action, user, narrative="Progress this quarter."):
    return submit_update(action, user=user, narrative=narrative)


def decide(update, user, decision="accept"):
    if decision == "accept":
        return accept_update(update, user=user, expected_version=update.version)
    return return_update(update, user=user, comment="More.", expected_version=update.version)


@pytest.fixture
def team(cast):
    """A small team's strategy: Gail governs alone; Mia leads 1.1 to 1.3 (EM); Q4 open."""
    strategy = make_strategy(slug="small", title="Small team strategy")
    theme = make_theme(strategy, title="Culture")
    em = make_role(strategy, "Engagement Manager", "EM")
    actions = [make_action(theme, f"Action {n}.", leads=[em]) for n in (1, 2, 3)]
    allow_own_review(strategy)
    return SimpleNamespace(
        strategy=strategy,
        actions=actions,
        gail=cast.gail,
        mia=lead(strategy, [em], "mia"),
        period=open_quarter(strategy),
    )


@pytest.fixture
def two_own(team):
    """Gail gave 1.1 and 1.3 on Mia's behalf and accepted them; Mia gave 1.2."""
    first, second, third = team.actions
    decide(give(first, team.gail), team.gail)
    decide(give(second, team.mia), team.gail)
    decide(give(third, team.gail), team.gail)
    return team


def test_the_paper_names_the_updates_accepted_by_the_person_who_gave_them(two_own):
    paper = build_paper(two_own.strategy, two_own.period)

    assert paper.own_reviews == ("1.1", "1.3")
    assert paper.own_review_note == TWO


def test_one_update_is_told_in_the_singular_and_a_returned_one_is_not_counted(team):
    first, second, _ = team.actions
    decide(give(first, team.gail), team.gail)
    decide(give(second, team.gail), team.gail, "return")

    assert build_paper(team.strategy, team.period).own_review_note == ONE


def test_nothing_is_said_when_every_update_had_a_second_reviewer(team):
    decide(give(team.actions[0], team.mia), team.gail)

    paper = build_paper(team.strategy, team.period)

    assert (paper.own_reviews, paper.own_review_note) == ((), "")
    assert build_paper(team.strategy).own_review_note == ""  # the live plan


def test_a_closed_periods_paper_says_the_same_after_the_setting_is_switched_off(two_own):
    period = close_period(two_own.period, user=two_own.gail)
    allow_own_review(two_own.strategy, False)

    assert build_paper(two_own.strategy, period).own_review_note == TWO


def test_the_word_papers_appendix_says_so(two_own):
    document = Document(io.BytesIO(render(build_paper(two_own.strategy, two_own.period), "docx")))

    texts = [p.text for p in document.paragraphs]
    appendix = texts[texts.index("Appendix") :]
    assert appendix[appendix.index(HEADING) + 1] == TWO
    heading = next(p for p in document.paragraphs if p.text == HEADING)
    assert heading.style.name == "Heading 2"


def test_the_word_paper_leaves_it_out_when_there_is_nothing_to_say(team):
    document = Document(io.BytesIO(render(build_paper(team.strategy, team.period), "docx")))

    texts = [p.text for p in document.paragraphs]
    assert HEADING not in texts
    assert not any("second member of the governance team" in text for text in texts)


def test_the_html_papers_appendix_says_so(two_own):
    html = render(build_paper(two_own.strategy, two_own.period), "html").decode()

    appendix = html[html.index('id="paper-appendix"') :]
    assert f'<h3 class="nhsuk-heading-s">{HEADING}</h3>' in appendix
    assert f"<p>{TWO}</p>" in appendix


def test_the_html_paper_leaves_it_out_when_there_is_nothing_to_say(team):
    html = render(build_paper(team.strategy, team.period), "html", chart=False).decode()

    assert HEADING not in html


def test_the_pdf_papers_appendix_says_so(two_own):
    data = render(build_paper(two_own.strategy, two_own.period), "pdf", chart=False)

    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    text = " ".join(pages)
    assert f"{HEADING} {TWO}" in text[text.index("Appendix") :]


def test_a_trusts_template_may_print_the_sentence():
    document = Document()
    document.add_paragraph("{{ own_review_note }}")
    out = io.BytesIO()
    document.save(out)

    check_template(out.getvalue())
