"""The forms of the activity register and the activity pages.

The register's filters are the map's (``EngagementFilterForm``) with a search and a
directorate and a commitment, so a cell of the map links to exactly its activities.
The activity, participation and outcome forms read what was typed; the services in
``planboard.engagement.services`` check it, and a refusal shows on the field it names.
"""

from django import forms

from planboard.engagement.models import (
    Activity,
    Characteristic,
    Kind,
    Level,
    Perspective,
    Recurrence,
)
from planboard.engagement.services import COUNT_LIMIT
from planboard.lib.date_fields import NhsukDateField
from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.web.engagement_filters import TRUST, EngagementFilterForm
from planboard.web.plan_edit_forms import Field, PlanEditForm

YEARS = range(1990, 2101)
EQUALITY_ROWS_BLANK = 3


class ActivityFilterForm(EngagementFilterForm):
    """The map's filters, and a search over the title, purpose and outcome, a
    directorate (a row of the map, or "trust" for activities about no service) and a
    commitment (served directly or through an action)."""

    q = forms.CharField(required=False, max_length=200)
    directorate = forms.ChoiceField(required=False)
    commitment = forms.ChoiceField(required=False)

    def __init__(self, data, *, strategy, rows, commitments, quarters=None):
        super().__init__(data, strategy=strategy, quarters=quarters)
        self.fields["directorate"].choices = (
            [("", "Any")]
            + [(str(line.key), line.label) for line in rows]
            + [(TRUST, "Across the trust")]
        )
        self.fields["commitment"].choices = [("", "Any")] + [
            (str(c.pk), f"{c.ref} {c.text[:60]}") for c in commitments
        ]
        for name in ("directorate", "commitment"):
            self.fields[name].error_messages["invalid_choice"] = "Choose one of the choices given."


def _choices(records, text=str) -> list[tuple[str, str]]:
    return [(str(record.pk), text(record)) for record in records]


class ActivityForm(PlanEditForm):
    """An activity: what it is, its level and days, where, why, what it serves, its lead."""

    FIELDS = (
        Field("title", "Title"),
        Field("ref", "Reference (optional)", hint="The register's own reference, if it has one."),
        Field("kind", "Kind of activity", "select"),
        Field("level", "Level of involvement", "select"),
        Field("starts_on", "Start date", "date"),
        Field("ends_on", "End date (optional)", "date", "Leave it empty while it goes on."),
        Field("ongoing", "It is still going on", "tick"),
        Field("recurrence", "How often it happens", "select"),
        Field("services", "Directorates and services it is about", "checkboxes"),
        Field("purpose", "Purpose", "textarea"),
        Field("commitments", "Commitments it serves", "checkboxes"),
        Field("actions", "Actions it serves", "checkboxes"),
        Field("lead", "Lead", "select", "From the strategy's key of people."),
    )

    title = forms.CharField(required=False)
    ref = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=Kind.choices, required=False)
    level = forms.ChoiceField(choices=Level.choices, required=False)
    starts_on = NhsukDateField(subject="the start date", years=YEARS)
    ends_on = NhsukDateField(subject="the end date", required=False, years=YEARS)
    ongoing = forms.BooleanField(required=False)
    recurrence = forms.ChoiceField(choices=Recurrence.choices, required=False)
    services = forms.MultipleChoiceField(required=False)
    purpose = forms.CharField(required=False)
    commitments = forms.MultipleChoiceField(required=False)
    actions = forms.MultipleChoiceField(required=False)
    lead = forms.ChoiceField(required=False)

    def __init__(self, *args, services, commitments, actions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {
            "services": {str(s.pk): s for s in services},
            "commitments": {str(c.pk): c for c in commitments},
            "actions": {str(a.pk): a for a in actions},
            "lead": {str(p.pk): p for p in people},
        }
        self.fields["services"].choices = _choices(services, self._service_label)
        self.fields["commitments"].choices = _choices(
            commitments, lambda c: f"{c.ref} {c.text[:80]}"
        )
        self.fields["actions"].choices = _choices(actions, lambda a: f"{a.ref} {a.text[:80]}")
        self.fields["lead"].choices = [("", "No lead named")] + _choices(people, str)
        for name in ("kind", "level", "recurrence", "lead"):
            self.fields[name].error_messages["invalid_choice"] = "Choose one of the choices given."
        for name in ("services", "commitments", "actions"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the list."

    @staticmethod
    def _service_label(service) -> str:
        return f"{service.name} (in {service.parent.name})" if service.parent_id else service.name

    @staticmethod
    def initial_for(activity: Activity) -> dict:
        return {
            "title": activity.title,
            "ref": activity.ref,
            "kind": activity.kind,
            "level": activity.level,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "ongoing": activity.ongoing,
            "recurrence": activity.recurrence,
            "services": [s.pk for s in activity.services.all()],
            "purpose": activity.purpose,
            "commitments": [c.pk for c in activity.commitments.all()],
            "actions": [a.pk for a in activity.actions.all()],
            "lead": activity.lead_id or "",
            "version": activity.version,
        }

    def apply(self, activity: Activity) -> dict:
        """Set the activity's fields from the form; the links to save with it."""
        data = self.cleaned_data
        for name in ("title", "ref", "starts_on", "ends_on", "ongoing", "purpose"):
            setattr(activity, name, data[name])
        activity.kind = data["kind"] or Kind.OTHER
        activity.level = data["level"] or Level.INFORM
        activity.recurrence = data["recurrence"] or Recurrence.ONCE
        activity.lead = self.records["lead"].get(data["lead"])
        return {
            name: [self.records[name][key] for key in data[name]]
            for name in ("services", "commitments", "actions")
        }


def _count(label):
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=COUNT_LIMIT,
        label=label,
        error_messages={
            "invalid": f"Enter the number of {label.lower()} as a whole number.",
            "min_value": f"The number of {label.lower()} is 0 or more.",
            "max_value": f"The number of {label.lower()} is at most {COUNT_LIMIT:,}.",
        },
    )


class ParticipationForm(NhsukFormMixin, forms.Form):
    """How many took part by perspective, and the aggregate equality monitoring: rows of
    characteristic, category and count (counts only, never a person)."""

    version = VersionField()

    def __init__(self, *args, rows=0, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Perspective.choices:
            self.fields[value] = _count(label)
        typed = str(self.data.get("rows", "")) if self.is_bound else ""
        self.rows = min(max(rows, int(typed) if typed.isdigit() else 0), 200)
        self.rows += 0 if self.is_bound else EQUALITY_ROWS_BLANK
        for index in range(self.rows):
            self.fields[f"eq-{index}-characteristic"] = forms.ChoiceField(
                required=False,
                choices=[("", "Choose")] + Characteristic.choices,
                error_messages={"invalid_choice": "Choose a characteristic from the list."},
            )
            self.fields[f"eq-{index}-category"] = forms.CharField(
                required=False,
                max_length=100,
                error_messages={"max_length": "A category is at most 100 characters."},
            )
            self.fields[f"eq-{index}-count"] = _count("People")
        self.ANCHORS = {name: name for name in self.fields}

    def clean(self):
        data = super().clean()
        for index in range(self.rows):
            prefix = f"eq-{index}-"
            characteristic = data.get(prefix + "characteristic")
            category = (data.get(prefix + "category") or "").strip()
            count = data.get(prefix + "count")
            if not (characteristic or category or count):
                continue
            if not characteristic:
                self.add_error(prefix + "characteristic", "Choose the characteristic of this row.")
            if not category:
                self.add_error(prefix + "category", "Enter the category of this row.")
            if count is None:
                self.add_error(prefix + "count", "Enter how many people said this category.")
        return data

    def counts(self) -> dict:
        return {p: self.cleaned_data[p] for p in Perspective.values if self.cleaned_data[p]}

    def equality(self) -> dict:
        rows = {}
        for index in range(self.rows):
            prefix = f"eq-{index}-"
            characteristic = self.cleaned_data.get(prefix + "characteristic")
            if characteristic:
                key = (characteristic, self.cleaned_data[prefix + "category"].strip())
                rows[key] = rows.get(key, 0) + self.cleaned_data[prefix + "count"]
        return rows

    @staticmethod
    def initial_for(activity) -> dict:
        initial = {row.perspective: row.count for row in activity.participation.all()}
        initial["version"] = activity.version
        for index, row in enumerate(activity.equality_counts.all()):
            initial[f"eq-{index}-characteristic"] = row.characteristic
            initial[f"eq-{index}-category"] = row.category
            initial[f"eq-{index}-count"] = row.count
        return initial


class OutcomeForm(PlanEditForm):
    """What changed because of the activity, and whether and how it was fed back."""

    FIELDS = (
        Field("outcome", "What changed because of it", "textarea"),
        Field(
            "fed_back_on",
            "When it was fed back to those who took part (optional)",
            "date",
            "Leave it empty until it is fed back.",
        ),
        Field("fed_back_how", "How it was fed back (optional)", hint="For example, a letter."),
    )

    outcome = forms.CharField(required=False)
    fed_back_on = NhsukDateField(subject="the day it was fed back", required=False, years=YEARS)
    fed_back_how = forms.CharField(required=False)

    @staticmethod
    def initial_for(activity: Activity) -> dict:
        return {
            "outcome": activity.outcome,
            "fed_back_on": activity.fed_back_on,
            "fed_back_how": activity.fed_back_how,
            "version": activity.version,
        }

    def apply(self, activity: Activity) -> None:
        for name in ("outcome", "fed_back_on", "fed_back_how"):
            setattr(activity, name, self.cleaned_data[name])
