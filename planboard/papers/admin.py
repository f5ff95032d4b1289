"""The admin of a strategy's board paper cover sheet and committee summary report."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.papers.models import CoverSheet


@admin.register(CoverSheet)
class CoverSheetAdmin(SimpleHistoryAdmin):
    list_display = ["strategy", "meeting", "meeting_date", "title"]
    list_select_related = ["strategy"]
    search_fields = ["title", "meeting", "strategy__title"]
    fieldsets = [
        (None, {"fields": ["strategy"]}),
        (
            "Cover sheet",
            {
                "fields": [
                    ("meeting", "meeting_date"),
                    ("reference", "item"),
                    "title",
                    "presented_by",
                    "action_required",
                    "outcome",
                    "timetable",
                    "links_to_reports",
                    "baf_objectives",
                    "frameworks",
                    "framework_ticks",
                    "implications",
                    "legal_issues",
                    ("author", "designation"),
                    "report_date",
                ]
            },
        ),
        (
            "Summary report",
            {
                "fields": [
                    ("report_to", "summary_date"),
                    "subject",
                    ("sponsor", "summary_author"),
                    "purpose_ticks",
                    "purpose",
                    "summary",
                    "next_steps",
                    "required_actions",
                    "monitoring",
                    "contacts",
                ]
            },
        ),
    ]
