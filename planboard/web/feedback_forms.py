"""The forms of a strategy's feedback pages: the filters of the list, a single item,
a response, links to the plan and "you said, we did".

The checks that matter are the feedback services' own (``planboard.feedback``), shown
on the field they name; these forms only read what was typed.
"""

import datetime

from django import forms
from django.db.models import F, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from planboard.feedback.models import (
    SUMMARY_LIMIT,
    TEXT_LIMIT,
    TITLE_LIMIT,
    Change,
    FeedbackItem,
    LoopState,
    Polarity,
    Source,
)
from planboard.lib import clock
from planboard.lib.date_fields import NhsukDateField
from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.progress.periods import parse_quarter_label, quarters_between

ANY = [("", "Any")]
LINKED = [("", "Any"), ("yes", "Linked to the plan"), ("no", "Not linked")]


def _text(label, limit, *, required=False, textarea=False):
    return forms.CharField(
        required=required,
        max_length=limit,
        strip=True,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={
            "required": f"Enter the {label}.",
            "max_length": f"The {label} must be {limit} characters or fewer.",
        },
    )


def quarters_of(strategy) -> list[str]:
    """The quarters from the first item to the last (newest first), in one query."""
    moments = FeedbackItem.objects.filter(strategy=strategy).aggregate(
        first=Min(_reached()), last=Max(_reached())
    )
    if moments["first"] is None:
        return []
    first, last = (timezone.localtime(moments[key]).date() for key in ("first", "last"))
    return [label for label, _, _ in quarters_between(first, last)][::-1]


def _reached():
    """When an item reached the trust: published at the source, else received."""
    return Coalesce("published_at", "received_at")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ItemFilterForm(NhsukFormMixin, forms.Form):
    """Filters of a list of feedback items by source, service and where the loop stands,
    read from the address (a GET form); each page's form adds its own."""

    source = forms.ChoiceField(required=False, choices=ANY + Source.choices)
    service = forms.ChoiceField(required=False)
    loop = forms.ChoiceField(required=False, choices=ANY + LoopState.choices)

    def __init__(self, data, *, services):
        super().__init__(data)
        self.fields["service"].choices = ANY + [(str(s.pk), s.name) for s in services]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Choose one of the choices given."

    def filtered(self, items):
        """``items`` as the filters chosen keep them (all of them if a filter is wrong)."""
        if not self.is_valid():
            return items
        chosen = self.cleaned_data
        if chosen["source"]:
            items = items.filter(source=chosen["source"])
        if chosen["service"]:
            items = items.filter(services__pk=chosen["service"])
        if chosen["loop"]:
            items = items.filter(loop_filter(chosen["loop"]))
        return self.narrowed(items, chosen).distinct()

    def narrowed(self, items, chosen):
        """``items`` as the page's own filters keep them."""
        return items

    def items(self, name) -> list[dict]:
        """The ``select`` macro's items for field ``name``, the chosen one selected."""
        chosen = str(self.data.get(name, "")) if self.is_bound else ""
        return [
            {"value": value, "text": text, "selected": str(value) == chosen}
            for value, text in self.fields[name].choices
        ]


class FeedbackFilterForm(ItemFilterForm):
    """The list's filters, read from the address (a GET form), so a filtered list can
    be bookmarked and shared."""

    quarter = forms.ChoiceField(required=False)
    tag = _text("tag", 100)
    linked = forms.ChoiceField(required=False, choices=LINKED)
    field_order = ["source", "service", "quarter", "tag", "loop", "linked"]

    def __init__(self, data, *, strategy, services, quarters):
        super().__init__(data, services=services)
        self.fields["quarter"].choices = ANY + [(label, label) for label in quarters]

    def narrowed(self, items, chosen):
        if chosen["quarter"]:
            start, end = parse_quarter_label(chosen["quarter"])
            items = items.annotate(reached=_reached()).filter(
                reached__gte=_day_start(start),
                reached__lt=_day_start(end + datetime.timedelta(days=1)),
            )
        if chosen["tag"]:
            items = items.filter(tags__label__iexact=chosen["tag"])
        if chosen["linked"]:
            linked = Q(pk__in=FeedbackItem.actions.through.objects.values("feedbackitem_id")) | Q(
                pk__in=FeedbackItem.commitments.through.objects.values("feedbackitem_id")
            )
            items = items.filter(linked if chosen["linked"] == "yes" else ~linked)
        return items


def loop_filter(state: str) -> Q:
    """The items whose loop stands at ``state`` (as ``FeedbackItem.loop_state`` reads it)."""
    not_made = Q(change_made_at__isnull=True)
    no_change_wins = Q(no_change_at__isnull=False) & (
        Q(change_planned_at__isnull=True) | Q(no_change_at__gte=F("change_planned_at"))
    )
    if state == LoopState.CHANGE_MADE:
        return Q(change_made_at__isnull=False)
    if state == LoopState.NO_CHANGE:
        return not_made & no_change_wins
    if state == LoopState.CHANGE_PLANNED:
        return not_made & Q(change_planned_at__isnull=False) & ~no_change_wins
    if state == LoopState.RESPONDED:
        return Q(
            responded_at__isnull=False,
            change_made_at__isnull=True,
            change_planned_at__isnull=True,
            no_change_at__isnull=True,
        )
    return Q(responded_at__isnull=True)


def moment_of(day: datetime.date) -> datetime.datetime:
    """A day typed in a form as a time: now if it is today, else the day's start."""
    now = clock.now()
    if day == timezone.localtime(now).date():
        return now
    return _day_start(day)


def read_tags(text: str) -> list[tuple[str, str]]:
    """Tags typed one a line: "+label" was good, "-label" could be improved."""
    tags = []
    for line in (text or "").splitlines():
        line = line.strip()
        polarity = {"+": Polarity.POSITIVE, "-": Polarity.NEGATIVE}.get(line[:1])
        label = line[1:].strip() if polarity else line
        if label:
            tags.append((label, polarity or Polarity.NEUTRAL))
    return tags


class FeedbackForm(NhsukFormMixin, forms.Form):
    """What the templates ask of every form here: field ids are their names with
    hyphens, and a list field shows what was sent, else what was given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ANCHORS = {name: name.replace("_", "-") for name in self.fields}

    def chosen(self, name) -> list[str]:
        if self.is_bound:
            return self.data.getlist(name)
        return [str(value) for value in self.initial.get(name) or []]

    def ticks(self, name) -> list[dict]:
        """The ``checkboxes`` macro's items for list field ``name``."""
        chosen = self.chosen(name)
        return [
            {"value": str(value), "text": text, "checked": str(value) in chosen}
            for value, text in self.fields[name].choices
        ]

    def options(self, name) -> list[dict]:
        """The ``select`` macro's items for field ``name``."""
        chosen = str(self.shown_value(name))
        return [
            {"value": str(value), "text": text, "selected": str(value) == chosen}
            for value, text in self.fields[name].choices
        ]


class ItemForm(FeedbackForm):
    """A single item, from any source."""

    source = forms.ChoiceField(
        choices=[("", "Choose a source")] + Source.choices,
        error_messages={"required": "Choose where the feedback came from."},
    )
    source_id = _text("id at the source", 100)
    given_on = NhsukDateField(subject="the date it was given", required=False)
    title = _text("title", TITLE_LIMIT)
    text = _text("feedback", TEXT_LIMIT, required=True, textarea=True)
    author_role = _text("description of who gave it", 100)
    services = forms.MultipleChoiceField(required=False)
    tags = _text("tags", 2000, textarea=True)
    raised_concern = forms.BooleanField(required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.service_records = {str(s.pk): s for s in services}
        self.fields["services"].choices = [(pk, s.name) for pk, s in self.service_records.items()]
        self.fields["services"].error_messages["invalid_choice"] = "Choose services from the list."

    def values(self) -> dict:
        """What ``feedback.services.record_item`` takes."""
        data = dict(self.cleaned_data)
        data["services"] = [self.service_records[pk] for pk in data["services"]]
        data["tags"] = read_tags(data["tags"])
        return data


class ResponseForm(FeedbackForm):
    """A response to an item and what it says about a change."""

    author = _text("name of who responded", 200)
    organisation = _text("organisation", 300)
    responded_on = NhsukDateField(subject="the date of the response")
    text = _text("response", TEXT_LIMIT, required=True, textarea=True)
    change = forms.ChoiceField(choices=Change.choices, initial=Change.NONE)
    change_reason = _text("reason no change is possible", TEXT_LIMIT, textarea=True)

    SERVICE_FIELDS = {"responded_at": "responded_on"}

    def values(self) -> dict:
        """What ``feedback.loop.record_response`` takes."""
        data = dict(self.cleaned_data)
        data["responded_at"] = moment_of(data.pop("responded_on"))
        return data


class LinkForm(FeedbackForm):
    """The actions and commitments an item's change belongs to."""

    actions = forms.MultipleChoiceField(required=False)
    commitments = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, actions=(), commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {
            "actions": {str(a.pk): a for a in actions},
            "commitments": {str(c.pk): c for c in commitments},
        }
        for name, records in self.records.items():
            self.fields[name].choices = [(pk, str(r)) for pk, r in records.items()]
            self.fields[name].error_messages["invalid_choice"] = f"Choose {name} from the list."

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("actions") or data.get("commitments")):
            raise forms.ValidationError("Choose an action or a commitment.")
        return data

    def values(self) -> dict:
        return {
            name: [self.records[name][pk] for pk in self.cleaned_data[name]]
            for name in ("actions", "commitments")
        }


class PublishForm(FeedbackForm):
    """The "you said, we did" of an item, and a reason to publish it although the
    detectors flag personal data in it."""

    you_said = _text('"you said" summary', SUMMARY_LIMIT, required=True, textarea=True)
    we_did = _text('"we did" summary', SUMMARY_LIMIT, required=True, textarea=True)
    overrule_reason = _text("reason to overrule the flag", SUMMARY_LIMIT, textarea=True)
    version = VersionField()
