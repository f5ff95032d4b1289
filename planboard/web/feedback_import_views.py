"""The governance team's page to import feedback from a file: the Friends and Family
Test's monthly counts, or feedback items (comments, survey answers, complaints ...).

One form, no JavaScript: the kind of file, the source of the items, the file, and
whether only to check it. A file with any bad row writes nothing and the page lists
every bad row; a check says what would be created, updated or left unchanged. The
writes are the services ``imports.feedback_fft.import_fft`` and
``imports.feedback_items.import_feedback``.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from planboard.feedback.models import Source
from planboard.imports import safety
from planboard.imports.feedback_fft import import_fft
from planboard.imports.feedback_items import import_feedback
from planboard.lib.services import ServiceError
from planboard.web.people_edit_views import governed_strategy

DOING = "import the strategy's feedback"
FFT, ITEMS = "fft", "items"
KINDS = [
    (FFT, "Friends and Family Test monthly counts"),
    (ITEMS, "Feedback items, one a row (comments, survey answers, complaints ...)"),
]


class UploadForm(forms.Form):
    """A table to import, checked for size before it is read, and "only check" (the
    feedback and engagement imports' pages extend it)."""

    file = forms.FileField(error_messages={"required": "Choose the file to import."})
    dry_run = forms.BooleanField(required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > safety.MAX_FILE_BYTES:
            limit = safety.MAX_FILE_BYTES // 1024 // 1024
            raise forms.ValidationError(f"The file is over {limit} MB.")
        return upload


class FeedbackImportForm(UploadForm):
    kind = forms.ChoiceField(
        choices=KINDS, error_messages={"required": "Choose what the file holds."}
    )
    source = forms.ChoiceField(choices=Source.choices, initial=Source.FFT_COMMENT, required=False)
    field_order = ["kind", "source", "file", "dry_run"]


def upload_errors(form, lines=()) -> list[dict]:
    """The error summary's items: the form's errors, then the import's refusals, each
    leading to the file field."""
    listed = [
        {"text": error, "href": f"#{'file' if name == '__all__' else name}"}
        for name, errors in form.errors.items()
        for error in errors
    ]
    return listed + [{"text": line, "href": "#file"} for line in lines]


@require_http_methods(["GET", "POST"])
def feedback_import(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    posted = request.method == "POST"
    form = FeedbackImportForm(request.POST, request.FILES) if posted else FeedbackImportForm()
    chosen = form["source"].value() or Source.FFT_COMMENT
    context = {
        "strategy": strategy,
        "section": "feedback",
        "form": form,
        "lines": [],
        "source_items": [
            {"value": value, "text": label, "selected": value == chosen}
            for value, label in Source.choices
        ],
    }
    if request.method == "GET":
        return render(request, "web/feedback/import.html", context)
    if form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        data = upload.read()
        try:
            if form.cleaned_data["kind"] == FFT:
                summary = import_fft(
                    strategy, data, upload.name, user=request.user, dry_run=dry_run
                )
            else:
                summary = import_feedback(
                    strategy,
                    data,
                    upload.name,
                    user=request.user,
                    source=form.cleaned_data["source"] or Source.FFT_COMMENT,
                    dry_run=dry_run,
                )
        except ServiceError as error:
            context["lines"] = str(error).splitlines()
        else:
            if dry_run:
                context["checked"] = summary.line()
                return render(request, "web/feedback/import.html", context)
            messages.success(request, summary.line())
            return redirect("feedback", slug=slug)
    context["errors"] = upload_errors(form, context["lines"])
    return render(request, "web/feedback/import.html", context, status=400)
