"""The admin of the quarterly cycle: periods, updates, target changes, snapshots, reminders.

The cycle's state changes (opening and closing a period, submitting, returning and
accepting an update) go through ``progress.services`` so that each checks permission,
records who and why, and freezes what must be frozen. The admin therefore only reads
them: a period's dates and due date can be corrected while it is planned or open
(through ``save_period`` and ``delete_period``), and everything else is shown as it
was recorded, with its history where it keeps one.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.lib.admin import ServiceAdminMixin
from planboard.progress.models import (
    ActionSnapshot,
    Reminder,
    ReportingPeriod,
    TargetChange,
    Update,
)
from planboard.progress.services import delete_period, save_period


class ReadOnlyMixin:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _save_period(period, *, user, links):
    return save_period(
        period, user=user, reason="Period corrected" if period.pk else "Period set up"
    )


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_period
    delete_service = delete_period

    list_display = ["label", "strategy", "starts_on", "ends_on", "updates_due", "status"]
    list_filter = ["strategy", "status"]
    search_fields = ["label"]
    fields = [
        "strategy",
        "label",
        ("starts_on", "ends_on"),
        "updates_due",
        "status",
        ("opened_at", "closed_at", "closed_by"),
    ]
    readonly_fields = ["status", "opened_at", "closed_at", "closed_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "strategy"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # A closed period is what its papers were made from: it stays as it closed.
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Update)
class UpdateAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["action", "period", "status", "proposed_rag", "submitted_by", "on_behalf"]
    list_filter = ["period__strategy", "period", "status", "on_behalf", "own_review"]
    list_select_related = ["action__theme", "period", "proposed_rag", "submitted_by"]
    search_fields = ["narrative", "target_change_reason", "review_comment"]


@admin.register(TargetChange)
class TargetChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["action", "from_display", "to_display", "reason", "changed_by", "changed_at"]
    list_filter = ["action__theme__strategy"]
    list_select_related = ["action__theme", "changed_by"]
    search_fields = ["reason"]


@admin.register(ActionSnapshot)
class ActionSnapshotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["ref", "period", "status", "target_display", "rag_label", "lead_text"]
    list_filter = ["period__strategy", "period"]
    list_select_related = ["period"]
    search_fields = ["text", "progress"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "strategy", "period", "sent_at"]
    list_filter = ["strategy", "kind"]
    list_select_related = ["recipient", "strategy", "period"]
