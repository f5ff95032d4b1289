"""Forms of the papers pages: a paper's cover sheet, and the format to write a file in.

The cover sheet form edits every field of ``CoverSheet`` a person writes. Tick boxes
are checkboxes named by their labels (the labels come from the paper before, or the
usual purposes of a summary report). Dates are typed in NHS.UK's date input: a day, a
month and a year.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from planboard.lib.date_fields import NhsukDateField
from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.lib.services import ServiceError
from planboard.papers import covers
from planboard.papers.covers import EDITABLE
from planboard.papers.formats import FORMATS
from planboard.papers.models import CoverSheet
from planboard.papers.paper import SUMMARY_FIELDS

DATE_FIELDS = ("meeting_date", "report_date", "summary_date")
TICK_FIELDS = ("framework_ticks", "purpose_ticks")

# Cover sheet fields, in the order the paper prints them, with the hints shown.
HINTS = {
    "meeting": 'For example "Board of Directors (Open)"',
    "reference": 'For example "BoD: 08.03.17"',
    "baf_objectives": "One per line",
}


class CoverSheetForm(NhsukFormMixin, forms.ModelForm):
    """The cover sheet and summary report of one paper, version-checked on save."""

    ANCHORS = {name: name.replace("_", "-") for name in EDITABLE}

    version = VersionField()
    framework_ticked = forms.MultipleChoiceField(required=False)
    purpose_ticked = forms.MultipleChoiceField(required=False)

    class Meta:
        model = CoverSheet
        fields = [name for name in EDITABLE if name not in TICK_FIELDS]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, instance=sheet, **kwargs)
        self.sheet = sheet
        for name in DATE_FIELDS:
            label = self.fields[name].label
            self.fields[name] = NhsukDateField(
                subject=f"the {label.lower()}", required=False, label=label
            )
        for name in self.Meta.fields:
            # The service's rule decides how long a field may be (see ``clean``).
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
        self.fields["framework_ticked"].choices = _choices(sheet.framework_ticks)
        self.fields["purpose_ticked"].choices = _choices(sheet.purpose_ticks)
        if not self.is_bound:
            self.initial["version"] = sheet.version
            self.initial["framework_ticked"] = _ticked(sheet.framework_ticks)
            self.initial["purpose_ticked"] = _ticked(sheet.purpose_ticks)

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            if name in cleaned:
                try:
                    covers.check_value(name, cleaned[name])
                except ServiceError as error:
                    self.show_service_error(error)
        return cleaned

    def values(self) -> dict:
        """Field name to value, as ``save_cover`` takes them."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name in TICK_FIELDS:
            chosen = set(self.cleaned_data[name.replace("_ticks", "_ticked")])
            values[name] = [
                {"label": tick["label"], "ticked": tick["label"] in chosen}
                for tick in getattr(self.sheet, name) or []
            ]
        return values

    def field_specs(self):
        """The fields in paper order for the template: name, id, label, kind, hint, and
        whether it belongs to the summary report rather than the cover sheet."""
        specs = []
        for name in self.Meta.fields:
            model_field = CoverSheet._meta.get_field(name)
            if name in DATE_FIELDS:
                kind = "date"
            elif isinstance(model_field, models.BooleanField):
                kind = "checkbox"
            elif isinstance(model_field, models.TextField):
                kind = "textarea"
            else:
                kind = "input"
            label = str(model_field.verbose_name)
            specs.append(
                {
                    "name": name,
                    "id": name.replace("_", "-"),
                    "label": _capital(label),
                    "kind": kind,
                    "hint": HINTS.get(name, ""),
                    "summary": name in SUMMARY_FIELDS,
                    "help": str(model_field.help_text),
                }
            )
        return specs


def _capital(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _choices(ticks):
    return [(tick["label"], tick["label"]) for tick in ticks or []]


def _ticked(ticks):
    return [tick["label"] for tick in ticks or [] if tick.get("ticked")]


class GenerateForm(forms.Form):
    """The format to write a paper in."""

    format = forms.ChoiceField(
        choices=[(f.name, f.label) for f in FORMATS.values()],
        error_messages={"required": "Choose a format", "invalid_choice": "Choose a format"},
    )
