"""The filters of the engagement map and the activity register: one form, read from
the address (a GET form), so a filtered map or list can be bookmarked and shared, and
the map's cells and the register count the same activities
(``engagement.mapping.Filters``)."""

from django import forms
from django.db.models import Min

from planboard.engagement import mapping
from planboard.engagement.models import Activity, Kind, Level, Perspective
from planboard.lib import clock
from planboard.lib.forms import NhsukFormMixin
from planboard.progress.periods import parse_quarter_label, quarter_containing, quarters_between

ANY = [("", "Any")]
TRUST = "trust"  # the address's word for the map's row of activities about no service


def quarters_of(strategy) -> list[str]:
    """The quarters from the first activity's to today's, newest first (one query)."""
    first = Activity.objects.filter(strategy=strategy).aggregate(first=Min("starts_on"))["first"]
    today = clock.today()
    if first is None:
        return [quarter_containing(today)[0]]
    quarters = quarters_between(min(first, today), max(first, today))
    return [label for label, _, _ in quarters][::-1]


class EngagementFilterForm(NhsukFormMixin, forms.Form):
    """Levels and kinds (any of those ticked), a perspective that took part, a quarter."""

    level = forms.MultipleChoiceField(
        required=False, choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        required=False, choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    perspective = forms.ChoiceField(required=False, choices=ANY + Perspective.choices)
    quarter = forms.ChoiceField(required=False)

    def __init__(self, data, *, strategy, quarters=None):
        super().__init__(data)
        quarters = quarters_of(strategy) if quarters is None else quarters
        self.fields["quarter"].choices = ANY + [(label, label) for label in quarters]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Choose one of the choices given."

    def filters(self) -> mapping.Filters:
        """The filters chosen (none if one is wrong: the form shows the error)."""
        if not self.is_valid():
            return mapping.Filters()
        chosen = self.cleaned_data
        starts = ends = None
        if chosen["quarter"]:
            starts, ends = parse_quarter_label(chosen["quarter"])
        return mapping.Filters(
            levels=frozenset(chosen["level"]),
            kinds=frozenset(chosen["kind"]),
            perspective=chosen["perspective"],
            starts=starts,
            ends=ends,
        )

    def chosen(self, name) -> list[str]:
        if not self.is_bound:
            return []
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name)
        return [str(v) for v in (values if isinstance(values, list) else [values or ""])]

    def items(self, name) -> list[dict]:
        """The ``select`` or ``checkboxes`` macro's items for ``name``, the chosen ones
        marked."""
        chosen = self.chosen(name)
        marked = (
            "checked" if isinstance(self.fields[name], forms.MultipleChoiceField) else "selected"
        )
        return [
            {"value": value, "text": text, marked: str(value) in chosen}
            for value, text in self.fields[name].choices
        ]
