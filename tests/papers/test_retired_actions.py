"""A retired action leaves the paper of the plan as it stands and the snapshots taken
after, but stays in the paper of a period closed before, read from its snapshot."""

import io
from io import BytesIO

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.plans.action_changes import retire_action
from planboard.plans.models import Action
from planboard.progress.models import ActionSnapshot
from planboard.progress.services import close_period, open_period
from tests.papers.test_docx import plan_rows as word_rows
from tests.papers.test_xlsx import plan_rows as sheet_rows
from tests.papers.test_xlsx import theme_sheets


def _retire(strategy, gail, ref="1.2"):
    theme, number = (int(part) for part in ref.split("."))
    action = Action.objects.get(theme__strategy=strategy, theme__number=theme, number=number)
    return retire_action(action, reason="Merged into 1.1.", version=action.version, user=gail)


def _pdf_text(paper) -> str:
    reader = PdfReader(io.BytesIO(render(paper, "pdf", chart=False, own_process=False)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _words(text, count=6):
    return " ".join(text.split()[:count])


def test_the_live_paper_leaves_a_retired_action_out_and_the_closed_one_keeps_it(
    seed_strategy, closed_q3, gail
):
    retired = _retire(seed_strategy, gail)
    live = build_paper(seed_strategy)
    closed = build_paper(seed_strategy, closed_q3)

    assert "1.2" not in [row.ref for row in live.rows] and len(live.rows) == 48
    assert "1.2" in [row.ref for row in closed.rows] and len(closed.rows) == 49

    assert "1.2" not in word_rows(Document(BytesIO(render(live, "docx"))))
    assert "1.2" in word_rows(Document(BytesIO(render(closed, "docx"))))

    def sheet_refs(paper):
        book = load_workbook(BytesIO(render(paper, "xlsx")))
        return [row["Ref"] for sheet in theme_sheets(book) for row in sheet_rows(sheet)]

    assert "1.2" not in sheet_refs(live) and "1.1" in sheet_refs(live)
    assert "1.2" in sheet_refs(closed)

    words = _words(retired.text)
    assert words in _pdf_text(closed)
    assert words not in _pdf_text(live)

    assert retired.history.filter(history_change_reason="Action retired: Merged into 1.1.")
    assert ActionSnapshot.objects.filter(action=retired, period=closed_q3).exists()


def test_a_period_closed_after_retiring_takes_no_snapshot_of_the_action(
    seed_strategy, closed_q3, gail
):
    retired = _retire(seed_strategy, gail)

    q4 = close_period(open_period(seed_strategy, "2016/17 Q4", user=gail), user=gail)

    assert not ActionSnapshot.objects.filter(action=retired, period=q4).exists()
    assert ActionSnapshot.objects.filter(period=q4).count() == 48
    assert ActionSnapshot.objects.filter(action=retired, period=closed_q3).exists()
