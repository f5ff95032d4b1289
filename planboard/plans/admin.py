"""The admin where governance sets up a strategy: its RAG scale, themes, committees, plan.

Every model keeps its history, shown by SimpleHistoryAdmin's "History" button. A change
to the RAG scale re-matches every action's written rating (see ``plans.signals``), so
adding "Yellow" as an alias of Amber resolves the paper's Yellow rows at once.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.plans.models import (
    Action,
    Area,
    Commitment,
    Committee,
    RagLevel,
    Strategy,
    Theme,
)
from planboard.plans.rag import match_level

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


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "organisation", "plan_version"]
    search_fields = ["title", "slug", "organisation"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RagLevelInline, ThemeInline, CommitteeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "period", "approval"]}),
        ("Implementation plan", {"fields": ["plan_title", "plan_version", "introduction"]}),
        ("Source", {"fields": ["source_name"], "classes": ["collapse"]}),
    ]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["number", "text"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["title"]
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    """Registered so actions can find commitments by autocomplete."""

    list_display = ["ref", "text", "theme"]
    list_filter = ["theme__strategy"]
    list_select_related = ["theme"]
    search_fields = ["text", "theme__title"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
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
        theme = cleaned.get("theme")
        if theme is None:
            return cleaned
        strategy_id = theme.strategy_id
        checks = [
            ("area", [cleaned.get("area")], lambda area: area.strategy_id),
            ("rag_level", [cleaned.get("rag_level")], lambda level: level.strategy_id),
            ("leads", cleaned.get("leads") or [], lambda role: role.strategy_id),
            ("commitments", cleaned.get("commitments") or [], lambda c: c.theme.strategy_id),
        ]
        for field, values, owner in checks:
            if any(value is not None and owner(value) != strategy_id for value in values):
                self.add_error(field, "Choose from the strategy this action's theme belongs to.")
        return cleaned

    def _refuse_stale_version(self, opened_version):
        """The row is locked until the admin's transaction ends, so nobody can slip in
        between this check and the save."""
        if self.instance.pk is None:
            return
        saved = Action.objects.select_for_update().filter(pk=self.instance.pk).first()
        if saved is None or saved.version == opened_version:
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
class ActionAdmin(SimpleHistoryAdmin):
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
        if change:
            obj.version = form.cleaned_data["version"] + 1
        changed = form.changed_data
        if "rag_level" in changed:
            obj.rag_text = obj.rag_level.label if obj.rag_level else ""
        elif "rag_text" in changed:
            obj.rag_level = match_level(obj.theme.strategy.rag_levels.all(), obj.rag_text)
        super().save_model(request, obj, form, change)

    @admin.display(description="ref", ordering="number")
    def ref(self, action):
        return action.ref

    @admin.display(description="action")
    def short_text(self, action):
        return action.text if len(action.text) <= 80 else action.text[:79] + "…"
