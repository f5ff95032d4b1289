"""The admin where governance sets up a strategy: its RAG scale, themes, committees, plan.

Every model keeps its history, shown by SimpleHistoryAdmin's "History" button. Every
save and delete goes through ``planboard.plans.editing``. A change to the RAG scale
re-matches every action's written rating (see ``plans.signals``), so adding "Yellow" as
an alias of Amber resolves the paper's Yellow rows at once.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.lib import versions
from planboard.lib.admin import ServiceAdminMixin
from planboard.people import editing as records
from planboard.plans import editing
from planboard.plans.models import (
    Action,
    Area,
    Commitment,
    Committee,
    RagLevel,
    Strategy,
    Theme,
)

admin.site.site_header = "planboard set-up"
admin.site.site_title = "planboard set-up"
admin.site.index_title = "Strategies, plans, people and papers"


class WordListField(forms.CharField):
    """A list of words typed as one line, separated by commas ("Yellow, Amber/Green")."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [word.strip() for word in value.split(",") if word.strip()]


class RagLevelForm(forms.ModelForm):
    aliases = WordListField(
        required=False,
        help_text='Other words that mean this level, separated by commas, e.g. "Yellow".',
        widget=forms.TextInput(attrs={"size": 16}),
    )

    class Meta:
        model = RagLevel
        fields = ["position", "label", "definition", "colour", "means_complete", "aliases"]
        widgets = {
            "label": forms.TextInput(attrs={"size": 10}),
            "definition": forms.TextInput(attrs={"size": 40}),
        }


class RagLevelInline(admin.TabularInline):
    model = RagLevel
    form = RagLevelForm
    extra = 0
    verbose_name = "RAG level"
    verbose_name_plural = "RAG scale (the key to ratings)"


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["number", "title"]
    show_change_link = True


class CommitteeInline(admin.TabularInline):
    model = Committee
    extra = 0
    fields = ["position", "name", "abbreviation"]


class PlanAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = records.save_record
    delete_service = records.delete_record


@admin.register(Strategy)
class StrategyAdmin(PlanAdmin):
    list_display = ["title", "slug", "organisation", "plan_version"]
    search_fields = ["title", "slug", "organisation"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RagLevelInline, ThemeInline, CommitteeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "period", "approval"]}),
        ("Implementation plan", {"fields": ["plan_title", "plan_version", "introduction"]}),
        ("Reviewing updates", {"fields": ["allow_own_review"]}),
        ("Source", {"fields": ["source_name"], "classes": ["collapse"]}),
    ]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["number", "text"]


@admin.register(Theme)
class ThemeAdmin(PlanAdmin):
    list_display = ["__str__", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["title"]
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(PlanAdmin):
    """Registered so actions can find commitments by autocomplete."""

    list_display = ["ref", "text", "theme"]
    list_filter = ["theme__strategy"]
    list_select_related = ["theme"]
    search_fields = ["text", "theme__title"]


@admin.register(Area)
class AreaAdmin(PlanAdmin):
    list_display = ["name", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["name"]


class ActionAdminForm(forms.ModelForm):
    """Keeps an action's theme, area, rating, leads and commitments in one strategy, and
    refuses to overwrite a version saved by someone else since the form was opened."""

    class Meta:
        model = Action
        fields = ["theme", "area", "rag_level", "rag_text", "leads", "commitments", "version"]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        self._refuse_stale_version(cleaned.get("version"))
        if cleaned.get("theme") is None:
            return cleaned
        proposed = Action(
            theme=cleaned["theme"], area=cleaned.get("area"), rag_level=cleaned.get("rag_level")
        )
        links = {name: cleaned.get(name) for name in ("leads", "commitments")}
        for field in editing.fields_from_other_strategies(proposed, links):
            self.add_error(field, editing.OTHER_STRATEGY)
        return cleaned

    def _refuse_stale_version(self, opened_version):
        if self.instance.pk is None:
            return
        saved = versions.moved_on(Action, self.instance.pk, opened_version)
        if saved is None:
            return
        newer = [
            f"{Action._meta.get_field(name).verbose_name}: {getattr(saved, name)}"
            for name in ("text", "progress", "target_text", "rag_text", "lead_text")
            if name in self.changed_data and getattr(saved, name)
        ]
        detail = f" The saved version now reads: {'; '.join(newer)}." if newer else ""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(saved.version)
        raise forms.ValidationError(
            "Someone else saved this action after you opened it, so your changes were not "
            "saved. They are still in the form below: compare them with the action's history, "
            f"then save again to keep yours.{detail}"
        )


@admin.register(Action)
class ActionAdmin(PlanAdmin):
    form = ActionAdminForm
    list_display = ["ref", "short_text", "area", "target_display", "status", "rag_level"]
    list_display_links = ["ref", "short_text"]
    list_filter = ["theme__strategy", "theme", "status", "rag_level"]
    list_select_related = ["theme", "area", "rag_level"]
    search_fields = ["text", "progress", "lead_text", "rag_text"]
    autocomplete_fields = ["theme", "area", "leads", "commitments"]
    ordering = ["theme__strategy", "theme__number", "number"]
    fieldsets = [
        (None, {"fields": ["theme", "number", "area", "text", "progress", "version"]}),
        (
            "Target and status",
            {
                "fields": [
                    ("target_date", "target_precision"),
                    "target_text",
                    ("original_target_date", "original_target_precision"),
                    ("status", "completed_on"),
                ]
            },
        ),
        ("RAG rating", {"fields": ["rag_level", "rag_text"]}),
        ("Leads and commitments", {"fields": ["leads", "lead_text", "commitments"]}),
        (
            "Source",
            {"fields": ["cited_commitments", "source_line"], "classes": ["collapse"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        """A rating chosen here becomes the rating as written, so the scale keeps it."""
        editing.save_action(
            obj,
            user=request.user,
            links={name: form.cleaned_data[name] for name in ("leads", "commitments")},
            opened_version=form.cleaned_data["version"] if change else None,
            changed=form.changed_data,
        )

    @admin.display(description="ref", ordering="number")
    def ref(self, action):
        return action.ref

    @admin.display(description="action")
    def short_text(self, action):
        return action.text if len(action.text) <= 80 else action.text[:79] + "…"
