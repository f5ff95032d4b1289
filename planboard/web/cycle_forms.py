"""Forms of the quarterly cycle: a lead's update, a review decision, opening a period.

They read what a person typed and check it with the services' own rules
(``planboard.progress.services.updates``), so the page shows every problem at once in
the services' words; the services check everything again when called, so a request
that skips these forms is refused the same.

The new target date is a month and a year, not a day: plans set targets by month
("Mar 17", "June 17") and the paper prints them so, so asking for a day would invent a
precision nobody has. The date stored is the month's last day, as for imported targets.
"""

from django import forms

from planboard.lib.date_fields import NhsukDateField, NhsukMonthField
from planboard.lib.forms import TAMPERED, NhsukFormMixin, VersionField
from planboard.lib.services import ServiceError
from planboard.plans.models import DatePrecision
from planboard.progress import periods as period_rules
from planboard.progress.models import Update
from planboard.progress.services import adjustments
from planboard.progress.services import updates as rules


class UpdateForm(NhsukFormMixin, forms.Form):
    """A lead's quarterly update on one action."""

    narrative_limit = Update.NARRATIVE_LIMIT
    ANCHORS = {
        "narrative": "narrative",
        "rag": "rag",
        "target_moves": "target-moves",
        "target_date": "target-date",
        "target_reason": "target-reason",
    }
    SERVICE_FIELDS = {
        "proposed_rag": "rag",
        "reason": "target_reason",
        "new_target_date": "target_date",
    }

    narrative = forms.CharField(required=False, strip=False)  # required once stripped
    rag = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose the RAG rating you propose",
            "invalid_choice": "Choose a RAG rating from this strategy's scale",
        },
    )
    complete = forms.BooleanField(required=False)
    target_moves = forms.BooleanField(required=False)
    target_date = NhsukMonthField(
        subject="the new target date", required=False, years=range(2000, 2101)
    )
    target_reason = forms.CharField(required=False, strip=False)
    version = VersionField()
    period = VersionField()  # the period the form was opened in: an id, checked like one

    def __init__(self, *args, action, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.levels = {level.pk: level for level in levels}
        self.fields["rag"].choices = [(level.pk, level.label) for level in levels]

    @classmethod
    def initial_for(cls, action, period, update):
        """What the form starts with: the update being edited, else the action as it stands."""
        if update is None:
            return {
                "period": period.pk if period else "",
                "rag": action.rag_level_id,
                "target_moves": False,
                "version": "",
            }
        moves = update.new_target_date is not None
        return {
            "period": update.period_id,
            "narrative": update.narrative,
            "rag": update.proposed_rag_id,
            "complete": update.complete,
            "target_moves": moves,
            "target_date": update.new_target_date,
            "target_reason": update.target_change_reason,
            "version": str(update.version),
        }

    def clean_narrative(self):
        return self.service_check(rules.clean_narrative, self.cleaned_data["narrative"])

    def clean_target_reason(self):
        return self.service_check(rules.clean_reason, self.cleaned_data["target_reason"])

    def clean(self):
        data = super().clean()
        level = self.levels.get(data.get("rag"))
        try:
            rules.check_rating(self.action, level, data.get("complete"))
        except ServiceError as error:
            self.show_service_error(error)
        data["new_target_date"] = None
        if not data.get("target_moves"):
            self._errors.pop("target_date", None)  # boxes left behind are not asked about
            return data
        new_date = data.get("target_date")
        if new_date is None and "target_date" not in self.errors:
            self.add_error("target_date", "Enter the new target date")
        if new_date is not None and new_date == self.action.target_date:
            self.add_error(
                "target_date",
                "Enter a target date different from the current one "
                f"({self.action.target_display}), or untick the box to keep it",
            )
            new_date = None
        if "target_reason" in self.errors:
            pass
        elif new_date is None and not data.get("target_reason"):
            self.add_error("target_reason", rules.reason_needed(self.action))
        elif new_date is not None:
            try:
                rules.clean_target_move(
                    self.action, new_date, DatePrecision.MONTH, data.get("target_reason")
                )
            except ServiceError as error:
                self.show_service_error(error)
        data["new_target_date"] = new_date
        return data

    @property
    def proposed_level(self):
        value = self.cleaned_data.get("rag") if hasattr(self, "cleaned_data") else None
        return self.levels.get(value)

    def submission(self) -> dict:
        """The arguments for ``submit_update``."""
        data = self.cleaned_data
        return {
            "narrative": data["narrative"],
            "proposed_rag": self.levels[data["rag"]],
            "complete": data["complete"],
            "new_target_date": data["new_target_date"],
            "new_target_precision": DatePrecision.MONTH,
            "reason": data["target_reason"] if data["new_target_date"] else "",
            "expected_version": data["version"],
        }

    def period_id(self):
        return self.cleaned_data.get("period")


class ReviewForm(NhsukFormMixin, forms.Form):
    """A reviewer's decision on one update: accept it, accept it with their own rating
    or target date and the reason ("adjust"), or return it with a comment."""

    update = forms.IntegerField(error_messages={"invalid": TAMPERED, "required": TAMPERED})
    version = VersionField()
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("adjust", "Accept with changes"), ("return", "Return")],
        error_messages={"invalid_choice": TAMPERED, "required": TAMPERED},
    )
    comment = forms.CharField(required=False, strip=False)
    rag = forms.CharField(required=False)
    target_date = NhsukMonthField(
        subject="the target date you accept", required=False, years=range(2000, 2101)
    )
    adjustment_reason = forms.CharField(required=False, strip=False)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {str(level.pk): level for level in levels}

    def clean_comment(self):
        return self.service_check(
            rules.clean_comment, self.cleaned_data["comment"], returning=False
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not self.errors:
            try:
                rules.clean_comment(data.get("comment"), returning=True)
            except ServiceError as error:
                self.add_error("comment", str(error))
        if data.get("decision") == "adjust" and not self.errors:
            self._clean_adjustment(data)
        if data.get("version") is None and not self.errors:
            raise forms.ValidationError(TAMPERED)
        return data

    def _clean_adjustment(self, data):
        rag = data.get("rag") or ""
        data["adjusted_rag"] = self.levels.get(rag)
        if rag and data["adjusted_rag"] is None:
            self.add_error("rag", "Choose a RAG rating from this strategy's scale")
            return
        data["adjusted_target_date"] = data.get("target_date")
        if data["adjusted_target_date"] is None and data["adjusted_rag"] is None:
            self.add_error("rag", "Choose the rating or enter the target date you accept instead")
            return
        try:
            data["adjustment_reason"] = adjustments.clean_adjustment_reason(
                data.get("adjustment_reason")
            )
        except ServiceError as error:
            self.add_error("adjustment_reason", str(error))

    def adjustment(self) -> dict:
        """The arguments ``accept_update`` takes for the reviewer's changes."""
        data = self.cleaned_data
        return {
            "adjusted_rag": data["adjusted_rag"],
            "adjusted_target_date": data["adjusted_target_date"],
            "adjusted_target_precision": DatePrecision.MONTH,
            "adjustment_reason": data["adjustment_reason"],
        }


class OpenPeriodForm(NhsukFormMixin, forms.Form):
    """Which period to open, and when its updates are due."""

    ANCHORS = {"label": "period-label", "updates_due": "updates-due"}

    label = forms.CharField(
        max_length=40, error_messages={"required": "Enter the period to open, like 2017/18 Q1"}
    )
    updates_due = NhsukDateField(subject="the date updates are due", required=False)

    def clean_label(self):
        return " ".join(self.cleaned_data["label"].split())

    def clean(self):
        data = super().clean()
        due, label = data.get("updates_due"), data.get("label")
        if due and label:
            try:
                starts_on, _ = period_rules.parse_quarter_label(label)
            except ValueError:
                return data  # the service explains what a label should look like
            try:
                period_rules.check_updates_due(due, starts_on)
            except ServiceError as error:
                self.show_service_error(error)
        return data
