"""The activity register in and out: the governance team's import page, and the
register's download as CSV or Excel for every signed-in account.

The import page follows the feedback import's: one form, no JavaScript, the file, a
tick to add directorates planboard does not know, and whether only to check it. A file
with any bad row writes nothing and the page lists every bad row; a check says what
would be created, updated or left unchanged. The write is the service
``imports.engagement_activities.import_activities``. The download holds no private
register (``imports.engagement_export``).
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from planboard.imports.engagement_activities import import_activities
from planboard.imports.engagement_export import register_csv, register_xlsx
from planboard.lib import clock
from planboard.lib.services import ServiceError
from planboard.plans.models import Strategy
from planboard.web.feedback_import_views import UploadForm, upload_errors
from planboard.web.people_edit_views import governed_strategy

DOING = "import the strategy's engagement activities"
TYPES = {
    "csv": ("text/csv; charset=utf-8", register_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", register_xlsx),
}


class EngagementImportForm(UploadForm):
    add_services = forms.BooleanField(required=False)
    field_order = ["file", "add_services", "dry_run"]


@require_http_methods(["GET", "POST"])
def engagement_import(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    posted = request.method == "POST"
    form = EngagementImportForm(request.POST, request.FILES) if posted else EngagementImportForm()
    context = {"strategy": strategy, "section": "engagement", "form": form, "lines": []}
    if not posted:
        return render(request, "web/engagement/import.html", context)
    if form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        try:
            summary = import_activities(
                strategy,
                upload.read(),
                upload.name,
                user=request.user,
                add_services=form.cleaned_data["add_services"],
                dry_run=dry_run,
            )
        except ServiceError as error:
            context["lines"] = str(error).splitlines()
        else:
            if dry_run:
                context["checked"] = summary.line()
                return render(request, "web/engagement/import.html", context)
            messages.success(request, summary.line())
            return redirect("engagement_import", slug=slug)
    context["errors"] = upload_errors(form, context["lines"])
    return render(request, "web/engagement/import.html", context, status=400)


@require_GET
def engagement_export(request, slug, format):
    """The activity register as a file; every signed-in account may read it."""
    strategy = get_object_or_404(Strategy, slug=slug)
    if format not in TYPES:
        raise Http404("There is no such download.")
    content_type, write = TYPES[format]
    response = HttpResponse(write(strategy), content_type=content_type)
    filename = f"{strategy.slug}-engagement-activities-{clock.today():%Y-%m-%d}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
