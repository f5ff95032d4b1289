"""The admin of feedback: the map of services is kept here, through the services of
``services.py``; items, responses and publications are only shown (they are recorded
by the forms, imports and syncs, and published on their own pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.feedback import services
from planboard.feedback.models import (
    FeedbackItem,
    FeedbackPublication,
    FeedbackResponse,
    Service,
    ServiceCode,
)
from planboard.lib.admin import ServiceAdminMixin
from planboard.progress.admin import ReadOnlyMixin


def _save_service(record, *, user, links):
    return services.save_feedback_service(
        record, user=user, reason="Service corrected" if record.pk else "Service added"
    )


def _save_code(mapping, *, user, links):
    return services.save_source_code(mapping, user=user)


@admin.register(Service)
class ServiceAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_service
    delete_service = services.delete_feedback_service
    exclude = ["version"]
    list_display = ["name", "code", "kind", "parent", "strategy"]
    list_filter = ["strategy", "kind"]
    search_fields = ["name", "code"]


@admin.register(ServiceCode)
class ServiceCodeAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_code
    delete_service = services.delete_source_code
    list_display = ["code", "service", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["code", "service__name"]


@admin.register(FeedbackItem)
class FeedbackItemAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "source", "received_at", "loop_state", "strategy"]
    list_filter = ["strategy", "source", "raised_concern"]
    search_fields = ["title", "source_id"]

    @admin.display(description="tags")
    def tag_list(self, item):
        return ", ".join(f"{tag.label} ({tag.get_polarity_display()})" for tag in item.tags.all())

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "tag_list"]


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["item", "responded_at", "author", "change"]
    list_filter = ["change"]
    list_select_related = ["item"]


@admin.register(FeedbackPublication)
class FeedbackPublicationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["item", "approved_at", "withdrawn_at"]
    list_select_related = ["item"]
