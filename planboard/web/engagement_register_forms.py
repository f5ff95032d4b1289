"""The forms of the private register: a person, their involvement in an activity, a
line of the rate card, and the finance team's "paid on" day. Each form only reads what
was typed; the services of ``planboard.engagement.register`` check it and their
refusals are shown on the field they name."""

from django import forms

from planboard.engagement.models import Perspective, RateUnit, Reward
from planboard.lib.date_fields import NhsukDateField
from planboard.lib.forms import NhsukFormMixin, VersionField

CHOOSE = "Choose one of the choices given."


def _choices_error(form):
    for field in form.fields.values():
        field.error_messages["invalid_choice"] = CHOOSE


class RegisterSearchForm(NhsukFormMixin, forms.Form):
    q = forms.CharField(required=False, max_length=300)


class ParticipantForm(NhsukFormMixin, forms.Form):
    ANCHORS = {
        "name": "name",
        "perspective": "perspective",
        "consent_given_on": "consent-given-on",
        "consent_withdrawn_on": "consent-withdrawn-on",
        "contact": "contact",
        "access_needs": "access-needs",
    }

    name = forms.CharField(required=False, max_length=1000)
    perspective = forms.ChoiceField(choices=Perspective.choices)
    consent_given_on = NhsukDateField(subject="the day they gave consent", required=False)
    consent_withdrawn_on = NhsukDateField(subject="the day they withdrew consent", required=False)
    contact = forms.CharField(required=False, max_length=20_000)
    access_needs = forms.CharField(required=False, max_length=20_000)
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices_error(self)

    def fill(self, participant):
        """Copy what was typed onto ``participant``."""
        for name in ("name", "perspective", "consent_given_on", "consent_withdrawn_on"):
            setattr(participant, name, self.cleaned_data[name])
        participant.contact = self.cleaned_data["contact"]
        participant.access_needs = self.cleaned_data["access_needs"]
        return participant


def participant_initial(participant) -> dict:
    return {
        "name": participant.name,
        "perspective": participant.perspective,
        "consent_given_on": participant.consent_given_on,
        "consent_withdrawn_on": participant.consent_withdrawn_on,
        "contact": participant.contact,
        "access_needs": participant.access_needs,
        "version": participant.version,
    }


class InvolvementForm(NhsukFormMixin, forms.Form):
    ANCHORS = {
        "participant": "participant",
        "took_part_on": "took-part-on",
        "role": "role",
        "hours": "hours",
        "reward": "reward",
        "rate": "rate",
        "expenses": "expenses",
    }

    participant = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Choose the person."}
    )
    took_part_on = NhsukDateField(subject="the day they took part")
    role = forms.CharField(required=False, max_length=1000)
    hours = forms.CharField(required=False, max_length=30)
    reward = forms.ChoiceField(choices=Reward.choices)
    rate = forms.ChoiceField(required=False)
    expenses = forms.CharField(required=False, max_length=30)

    def __init__(self, data=None, *, people, rate_names):
        super().__init__(data)
        self.fields["participant"].choices = [("", "Choose a person")] + [
            (person.pk, person.name) for person in people
        ]
        self.fields["rate"].choices = [("", "No rate")] + [(name, name) for name in rate_names]
        _choices_error(self)


class RateForm(NhsukFormMixin, forms.Form):
    ANCHORS = {
        "name": "rate-name",
        "unit": "unit",
        "block_hours": "block-hours",
        "amount": "amount",
        "valid_from": "valid-from",
    }

    name = forms.CharField(required=False, max_length=1000)
    unit = forms.ChoiceField(choices=RateUnit.choices)
    block_hours = forms.CharField(required=False, max_length=30)
    amount = forms.CharField(required=False, max_length=30)
    valid_from = NhsukDateField(subject="the day the rate starts")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices_error(self)


class PaidForm(NhsukFormMixin, forms.Form):
    ANCHORS = {"paid_on": "paid-on"}

    quarter = forms.CharField(widget=forms.HiddenInput)
    paid_on = NhsukDateField(subject="the day it was paid")
