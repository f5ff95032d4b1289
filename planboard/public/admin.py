"""The admin of the public page: what is published, and requests for another format.

Public texts are written on the strategy's Public page, which checks the reading ease
and guards against two editors saving at once; the admin only shows them, with their
history. Requests for another format hold members of the public's contact details:
the admin shows them read-only, and deleting one (to honour a request to forget it)
is the one change allowed.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.lib.admin import ServiceAdminMixin
from planboard.progress.admin import ReadOnlyMixin
from planboard.public.models import (
    ActionPublication,
    InformationRequest,
    StrategyPublication,
    ThemePublication,
)
from planboard.public.requests import forget_request


@admin.register(StrategyPublication)
class StrategyPublicationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["strategy", "published", "version"]


@admin.register(ThemePublication)
class ThemePublicationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["theme", "version"]
    list_select_related = ["theme__strategy"]


@admin.register(ActionPublication)
class ActionPublicationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["action", "published", "version"]
    list_filter = ["published", "action__theme__strategy"]
    list_select_related = ["action__theme"]


@admin.register(InformationRequest)
class InformationRequestAdmin(ServiceAdminMixin, admin.ModelAdmin):
    delete_service = forget_request

    list_display = ["received_at", "strategy", "format", "name", "answered_at"]
    list_filter = ["strategy", "format"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
