"""The actions list's filters, read from the query string.

They mean what the plan page's filters mean, each rule the plans app's own query
(``ActionQuerySet.overdue``, ``not_rated``, ``rated_outside_key``); unlike the page,
which ignores a value it does not know, the API refuses it with a 400 naming the field.
"""

import datetime

from rest_framework import serializers

from planboard.api.serializers import NOT_IN_KEY, NOT_RATED
from planboard.plans.models import ActionStatus

MAX_ID = 2**31 - 1


class ActionFilter(serializers.Serializer):
    theme = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_ID, help_text="A theme's number."
    )
    area = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An area's id."
    )
    lead = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A lead role's id: the actions it leads.",
    )
    rag = serializers.RegexField(
        rf"^([0-9]{{1,10}}|{NOT_RATED}|{NOT_IN_KEY})$",
        required=False,
        help_text=(
            f"A RAG level's id (an action's `rag.key`), `{NOT_RATED}` for actions with no "
            f"rating, or `{NOT_IN_KEY}` for actions rated outside the strategy's scale."
        ),
    )
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    overdue = serializers.BooleanField(
        required=False,
        default=None,
        allow_null=True,
        help_text="`true`: only the actions overdue today; `false`: only those that are not.",
    )


def filter_actions(actions, query_params, today: datetime.date):
    """``actions`` (an ``ActionQuerySet``) narrowed to what ``query_params`` ask for.

    Raises DRF's ValidationError, naming the parameter, for a value that is not valid.
    """
    criteria = ActionFilter(data=query_params)
    criteria.is_valid(raise_exception=True)
    values = criteria.validated_data
    if "theme" in values:
        actions = actions.filter(theme__number=values["theme"])
    if "area" in values:
        actions = actions.filter(area_id=values["area"])
    if "lead" in values:
        actions = actions.filter(leads=values["lead"])
    rag = values.get("rag")
    if rag == NOT_RATED:
        actions = actions.not_rated()
    elif rag == NOT_IN_KEY:
        actions = actions.rated_outside_key()
    elif rag:
        actions = actions.filter(rag_level_id=int(rag))
    if "status" in values:
        actions = actions.filter(status=values["status"])
    if values.get("overdue") is True:
        actions = actions.overdue(today)
    elif values.get("overdue") is False:
        actions = actions.exclude(pk__in=actions.overdue(today).values("pk"))
    return actions
