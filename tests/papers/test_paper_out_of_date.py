"""A paper file made before its cover sheet or its period's data changed is shown out of
date and can be made again; "Make all formats" asks for every format at once."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from planboard.papers import formats, generation
from planboard.papers.freshness import COVER_CHANGED, DATA_CHANGED
from planboard.papers.generation import request_every_format, request_paper
from planboard.papers.models import CoverSheet, GeneratedPaper
from planboard.plans.models import Action
from planboard.progress.services import accept_update, submit_update
from tests.bounds import database_fingerprint
from tests.papers.test_paper_files import DATABASE_TASKS, _form_values
from tests.progress.cycle import board_member, open_quarter, reviewer
from tests.worker_process import run_worker

KW = {"slug": "sue", "period": "2016-17-q3"}
PAPER = reverse("paper", kwargs=KW)
GENERATE = reverse("paper_generate", kwargs=KW)
GENERATE_ALL = reverse("paper_generate_all", kwargs=KW)
COVER = reverse("paper_cover", kwargs=KW)
Q4 = {"slug": "sue", "period": "2016-17-q4"}
FORMATS = list(formats.FORMATS)  # html, pdf, docx, xlsx


@pytest.fixture
def as_governance(client, gail):
    client.force_login(gail)
    return client


def _status_cell(page: str, job) -> str:
    """The status cell of the row of ``job``, a file made, on the paper page."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    [row] = [r for r in rows if f'/files/{job.pk}/"' in r]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]


def _tag(cell: str) -> str:
    return re.search(r'<strong class="nhsuk-tag[^"]*">([^<]*)</strong>', cell).group(1)


def test_a_file_is_out_of_date_once_the_cover_sheet_changes_and_ready_once_made_again(
    as_governance, closed_q3
):
    as_governance.post(GENERATE, {"format": "pdf"})
    first = GeneratedPaper.objects.get()
    assert first.made_from_paper and first.made_from_cover
    cell = _status_cell(as_governance.get(PAPER).content.decode(), first)
    assert _tag(cell) == "Ready"
    assert "Make it again" not in cell

    form = dict(_form_values(closed_q3), meeting="Quality Assurance Committee")
    assert as_governance.post(COVER, form).status_code == 302

    page = as_governance.get(PAPER).content.decode()
    cell = _status_cell(page, first)
    assert _tag(cell) == "Out of date"
    assert 'nhsuk-tag--orange">Out of date<' in cell
    assert COVER_CHANGED in unescape(cell)
    assert "Make it again" in cell
    assert 'name="format" value="pdf"' in cell
    # The board may need the very copy it was sent: an out-of-date file still downloads.
    download = as_governance.get(reverse("paper_download", kwargs={"slug": "sue", "pk": first.pk}))
    assert download.status_code == 200
    assert download.content == bytes(first.content)

    response = as_governance.post(GENERATE, {"format": "pdf"}, follow=True)
    again = GeneratedPaper.objects.exclude(pk=first.pk).get()
    assert again.status == "done"
    assert again.made_from_paper != first.made_from_paper
    assert again.made_from_cover != first.made_from_cover
    page = response.content.decode()
    assert _tag(_status_cell(page, again)) == "Ready"
    # The older copy stays listed as it was; only the newest of a format is offered again.
    assert _tag(_status_cell(page, first)) == "Out of date"
    assert "Make it again" not in page


def test_a_file_is_out_of_date_once_an_update_is_accepted_in_its_period(
    as_governance, closed_q3, gail
):
    q4 = open_quarter(closed_q3.strategy)
    paper = reverse("paper", kwargs=Q4)
    as_governance.post(reverse("paper_generate", kwargs=Q4), {"format": "html"})
    job = GeneratedPaper.objects.get()
    assert _tag(_status_cell(as_governance.get(paper).content.decode(), job)) == "Ready"

    action = Action.objects.for_strategy(closed_q3.strategy).get(theme__number=1, number=2)
    update = submit_update(
        action,
        user=gail,
        narrative="Mapped the engagement work.",
        proposed_rag=closed_q3.strategy.rag_levels.get(label="Red"),
    )
    accept_update(update, user=reviewer(), expected_version=update.version)

    cell = _status_cell(as_governance.get(paper).content.decode(), job)
    assert _tag(cell) == "Out of date"
    assert DATA_CHANGED in unescape(cell)
    assert "cover sheet" not in cell

    as_governance.post(reverse("paper_generate", kwargs=Q4), {"format": "html"})
    again = GeneratedPaper.objects.exclude(pk=job.pk).get()
    assert again.made_from_cover == job.made_from_cover
    assert again.made_from_paper != job.made_from_paper
    assert _tag(_status_cell(as_governance.get(paper).content.decode(), again)) == "Ready"
    assert q4.pk == again.period_id


def test_viewing_pages_saving_an_unchanged_cover_or_making_other_files_marks_nothing(
    as_governance, closed_q3
):
    as_governance.post(GENERATE, {"format": "xlsx"})
    job = GeneratedPaper.objects.get()
    for url in (
        PAPER,
        COVER,
        reverse("paper_files_status", kwargs=KW),
        reverse("paper_chart", kwargs=KW),
        reverse("paper_download", kwargs={"slug": "sue", "pk": job.pk}),
        reverse("papers", kwargs={"slug": "sue"}),
        reverse("plan", kwargs={"slug": "sue"}),
        reverse("period", kwargs=KW),
    ):
        assert as_governance.get(url).status_code == 200, url
    # Saved with nothing changed: a new version of the same cover sheet.
    version = CoverSheet.objects.get(period=closed_q3).version
    assert as_governance.post(COVER, _unchanged_form(closed_q3)).status_code == 302
    assert CoverSheet.objects.get(period=closed_q3).version == version + 1
    as_governance.post(GENERATE, {"format": "html"})

    page = as_governance.get(PAPER).content.decode()
    assert _tag(_status_cell(page, job)) == "Ready"
    assert "Out of date" not in page
    assert "Make it again" not in page


def _unchanged_form(period) -> dict:
    """The cover sheet form as it would be posted with nothing changed, tick boxes too."""
    from planboard.papers.covers import cover_for
    from planboard.web.paper_forms import CoverSheetForm

    initial = CoverSheetForm(sheet=cover_for(period.strategy, period)).initial
    ticked = {name: initial[name] for name in ("framework_ticked", "purpose_ticked")}
    assert ticked["purpose_ticked"]  # the seed's paper ticks some: they must stay ticked
    return {**_form_values(period), **ticked}


def test_a_file_that_kept_no_fingerprints_is_shown_ready_as_before(as_governance, closed_q3):
    as_governance.post(GENERATE, {"format": "html"})
    job = GeneratedPaper.objects.get()
    GeneratedPaper.objects.filter(pk=job.pk).update(made_from_paper="", made_from_cover="")
    assert _tag(_status_cell(as_governance.get(PAPER).content.decode(), job)) == "Ready"


def test_the_checksum_is_shown_whole_in_quiet_text(as_governance, closed_q3):
    as_governance.post(GENERATE, {"format": "html"})
    job = GeneratedPaper.objects.get()
    page = as_governance.get(PAPER).content.decode()
    assert re.search(
        rf'<span class="pb-note pb-block">SHA-256 <code class="pb-checksum">{job.checksum}</code>',
        page,
    )
    assert "<th" not in page.split("SHA-256")[0][-200:]  # not a column heading of its own


# --- make all formats --------------------------------------------------------


def test_make_all_formats_makes_the_four_files_at_once(as_governance, closed_q3, gail):
    response = as_governance.post(GENERATE_ALL, follow=True)
    jobs = list(GeneratedPaper.objects.order_by("pk"))
    assert [(j.format, j.status, j.requested_by) for j in jobs] == [
        (name, "done", gail) for name in FORMATS
    ]
    page = response.content.decode()
    assert (
        "sue-2016-17-q3-paper.html, sue-2016-17-q3-paper.pdf, sue-2016-17-q3-paper.docx and "
        "sue-2016-17-q3-paper.xlsx are ready to download."
    ) in page
    assert all(_tag(_status_cell(page, job)) == "Ready" for job in jobs)


def test_make_all_formats_is_a_form_for_governance_only(client, as_governance, closed_q3):
    page = as_governance.get(PAPER).content.decode()
    assert f'<form method="post" action="{GENERATE_ALL}">' in page
    assert "Make all formats" in page

    client.force_login(board_member())
    assert "Make all formats" not in client.get(PAPER).content.decode()
    before = database_fingerprint()
    assert client.post(GENERATE_ALL).status_code == 403
    assert client.get(GENERATE_ALL).status_code == 405
    assert database_fingerprint() == before


@pytest.fixture
def on_the_queue(settings):
    settings.PAPERS_IN_BACKGROUND = True
    settings.TASKS = DATABASE_TASKS


def test_make_all_formats_queues_the_formats_not_being_made_and_a_worker_makes_them(
    on_the_queue, as_governance, closed_q3, monkeypatch
):
    request_paper(closed_q3.strategy, closed_q3, "docx", user=None)
    response = as_governance.post(GENERATE_ALL, follow=True)
    assert "are being made. They will be listed below when ready." in response.content.decode()
    jobs = GeneratedPaper.objects.order_by("pk")
    assert [j.format for j in jobs] == ["docx", "html", "pdf", "xlsx"]
    assert {DBTaskResult.objects.get(id=j.task_id).status for j in jobs} == {"READY"}

    again = as_governance.post(GENERATE_ALL, follow=True).content.decode()
    assert "Every format of this paper is already being made." in again
    assert GeneratedPaper.objects.count() == 4

    run_worker(monkeypatch)
    assert {(j.format, j.status) for j in GeneratedPaper.objects.all()} == {
        (name, "done") for name in FORMATS
    }
    made = {(j.made_from_paper, j.made_from_cover) for j in GeneratedPaper.objects.all()}
    assert len(made) == 1 and all(all(pair) for pair in made)
    page = as_governance.get(PAPER).content.decode()
    assert page.count('nhsuk-tag--green">Ready<') == 4


def test_make_all_formats_asks_for_each_format_in_one_transaction(
    on_the_queue, closed_q3, monkeypatch
):
    class Refused(Exception):
        pass

    def refuse_the_third(strategy, period, name, *, user):
        if name == "xlsx":
            raise Refused
        return request_paper(strategy, period, name, user=user)

    monkeypatch.setattr(generation, "request_paper", refuse_the_third)
    with pytest.raises(Refused):
        request_every_format(closed_q3.strategy, closed_q3, user=None)
    assert not GeneratedPaper.objects.exists()
    assert not DBTaskResult.objects.exists()


# --- what the page costs ----------------------------------------------------------


def test_the_paper_page_costs_the_same_however_many_files_are_out_of_date(
    as_governance, closed_q3, django_assert_max_num_queries, written_once
):
    request_every_format(closed_q3.strategy, closed_q3, user=None)
    with django_assert_max_num_queries(1000) as few:
        assert as_governance.get(PAPER).status_code == 200
    budget = len(few.captured_queries)

    form = dict(_form_values(closed_q3), title="A new title")
    assert as_governance.post(COVER, form).status_code == 302
    for _ in range(3):
        request_every_format(closed_q3.strategy, closed_q3, user=None)
    request_paper(closed_q3.strategy, closed_q3, "pdf", user=None)
    with django_assert_max_num_queries(budget):
        page = as_governance.get(PAPER).content.decode()
    assert page.count(">Out of date<") == 4
    assert page.count(">Ready<") == 13
    assert page.count("Make it again") == 0  # each format's newest file is ready

    form = dict(_form_values(closed_q3), title="Another title")
    assert as_governance.post(COVER, form).status_code == 302
    with django_assert_max_num_queries(budget):
        page = as_governance.get(PAPER).content.decode()
    assert page.count(">Out of date<") == 17
    assert page.count("Make it again<") == 4  # once per format, on its newest file
