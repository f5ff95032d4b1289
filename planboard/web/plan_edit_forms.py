"""The forms that change the plan's structure: themes, commitments, areas and actions.

Each form reads what was typed; the services in ``planboard.plans.structure`` and
``planboard.plans.action_changes`` check it, and a refusal is shown on the field it
names. A form also says which fields its page shows (``FIELDS``), so one template
draws them all with the NHS.UK macros.
"""

from dataclasses import dataclass

from django import forms

from planboard.lib.date_fields import NhsukTargetField
from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.plans.action_changes import ActionValues
from planboard.plans.models import DatePrecision


@dataclass(frozen=True)
class Field:
    """One field as the page draws it: ``kind`` is input, number, textarea, select,
    checkboxes or date (NHS.UK's date input)."""

    name: str
    label: str
    kind: str = "input"
    hint: str = ""

    @property
    def anchor(self) -> str:
        return self.name.replace("_", "-")


class PlanEditForm(NhsukFormMixin, forms.Form):
    FIELDS: tuple[Field, ...] = ()
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ANCHORS = {field.name: field.anchor for field in self.FIELDS}
        self.date_notes = {}  # said after a date's hint, by field name

    def items(self, name) -> list[dict]:
        """A select's options or a checkbox group's boxes, marked as chosen."""
        field = self.fields[name]
        chosen = self._chosen(name)
        many = isinstance(field, forms.MultipleChoiceField)
        return [
            {
                "value": value,
                "text": text,
                ("checked" if many else "selected"): str(value) in chosen,
            }
            for value, text in field.choices
        ]

    def _chosen(self, name) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
        value = self.initial.get(name)
        if isinstance(value, list | tuple | set):
            return {str(item) for item in value}
        return {"" if value is None else str(value)}

    def ticked(self, name) -> bool:
        return bool(self.data.get(name)) if self.is_bound else bool(self.initial.get(name))


class ThemeForm(PlanEditForm):
    FIELDS = (
        Field("title", "Title"),
        Field("number", "Number", "number", "Leave empty for the next free number."),
    )
    title = forms.CharField(required=False)
    number = forms.CharField(required=False)


class CommitmentForm(PlanEditForm):
    FIELDS = (
        Field("text", "What the strategy commits to", "textarea"),
        Field("number", "Number within the theme", "number", "Leave empty for the next free."),
    )
    RETIRE_FIELDS = (
        Field("retired", "Retire this commitment", "tick"),
        Field("retired_reason", "Why it is retired", "textarea", "Needed to retire it."),
    )
    text = forms.CharField(required=False)
    number = forms.CharField(required=False)
    retired = forms.BooleanField(required=False)
    retired_reason = forms.CharField(required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.FIELDS = self.FIELDS + self.RETIRE_FIELDS
            self.ANCHORS = {field.name: field.anchor for field in self.FIELDS}


class AreaForm(PlanEditForm):
    FIELDS = (Field("name", "Name", hint="Areas are shared by all the strategy's themes."),)
    name = forms.CharField(required=False)


class ActionForm(PlanEditForm):
    """An action's words, theme and number, target, area, leads and commitments."""

    FIELDS = (
        Field("text", "The action as the plan words it", "textarea"),
        Field("theme", "Theme", "select"),
        Field(
            "number",
            "Number within the theme",
            "number",
            "Leave empty for the next free number in the theme.",
        ),
        Field(
            "target",
            "Target date",
            "date",
            "For example, 15 3 2027, or 3 2027 for a target that is a month. "
            "Leave it empty for no target.",
        ),
        Field("area", "Area", "select"),
        Field("leads", "Leads", "checkboxes"),
        Field("commitments", "Commitments this action serves", "checkboxes"),
        Field("reason", "Why are you making this change? (optional)", hint="Kept in history."),
    )
    SERVICE_FIELDS = {"target_text": "target"}

    text = forms.CharField(required=False)
    theme = forms.TypedChoiceField(
        coerce=int,
        error_messages={"invalid_choice": "Choose a theme", "required": "Choose a theme"},
    )
    number = forms.CharField(required=False)
    target = NhsukTargetField(subject="the target date", required=False, years=range(2000, 2101))
    area = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose an area"})
    leads = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": "Choose leads from the list"}
    )
    commitments = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": "Choose commitments from the list"}
    )
    reason = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, themes, areas, roles, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {theme.pk: theme for theme in themes}
        self.areas = {str(area.pk): area for area in areas}
        self.roles = {str(role.pk): role for role in roles}
        self.commitment_choices = {str(c.pk): c for c in commitments}
        self.fields["theme"].choices = [(t.pk, str(t)) for t in themes]
        self.fields["area"].choices = [("", "No area")] + [
            (k, a.name) for k, a in self.areas.items()
        ]
        self.fields["leads"].choices = [(k, str(r)) for k, r in self.roles.items()]
        self.fields["commitments"].choices = [
            (k, f"{c.ref} {c.text[:80]}") for k, c in self.commitment_choices.items()
        ]
        kept = self.initial.get("target_kept")
        if (
            kept
            and kept[1] in (DatePrecision.QUARTER, DatePrecision.YEAR)
            or (kept and kept[0] is None and kept[2])
        ):
            shown = kept[2] or self.initial.get("target_display", "")
            self.date_notes["target"] = (
                f"The plan gives this target as {shown}: leave the boxes as they are to keep it so."
            )

    @staticmethod
    def initial_for(action) -> dict:
        return {
            "text": action.text,
            "theme": action.theme_id,
            "number": action.number,
            "target": _target_boxes(action.target_date, action.target_precision),
            "target_kept": (action.target_date, action.target_precision, action.target_text),
            "target_display": action.target_display,
            "area": action.area_id or "",
            "leads": [role.pk for role in action.leads.all()],
            "commitments": [c.pk for c in action.commitments.all()],
            "version": action.version,
        }

    def clean_target(self):
        """The target as (date, precision, text as written): the action's own when the
        boxes are left as they were shown, so a quarter, a year or a target written
        in words is kept; else the date typed, to the day or the month."""
        typed = self["target"].value()
        kept = self.initial.get("target_kept")
        if kept and _same_boxes(typed, self.initial.get("target")):
            return kept
        date = self.cleaned_data["target"]
        if date is None:
            return None, DatePrecision.MONTH, ""
        return date, NhsukTargetField.precision(typed), ""

    def values(self) -> ActionValues:
        data = self.cleaned_data
        target_date, precision, target_text = data["target"]
        return ActionValues(
            text=data["text"],
            theme=self.themes[data["theme"]],
            number=data["number"] or None,
            target_date=target_date,
            target_precision=precision,
            target_text=target_text,
            area=self.areas.get(data["area"]),
            leads=[self.roles[pk] for pk in data["leads"]],
            commitments=[self.commitment_choices[pk] for pk in data["commitments"]],
        )


def _target_boxes(date, precision) -> dict:
    """What the target's boxes show: the day only for a target given to the day."""
    if date is None:
        return {"day": "", "month": "", "year": ""}
    day = str(date.day) if precision == DatePrecision.DAY else ""
    return {"day": day, "month": str(date.month), "year": str(date.year)}


def _same_boxes(typed, shown) -> bool:
    def plain(boxes):
        return {
            part: " ".join(str((boxes or {}).get(part, "")).split())
            for part in ("day", "month", "year")
        }

    return plain(typed) == plain(shown)


class RetireForm(PlanEditForm):
    FIELDS = (
        Field(
            "reason",
            "Why is this action retired?",
            "textarea",
            "Kept in the action's history and shown on its page.",
        ),
    )
    reason = forms.CharField(required=False)


class RestoreForm(PlanEditForm):
    pass
