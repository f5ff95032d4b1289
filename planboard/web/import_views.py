"""The import page: upload a table of actions, check the preview, adjust the mapping, confirm.

Each step is a service of ``planboard.imports.pending``; nothing of the plan is written
before the confirmation. Only the governance team imports. A large file is read, and its
import written, by a worker (``planboard.imports.jobs``): the person who uploaded it
follows the job on its own page (which reloads itself, without scripts, if they ask it
to) until the job is done, then moves on to the preview or the plan.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planboard.imports import jobs
from planboard.imports import pending as steps
from planboard.imports.destination import DestinationError
from planboard.imports.errors import PaperError
from planboard.imports.models import ImportJob, ImportStatus, ImportWork, PendingImport
from planboard.imports.table_header import find_header
from planboard.imports.table_import import preview
from planboard.people.permissions import require_governance
from planboard.plans.models import Strategy
from planboard.web.import_forms import DestinationForm, MappingForm, UploadForm


def _strategy(request, slug) -> Strategy:
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, steps.DOING)
    return strategy


def _pending(request, strategy, pk) -> PendingImport:
    return get_object_or_404(
        PendingImport, pk=pk, strategy_slug=strategy.slug, uploaded_by=request.user
    )


@require_http_methods(["GET", "POST"])
def upload(request, slug):
    strategy = _strategy(request, slug)
    if request.method == "GET":
        return _upload_page(request, strategy, UploadForm(strategy=strategy))
    form = UploadForm(request.POST, request.FILES, strategy=strategy)
    if not form.is_valid():
        return _upload_page(request, strategy, form, status=400)
    data = form.cleaned_data["file"].read()
    name = form.cleaned_data["file"].name
    sheet = form.cleaned_data["sheet"].strip()
    into = form.destination.as_json()
    try:
        if jobs.in_background(len(data)):
            job = jobs.start_reading(
                strategy, data=data, filename=name, sheet=sheet, destination=into, user=request.user
            )
            return redirect(_job_url(strategy, job))
        pending = steps.stage_import(
            strategy, data=data, filename=name, sheet=sheet, destination=into, user=request.user
        )
    except DestinationError as err:
        form.show_service_error(err)
        return _upload_page(request, strategy, form, status=400)
    except PaperError as err:
        form.add_file_error(str(err))
        return _upload_page(request, strategy, form, status=400)
    return redirect(_preview_url(strategy, pending))


def _upload_page(request, strategy, form, status=200):
    context = {"strategy": strategy, "section": "plan", "form": form}
    return render(request, "web/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def preview_page(request, slug, pk):
    strategy = _strategy(request, slug)
    pending = _pending(request, strategy, pk)
    raw = steps.read_pending(pending)
    shown = steps.preview_of(pending, strategy, raw)
    headers = _headers(raw, pending)
    if request.method == "GET":
        form = MappingForm(headers=headers, mapping=shown.columns)
        return _preview_page(request, strategy, pending, shown, form)
    form = MappingForm(request.POST, headers=headers, mapping=shown.columns)
    if not form.is_valid():
        return _preview_page(request, strategy, pending, shown, form, status=400)
    try:
        steps.set_import_mapping(pending, strategy, form.mapping(), user=request.user, raw=raw)
    except PaperError as err:
        error = {"text": err.message[:1].upper() + err.message[1:], "mapping": True}
        return _preview_page(request, strategy, pending, shown, form, error=error, status=400)
    return redirect(_preview_url(strategy, pending))


def _headers(raw, pending) -> list[str]:
    """The header row's cells in the file's order, each once."""
    names = find_header(raw, pending.mapping or None).names
    return [name for name in dict.fromkeys(names) if name]


def _preview_page(
    request, strategy, pending, shown, form, error=None, status=200, destination=None
):
    context = {
        "strategy": strategy,
        "section": "plan",
        "pending": pending,
        "preview": shown,
        "form": form,
        "error": error,
        "into": steps.destination_of(pending, strategy),
        "destination": destination
        or DestinationForm(strategy=strategy, chosen=pending.destination),
    }
    return render(request, "web/import_preview.html", context, status=status)


@require_POST
def confirm(request, slug, pk):
    strategy = _strategy(request, slug)
    pending = _pending(request, strategy, pk)
    if jobs.in_background(pending.size):
        job = jobs.start_writing(pending, strategy, user=request.user)
        return redirect(_job_url(strategy, job))
    try:
        summary = steps.confirm_import(pending, strategy, user=request.user)
    except (PaperError, DestinationError) as err:
        return _refused(request, strategy, pending, str(err))
    messages.success(request, _done(summary))
    return redirect(reverse("plan", kwargs={"slug": summary["strategy"]}))


def _refused(request, strategy, pending, text, destination=None):
    """The preview again, with why the import (or its new destination) was refused."""
    raw = steps.read_pending(pending)
    try:
        shown = steps.preview_of(pending, strategy, raw)
    except DestinationError:  # the destination chosen can no longer be taken
        shown = preview(raw, strategy, pending.mapping or None)
    form = MappingForm(headers=_headers(raw, pending), mapping=shown.columns)
    return _preview_page(
        request,
        strategy,
        pending,
        shown,
        form,
        error={"text": text, "destination": destination is not None},
        status=400,
        destination=destination,
    )


@require_POST
def destination(request, slug, pk):
    """Change where the upload's rows without a theme go."""
    strategy = _strategy(request, slug)
    pending = _pending(request, strategy, pk)
    form = DestinationForm(request.POST, strategy=strategy, chosen=pending.destination)
    if not form.is_valid():
        text = form.summary_errors()[0]["text"]
        return _refused(request, strategy, pending, text, destination=form)
    steps.set_import_destination(pending, strategy, form.choice(), user=request.user)
    return redirect(_preview_url(strategy, pending))


@require_POST
def discard(request, slug, pk):
    strategy = _strategy(request, slug)
    pending = _pending(request, strategy, pk)
    writing = pending.jobs.filter(work=ImportWork.WRITE).pending().first()
    if writing is not None:  # too late to discard: its page says when it is done
        messages.info(request, f"{pending.filename} is being imported.")
        return redirect(_job_url(strategy, writing))
    steps.discard_import(pending, user=request.user)
    messages.info(request, f"Nothing was imported from {pending.filename}.")
    return redirect(reverse("plan", kwargs={"slug": strategy.slug}))


@require_GET
def job_page(request, slug, pk):
    """A large file being read or imported by a worker: its progress, then where next."""
    strategy = _strategy(request, slug)
    mine = ImportJob.objects.defer("upload").filter(
        strategy_slug=strategy.slug, uploaded_by=request.user
    )
    job = get_object_or_404(mine, pk=pk)
    if job.is_pending and jobs.looks_lost(job):
        # It may have finished meanwhile: on SQLite the sweep waits for its write.
        jobs.expire_stale_imports()
        job = mine.get(pk=pk)
    if job.status == ImportStatus.DONE and job.work == ImportWork.WRITE:
        messages.success(request, _done(job.summary))
        return redirect(reverse("plan", kwargs={"slug": job.summary.get("strategy", slug)}))
    if job.status == ImportStatus.DONE and job.pending_id is not None:
        return redirect(reverse("import_preview", kwargs={"slug": slug, "pk": job.pending_id}))
    context = {
        "strategy": strategy,
        "section": "plan",
        "job": job,
        "status": ImportStatus(job.status),
        "reading": job.work == ImportWork.READ,
        "progress": _progress(job),
        "again": job.pending_id if job.work == ImportWork.WRITE else None,
        # Reloading on its own is asked for: a page that reloads under a person reading
        # it (or a screen reader) is a barrier unless they chose it (WCAG 2.2.1).
        "following": request.GET.get("follow") == "1",
        "refresh": settings.IMPORT_PROGRESS_REFRESH_SECONDS,
    }
    return render(request, "web/import_job.html", context)


def _progress(job: ImportJob) -> str:
    """How far the job has got, in a sentence."""
    if job.status == ImportStatus.QUEUED:
        return "Waiting for a worker to start."
    if job.status != ImportStatus.RUNNING:
        return ""
    done, total = job.rows_done, job.rows_total
    if job.work == ImportWork.READ:
        if job.step == jobs.CHECKING:
            return f"Read all {total:,} rows; checking them."
        if not total:
            return f"{job.step or 'Reading the file'}."
        return f"Read {done:,} of {total:,} rows."
    if done and total:
        return f"Checked {done:,} of {total:,} actions against the plan."
    return f"{job.step or 'Importing the actions'}."


def _job_url(strategy, job) -> str:
    return reverse("import_job", kwargs={"slug": strategy.slug, "pk": job.pk})


def _done(summary: dict) -> str:
    words = {"created": "added", "updated": "changed", "unchanged": "unchanged"}
    parts = [f"{summary.get(key, 0)} {word}" for key, word in words.items()]
    done = f"{summary['source']} is imported: actions {', '.join(parts)}."
    if retired := summary.get("retired"):
        done += f" {retired} retired action{'s' if retired > 1 else ''} it lists stayed retired."
    return done


def _preview_url(strategy, pending) -> str:
    return reverse("import_preview", kwargs={"slug": strategy.slug, "pk": pending.pk})
