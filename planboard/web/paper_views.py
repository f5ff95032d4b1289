"""Board papers: the periods' papers, one paper with its files, its cover sheet, downloads.

The paper is built by ``planboard.papers.content.build_paper``, written to files by
``planboard.papers.generation`` and its cover sheet saved by ``planboard.papers.covers``;
these views look things up, check who may do what and render. Everyone signed in may
read a paper and download its files; the governance team edits cover sheets and asks
for files, one format or all of them. A file made before the paper changed is shown
out of date (``planboard.papers.freshness``), and can still be downloaded.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planboard.papers.content import build_paper
from planboard.papers.covers import CoverConflict, cover_for, save_cover
from planboard.papers.formats import FORMATS
from planboard.papers.freshness import Freshness, freshness, made_from, what_changed
from planboard.papers.generation import expire_stale_jobs, request_every_format, request_paper
from planboard.papers.models import GeneratedPaper, GenerationStatus
from planboard.people.permissions import is_governance, require_governance
from planboard.plans.models import Strategy
from planboard.web.cycle import find_period, period_slug
from planboard.web.paper_forms import CoverSheetForm, GenerateForm


@require_GET
def papers(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    periods = list(strategy.periods.exclude(status="planned").order_by("-starts_on"))
    context = {"strategy": strategy, "section": "papers", "periods": periods}
    return render(request, "web/papers.html", context)


@require_GET
def paper(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    return _paper_page(request, strategy, found, GenerateForm())


def _paper_page(request, strategy, period, form, status=200):
    expire_stale_jobs()
    sheet = cover_for(strategy, period)
    paper = build_paper(strategy, period)
    files = _files(period)
    context = {
        "strategy": strategy,
        "section": "papers",
        "period": period,
        "paper": paper,
        "files": files,
        "file_rows": _file_rows(files, made_from(paper, sheet)),
        "pending": any(f.is_pending for f in files),
        "form": form,
        "formats": FORMATS,
        "governance": is_governance(request.user),
        "chart_src": reverse(
            "paper_chart", kwargs={"slug": strategy.slug, "period": period_slug(period.label)}
        ),
        "chart_alt": _charts().chart_alt(paper),
        "feedback_chart_src": reverse(
            "paper_feedback_chart",
            kwargs={"slug": strategy.slug, "period": period_slug(period.label)},
        )
        if paper.feedback
        else "",
    }
    return render(request, "web/paper.html", context, status=status)


def _files(period):
    return list(
        GeneratedPaper.objects.filter(period=period).select_related("requested_by").defer("content")
    )


@dataclass(frozen=True)
class FileRow:
    """A file of the paper as its page lists it: its status (out of date or not, once
    made), what changed since, and whether to offer to make it again."""

    file: GeneratedPaper
    status: GenerationStatus | Freshness
    changed: str
    remake: bool


def _file_rows(files, now) -> list[FileRow]:
    """The rows for ``files`` (newest first), beside the paper as it is ``now``. "Make it
    again" is offered on the newest file of a format, when it is out of date and no file
    of that format is being made."""
    being_made = {f.format for f in files if f.is_pending}
    made = set()
    rows = []
    for file in files:
        fresh = freshness(file, now)
        stale = fresh == Freshness.OUT_OF_DATE
        newest = file.is_ready and file.format not in made
        rows.append(
            FileRow(
                file=file,
                status=fresh or GenerationStatus(file.status),
                changed=what_changed(file, now) if stale else "",
                remake=stale and newest and file.format not in being_made,
            )
        )
        if file.is_ready:
            made.add(file.format)
    return rows


@require_POST
def generate(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    require_governance(request.user, "make paper files")
    form = GenerateForm(request.POST)
    if not form.is_valid():
        return _paper_page(request, strategy, found, form, status=400)
    job = request_paper(strategy, found, form.cleaned_data["format"], user=request.user)
    _tell(request, [job])
    return redirect(_files_url(strategy, found))


@require_POST
def generate_all(request, slug, period):
    """Ask for the paper in every format not already being made."""
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    require_governance(request.user, "make paper files")
    jobs = request_every_format(strategy, found, user=request.user)
    if not jobs:
        messages.info(request, "Every format of this paper is already being made.")
    _tell(request, jobs)
    return redirect(_files_url(strategy, found))


def _tell(request, jobs):
    """Say which of the files just asked for are ready, failed or being made."""
    ready = [job.filename for job in jobs if job.is_ready]
    waiting = [job.filename for job in jobs if job.is_pending]
    if ready:
        messages.success(request, f"{_listed(ready)} {_is(ready)} ready to download.")
    for job in jobs:
        if job.status == GenerationStatus.FAILED:
            messages.error(request, f"{job.filename} could not be made: {job.error}")
    if waiting:
        they = "It" if len(waiting) == 1 else "They"
        listed = f"{_listed(waiting)} {_is(waiting)}"
        messages.info(request, f"{listed} being made. {they} will be listed below when ready.")


def _listed(names) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _is(names) -> str:
    return "is" if len(names) == 1 else "are"


@require_GET
def files_status(request, slug, period):
    """The period's files as JSON, for the page's script to follow a file being made."""
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    expire_stale_jobs()
    rows = GeneratedPaper.objects.filter(period=found).values("pk", "status", "step")
    return JsonResponse({"files": list(rows)})


@require_GET
def download(request, slug, pk):
    job = get_object_or_404(
        GeneratedPaper.objects.select_related("strategy"), pk=pk, strategy__slug=slug
    )
    if not job.is_ready:
        raise Http404("This file is not ready.")
    if job.content is None:
        # A paper brought in with ``planboard import-json`` has its record, not its file.
        raise Http404("This file is not kept here: make the paper again.")
    response = HttpResponse(bytes(job.content), content_type=FORMATS[job.format].content_type)
    # Always a download, even for HTML, so a paper never runs as a page of this site.
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Content-Length"] = str(job.size)
    return response


@require_GET
def chart(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    svg = _charts().rag_chart(build_paper(strategy, found), "svg")
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
def feedback_chart(request, slug, period):
    """The feedback section's chart, drawn as the paper's files draw it; 404 when the
    paper has no feedback section."""
    strategy = get_object_or_404(Strategy, slug=slug)
    paper = build_paper(strategy, find_period(strategy, period))
    if not paper.feedback:
        raise Http404("This paper has no feedback section.")
    from planboard.papers.formats.feedback_chart import feedback_chart as draw

    return HttpResponse(draw(paper.feedback, "svg"), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
def cover(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    require_governance(request.user, "edit cover sheets")
    sheet = cover_for(strategy, found)
    if request.method == "GET":
        return _cover_page(request, strategy, found, CoverSheetForm(sheet=sheet))
    form = CoverSheetForm(request.POST, sheet=sheet)
    if not form.is_valid():
        return _cover_page(request, strategy, found, form, status=400)
    try:
        save_cover(
            strategy,
            found,
            form.values(),
            version=form.cleaned_data["version"] or 0,
            user=request.user,
        )
    except CoverConflict as conflict:
        return _cover_page(request, strategy, found, form, current=conflict.current, status=409)
    messages.success(request, f"The cover sheet of the paper for {found.label} is saved.")
    return redirect(reverse("paper", kwargs={"slug": strategy.slug, "period": period}))


def _cover_page(request, strategy, period, form, current=None, status=200):
    if current is not None:
        # The form keeps what was typed; saving it again now replaces ``current`` knowingly.
        form.data = form.data.copy()
        form.data["version"] = str(current.version)
    context = {
        "strategy": strategy,
        "section": "papers",
        "period": period,
        "form": form,
        "current": current,
        "current_paper": build_paper(strategy, period) if current is not None else None,
    }
    return render(request, "web/paper_cover.html", context, status=status)


def _charts():
    """The charts module, imported when first drawn: matplotlib is large, and a web
    worker that never draws a chart need not hold it."""
    from planboard.papers.formats import charts

    return charts


def _files_url(strategy, period) -> str:
    url = reverse("paper", kwargs={"slug": strategy.slug, "period": period_slug(period.label)})
    return f"{url}#files"
