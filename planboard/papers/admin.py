"""The admin of papers: cover sheets, trusts' Word templates and the files made.

Every save and delete goes through the papers' services (``covers`` and ``files``).
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.lib import versions
from planboard.lib.admin import ServiceAdminMixin
from planboard.lib.services import ServiceError
from planboard.papers import covers, files
from planboard.papers.covers import EDITABLE
from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate


class CoverSheetAdminForm(forms.ModelForm):
    """Refuses to overwrite a cover sheet saved by someone else since the form was opened
    (the papers page checks the same way)."""

    class Meta:
        model = CoverSheet
        fields = ["strategy", "period", "version", *EDITABLE]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        for name in EDITABLE:
            if name in cleaned:
                try:
                    covers.check_value(name, cleaned[name])
                except ServiceError as error:
                    self.add_error(name, str(error))
        if self.instance.pk is None:
            return cleaned
        saved = versions.moved_on(CoverSheet, self.instance.pk, cleaned.get("version"))
        if saved is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(saved.version)
            raise forms.ValidationError(
                "Someone else saved this cover sheet after you opened it, so your changes were "
                "not saved. They are still in the form below: compare them with its history, "
                "then save again to keep yours."
            )
        return cleaned


def _save_cover(sheet, *, user, links):
    values = {name: getattr(sheet, name) for name in EDITABLE}
    version = sheet.version if sheet.pk is not None else 0
    return covers.save_cover(sheet.strategy, sheet.period, values, version=version, user=user)


@admin.register(CoverSheet)
class CoverSheetAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_cover
    delete_service = covers.delete_cover

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
        ("The paper", {"fields": ["findings_appendix"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A saved sheet is its paper's: it is edited, not moved to another paper.
        return ["strategy", "period"] if obj is not None else []


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
        try:
            files.check_template_size(upload.size)
            data = upload.read()
            files.check_template_upload(upload.name, data)
        except ServiceError as error:
            self.add_error("upload", str(error))
            return cleaned
        self.checked_upload = (upload.name, data)
        return cleaned


@admin.register(PaperTemplate)
class PaperTemplateAdmin(ServiceAdminMixin, admin.ModelAdmin):
    delete_service = files.delete_template

    form = PaperTemplateForm
    list_display = ["name", "strategy", "active", "uploaded_by", "uploaded_at"]
    list_select_related = ["strategy", "uploaded_by"]
    readonly_fields = ["checksum", "uploaded_by", "uploaded_at"]
    fields = ["name", "strategy", "active", "upload", "checksum", "uploaded_by", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def save_model(self, request, obj, form, change):
        files.keep_template(obj, user=request.user, upload=getattr(form, "checked_upload", None))


@admin.register(GeneratedPaper)
class GeneratedPaperAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Generated files are a record: they can be looked at and deleted, not edited."""

    delete_service = files.delete_paper_file

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
