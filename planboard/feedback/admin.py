"""The admin of feedback: the map of services is kept here, through the services of
``services.py``; items, responses, publications and Friends and Family Test counts are
only shown (they are recorded by the forms, imports and syncs, and published on their
own pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.feedback import services
from planboard.feedback.fft_models import FriendsAndFamilyCount
from planboard.feedback.models import (
    FeedbackItem,
    FeedbackPublication,
    FeedbackResponse,
    Service,
    ServiceCode,
)
from planboard.lib.admin import CheckedForm, ServiceAdminMixin
from planboard.progress.admin import ReadOnlyMixin


def _save_service(record, *, user, links):
    return services.save_feedback_service(
        record, user=user, reason="Service corrected" if record.pk else "Service added"
    )


def _save_code(mapping, *, user, links):
    return services.save_source_code(mapping, user=user)


class ServiceForm(CheckedForm):
    check = services.check_feedback_service

    class Meta:
        model = Service
        fields = ["strategy", "name", "code", "kind", "parent"]


class ServiceCodeForm(CheckedForm):
    check = services.check_source_code

    class Meta:
        model = ServiceCode
        fields = ["strategy", "code", "service"]


@admin.register(Service)
class ServiceAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_service
    delete_service = services.delete_feedback_service
    form = ServiceForm
    list_display = ["name", "code", "kind", "parent", "strategy"]
    list_filter = ["strategy", "kind"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        # A service with feedback or services under it is kept (the service refuses).
        if obj is not None and (obj.feedback_items.exists() or obj.children.exists()):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ServiceCode)
class ServiceCodeAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_code
    delete_service = services.delete_source_code
    form = ServiceCodeForm
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


@admin.register(FriendsAndFamilyCount)
class FriendsAndFamilyCountAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["month", "code", "name", "setting", "service", "total_responses", "strategy"]
    list_filter = ["strategy", "month", "setting"]
    list_select_related = ["service", "strategy"]
    search_fields = ["code", "name"]
