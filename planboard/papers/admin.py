"""The admin of papers: cover sheets, trusts' Word templates and the files made."""

import hashlib

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.papers.covers import EDITABLE
from planboard.papers.formats.docx_check import TemplateProblem, check_template
from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


class CoverSheetAdminForm(forms.ModelForm):
    """Refuses to overwrite a cover sheet saved by someone else since the form was opened
    (the papers page checks the same way)."""

    class Meta:
        model = CoverSheet
        fields = ["strategy", "period", "version", *EDITABLE]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        saved = CoverSheet.objects.select_for_update().filter(pk=self.instance.pk).first()
        if saved is not None and saved.version != cleaned.get("version"):
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(saved.version)
            raise forms.ValidationError(
                "Someone else saved this cover sheet after you opened it, so your changes were "
                "not saved. They are still in the form below: compare them with its history, "
                "then save again to keep yours."
            )
        return cleaned


@admin.register(CoverSheet)
class CoverSheetAdmin(SimpleHistoryAdmin):
    form = CoverSheetAdminForm
    list_display = ["strategy", "period", "meeting", "meeting_date", "title"]
    list_select_related = ["strategy", "period"]
    search_fields = ["title", "meeting", "strategy__title"]
    fieldsets = [
        (None, {"fields": ["strategy", "period", "version"]}),
        (
            "Cover sheet",
            {
                "fields": [
                    ("meeting", "meeting_date"),
                    ("reference", "item"),
                    "title",
                    "presented_by",
                    "action_required",
                    "outcome",
                    "timetable",
                    "links_to_reports",
                    "baf_objectives",
                    "frameworks",
                    "framework_ticks",
                    "implications",
                    "legal_issues",
                    ("author", "designation"),
                    "report_date",
                ]
            },
        ),
        (
            "Summary report",
            {
                "fields": [
                    ("report_to", "summary_date"),
                    "subject",
                    ("sponsor", "summary_author"),
                    "purpose_ticks",
                    "purpose",
                    "summary",
                    "next_steps",
                    "required_actions",
                    "monitoring",
                    "contacts",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class PaperTemplateForm(forms.ModelForm):
    """A template is uploaded as a file, checked, and kept in the database."""

    upload = forms.FileField(
        label="Word template (.docx)",
        required=False,
        help_text="A .docx with docxtpl placeholders; see the papers documentation.",
    )

    class Meta:
        model = PaperTemplate
        fields = ["name", "strategy", "active"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is None:
            if self.instance.pk is None:
                self.add_error("upload", "Choose the .docx file of the template.")
            return cleaned
        if upload.size > MAX_TEMPLATE_BYTES:
            self.add_error(
                "upload", "The template is larger than 10 MB; it cannot be a board paper."
            )
            return cleaned
        data = upload.read()
        try:
            check_template(data)
        except TemplateProblem as problem:
            self.add_error("upload", f"{upload.name}: {problem}")
            return cleaned
        self.instance.content = data
        self.instance.checksum = hashlib.sha256(data).hexdigest()
        return cleaned


@admin.register(PaperTemplate)
class PaperTemplateAdmin(admin.ModelAdmin):
    form = PaperTemplateForm
    list_display = ["name", "strategy", "active", "uploaded_by", "uploaded_at"]
    list_select_related = ["strategy", "uploaded_by"]
    readonly_fields = ["checksum", "uploaded_by", "uploaded_at"]
    fields = ["name", "strategy", "active", "upload", "checksum", "uploaded_by", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("upload") is not None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GeneratedPaper)
class GeneratedPaperAdmin(admin.ModelAdmin):
    """Generated files are a record: they can be looked at and deleted, not edited."""

    list_display = ["filename", "format", "status", "requested_by", "requested_at", "size"]
    list_filter = ["format", "status", "strategy"]
    list_select_related = ["requested_by", "strategy", "period"]
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
