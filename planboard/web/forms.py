"""Forms of the signed-in pages; the templates render them with the NHS.UK macros.

Error messages follow the NHS.UK design system: they say what to do ("Enter your
username"), not what went wrong.
"""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from planboard.lib.date_fields import NhsukDateField
from planboard.lib.forms import NhsukFormMixin
from planboard.plans.models import ActionStatus
from planboard.web.filters import RAG_NOT_IN_KEY, RAG_NOT_RATED, PlanFilter

ANY = ("", "Any")
SEARCH_LENGTH = 100


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account cannot sign in. Contact your administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class PlanFilterForm(forms.Form):
    """The plan page's filters, as GET parameters so a filtered plan can be bookmarked."""

    search = forms.CharField(
        label="Search by ref or words",
        required=False,
        max_length=SEARCH_LENGTH,
        error_messages={
            "max_length": f"Search must be {SEARCH_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Search must not contain a null character",
        },
    )
    theme = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    area = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    lead = forms.TypedChoiceField(label="Lead", coerce=int, required=False, empty_value=None)
    rag = forms.ChoiceField(label="RAG rating", required=False)
    status = forms.ChoiceField(required=False, choices=[ANY, *ActionStatus.choices])
    overdue = forms.BooleanField(label="Only actions overdue today", required=False)

    @classmethod
    def for_strategy(cls, data, strategy, themes=None) -> "PlanFilterForm":
        """The form for ``strategy``'s plan, read from ``data`` (the GET parameters).

        ``themes`` may be given already loaded (the plan page shows their commitments).
        """
        return cls(
            data,
            themes=strategy.themes.all() if themes is None else themes,
            areas=strategy.areas.all(),
            roles=strategy.roles.all(),
            levels=strategy.rag_levels.all(),
        )

    @classmethod
    def for_parts(cls, data, parts) -> "PlanFilterForm":
        """The form for a plan whose parts (``plan.PlanParts``) the page has read."""
        return cls(
            data, themes=parts.themes, areas=parts.areas, roles=parts.roles, levels=parts.levels
        )

    def __init__(self, data, *, themes, areas, roles, levels):
        super().__init__(data)
        self.fields["theme"].choices = [ANY] + [(t.number, str(t)) for t in themes]
        self.fields["area"].choices = [ANY] + [(a.pk, a.name) for a in areas]
        self.fields["lead"].choices = [ANY] + [
            (r.pk, str(r) if r.in_key else f"{r} (not in key)") for r in roles
        ]
        self.fields["rag"].choices = [
            ANY,
            *[(str(level.pk), level.label) for level in levels],
            (RAG_NOT_RATED, "Not rated"),
            (RAG_NOT_IN_KEY, "Rating not in key"),
        ]

    def criteria(self) -> PlanFilter:
        """The valid criteria; a value that is not one of the choices is ignored."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value is not None}
        return PlanFilter(**values)

    def select_items(self, name):
        """The options of a select field in the shape of the NHS.UK select macro."""
        current = self.data.get(name, "")
        if name in self.errors:
            current = ""
        return [
            {"value": value, "text": text, "selected": str(value) == current}
            for value, text in self.fields[name].choices
        ]


class AsOfForm(NhsukFormMixin, forms.Form):
    """The date the findings are judged on; today unless the reader asks otherwise."""

    ANCHORS = {"as_of": "as-of"}

    as_of = NhsukDateField(subject="the date to judge overdue actions on", required=False)

    def as_of_date(self, today: datetime.date) -> datetime.date:
        """The date asked for, else ``today`` (which the boxes then show)."""
        self.initial["as_of"] = today
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return today
