"""Updates as the API shows them, and what a client sends to give or review one.

What is sent is checked field by field with the services' own checks
(``planboard.progress.services.updates`` and ``adjustments``), as the web forms check
it, so a request with several problems hears of each at once, in the words the pages
use; the services check everything again when called. A rating is named by its label
on the strategy's scale (or one of the level's aliases, as imports match ratings); a
target date is kept as a month, as the web form keeps it: any day names its month.
"""

from rest_framework import serializers

from planboard.api.problems import ProblemDocument
from planboard.lib.services import ServiceError
from planboard.lib.users import display_name
from planboard.progress.models import UpdateStatus
from planboard.progress.periods import period_slug
from planboard.progress.services import adjustments
from planboard.progress.services import updates as rules

TARGET_YEARS = range(2000, 2101)  # as the web forms' month boxes allow
BIGGEST_VERSION = 2**31 - 1


class UpdateOut(serializers.Serializer):
    """An update as the period's page and the review queue show it."""

    url = serializers.SerializerMethodField(
        help_text="The action's update in the open period; null once the period is not open."
    )
    action_url = serializers.SerializerMethodField(help_text="The action the update is on.")
    action_ref = serializers.CharField(source="action.ref")
    action_text = serializers.CharField(source="action.text")
    period = serializers.SerializerMethodField(help_text="The period's name in addresses.")
    period_label = serializers.CharField(source="period.label")
    status = serializers.ChoiceField(choices=UpdateStatus.choices)
    narrative = serializers.CharField()
    proposed_rating = serializers.CharField(source="proposed_rag.label", allow_null=True)
    complete = serializers.BooleanField()
    new_target_date = serializers.DateField(
        allow_null=True, help_text="The last day of the month the lead moves the target to."
    )
    target_change_reason = serializers.CharField(allow_blank=True)
    submitted_by = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    on_behalf = serializers.BooleanField(
        help_text="Given by the governance team on the lead's behalf."
    )
    review_comment = serializers.CharField(allow_blank=True)
    reviewed_by = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    adjusted_rating = serializers.CharField(source="adjusted_rag.label", allow_null=True)
    adjusted_target_date = serializers.DateField(allow_null=True)
    adjustment_reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="Send it back to change or review the update.")

    def get_url(self, update) -> str | None:
        if not update.period.is_open:
            return None
        return self.context["address"](update.action)

    def get_action_url(self, update) -> str:
        return self.context["action_address"](update.action)

    def get_period(self, update) -> str:
        return period_slug(update.period.label)

    def get_submitted_by(self, update) -> str:
        return display_name(update.submitted_by)

    def get_reviewed_by(self, update) -> str | None:
        return display_name(update.reviewed_by) or None


class UpdateFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=UpdateStatus.choices, required=False)
    theme = serializers.IntegerField(min_value=1, max_value=9999, required=False)


def _version(**kwargs):
    return serializers.IntegerField(min_value=0, max_value=BIGGEST_VERSION, **kwargs)


def _text(**kwargs):
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs)


def _check(check, *args, **kwargs):
    """Run one of a service's checks; its refusal is this field's error."""
    try:
        return check(*args, **kwargs)
    except ServiceError as error:
        raise serializers.ValidationError(str(error)) from None


def _level(levels, written):
    """The level of the scale ``written`` names (its label or an alias), else None."""
    found = levels.matching(written) if written else []
    return found[0] if len(found) == 1 else None


def _target(value, subject):
    if value is not None and value.year not in TARGET_YEARS:
        first, last = TARGET_YEARS[0], TARGET_YEARS[-1]
        raise serializers.ValidationError(f"{subject} must be in a year from {first} to {last}")
    return value


class UpdateSubmission(serializers.Serializer):
    """A lead's update for the open period (context: ``action`` and the scale's ``levels``)."""

    version = _version(
        required=False,
        default=0,
        help_text="The version of the update read; 0 (or left out) for a new update.",
    )
    narrative = _text(help_text="The progress made this quarter.")
    proposed_rating = serializers.CharField(
        help_text="A level of the strategy's RAG scale, by its label.",
        error_messages={"required": "Choose the RAG rating you propose"},
    )
    complete = serializers.BooleanField(required=False, default=False)
    new_target_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Where the target moves, if it moves: any day of the month (kept as a month).",
    )
    target_change_reason = _text(
        required=False, default="", help_text="Why the target moves (needed when it moves)."
    )

    def validate_narrative(self, value):
        return _check(rules.clean_narrative, value)

    def validate_target_change_reason(self, value):
        return _check(rules.clean_reason, value)

    def validate_new_target_date(self, value):
        return _target(value, "The new target date")

    def validate_proposed_rating(self, value):
        level = _level(self.context["levels"], value)
        if level is None:
            _check(rules.check_rating, self.context["action"], value, False)  # not on the scale
        return level

    def validate(self, data):
        action = self.context["action"]
        level = data["proposed_rating"]
        errors = {}
        try:
            rules.check_rating(action, level, data["complete"])
        except ServiceError as error:
            errors["proposed_rating"] = [str(error)]
        try:
            moved, reason = rules.clean_target_move(
                action, data["new_target_date"], "month", data["target_change_reason"]
            )
        except ServiceError as error:
            errors["target_change_reason"] = [str(error)]
        if errors:
            raise serializers.ValidationError(errors)
        data.update(moved=moved, reason=reason)
        return data

    def submission(self) -> dict:
        """The arguments for ``submit_update``."""
        data = self.validated_data
        return {
            "narrative": data["narrative"],
            "proposed_rag": data["proposed_rating"],
            "complete": data["complete"],
            "new_target_date": data["moved"],
            "new_target_precision": "month",
            "reason": data["reason"],
            "expected_version": data["version"] or None,
        }


class ReturnDecision(serializers.Serializer):
    version = _version(help_text="The version of the update read.")
    comment = _text(help_text="What the lead should change.")

    def validate_comment(self, value):
        return _check(rules.clean_comment, value, returning=True)


class AcceptDecision(serializers.Serializer):
    """Accept an update as it is, or with the reviewer's own rating or target date and
    the reason (context: the update's ``action`` and the scale's ``levels``)."""

    version = _version(help_text="The version of the update read.")
    comment = _text(required=False, default="")
    adjusted_rating = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The rating accepted in place of the lead's, by its label on the scale.",
    )
    adjusted_target_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The target accepted in place of the lead's: any day of the month.",
    )
    adjustment_reason = _text(
        required=False, default="", help_text="Why the reviewer changed the rating or target."
    )

    def validate_comment(self, value):
        return _check(rules.clean_comment, value, returning=False)

    def validate_adjusted_rating(self, value):
        if value is None:
            return None
        level = _level(self.context["levels"], value)
        if level is None:
            _check(rules.check_rating, self.context["action"], value, False)  # not on the scale
        return level

    def validate_adjusted_target_date(self, value):
        return _target(value, "The target date you accept")

    def validate(self, data):
        if data["adjusted_rating"] is None and data["adjusted_target_date"] is None:
            data["adjustment_reason"] = ""
            return data
        try:
            data["adjustment_reason"] = adjustments.clean_adjustment_reason(
                data["adjustment_reason"]
            )
        except ServiceError as error:
            raise serializers.ValidationError({"adjustment_reason": [str(error)]}) from None
        return data

    def decision(self) -> dict:
        """The arguments ``accept_update`` takes besides the update and the reviewer."""
        data = self.validated_data
        decided = {"comment": data["comment"], "expected_version": data["version"]}
        if data["adjusted_rating"] is None and data["adjusted_target_date"] is None:
            return decided
        return decided | {
            "adjusted_rag": data["adjusted_rating"],
            "adjusted_target_date": data["adjusted_target_date"],
            "adjusted_target_precision": "month",
            "adjustment_reason": data["adjustment_reason"],
        }


class ConflictProblem(ProblemDocument):
    current = UpdateOut(
        required=False,
        allow_null=True,
        help_text=(
            "For an edit conflict: the update as it now is (null when it no longer exists)."
        ),
    )


class MissingUpdateProblem(ProblemDocument):
    open_period = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="The open period the update would be in (null when none is open).",
    )
