"""What the API's reads answer: the plan and its quarterly record as JSON.

Each object carries its own ``url`` (its address in the API) and, where it has one,
``web_url`` (its page on planboard). An action reads as its row on the plan page and its
own page show it: ref, text, theme, commitments, area, leads, target, RAG rating, status,
whether it is overdue today and its latest accepted progress.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planboard.papers.formats import FORMATS
from planboard.papers.models import GenerationStatus
from planboard.plans.models import ActionStatus, DatePrecision, TagColour
from planboard.plans.rag import colour_for_label
from planboard.progress.checker import FindingCode, FindingKind
from planboard.progress.models import PeriodStatus

# The RAG filter's words for an action with no rating, and one rated outside the key.
NOT_RATED = "not-rated"
NOT_IN_KEY = "not-in-key"


def link(serializer, name: str, **kwargs) -> str:
    """The absolute address of the URL called ``name`` ("api:action", or a page's name)."""
    return serializer.context["request"].build_absolute_uri(reverse(name, kwargs=kwargs))


class StrategySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    period = serializers.CharField(help_text='The years the strategy covers, e.g. "2016-2021".')
    plan_title = serializers.CharField()
    plan_version = serializers.CharField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    themes_url = serializers.SerializerMethodField()
    commitments_url = serializers.SerializerMethodField()
    actions_url = serializers.SerializerMethodField()
    periods_url = serializers.SerializerMethodField()

    def get_url(self, strategy) -> str:
        return link(self, "api:strategy", slug=strategy.slug)

    def get_web_url(self, strategy) -> str:
        return link(self, "plan", slug=strategy.slug)

    def get_themes_url(self, strategy) -> str:
        return link(self, "api:themes", slug=strategy.slug)

    def get_commitments_url(self, strategy) -> str:
        return link(self, "api:commitments", slug=strategy.slug)

    def get_actions_url(self, strategy) -> str:
        return link(self, "api:actions", slug=strategy.slug)

    def get_periods_url(self, strategy) -> str:
        return link(self, "api:periods", slug=strategy.slug)


class CommitmentSerializer(serializers.Serializer):
    ref = serializers.CharField(help_text='Theme number and commitment number, e.g. "1.2".')
    theme = serializers.IntegerField(source="theme.number", help_text="The theme's number.")
    text = serializers.CharField()
    retired_on = serializers.DateField(allow_null=True)
    served_by = serializers.SerializerMethodField(
        help_text="The refs of the actions in the plan that serve it."
    )

    def get_served_by(self, commitment) -> list[str]:
        return [action.ref for action in commitment.actions.all()]


class ThemeCommitmentSerializer(serializers.Serializer):
    ref = serializers.CharField()
    text = serializers.CharField()


class ThemeSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    commitments = ThemeCommitmentSerializer(
        many=True, help_text="The theme's commitments still in the plan."
    )
    actions_url = serializers.SerializerMethodField(help_text="The theme's actions.")

    def get_actions_url(self, theme) -> str:
        return link(self, "api:actions", slug=self.context["strategy"].slug) + (
            f"?theme={theme.number}"
        )


class ActionThemeSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()


class LeadSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The role's id: the actions filter's `lead`.")
    short_name = serializers.CharField(help_text='The abbreviation, or the title, e.g. "EM".')
    title = serializers.CharField()
    in_key = serializers.BooleanField(help_text="Whether the plan's key of roles lists it.")


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The actions filter's `area`.")
    name = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    date = serializers.DateField(
        source="target_date",
        allow_null=True,
        help_text="The last day of the span the target names (a day, month, quarter or year).",
    )
    precision = serializers.ChoiceField(source="target_precision", choices=DatePrecision.choices)
    text = serializers.CharField(source="target_text", help_text="The target as written.")
    display = serializers.CharField(
        source="target_display", help_text='As the plan page shows it, e.g. "Mar 2017".'
    )


class RagSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=f"The level's id, `{NOT_IN_KEY}` or `{NOT_RATED}`: the actions filter's `rag`."
    )
    label = serializers.CharField()
    colour = serializers.ChoiceField(choices=TagColour.choices)
    in_key = serializers.BooleanField(help_text="Whether the strategy's RAG scale defines it.")
    written = serializers.CharField(help_text="The rating as written in the plan or tracker.")


def rag_of(action) -> dict:
    """An action's rating: its level, what was written outside the key, or none."""
    level = action.rag_level
    if level is not None:
        return {
            "key": str(level.pk),
            "label": level.label,
            "colour": level.colour,
            "in_key": True,
            "written": action.rag_text,
        }
    if action.rag_text:
        return {
            "key": NOT_IN_KEY,
            "label": action.rag_text,
            "colour": colour_for_label(action.rag_text),
            "in_key": False,
            "written": action.rag_text,
        }
    return {
        "key": NOT_RATED,
        "label": "Not rated",
        "colour": TagColour.GREY,
        "in_key": True,
        "written": "",
    }


class ActionSerializer(serializers.Serializer):
    ref = serializers.CharField(help_text='Theme number and row number, e.g. "1.11".')
    ref_as_written = serializers.CharField(help_text='The ref the tracker writes, e.g. "A12".')
    text = serializers.CharField(help_text="The action as written in the plan.")
    theme = ActionThemeSerializer()
    commitments = serializers.SerializerMethodField(help_text="The refs of the commitments served.")
    area = AreaSerializer(allow_null=True)
    leads = LeadSerializer(many=True)
    lead_text = serializers.CharField(help_text="The leads as written.")
    target = TargetSerializer(source="*")
    rag = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    completed_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="Not complete, and its target passed.")
    progress = serializers.CharField(help_text="The latest accepted progress.")
    retired_on = serializers.DateField(
        allow_null=True, help_text="Set when the action has left the plan."
    )
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    def get_commitments(self, action) -> list[str]:
        return [commitment.ref for commitment in action.commitments.all()]

    @extend_schema_field(RagSerializer)
    def get_rag(self, action) -> dict:
        return rag_of(action)

    def get_overdue(self, action) -> bool:
        return action.is_overdue(self.context["today"])

    def get_url(self, action) -> str:
        return link(self, "api:action", slug=self.context["strategy"].slug, ref=action.ref)

    def get_web_url(self, action) -> str:
        return link(self, "action", slug=self.context["strategy"].slug, ref=action.ref)


class PeriodSerializer(serializers.Serializer):
    label = serializers.CharField(help_text='For example "2016/17 Q4".')
    slug = serializers.CharField(help_text='The label in addresses, e.g. "2016-17-q4".')
    status = serializers.ChoiceField(choices=PeriodStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    updates_due = serializers.DateField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    findings_url = serializers.SerializerMethodField()
    papers_url = serializers.SerializerMethodField()

    def _link(self, name, period) -> str:
        return link(self, name, slug=self.context["strategy"].slug, period=period.slug)

    def get_url(self, period) -> str:
        return self._link("api:period", period)

    def get_web_url(self, period) -> str:
        return self._link("period", period)

    def get_findings_url(self, period) -> str:
        return self._link("api:findings", period)

    def get_papers_url(self, period) -> str:
        return self._link("api:papers", period)


class FindingSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=FindingCode.choices)
    title = serializers.SerializerMethodField(help_text="The finding's plain title.")
    kind = serializers.ChoiceField(choices=FindingKind.choices)
    ref = serializers.CharField(help_text="The action's ref, a commitment's, or a theme's number.")
    message = serializers.CharField()

    def get_title(self, finding) -> str:
        return FindingCode(finding["code"]).label


class FindingsSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The day the plan was checked on.")
    recorded = serializers.BooleanField(
        help_text="True when these are the findings recorded as the period closed."
    )
    findings = FindingSerializer(many=True)


class PaperFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    format = serializers.ChoiceField(choices=[(f.name, f.label) for f in FORMATS.values()])
    format_label = serializers.CharField(source="get_format_display")
    status = serializers.ChoiceField(choices=GenerationStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    error = serializers.CharField()
    filename = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="In bytes, once made.")
    checksum = serializers.CharField(help_text="SHA-256 of the file, once made.")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.SerializerMethodField(
        help_text="The file itself, with the same token; null until it is ready."
    )
    web_download_url = serializers.SerializerMethodField(
        help_text="The file for someone signed in to planboard; null until it is ready."
    )

    def get_download_url(self, paper) -> str | None:
        if not paper.is_ready:
            return None
        strategy = self.context["strategy"]
        period = self.context["period"]
        return link(self, "api:paper_file", slug=strategy.slug, period=period.slug, pk=paper.pk)

    def get_web_download_url(self, paper) -> str | None:
        if not paper.is_ready:
            return None
        return link(self, "paper_download", slug=self.context["strategy"].slug, pk=paper.pk)
